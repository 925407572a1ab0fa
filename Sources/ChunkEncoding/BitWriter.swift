// MSB-first bit stream writer: the `bstream` of Prometheus 3.x (spec/tsdb-format.md §3.1), with 64-bit writes.

/// Appends bits to a byte stream, most significant bit of each byte first.
///
/// Semantics are those of Prometheus 3.x `bstream`: the stream ends at the last written bit and the
/// unused low bits of the last byte are zero, so ``bytes`` is always `ceil(bitCount / 8)` bytes.
/// (The 2.x extra trailing `0x00` is not reproduced here; see ``XORChunk/legacy242Bytes``.)
///
/// ```swift
/// var w = BitWriter()
/// w.writeBits(0b101, 3)
/// w.writeByte(0xFF)
/// w.bytes  // [0b1011_1111, 0b1110_0000]
/// ```
///
/// Fast path: the storage keeps at least 16 zeroed bytes after the stream, so every write of up to
/// 64 bits is one or two unaligned big-endian 64-bit read-modify-writes, with no per-byte append;
/// ``withUnsafeWriter(reservingBits:_:)`` batches several writes under one storage access.
/// ``bytes`` therefore copies (O(n)); ``storage`` and ``withUnsafeBytes(_:)`` do not.
///
/// Access: the type is `public` only so that Swift 6.3 inlines its `@inlinable` members across our
/// modules (it does not for members of `package` types, measured); every member is `package`.
public struct BitWriter: Sendable {
    /// The stream, then zeros. Invariant: every bit at or after `_bitCount` is 0, and
    /// `_storage.count >= _bitCount / 8 + 16`.
    @usableFromInline
    var _storage: [UInt8]
    @usableFromInline
    var _bitCount: Int

    /// Bytes kept zeroed after the stream: room for two 8-byte windows.
    @usableFromInline
    static var _slack: Int { 16 }

    /// Creates a writer whose stream starts after `prefix` (for example a chunk header).
    ///
    /// - Parameters:
    ///   - prefix: complete bytes that precede the bit stream.
    ///   - reservingCapacity: bytes of stream to allocate up front.
    package init(prefix: [UInt8] = [], reservingCapacity: Int = 0) {
        _storage = [UInt8](repeating: 0, count: Swift.max(reservingCapacity, prefix.count) + Self._slack)
        _storage.replaceSubrange(0..<prefix.count, with: prefix)
        _bitCount = prefix.count * 8
    }

    /// Resumes writing after the first `8 * bytes.count - freeBitsInLastByte` bits of `bytes`.
    ///
    /// The unused low bits of the last byte are cleared, so a stream cut from a longer one (or one
    /// with garbage padding) can be continued.
    /// - Precondition: `0 <= freeBitsInLastByte <= 7`, and `bytes` is non-empty when it is not 0.
    package init(resuming bytes: [UInt8], freeBitsInLastByte: Int) {
        precondition((0...7).contains(freeBitsInLastByte) && (freeBitsInLastByte == 0 || !bytes.isEmpty))
        self.init(prefix: bytes)
        if freeBitsInLastByte > 0 {
            _storage[bytes.count - 1] &= ~UInt8(truncatingIfNeeded: (1 &<< freeBitsInLastByte) &- 1)
            _bitCount -= freeBitsInLastByte
        }
    }

    /// Total number of bits in the stream, including the bits of any prefix bytes.
    @inlinable
    package var bitCount: Int { _bitCount }

    /// Number of bytes the stream occupies: `ceil(bitCount / 8)`.
    @inlinable
    package var byteCount: Int { (_bitCount &+ 7) &>> 3 }

    /// Bits still free in the last byte, 0...7. 0 means the stream ends on a byte boundary.
    @inlinable
    package var freeBitsInLastByte: Int { (8 &- _bitCount & 7) & 7 }

    /// True when the next bit starts a new byte.
    @inlinable
    package var isByteAligned: Bool { _bitCount & 7 == 0 }

    /// The stream as an exact byte array (a copy: O(n)).
    package var bytes: [UInt8] { Array(_storage[0..<byteCount]) }

    /// The storage without copying: the stream's ``byteCount`` bytes followed by zeros. Readers that
    /// stop at a known length (like ``XORIterator``) can use it directly.
    @inlinable
    package var storage: [UInt8] { _storage }

    /// Calls `body` with the stream's bytes (exactly ``byteCount`` of them), without copying.
    package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try _storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<byteCount])) }
    }

    /// Writes one bit.
    @inlinable
    package mutating func writeBit(_ bit: Bool) {
        writeBits(bit ? 1 : 0, 1)
    }

    /// Writes 8 bits (without realigning to a byte boundary).
    @inlinable
    package mutating func writeByte(_ byte: UInt8) {
        writeBits(UInt64(byte), 8)
    }

    /// Writes the low `count` bits of `value`, most significant first.
    ///
    /// - Parameters:
    ///   - value: the bits; bits above `count` are ignored.
    ///   - count: 0...64.
    @inlinable
    package mutating func writeBits(_ value: UInt64, _ count: Int) {
        withUnsafeWriter(reservingBits: count) { $0.writeBits(value, count) }
    }

    /// Runs a burst of writes with one storage access: `body` gets an ``UnsafeBitWriter`` that may
    /// write up to `reservingBits` bits without further checks for capacity or uniqueness.
    ///
    /// This is the fast path of `XORChunk.append` (one sample: at most 145 bits).
    /// - Precondition: `reservingBits >= 0`; `body` writes at most that many bits (checked).
    @inlinable
    package mutating func withUnsafeWriter<R>(reservingBits: Int, _ body: (inout UnsafeBitWriter) throws -> R) rethrows -> R {
        precondition(reservingBits >= 0, "negative bit reservation")
        let start = _bitCount
        let needed = (start &+ reservingBits) &>> 3 &+ Self._slack
        if needed > _storage.count { _grow(minimumCount: needed) }
        var end = start
        let result = try _storage.withUnsafeMutableBytes { raw in
            // Safety: raw.count >= (start + reservingBits) / 8 + 16, so every write the writer allows
            // (positions below start + reservingBits, 8-byte windows plus one byte) is in bounds.
            var writer = UnsafeBitWriter(raw, position: start, limit: start &+ reservingBits)
            defer { end = writer.position }
            return try body(&writer)
        }
        _bitCount = end
        return result
    }

    /// Overwrites a whole byte already in the stream (used for a chunk's sample-count header).
    ///
    /// - Precondition: `index < byteCount`.
    @inlinable
    package mutating func setByte(_ byte: UInt8, at index: Int) {
        precondition(index >= 0 && index < byteCount, "setByte past the end of the stream")
        _storage[index] = byte
    }

    /// Overwrites two bytes already in the stream with `value`, big-endian.
    ///
    /// - Precondition: `index + 2 <= byteCount`.
    @inlinable
    package mutating func setBigEndianUInt16(_ value: UInt16, at index: Int) {
        precondition(index >= 0 && index &+ 2 <= byteCount, "setBigEndianUInt16 past the end of the stream")
        _storage.withUnsafeMutableBytes { raw in
            // Safety: index + 2 <= byteCount <= raw.count, checked above.
            raw.storeBytes(of: value.bigEndian, toByteOffset: index, as: UInt16.self)
        }
    }

    /// Empties the stream, keeping the storage for reuse.
    package mutating func removeAll() {
        let used = byteCount
        _storage.withUnsafeMutableBytes { raw in
            // Safety: used <= raw.count.
            _ = raw.baseAddress.map { $0.initializeMemory(as: UInt8.self, repeating: 0, count: used) }
        }
        _bitCount = 0
    }

    /// Slow path: grows the zeroed storage to at least `minimumCount` bytes, by a quarter (at least
    /// 32 bytes) at a time and to exactly that capacity.
    ///
    /// Not doubling, because a head holds one open chunk per series and they all grow together: with
    /// doubling, a 120-sample chunk of ~300 bytes sat in a 512-byte buffer, and every step left a
    /// freed buffer that no other series' next step fit in. Growing in small steps keeps the slack
    /// under 25 % and lets the next series reuse the buffer this one just freed (same step sizes).
    /// Costs a few more copies of a few hundred bytes per chunk.
    @usableFromInline @inline(never)
    mutating func _grow(minimumCount: Int) {
        let target = Swift.max(minimumCount, _storage.count + Swift.max(32, _storage.count / 4))
        _storage.reserveCapacity(target)
        _storage.append(contentsOf: repeatElement(0, count: target - _storage.count))
    }
}
