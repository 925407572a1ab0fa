// ULID: the 128-bit block identifier and block directory name (spec/tsdb-format.md §1.3).

/// A Universally Unique Lexicographically Sortable Identifier: a 48-bit millisecond timestamp
/// followed by 80 random bits, written as 26 characters of Crockford base32.
///
/// Every block directory is named by its ULID, and a directory whose name is not a strict ULID is not
/// a block (spec §1.1). Order and string order agree.
///
/// ```swift
/// let id = ULID(timestampMs: 1_700_000_000_000, random: SystemRandomNumberGenerator())
/// ULID(id.string) == id                      // true
/// ULID("01M8C60Z0X7V1TMCCE0KCHVS4J")?.timestampMs  // 1795705276317
/// ```
package struct ULID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Timestamp (48 bits) and the first 16 random bits.
    package var high: UInt64
    /// The last 64 random bits.
    package var low: UInt64

    /// The all-zero ULID, `00000000000000000000000000`.
    package static let zero = ULID(high: 0, low: 0)

    /// Number of characters of the text form.
    package static let stringLength = 26

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// Crockford decode table: 0xFF for characters that are not digits (I, L, O, U are excluded).
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() {
            table[Int(c)] = UInt8(i)
            if c >= UInt8(ascii: "A") { table[Int(c) + 32] = UInt8(i) }  // lowercase, as oklog/ulid accepts
        }
        return table
    }()

    /// Builds a ULID from its two 64-bit halves.
    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A ULID for `timestampMs` (only its low 48 bits are kept) with 80 bits from `random`.
    ///
    /// The generator is taken by value: a value-type generator passed twice yields the same ULID.
    /// Use ``init(timestampMs:using:)`` to advance a generator you keep.
    package init(timestampMs: Int64, random: some RandomNumberGenerator) {
        var generator = random
        self.init(timestampMs: timestampMs, using: &generator)
    }

    /// A ULID for `timestampMs` with 80 bits drawn from (and advancing) `generator`.
    package init(timestampMs: Int64, using generator: inout some RandomNumberGenerator) {
        let ms = UInt64(bitPattern: timestampMs) & 0xFFFF_FFFF_FFFF
        high = ms << 16 | UInt64(UInt16.random(in: .min ... .max, using: &generator))
        low = generator.next()
    }

    /// Parses the 26-character text form strictly: Crockford digits only (either case), and a first
    /// character of at most `7` (anything larger overflows 128 bits). Returns nil otherwise.
    package init?(_ string: String) {
        let utf8 = Array(string.utf8)
        guard utf8.count == Self.stringLength else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (i, c) in utf8.enumerated() {
            let digit = Self.decodeTable[Int(c)]
            guard digit != 0xFF else { return nil }
            if i == 0 && digit > 7 { return nil }
            // Shift the 128-bit value left by 5 and add the digit.
            high = high << 5 | low >> 59
            low = low << 5 | UInt64(digit)
        }
        self.high = high
        self.low = low
    }

    /// The 26-character uppercase Crockford base32 form.
    package var string: String {
        var chars = [UInt8](repeating: 0, count: Self.stringLength)
        var high = self.high
        var low = self.low
        for i in stride(from: Self.stringLength - 1, through: 0, by: -1) {
            chars[i] = Self.alphabet[Int(low & 0x1F)]
            low = low >> 5 | high << 59
            high >>= 5
        }
        return String(decoding: chars, as: UTF8.self)
    }

    /// The embedded timestamp in milliseconds since the epoch.
    package var timestampMs: Int64 { Int64(high >> 16) }

    package var description: String { string }

    package static func < (lhs: ULID, rhs: ULID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
