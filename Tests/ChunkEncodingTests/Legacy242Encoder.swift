// A transcription of Prometheus 2.42's `bstream` + `xorAppender`, used as an independent model of the
// 2.x trailing-byte quirk (spec §3.1) in randomized tests.

import MetricModel

/// Prometheus 2.42's XOR appender over its old `bstream`, line for line (not optimized).
struct Legacy242Encoder {
    /// The old bstream: `count` is the number of bits still free in the last byte.
    private(set) var stream: [UInt8] = [0, 0]
    private var free: Int = 0
    private var num: UInt16 = 0
    private var t: Int64 = 0
    private var v: UInt64 = 0
    private var tDelta: UInt64 = 0
    private var leading: UInt8 = 0xFF
    private var trailing: UInt8 = 0

    private mutating func writeBit(_ bit: Bool) {
        if free == 0 {
            stream.append(0)
            free = 8
        }
        if bit { stream[stream.count - 1] |= 1 << UInt8(free - 1) }
        free -= 1
    }

    /// The old writeByte: on a byte boundary it leaves an empty byte behind (free stays 8).
    private mutating func writeByte(_ byte: UInt8) {
        if free == 0 {
            stream.append(0)
            free = 8
        }
        stream[stream.count - 1] |= byte >> UInt8(8 - free)
        stream.append(free == 8 ? 0 : byte << UInt8(free))
    }

    private mutating func writeBits(_ value: UInt64, _ count: Int) {
        var u = count == 0 ? 0 : value << UInt64(64 - count)
        var n = count
        while n >= 8 {
            writeByte(UInt8(u >> 56))
            u <<= 8
            n -= 8
        }
        while n > 0 {
            writeBit(u >> 63 == 1)
            u <<= 1
            n -= 1
        }
    }

    private static func bitRange(_ x: Int64, _ nbits: Int64) -> Bool {
        -((1 << (nbits - 1)) - 1) <= x && x <= 1 << (nbits - 1)
    }

    mutating func append(_ t: Int64, _ value: Double) {
        var newTDelta: UInt64 = 0
        switch num {
        case 0:
            var zigzag = UInt64(bitPattern: (t << 1) ^ (t >> 63))
            while zigzag >= 0x80 {
                writeByte(UInt8(truncatingIfNeeded: zigzag) | 0x80)
                zigzag >>= 7
            }
            writeByte(UInt8(zigzag))
            writeBits(value.bitPattern, 64)
        case 1:
            newTDelta = UInt64(bitPattern: t &- self.t)
            var u = newTDelta
            while u >= 0x80 {
                writeByte(UInt8(truncatingIfNeeded: u) | 0x80)
                u >>= 7
            }
            writeByte(UInt8(u))
            writeVDelta(value.bitPattern)
        default:
            newTDelta = UInt64(bitPattern: t &- self.t)
            let dod = Int64(bitPattern: newTDelta &- tDelta)
            let u = UInt64(bitPattern: dod)
            if dod == 0 {
                writeBit(false)
            } else if Self.bitRange(dod, 14) {
                writeBits(0b10, 2)
                writeBits(u, 14)
            } else if Self.bitRange(dod, 17) {
                writeBits(0b110, 3)
                writeBits(u, 17)
            } else if Self.bitRange(dod, 20) {
                writeBits(0b1110, 4)
                writeBits(u, 20)
            } else {
                writeBits(0b1111, 4)
                writeBits(u, 64)
            }
            writeVDelta(value.bitPattern)
        }
        self.t = t
        v = value.bitPattern
        num += 1
        stream[0] = UInt8(num >> 8)
        stream[1] = UInt8(truncatingIfNeeded: num)
        tDelta = newTDelta
    }

    private mutating func writeVDelta(_ bits: UInt64) {
        let delta = bits ^ v
        if delta == 0 {
            writeBit(false)
            return
        }
        writeBit(true)
        var newLeading = UInt8(delta.leadingZeroBitCount)
        let newTrailing = UInt8(delta.trailingZeroBitCount)
        if newLeading >= 32 { newLeading = 31 }
        if leading != 0xFF && newLeading >= leading && newTrailing >= trailing {
            writeBit(false)
            writeBits(delta >> UInt64(trailing), 64 - Int(leading) - Int(trailing))
            return
        }
        leading = newLeading
        trailing = newTrailing
        writeBit(true)
        writeBits(UInt64(newLeading), 5)
        let sigbits = 64 - Int(newLeading) - Int(newTrailing)
        writeBits(UInt64(sigbits), 6)
        writeBits(delta >> UInt64(newTrailing), sigbits)
    }
}
