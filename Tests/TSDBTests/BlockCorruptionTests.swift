// Corrupt copies of fixture blocks: every damage throws a TSDBError naming the file and problem, never traps.

import Foundation
import MetricModel
import TSDB
import Testing

@Suite("BlockReader: corrupt blocks")
struct BlockCorruptionTests {
    /// Copies `block`, lets `damage` modify the copy, then opens it (and selects everything).
    static func open(_ block: URL = BlockFixtures.mainBlock, damage: (URL) throws -> Void) throws -> TSDBError? {
        try withBlockTempDir { dir in
            let copy = try copyBlock(block, into: dir)
            try damage(copy)
            do {
                let reader = try BlockReader(directory: copy)
                defer { reader.close() }
                _ = try selectAll(reader)
                return nil
            } catch {
                return try #require(error as? TSDBError, "not a TSDBError: \(error)")
            }
        }
    }

    /// XORs one byte of `file` inside the block.
    static func flip(_ file: String, at offset: @escaping (Int) -> Int) -> (URL) throws -> Void {
        { block in
            let url = block.appendingPathComponent(file)
            var bytes = try blockFileBytes(url)
            bytes[offset(bytes.count)] ^= 0xFF
            try writeBlockFile(bytes, to: url)
        }
    }

    static func toc() throws -> IndexTOC {
        let reader = try BlockReader(directory: BlockFixtures.mainBlock)
        defer { reader.close() }
        return reader.indexTOC
    }

    static func expect(_ error: TSDBError?, _ code: TSDBError.Code, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error?.code == code, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
    }

    @Test("a flipped TOC byte: index: TOC checksum mismatch")
    func tocChecksum() throws {
        let error = try Self.open(damage: Self.flip("index") { $0 - 30 })
        Self.expect(error, .badIndex, "index: TOC checksum mismatch")
        #expect(error?.path?.hasSuffix("/index") == true)
    }

    @Test("a flipped symbol table byte: index: symbol table checksum mismatch")
    func symbolChecksum() throws {
        let toc = try Self.toc()
        let error = try Self.open(damage: Self.flip("index") { _ in Int(toc.symbols) + 12 })
        Self.expect(error, .badIndex, "index: symbol table checksum mismatch")
    }

    @Test("a flipped postings offset table byte: index: postings offset table checksum mismatch")
    func postingsTableChecksum() throws {
        let toc = try Self.toc()
        let error = try Self.open(damage: Self.flip("index") { _ in Int(toc.postingsOffsetTable) + 10 })
        Self.expect(error, .badIndex, "index: postings offset table checksum mismatch")
    }

    @Test("a flipped series byte is caught at query time: series checksum mismatch")
    func seriesChecksum() throws {
        let toc = try Self.toc()
        let error = try Self.open(damage: Self.flip("index") { _ in Int(toc.series) + 20 })
        Self.expect(error, .badIndex, "checksum mismatch")
    }

    @Test("a flipped chunk byte is caught at query time: chunks/000001 checksum mismatch")
    func chunkChecksum() throws {
        let error = try Self.open(damage: Self.flip("chunks/000001") { _ in 20 })
        Self.expect(error, .badChunks, "chunks/000001: chunk at offset 8: checksum mismatch")
    }

    @Test("a truncated index", arguments: [10, 100, 700, 1322])
    func truncatedIndex(_ length: Int) throws {
        let error = try Self.open { block in
            let url = block.appendingPathComponent("index")
            try writeBlockFile(Array(try blockFileBytes(url).prefix(length)), to: url)
        }
        Self.expect(error, .badIndex, length < 57 ? "index: file too small" : "index: TOC checksum mismatch")
    }

    @Test("wrong magic numbers in index, chunks and tombstones")
    func wrongMagic() throws {
        Self.expect(try Self.open(damage: Self.flip("index") { _ in 1 }), .badIndex, "index: invalid magic number")
        Self.expect(try Self.open(damage: Self.flip("chunks/000001") { _ in 0 }), .badChunks, "chunks/000001: invalid magic number")
        Self.expect(try Self.open(damage: Self.flip("tombstones") { _ in 3 }), .badTombstones, "tombstones: invalid magic number")
        Self.expect(try Self.open(damage: Self.flip("index") { _ in 4 }), .badIndex, "index: unsupported index format version 253")
    }

    @Test("tombstones: bad checksum and bad version")
    func badTombstones() throws {
        Self.expect(try Self.open(damage: Self.flip("tombstones") { $0 - 1 }), .badTombstones, "tombstones: checksum mismatch")
        let error = try Self.open { block in
            var bytes = BlockTombstones.empty
            bytes[4] = 2
            try writeBlockFile(bytes, to: block.appendingPathComponent("tombstones"))
        }
        Self.expect(error, .badTombstones, "tombstones: invalid tombstone format version 2")
    }

    @Test("missing files: meta.json is required, tombstones optional, index and chunks required")
    func missingFiles() throws {
        let fm = FileManager.default
        Self.expect(try Self.open { try fm.removeItem(at: $0.appendingPathComponent("meta.json")) }, .missingMeta, "meta.json")
        #expect(try Self.open { try fm.removeItem(at: $0.appendingPathComponent("tombstones")) } == nil)
        Self.expect(try Self.open { try fm.removeItem(at: $0.appendingPathComponent("index")) }, .badIndex, "index: file does not exist")
        Self.expect(try Self.open { try fm.removeItem(at: $0.appendingPathComponent("chunks")) }, .badChunks, "chunks")
        // Without its segment the chunk references point nowhere.
        let noSegment = try Self.open { try fm.removeItem(at: $0.appendingPathComponent("chunks/000001")) }
        Self.expect(noSegment, .badChunks, "names segment 0 of 0")
    }

    @Test("meta.json: version 2, bad JSON, a ULID that is not the directory name")
    func badMeta() throws {
        func rewrite(_ edit: @escaping (String) -> String) -> (URL) throws -> Void {
            { block in
                let url = block.appendingPathComponent("meta.json")
                try Data(edit(try String(contentsOf: url, encoding: .utf8)).utf8).write(to: url)
            }
        }
        Self.expect(
            try Self.open(damage: rewrite { $0.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2") }),
            .badMeta, "meta.json: unexpected meta file version 2"
        )
        Self.expect(try Self.open(damage: rewrite { String($0.dropLast(3)) }), .badMeta, "meta.json: invalid JSON")
        Self.expect(
            try Self.open(damage: rewrite { $0.replacingOccurrences(of: "01M8C5RMQ2QTN16PCMVBD109C2", with: "01M8C5RMQ2QTN16PCMVBD109C3") }),
            .badMeta, "does not match the directory name"
        )
    }

    /// Writes each variant over `file` of a copy of `block`, opens and queries it; returns how many failed.
    static func survive(_ block: URL, _ file: String, _ variants: (([UInt8]) -> [[UInt8]])) throws -> (failed: Int, total: Int) {
        try withBlockTempDir { dir in
            let copy = try copyBlock(block, into: dir)
            let url = copy.appendingPathComponent(file)
            let damaged = variants(try blockFileBytes(url))
            var failures = 0
            for bytes in damaged {
                try writeBlockFile(bytes, to: url)
                do {
                    let reader = try BlockReader(directory: copy)
                    defer { reader.close() }
                    _ = try selectAll(reader)
                    _ = try reader.labelNames(matchers: [], minTime: .min, maxTime: .max)
                    let any = try LabelMatcher(.regexMatch, "__name__", ".+")
                    _ = try reader.labelValues(name: "__name__", matchers: [any], minTime: .min, maxTime: .max)
                } catch {
                    #expect(error is TSDBError, "\(error)")
                    failures += 1
                }
            }
            return (failures, damaged.count)
        }
    }

    static func flips(_ original: [UInt8]) -> [[UInt8]] {
        (0..<original.count).map { i in
            var b = original
            b[i] ^= 0x5A
            return b
        }
    }

    static func truncations(_ original: [UInt8]) -> [[UInt8]] {
        (0..<original.count).map { Array(original.prefix($0)) }
    }

    @Test("every single-byte flip and truncation of index, chunks and tombstones is survived, never trapped")
    func exhaustive() throws {
        // The 227-byte index: every byte is under a CRC except padding and the unread label index tables.
        let flipped = try Self.survive(BlockFixtures.negBlock, "index", Self.flips)
        #expect(flipped.failed > flipped.total * 3 / 4)
        let cut = try Self.survive(BlockFixtures.negBlock, "index", Self.truncations)
        #expect(cut.failed == cut.total)
        // Chunk file and tombstones: every byte matters (the chunk's length, data and CRC; magic, version, CRC).
        let chunkFlips = try Self.survive(BlockFixtures.negBlock, "chunks/000001", Self.flips)
        #expect(chunkFlips.failed == chunkFlips.total - 3)  // the 3 zero bytes after the version are unused
        let chunkCuts = try Self.survive(BlockFixtures.negBlock, "chunks/000001", Self.truncations)
        #expect(chunkCuts.failed == chunkCuts.total)
        let stones = try Self.survive(BlockFixtures.negBlock, "tombstones", { Self.flips($0) + Self.truncations($0) })
        #expect(stones.failed == stones.total)
        // A bigger index, every byte flipped.
        let big = try Self.survive(BlockFixtures.mainBlock, "index", Self.flips)
        #expect(big.failed > big.total / 2)
    }
}
