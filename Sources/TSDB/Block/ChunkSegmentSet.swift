// ChunkSegmentSet: the mapped `chunks/NNNNNN` files of a block and chunk lookup by reference (spec §2).

internal import ChunkEncoding
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// A block's chunk segment files, mapped, in the order Prometheus numbers them.
///
/// Like Prometheus, every file in `chunks/` whose name is an unsigned decimal number is a segment,
/// sorted by name; a chunk reference's high 32 bits are the 0-based position in that list. Each
/// file must have at least 8 bytes, magic `0x85BD40DD` and version 1.
///
/// Thread-safety: immutable after `init`.
struct ChunkSegmentSet: Sendable {
    static let magic: UInt32 = 0x85BD_40DD
    static let headerSize = 8

    let segments: [BlockMappedFile]
    /// `chunks/NNNNNN` of each segment, for error messages.
    let names: [String]

    /// Maps and checks every segment in `directory` (the block's `chunks/`).
    ///
    /// - Throws: `TSDBError.block(.badChunks)` if the directory is missing or a segment header is bad.
    init(directory: URL) throws(TSDBError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw TSDBError.block(.badChunks, "chunks: cannot list the chunks directory", path: directory.path)
        }
        let numbered = names.filter { name in UInt64(name) != nil && !name.hasPrefix("+") }.sorted()
        var segments: [BlockMappedFile] = []
        self.names = numbered.map { "chunks/\($0)" }
        for name in numbered {
            let path = directory.appendingPathComponent(name).path
            let file = try BlockMappedFile(path: path, missingCode: .badChunks, name: "chunks/\(name)")
            var d = BlockDecoder(file.bytes, offset: 0, code: .badChunks, name: "chunks/\(name)")
            guard file.count >= Self.headerSize else {
                throw TSDBError.block(.badChunks, "chunks/\(name): invalid segment header (\(file.count) bytes)", path: path)
            }
            let magic = try d.be32()
            guard magic == Self.magic else {
                throw TSDBError.block(.badChunks, "chunks/\(name): invalid magic number 0x\(String(magic, radix: 16))", path: path)
            }
            let version = try d.byte()
            guard version == 1 else {
                throw TSDBError.block(.badChunks, "chunks/\(name): invalid chunk format version \(version)", path: path)
            }
            segments.append(file)
        }
        self.segments = segments
    }

    /// The encoding byte and a copy of the data of the chunk at `ref`, with its CRC checked.
    ///
    /// - Throws: `TSDBError.block(.badChunks)` when the reference points outside the segments, the record is
    ///   truncated or its CRC does not match.
    func chunk(_ ref: UInt64) throws(TSDBError) -> (encoding: UInt8, bytes: [UInt8]) {
        let segment = Int(ref >> 32)
        let start = Int(ref & 0xFFFF_FFFF)
        guard segment < segments.count else {
            throw TSDBError.block(.badChunks, "chunks: reference 0x\(String(ref, radix: 16)) names segment \(segment) of \(segments.count)")
        }
        let file = segments[segment]
        var d = BlockDecoder(file.bytes, offset: start, code: .badChunks, name: names[segment])
        // Prometheus reads the length from a fixed 5-byte window.
        guard start >= Self.headerSize, start + 5 <= file.count else {
            throw d.failure("chunk offset \(start) outside the segment (\(file.count) bytes)")
        }
        let length = try d.uvarintInt(limit: d.remaining)
        guard d.remaining - length >= 5 else { throw d.failure("chunk at offset \(start) runs past the end of the segment") }
        let record = d.offset..<(d.offset + 1 + length)
        let encoding = try d.byte()
        let data = d.slice(d.offset..<(d.offset + length))
        try d.skip(length)
        let stored = try d.be32()
        guard stored == CRC32C.update(0, d.slice(record)) else { throw d.failure("chunk at offset \(start): checksum mismatch") }
        return (encoding, Array(data))
    }

    /// Releases every mapping.
    func unmap() {
        for segment in segments { segment.unmap() }
    }
}
