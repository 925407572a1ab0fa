// MSB-first bit stream reader over a byte array: the `bstreamReader` of Prometheus (spec/tsdb-format.md §3.1).

/// Reads bits from a byte array, most significant bit of each byte first.
///
/// Every read checks bounds: reading past the end returns `nil` (the reader never traps on
/// truncated or garbage input). After a failed read the position is unspecified; callers stop.
///
/// ```swift
/// var r = BitReader([0b1011_1111, 0b1110_0000])
/// r.readBits(3)   // 0b101
/// r.readByte()    // 0xFF
/// r.readBits(5)   // 0 (the zero padding)
/// r.readBit()     // nil: the stream is exhausted
/// ```
///
/// Fast path: a left-aligned 64-bit buffer is reloaded from the current bit position with one
/// unaligned big-endian load, so it holds at least 57 bits whenever 8 bytes remain; reads of up to
/// 57 bits are a shift and a compare. Not thread-safe; it is a value type, copy it per thread.
///
/// Access: `public` type with `package` members so Swift 6.3 inlines it across our modules (see
/// ``XORChunk``).
public struct BitReader: Sendable {
    @usableFromInline
    var _bytes: [UInt8]
    /// Absolute index of the next unread bit (bit 7 of `_bytes[0]` is 0).
    @usableFromInline
    var _position: Int
    /// The next unread bits, left-aligned (the next bit is bit 63); zero past `_valid`.
    @usableFromInline
    var _buffer: UInt64
    /// How many bits of `_buffer` are stream bits, 0...64.
    @usableFromInline
    var _valid: Int

    /// Creates a reader positioned at `byteOffset` (clamped to `0...bytes.count`).
    @inlinable
    package init(_ bytes: [UInt8], byteOffset: Int = 0) {
        _bytes = bytes
        _position = Swift.min(Swift.max(byteOffset, 0), bytes.count) &* 8
        _buffer = 0
        _valid = 0
    }

    /// Restarts on new bytes, reusing this value (no allocation beyond retaining `bytes`).
    @inlinable
    package mutating func reset(_ bytes: [UInt8], byteOffset: Int = 0) {
        self = BitReader(bytes, byteOffset: byteOffset)
    }

    /// The bytes being read.
    @inlinable
    package var bytes: [UInt8] { _bytes }

    /// Absolute position of the next unread bit, counted from bit 7 of `bytes[0]`.
    @inlinable
    package var bitPosition: Int { _position }

    /// Bits left to read.
    @inlinable
    package var remainingBits: Int { _bytes.count &* 8 &- _position }

    /// Reads one bit, or `nil` at the end of the stream.
    @inlinable
    package mutating func readBit() -> Bool? {
        guard let bit = readBits(1) else { return nil }
        return bit == 1
    }

    /// Reads 8 bits (at any bit alignment), or `nil` if fewer remain.
    @inlinable
    package mutating func readByte() -> UInt8? {
        guard let b = readBits(8) else { return nil }
        return UInt8(truncatingIfNeeded: b)
    }

    /// Reads `count` bits (0...64) as an unsigned integer, or `nil` if fewer remain.
    @inlinable @inline(__always)
    package mutating func readBits(_ count: Int) -> UInt64? {
        precondition(count >= 0 && count <= 64, "bit count out of range")
        if count > _valid {
            _refill()
            // Still short: more than 57 bits at an odd position, or the end of the stream.
            if count > _valid { return _readInTwoParts(count) }
        }
        guard count > 0 else { return 0 }
        let value = _buffer &>> UInt64(64 &- count)
        _consume(count)
        return value
    }

    /// The next `count` bits (1...57) without consuming them, or `nil` if fewer remain.
    @inlinable @inline(__always)
    package mutating func peekBits(_ count: Int) -> UInt64? {
        precondition(count > 0 && count <= 57, "peek width out of range")
        if count > _valid {
            _refill()
            if count > _valid { return nil }
        }
        return _buffer &>> UInt64(64 &- count)
    }

    /// Consumes `count` bits that ``peekBits(_:)`` just returned.
    /// - Precondition: they were peeked (they are buffered).
    @inlinable @inline(__always)
    package mutating func consumeBits(_ count: Int) {
        precondition(count >= 0 && count <= _valid, "consuming bits that were not peeked")
        _consume(count)
    }

    /// Skips `count` bits (any non-negative count). False, at an unspecified position, if fewer remain.
    @inlinable
    package mutating func skipBits(_ count: Int) -> Bool {
        guard count >= 0, count <= remainingBits else { return false }
        _position &+= count
        _buffer = 0
        _valid = 0
        return true
    }

    @inlinable @inline(__always)
    mutating func _consume(_ count: Int) {
        _buffer = count == 64 ? 0 : _buffer &<< UInt64(count)
        _valid &-= count
        _position &+= count
    }

    /// Reloads the buffer from `_position`: afterwards `_valid` is `min(64 - position % 8, remaining)`.
    @inlinable @inline(__always)
    mutating func _refill() {
        let byte = _position &>> 3
        let shift = _position & 7
        let count = _bytes.count
        if byte &+ 8 <= count {
            // Safety: byte + 8 <= count, checked above; loadUnaligned has no alignment needs.
            let word = _bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: byte, as: UInt64.self) }
            _buffer = UInt64(bigEndian: word) &<< UInt64(shift)
            _valid = 64 &- shift
        } else if byte < count {
            _refillTail(byte: byte, shift: shift)
        } else {
            _buffer = 0
            _valid = 0
        }
    }

    /// Slow path of `_refill`: fewer than 8 bytes remain.
    @usableFromInline @inline(never)
    mutating func _refillTail(byte: Int, shift: Int) {
        var word: UInt64 = 0
        for i in byte..<_bytes.count { word = word &<< 8 | UInt64(_bytes[i]) }
        let loaded = _bytes.count &- byte  // 1...7
        _buffer = (word &<< UInt64(64 &- loaded &* 8)) &<< UInt64(shift)
        _valid = loaded &* 8 &- shift
    }

    /// Slow path of `readBits`: a read of more than 57 bits that straddles the buffer, or the end.
    @usableFromInline @inline(never)
    mutating func _readInTwoParts(_ count: Int) -> UInt64? {
        guard count <= remainingBits else { return nil }
        // count > 32 here; each half fits a refilled buffer (at least min(57, remaining) bits).
        guard let high = readBits(32), let low = readBits(count &- 32) else { return nil }
        return high &<< UInt64(count &- 32) | low
    }
}
