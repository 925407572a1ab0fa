// BlockDecoder: bounds-checked reads of big-endian integers and varints from a mapped block file
// (Prometheus's encoding.Decbuf, spec/tsdb-format.md §0 conventions).

internal import ChunkEncoding

/// A cursor over part of a mapped file. Every read checks bounds and throws ``TSDBError`` with the
/// decoder's code and file name, so corrupt input never reads outside the mapping.
struct BlockDecoder {
    /// The whole file.
    let buffer: UnsafeRawBufferPointer
    /// Next byte to read.
    var offset: Int
    /// One past the last readable byte.
    let end: Int
    /// Error code and file name used in errors (`.badIndex`, `"index"`).
    let code: TSDBError.Code
    let name: String

    /// A decoder over `buffer[offset..<end]`; `end` is clamped to the buffer.
    init(_ buffer: UnsafeRawBufferPointer, offset: Int, end: Int? = nil, code: TSDBError.Code, name: String) {
        self.buffer = buffer
        self.offset = offset
        self.end = min(end ?? buffer.count, buffer.count)
        self.code = code
        self.name = name
    }

    var remaining: Int { max(0, end - offset) }

    func failure(_ problem: String) -> TSDBError {
        TSDBError.block(code, "\(name): \(problem)")
    }

    mutating func byte() throws(TSDBError) -> UInt8 {
        guard offset >= 0, offset < end else { throw failure("unexpected end of data at offset \(offset)") }
        defer { offset += 1 }
        // Safety: 0 <= offset < end <= buffer.count.
        return buffer[offset]
    }

    mutating func be32() throws(TSDBError) -> UInt32 {
        guard offset >= 0, end - offset >= 4 else { throw failure("unexpected end of data at offset \(offset)") }
        var v: UInt32 = 0
        // Safety: offset + 4 <= end <= buffer.count.
        for k in 0..<4 { v = v << 8 | UInt32(buffer[offset + k]) }
        offset += 4
        return v
    }

    mutating func be64() throws(TSDBError) -> UInt64 {
        let hi = try be32()
        let lo = try be32()
        return UInt64(hi) << 32 | UInt64(lo)
    }

    /// Go `binary.Uvarint`: at most 10 bytes, the 10th at most 1.
    mutating func uvarint() throws(TSDBError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = 0
        while offset >= 0, offset < end {
            // Safety: 0 <= offset < end <= buffer.count.
            let b = buffer[offset]
            offset += 1
            if i == 9 && b > 1 { throw failure("varint overflows a 64-bit integer") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            i += 1
        }
        throw failure("truncated varint at offset \(offset)")
    }

    /// Go `binary.Varint` (zigzag).
    mutating func varint() throws(TSDBError) -> Int64 {
        let u = try uvarint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// A uvarint that must fit in an `Int` of at most `limit`.
    mutating func uvarintInt(limit: Int = Int.max) throws(TSDBError) -> Int {
        let v = try uvarint()
        guard v <= UInt64(limit) else { throw failure("value \(v) out of range") }
        return Int(v)
    }

    /// Reads `uvarint(len)` and returns the byte range of the following `len` bytes.
    mutating func uvarintBytesRange() throws(TSDBError) -> Range<Int> {
        let n = try uvarint()
        guard n <= UInt64(remaining) else { throw failure("string length \(n) runs past the end of its section") }
        let start = offset
        offset += Int(n)
        return start..<offset
    }

    /// Skips `count` bytes.
    mutating func skip(_ count: Int) throws(TSDBError) {
        guard count >= 0, count <= remaining else { throw failure("unexpected end of data at offset \(offset)") }
        offset += count
    }

    /// The bytes of `range` (already bounds-checked by the caller) as a raw slice.
    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        // Safety: callers pass ranges obtained from this decoder's checked reads.
        UnsafeRawBufferPointer(rebasing: buffer[range])
    }

    /// Reads a length-prefixed section at `at` (`BE32 len`, payload, `BE32 CRC32C(payload)`), checks the
    /// CRC, and returns a decoder over the payload.
    ///
    /// - Parameter what: the section's name in errors (`"symbol table"` → `"index: symbol table checksum mismatch"`).
    static func section(
        _ buffer: UnsafeRawBufferPointer, at start: Int, limit: Int, code: TSDBError.Code, name: String, what: String
    ) throws(TSDBError) -> BlockDecoder {
        var header = BlockDecoder(buffer, offset: start, end: limit, code: code, name: name)
        guard start >= 0, start <= limit else { throw header.failure("\(what) offset \(start) out of range") }
        let length = Int(try header.be32())
        guard length <= header.remaining, header.remaining - length >= 4 else {
            throw header.failure("\(what) length \(length) runs past the end of the file")
        }
        let payload = header.offset..<(header.offset + length)
        var crcReader = BlockDecoder(buffer, offset: payload.upperBound, end: limit, code: code, name: name)
        let stored = try crcReader.be32()
        let computed = CRC32C.update(0, header.slice(payload))
        guard stored == computed else { throw header.failure("\(what) checksum mismatch") }
        return BlockDecoder(buffer, offset: payload.lowerBound, end: payload.upperBound, code: code, name: name)
    }
}
