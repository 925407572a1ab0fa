// The unchecked inner writer of BitWriter: 64-bit big-endian read-modify-writes into reserved storage.

/// Writes bits into storage reserved by ``BitWriter/withUnsafeWriter(reservingBits:_:)``.
///
/// Only valid inside that closure. Each write is checked against the reservation (a precondition:
/// writing past it would corrupt memory), not against the array, and is one or two unaligned
/// 64-bit read-modify-writes. Relies on the bits after ``position`` being zero.
///
/// Access: `public` type with `package` members so it inlines across our modules (see ``XORChunk``).
public struct UnsafeBitWriter {
    @usableFromInline
    let _raw: UnsafeMutableRawBufferPointer
    @usableFromInline
    var _position: Int
    @usableFromInline
    let _limit: Int

    @inlinable
    init(_ raw: UnsafeMutableRawBufferPointer, position: Int, limit: Int) {
        _raw = raw
        _position = position
        _limit = limit
    }

    /// Absolute bit position of the next write.
    @inlinable
    package var position: Int { _position }

    /// Writes one bit.
    @inlinable
    package mutating func writeBit(_ bit: Bool) {
        writeBits(bit ? 1 : 0, 1)
    }

    /// Writes the low `count` (0...64) bits of `value`, most significant first.
    @inlinable
    package mutating func writeBits(_ value: UInt64, _ count: Int) {
        precondition(count >= 0 && count <= 64 && _position &+ count <= _limit, "write outside the reservation")
        guard count > 0 else { return }
        let first = _position &>> 3
        let used = _position & 7  // bits of byte `first` already written
        let bits = count == 64 ? value : value & ((1 &<< UInt64(count)) &- 1)
        // Safety: the reservation guarantees first + 9 <= _raw.count (16 slack bytes after the
        // limit's byte); loadUnaligned/storeBytes have no alignment needs. The target bits are zero,
        // so `|` writes them exactly.
        let old = UInt64(bigEndian: _raw.loadUnaligned(fromByteOffset: first, as: UInt64.self))
        if used &+ count <= 64 {
            let word = old | bits &<< UInt64(64 &- used &- count)
            _raw.storeBytes(of: word.bigEndian, toByteOffset: first, as: UInt64.self)
        } else {
            // Straddles the 8-byte window: the last `rest` (1...7) bits go to the top of byte first + 8.
            let rest = used &+ count &- 64
            let word = old | bits &>> UInt64(rest)
            _raw.storeBytes(of: word.bigEndian, toByteOffset: first, as: UInt64.self)
            _raw.storeBytes(of: UInt8(truncatingIfNeeded: bits &<< UInt64(8 &- rest)), toByteOffset: first &+ 8, as: UInt8.self)
        }
        _position &+= count
    }

    /// Overwrites two whole bytes before the write position with `value`, big-endian.
    /// - Precondition: `index + 2 <= position / 8`.
    @inlinable
    package func setBigEndianUInt16(_ value: UInt16, at index: Int) {
        precondition(index >= 0 && index &+ 2 <= _position &>> 3, "header write past the written bytes")
        // Safety: index + 2 <= position / 8 < _raw.count.
        _raw.storeBytes(of: value.bigEndian, toByteOffset: index, as: UInt16.self)
    }
}
