// Varbit integers and the XOR value read of native-histogram chunks (Prometheus `tsdb/chunkenc/varbit.go`,
// spec/tsdb-format.md §8 "Other native-histogram facts"; the value XOR is §3.3).

/// The bucketed variable-bit integer encoding of histogram chunks.
///
/// A value is a prefix of 0 to 8 one-bits (ended by a zero bit unless there are 8), then a payload:
///
/// | prefix | payload bits | signed range | unsigned range |
/// |---|---|---|---|
/// | `0` | 0 | 0 | 0 |
/// | `10` | 3 | -3…4 | ≤ 7 |
/// | `110` | 6 | -31…32 | ≤ 63 |
/// | `1110` | 9 | -255…256 | ≤ 511 |
/// | `11110` | 12 | -2047…2048 | ≤ 4095 |
/// | `111110` | 18 | -131071…131072 | ≤ 262143 |
/// | `1111110` | 25 | -16777215…16777216 | ≤ 33554431 |
/// | `11111110` | 56 | ±2^55 (asymmetric) | < 2^56 |
/// | `11111111` | 64 | everything else | everything else |
///
/// Signed payloads are two's complement with the XOR dod's asymmetric rule: a payload `u > 2^(k-1)`
/// is negative. ```BitWriter().writeVarbitInt(-1)``` writes `10 111`.
enum Varbit {
    /// Payload widths by number of prefix ones (0…8).
    static let payloadBits: [Int] = [0, 3, 6, 9, 12, 18, 25, 56, 64]

    /// Whether `value` fits the signed payload of `bits` bits: `-(2^(bits-1) - 1) … 2^(bits-1)`.
    @inline(__always)
    static func fitsSigned(_ value: Int64, _ bits: Int) -> Bool {
        let half = Int64(1) &<< Int64(bits &- 1)
        return value >= 1 &- half && value <= half
    }
}

extension BitWriter {
    /// Writes `value` as a signed varbit (`putVarbitInt`).
    package mutating func writeVarbitInt(_ value: Int64) {
        if value == 0 { return writeBit(false) }
        for ones in 1...7 where Varbit.fitsSigned(value, Varbit.payloadBits[ones]) {
            return writeVarbit(prefixOnes: ones, payload: UInt64(bitPattern: value))
        }
        writeBits(0xFF, 8)
        writeBits(UInt64(bitPattern: value), 64)
    }

    /// Writes `value` as an unsigned varbit (`putVarbitUint`).
    package mutating func writeVarbitUint(_ value: UInt64) {
        if value == 0 { return writeBit(false) }
        for ones in 1...7 where value &>> UInt64(Varbit.payloadBits[ones]) == 0 {
            return writeVarbit(prefixOnes: ones, payload: value)
        }
        writeBits(0xFF, 8)
        writeBits(value, 64)
    }

    /// `ones` one-bits, a zero bit and the low payload bits, in one write (at most 8 + 56 bits).
    private mutating func writeVarbit(prefixOnes ones: Int, payload: UInt64) {
        let width = Varbit.payloadBits[ones]
        let prefix = (UInt64(1) &<< UInt64(ones &+ 1)) &- 2  // `1…10`
        let mask = (UInt64(1) &<< UInt64(width)) &- 1
        writeBits(prefix &<< UInt64(width) | payload & mask, ones &+ 1 &+ width)
    }

    /// Writes `value` XOR-encoded against `previous` bits (Prometheus's `xorWrite`, spec §3.3),
    /// updating the window; `leading == 0xFF` means no window yet.
    mutating func writeXORValue(_ value: Double, previous: UInt64, leading: inout UInt8, trailing: inout UInt8) {
        var windowLeading = leading
        var windowTrailing = trailing
        var width: UInt8 = 0
        withUnsafeWriter(reservingBits: 77) { w in
            XORChunk._writeValue(
                value.bitPattern ^ previous, leading: &windowLeading, trailing: &windowTrailing, width: &width, to: &w)
        }
        leading = windowLeading
        trailing = windowTrailing
    }
}

extension BitReader {
    /// Reads a signed varbit (`readVarbitInt`), or nil when the stream ends.
    package mutating func readVarbitInt() -> Int64? {
        guard let ones = readVarbitPrefix() else { return nil }
        let width = Varbit.payloadBits[ones]
        guard width > 0 else { return 0 }
        guard let raw = readBits(width) else { return nil }
        if width < 64 && raw > UInt64(1) &<< UInt64(width &- 1) {
            return Int64(bitPattern: raw) &- (Int64(1) &<< Int64(width))
        }
        return Int64(bitPattern: raw)
    }

    /// Reads an unsigned varbit (`readVarbitUint`), or nil when the stream ends.
    package mutating func readVarbitUint() -> UInt64? {
        guard let ones = readVarbitPrefix() else { return nil }
        let width = Varbit.payloadBits[ones]
        return width == 0 ? 0 : readBits(width)
    }

    /// Counts up to 8 leading one-bits, consuming the terminating zero when there is one.
    private mutating func readVarbitPrefix() -> Int? {
        if let peek = peekBits(8) {
            // Fast path: one peek, count the ones.
            let ones = Swift.min((~UInt8(truncatingIfNeeded: peek)).leadingZeroBitCount, 8)
            consumeBits(Swift.min(ones &+ 1, 8))
            return ones
        }
        var ones = 0
        while ones < 8 {
            guard let bit = readBit() else { return nil }
            if !bit { break }
            ones &+= 1
        }
        return ones
    }

    /// Reads an XOR-encoded value into `bits` (Prometheus's `xorRead`, spec §3.3): `0` unchanged,
    /// `10` + the window's bits, `11` + 5 bits leading + 6 bits width (0 = 64) + the bits.
    /// False when the stream ends or the window is impossible (leading + width > 64).
    mutating func readXORValue(_ bits: inout UInt64, leading: inout UInt8, trailing: inout UInt8) -> Bool {
        guard let changed = readBit() else { return false }
        if !changed { return true }
        guard let newWindow = readBit() else { return false }
        if newWindow {
            guard let header = readBits(11) else { return false }
            let newLeading = Int(header &>> 6)
            let width = header & 0x3F == 0 ? 64 : Int(header & 0x3F)
            guard newLeading &+ width <= 64 else { return false }
            leading = UInt8(newLeading)
            trailing = UInt8(64 &- newLeading &- width)
        }
        let width = 64 &- Int(leading) &- Int(trailing)
        guard let delta = readBits(width) else { return false }
        bits ^= delta &<< UInt64(trailing)
        return true
    }
}
