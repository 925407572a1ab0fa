// MD5 (RFC 1321), only for the `hashmod` relabel action: Prometheus shards targets by the
// MD5 of the source values, so our shard numbers must come from the same digest.

/// The MD5 digest of a byte string (RFC 1321). Not for security: `hashmod` needs it only
/// to give the same shard numbers as Prometheus.
///
/// ```swift
/// MD5.digest(Array("abc".utf8)).hex  // "900150983cd24fb0d6963f7d28e17f72"
/// ```
///
/// Complexity: O(n); allocation-free.
package struct MD5: Sendable, Equatable {
    /// The four state words A, B, C, D; the digest is their little-endian bytes in that order.
    package let words: (UInt32, UInt32, UInt32, UInt32)

    package static func == (lhs: MD5, rhs: MD5) -> Bool {
        lhs.words == rhs.words
    }

    /// The digest of `message`.
    package static func digest(_ message: [UInt8]) -> MD5 {
        var state = (a: UInt32(0x6745_2301), b: UInt32(0xEFCD_AB89), c: UInt32(0x98BA_DCFE), d: UInt32(0x1032_5476))
        let fullBlocks = message.count / 64
        for block in 0..<fullBlocks {
            compress(&state) { message[block * 64 + $0] }
        }
        // Padding: 0x80, zeros up to 56 mod 64, then the bit length as a little-endian UInt64.
        let tailStart = fullBlocks * 64
        let tailCount = message.count - tailStart
        let paddedCount = tailCount < 56 ? 64 : 128
        let bitLength = UInt64(truncatingIfNeeded: message.count) &* 8
        let tailByte = { (i: Int) -> UInt8 in
            if i < tailCount { return message[tailStart + i] }
            if i == tailCount { return 0x80 }
            if i >= paddedCount - 8 { return UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i - (paddedCount - 8)))) }
            return 0
        }
        compress(&state) { tailByte($0) }
        if paddedCount == 128 { compress(&state) { tailByte(64 + $0) } }
        return MD5(words: (state.a, state.b, state.c, state.d))
    }

    /// The 16 digest bytes.
    package var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(16)
        for word in [words.0, words.1, words.2, words.3] {
            for shift in stride(from: 0, to: 32, by: 8) { result.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        return result
    }

    /// The digest in lower-case hexadecimal, as `md5sum` prints it.
    package var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes { text += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        return String(decoding: text, as: UTF8.self)
    }

    /// Digest bytes 8…15 read as a big-endian UInt64 (Go's `binary.BigEndian.Uint64(sum[8:])`),
    /// the number `hashmod` takes the modulus of.
    package var lastEightBytesBigEndian: UInt64 {
        UInt64(words.2.byteSwapped) << 32 | UInt64(words.3.byteSwapped)
    }

    /// One 64-byte block; `byte(i)` gives byte i of the block.
    private static func compress(
        _ state: inout (a: UInt32, b: UInt32, c: UInt32, d: UInt32), byte: (Int) -> UInt8
    ) {
        var m = InlineArray<16, UInt32>(repeating: 0)
        for i in 0..<16 {
            m[i] = UInt32(byte(4 * i)) | UInt32(byte(4 * i + 1)) << 8 | UInt32(byte(4 * i + 2)) << 16
                | UInt32(byte(4 * i + 3)) << 24
        }
        var (a, b, c, d) = state
        for i in 0..<64 {
            let f: UInt32
            let g: Int
            switch i >> 4 {
            case 0: f = (b & c) | (~b & d); g = i
            case 1: f = (d & b) | (~d & c); g = (5 * i + 1) & 15
            case 2: f = b ^ c ^ d; g = (3 * i + 5) & 15
            default: f = c ^ (b | ~d); g = (7 * i) & 15
            }
            let sum = a &+ f &+ sineTable[i] &+ m[g]
            let s = UInt32(shifts[(i >> 4) * 4 + (i & 3)])
            (a, d, c) = (d, c, b)
            b = b &+ (sum << s | sum >> (32 - s))
        }
        state = (state.a &+ a, state.b &+ b, state.c &+ c, state.d &+ d)
    }

    /// Per-round rotation amounts (RFC 1321 §3.4), four for each of the four rounds.
    private static let shifts: [UInt8] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]

    /// `floor(abs(sin(i + 1)) × 2^32)` for i in 0..<64 (RFC 1321 §3.4, table T).
    private static let sineTable: [UInt32] = [
        0xD76A_A478, 0xE8C7_B756, 0x2420_70DB, 0xC1BD_CEEE,
        0xF57C_0FAF, 0x4787_C62A, 0xA830_4613, 0xFD46_9501,
        0x6980_98D8, 0x8B44_F7AF, 0xFFFF_5BB1, 0x895C_D7BE,
        0x6B90_1122, 0xFD98_7193, 0xA679_438E, 0x49B4_0821,
        0xF61E_2562, 0xC040_B340, 0x265E_5A51, 0xE9B6_C7AA,
        0xD62F_105D, 0x0244_1453, 0xD8A1_E681, 0xE7D3_FBC8,
        0x21E1_CDE6, 0xC337_07D6, 0xF4D5_0D87, 0x455A_14ED,
        0xA9E3_E905, 0xFCEF_A3F8, 0x676F_02D9, 0x8D2A_4C8A,
        0xFFFA_3942, 0x8771_F681, 0x6D9D_6122, 0xFDE5_380C,
        0xA4BE_EA44, 0x4BDE_CFA9, 0xF6BB_4B60, 0xBEBF_BC70,
        0x289B_7EC6, 0xEAA1_27FA, 0xD4EF_3085, 0x0488_1D05,
        0xD9D4_D039, 0xE6DB_99E5, 0x1FA2_7CF8, 0xC4AC_5665,
        0xF429_2244, 0x432A_FF97, 0xAB94_23A7, 0xFC93_A039,
        0x655B_59C3, 0x8F0C_CC92, 0xFFEF_F47D, 0x8584_5DD1,
        0x6FA8_7E4F, 0xFE2C_E6E0, 0xA301_4314, 0x4E08_11A1,
        0xF753_7E82, 0xBD3A_F235, 0x2AD7_D2BB, 0xEB86_D391,
    ]
}
