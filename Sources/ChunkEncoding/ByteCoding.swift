// Varints and big-endian integers: the byte-level primitives of every format (spec/tsdb-format.md §0).

/// Appends encoded integers to a byte array.
package enum ByteWriter {
    /// Go `binary.PutUvarint`.
    @inlinable
    package static func uvarint(_ value: UInt64, to buffer: inout [UInt8]) {
        var n = value
        while n >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        buffer.append(UInt8(n))
    }

    /// Go `binary.PutVarint`: zigzag, then uvarint.
    @inlinable
    package static func varint(_ value: Int64, to buffer: inout [UInt8]) {
        uvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)), to: &buffer)
    }

    @inlinable
    package static func be16(_ value: UInt16, to buffer: inout [UInt8]) {
        buffer.append(UInt8(value >> 8))
        buffer.append(UInt8(truncatingIfNeeded: value))
    }

    @inlinable
    package static func be32(_ value: UInt32, to buffer: inout [UInt8]) {
        buffer.append(UInt8(truncatingIfNeeded: value >> 24))
        buffer.append(UInt8(truncatingIfNeeded: value >> 16))
        buffer.append(UInt8(truncatingIfNeeded: value >> 8))
        buffer.append(UInt8(truncatingIfNeeded: value))
    }

    @inlinable
    package static func be64(_ value: UInt64, to buffer: inout [UInt8]) {
        be32(UInt32(truncatingIfNeeded: value >> 32), to: &buffer)
        be32(UInt32(truncatingIfNeeded: value), to: &buffer)
    }

    /// `uvarint(len) bytes`.
    @inlinable
    package static func uvarintBytes<C: Collection>(_ bytes: C, to buffer: inout [UInt8]) where C.Element == UInt8 {
        uvarint(UInt64(bytes.count), to: &buffer)
        buffer.append(contentsOf: bytes)
    }
}

/// A decoding failure: truncated input or an overlong varint.
package struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// Reads encoded integers from a byte array; every read checks bounds and throws on truncation.
package struct ByteReader {
    package let bytes: [UInt8]
    package var offset: Int
    package let end: Int

    package init(_ bytes: [UInt8], offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = end ?? bytes.count
    }

    package var remaining: Int { end - offset }
    package var isAtEnd: Bool { offset >= end }

    @inlinable
    package mutating func uvarint() throws(DecodeError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = 0
        while offset < end {
            let b = bytes[offset]
            offset += 1
            if i == 9 && b > 1 { throw DecodeError("varint overflows a 64-bit integer") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            i += 1
        }
        throw DecodeError("truncated varint")
    }

    @inlinable
    package mutating func varint() throws(DecodeError) -> Int64 {
        let u = try uvarint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    @inlinable
    package mutating func byte() throws(DecodeError) -> UInt8 {
        guard offset < end else { throw DecodeError("unexpected end of data") }
        defer { offset += 1 }
        return bytes[offset]
    }

    @inlinable
    package mutating func be16() throws(DecodeError) -> UInt16 {
        guard end - offset >= 2 else { throw DecodeError("unexpected end of data") }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    @inlinable
    package mutating func be32() throws(DecodeError) -> UInt32 {
        guard end - offset >= 4 else { throw DecodeError("unexpected end of data") }
        var v: UInt32 = 0
        for k in 0..<4 { v = v << 8 | UInt32(bytes[offset + k]) }
        offset += 4
        return v
    }

    @inlinable
    package mutating func be64() throws(DecodeError) -> UInt64 {
        let hi = try be32()
        let lo = try be32()
        return UInt64(hi) << 32 | UInt64(lo)
    }

    /// Reads `count` bytes.
    package mutating func bytes(_ count: Int) throws(DecodeError) -> ArraySlice<UInt8> {
        guard count >= 0, end - offset >= count else { throw DecodeError("unexpected end of data") }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// Reads `uvarint(len)` and that many bytes.
    package mutating func uvarintBytes() throws(DecodeError) -> ArraySlice<UInt8> {
        let n = try uvarint()
        guard n <= UInt64(remaining) else { throw DecodeError("length \(n) exceeds remaining \(remaining) bytes") }
        return try bytes(Int(n))
    }
}
