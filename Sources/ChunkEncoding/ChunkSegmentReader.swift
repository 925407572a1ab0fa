// Reader for block chunk segment files, `<block>/chunks/NNNNNN` (spec/tsdb-format.md §2).

/// One chunk record of a block chunk segment file.
package struct ChunkRecord: Sendable, Equatable {
    /// Byte offset of the record's `len` field in its file: the low 32 bits of the chunk reference
    /// (`segmentIndex << 32 | offset`, segment index 0-based).
    package var offset: Int
    /// Chunk encoding byte (1 = XOR, 2 = histogram, 3 = float histogram).
    package var encoding: UInt8
    /// The chunk payload (for XOR: header and bit stream, spec §3).
    package var data: [UInt8]

    package init(offset: Int, encoding: UInt8, data: [UInt8]) {
        self.offset = offset
        self.encoding = encoding
        self.data = data
    }
}

/// Reads the records of a block chunk segment file, checking each CRC.
///
/// Layout (spec §2): `BE32 magic 0x85BD40DD`, `u8 version 1`, 3 zero bytes, then records
/// `uvarint len(data)`, `u8 encoding`, `data`, `BE32 CRC32C(encoding ++ data)` back to back.
///
/// ```swift
/// var reader = try ChunkSegmentReader(fileBytes)
/// while let record = try reader.next() { ... }
/// ```
///
/// Corrupt or truncated input throws `DecodeError`; it never traps.
package struct ChunkSegmentReader: Sendable {
    /// The segment file magic number.
    package static let magic: UInt32 = 0x85BD_40DD
    /// The only segment format version.
    package static let version: UInt8 = 1
    /// Size of the file header; the first record is at this offset.
    package static let headerSize = 8

    /// The whole file.
    package let bytes: [UInt8]
    /// Offset of the next record `next()` reads.
    package private(set) var offset: Int

    /// Checks the file header.
    ///
    /// - Throws: `DecodeError` if the file is shorter than 8 bytes, or the magic or version is wrong.
    package init(_ bytes: [UInt8]) throws(DecodeError) {
        guard bytes.count >= Self.headerSize else {
            throw DecodeError("chunk segment is \(bytes.count) bytes, shorter than its 8-byte header")
        }
        var header = ByteReader(bytes)
        let magic = try header.be32()
        guard magic == Self.magic else {
            throw DecodeError("chunk segment has magic 0x\(String(magic, radix: 16)), expected 0x85bd40dd")
        }
        let version = try header.byte()
        guard version == Self.version else { throw DecodeError("chunk segment has unknown version \(version)") }
        self.bytes = bytes
        self.offset = Self.headerSize
    }

    /// Reads the next record, or returns nil at the end of the file.
    ///
    /// - Throws: `DecodeError` on a truncated record or a CRC mismatch; `offset` does not move then.
    package mutating func next() throws(DecodeError) -> ChunkRecord? {
        guard offset < bytes.count else { return nil }
        let (record, end) = try Self.readRecord(bytes, at: offset)
        offset = end
        return record
    }

    /// Reads the record at `offset` (the low 32 bits of a chunk reference).
    ///
    /// - Throws: `DecodeError` if the offset is outside the records, the record is truncated, or
    ///   its CRC does not match.
    package func record(at offset: Int) throws(DecodeError) -> ChunkRecord {
        try Self.readRecord(bytes, at: offset).record
    }

    /// Reads every record of a segment file.
    package static func records(in bytes: [UInt8]) throws(DecodeError) -> [ChunkRecord] {
        var reader = try ChunkSegmentReader(bytes)
        var records: [ChunkRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    static func readRecord(_ bytes: [UInt8], at start: Int) throws(DecodeError) -> (record: ChunkRecord, end: Int) {
        guard start >= headerSize, start < bytes.count else {
            throw DecodeError("chunk offset \(start) outside the segment's records (8..<\(bytes.count))")
        }
        var reader = ByteReader(bytes, offset: start)
        let length = try reader.uvarint()
        // encoding byte + data + CRC must fit.
        guard length <= UInt64(reader.remaining), reader.remaining - Int(length) >= 5 else {
            throw DecodeError("chunk at offset \(start): length \(length) runs past the end of the segment")
        }
        let encodingStart = reader.offset
        let encoding = try reader.byte()
        let data = try reader.bytes(Int(length))
        let stored = try reader.be32()
        let computed = bytes.withUnsafeBytes { raw in
            CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[encodingStart..<(encodingStart + 1 + Int(length))]))
        }
        guard stored == computed else {
            throw DecodeError(
                "chunk at offset \(start): CRC32C 0x\(String(computed, radix: 16)) != stored 0x\(String(stored, radix: 16))"
            )
        }
        return (ChunkRecord(offset: start, encoding: encoding, data: Array(data)), reader.offset)
    }
}
