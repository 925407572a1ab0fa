// Reader for head chunk files, `<data>/chunks_head/NNNNNN` (spec/tsdb-format.md §7).

package import MetricModel

/// One chunk entry of a head chunk file.
package struct HeadChunkRecord: Sendable, Equatable {
    /// Byte offset of the entry's series reference in its file. The on-disk chunk reference
    /// (`ChunkDiskMapperRef`) is `fileNumber << 32 | offset`, with the real 1-based file number.
    package var offset: Int
    /// The head series the chunk belongs to (`HeadSeriesRef`).
    package var seriesRef: SeriesRef
    /// First and last sample timestamps, inclusive.
    package var minTime: Timestamp
    package var maxTime: Timestamp
    /// Chunk encoding with the out-of-order flag (bit 7) removed: 1 = XOR.
    package var encoding: UInt8
    /// True when bit 7 of the stored encoding byte was set (an out-of-order head chunk).
    package var isOutOfOrder: Bool
    /// The chunk payload.
    package var data: [UInt8]

    package init(
        offset: Int, seriesRef: SeriesRef, minTime: Timestamp, maxTime: Timestamp,
        encoding: UInt8, isOutOfOrder: Bool, data: [UInt8]
    ) {
        self.offset = offset
        self.seriesRef = seriesRef
        self.minTime = minTime
        self.maxTime = maxTime
        self.encoding = encoding
        self.isOutOfOrder = isOutOfOrder
        self.data = data
    }
}

/// Reads the entries of a head chunk file, checking each CRC.
///
/// Layout (spec §7): `BE32 magic 0x0130BC91`, `u8 version 1`, 3 zero bytes, then entries
/// `BE64 seriesRef`, `BE64 mint`, `BE64 maxt`, `u8 encoding`, `uvarint len`, `data`,
/// `BE32 CRC32C` over everything from seriesRef through data. Files are preallocated, so the
/// entries end at an all-zero `seriesRef/mint/maxt`, or where fewer than 34 bytes remain and
/// they are all zero (as Prometheus's `ChunkDiskMapper` decides).
///
/// ```swift
/// var reader = try HeadChunkFileReader(fileBytes)
/// while let entry = try reader.next() { ... }
/// ```
///
/// Corrupt or truncated input throws `DecodeError`; it never traps.
package struct HeadChunkFileReader: Sendable {
    /// The head chunk file magic number.
    package static let magic: UInt32 = 0x0130_BC91
    /// The only head chunk file format version.
    package static let version: UInt8 = 1
    /// Size of the file header; the first entry is at this offset.
    package static let headerSize = 8
    /// The largest entry header: seriesRef, mint, maxt, encoding, a 5-byte length, the CRC.
    package static let maxEntryMetaSize = 8 + 8 + 8 + 1 + 5 + 4
    /// Bit 7 of the encoding byte marks an out-of-order chunk.
    package static let outOfOrderFlag: UInt8 = 0x80

    /// The whole file.
    package let bytes: [UInt8]
    /// Offset of the next entry `next()` reads.
    package private(set) var offset: Int
    /// True once the end of the entries has been reached.
    package private(set) var isAtEnd: Bool

    /// Checks the file header.
    ///
    /// - Throws: `DecodeError` if the file is shorter than 8 bytes, or the magic or version is wrong.
    package init(_ bytes: [UInt8]) throws(DecodeError) {
        guard bytes.count >= Self.headerSize else {
            throw DecodeError("head chunk file is \(bytes.count) bytes, shorter than its 8-byte header")
        }
        var header = ByteReader(bytes)
        let magic = try header.be32()
        guard magic == Self.magic else {
            throw DecodeError("head chunk file has magic 0x\(String(magic, radix: 16)), expected 0x130bc91")
        }
        let version = try header.byte()
        guard version == Self.version else { throw DecodeError("head chunk file has unknown version \(version)") }
        self.bytes = bytes
        self.offset = Self.headerSize
        self.isAtEnd = false
    }

    /// Reads the next entry, or returns nil at the end of the entries.
    ///
    /// - Throws: `DecodeError` on a truncated entry, non-zero data too short for an entry header, or a
    ///   CRC mismatch; `offset` does not move then.
    package mutating func next() throws(DecodeError) -> HeadChunkRecord? {
        guard !isAtEnd else { return nil }
        let start = offset
        let remaining = bytes.count - start
        if remaining < Self.maxEntryMetaSize {
            guard bytes[start...].allSatisfy({ $0 == 0 }) else {
                throw DecodeError(
                    "head chunk file: \(remaining) non-zero bytes at offset \(start), too few for an entry header"
                )
            }
            isAtEnd = true
            return nil
        }
        var reader = ByteReader(bytes, offset: start)
        let seriesRef = try reader.be64()
        let minTime = Int64(bitPattern: try reader.be64())
        let maxTime = Int64(bitPattern: try reader.be64())
        if seriesRef == 0 && minTime == 0 && maxTime == 0 {
            isAtEnd = true
            return nil
        }
        let encoding = try reader.byte()
        let length = try reader.uvarint()
        guard length <= UInt64(reader.remaining), reader.remaining - Int(length) >= 4 else {
            throw DecodeError("head chunk at offset \(start): length \(length) runs past the end of the file")
        }
        let data = try reader.bytes(Int(length))
        let dataEnd = reader.offset
        let stored = try reader.be32()
        let computed = bytes.withUnsafeBytes { raw in
            CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[start..<dataEnd]))
        }
        guard stored == computed else {
            throw DecodeError(
                "head chunk at offset \(start): CRC32C 0x\(String(computed, radix: 16)) != stored 0x\(String(stored, radix: 16))"
            )
        }
        offset = reader.offset
        if offset >= bytes.count { isAtEnd = true }
        return HeadChunkRecord(
            offset: start, seriesRef: SeriesRef(seriesRef), minTime: minTime, maxTime: maxTime,
            encoding: encoding & ~Self.outOfOrderFlag, isOutOfOrder: encoding & Self.outOfOrderFlag != 0,
            data: Array(data)
        )
    }

    /// Reads every entry of a head chunk file.
    package static func records(in bytes: [UInt8]) throws(DecodeError) -> [HeadChunkRecord] {
        var reader = try HeadChunkFileReader(bytes)
        var records: [HeadChunkRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }
}
