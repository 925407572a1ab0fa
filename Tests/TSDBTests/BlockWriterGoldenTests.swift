// BlockWriter golden tests: re-writing each Prometheus 2.42 fixture block gives the same bytes.

import Foundation
import MetricModel
import TSDB
import Testing

@Suite("BlockWriter: byte-identical with Prometheus 2.42")
struct BlockWriterGoldenTests {
    /// Reads `fixture` and writes its series again with the same ULID, range and compaction level.
    static func rewrite(_ fixture: URL, into parent: URL) throws -> (meta: BlockMeta, directory: URL) {
        let original = try BlockReader(directory: fixture)
        defer { original.close() }
        let series = try selectAll(original)
        let meta = try BlockWriter.write(
            series: series, minTime: original.meta.minTime, maxTime: original.meta.maxTime, into: parent,
            ulid: original.meta.ulid, level: original.meta.compaction.level, sources: original.meta.compaction.sources
        )
        return (meta, parent.appendingPathComponent(original.meta.ulid.string))
    }

    @Test("index, chunks/000001 and tombstones are byte-identical; meta.json equal", arguments: BlockFixtures.allBlocks)
    func identical(_ fixture: URL) throws {
        try withBlockTempDir { parent in
            let (meta, written) = try Self.rewrite(fixture, into: parent)
            for file in ["index", "chunks/000001", "tombstones"] {
                let expected = try blockFileBytes(fixture.appendingPathComponent(file))
                let actual = try blockFileBytes(written.appendingPathComponent(file))
                #expect(actual.count == expected.count, "\(file)")
                let firstDifference = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                #expect(firstDifference == nil, "\(file) differs first at byte \(firstDifference ?? -1)")
            }
            let chunkFiles = try FileManager.default.contentsOfDirectory(atPath: written.appendingPathComponent("chunks").path)
            #expect(chunkFiles == ["000001"])

            // meta.json: equal as JSON, and (since encoded() mirrors Go's MarshalIndent) equal as bytes.
            let expectedMeta = try blockFileBytes(fixture.appendingPathComponent("meta.json"))
            let actualMeta = try blockFileBytes(written.appendingPathComponent("meta.json"))
            let a = try JSONSerialization.jsonObject(with: Data(expectedMeta)) as? NSDictionary
            let b = try JSONSerialization.jsonObject(with: Data(actualMeta)) as? NSDictionary
            #expect(a != nil && a == b)
            #expect(actualMeta == expectedMeta)
            let original = try BlockReader(directory: fixture)
            defer { original.close() }
            #expect(meta == original.meta)
        }
    }

    @Test("the rewritten block reads back the same series and samples")
    func readsBack() throws {
        try withBlockTempDir { parent in
            let (_, written) = try Self.rewrite(BlockFixtures.serverBlock, into: parent)
            let original = try BlockReader(directory: BlockFixtures.serverBlock)
            defer { original.close() }
            let copy = try BlockReader(directory: written)
            defer { copy.close() }
            #expect(try blockSamples(try selectAll(copy)) == blockSamples(try selectAll(original)))
            #expect(try copy.symbols() == original.symbols())
        }
    }

    /// Spec §4.9, byte by byte: the 227-byte index of `neg_test{}` with one chunk. Erratum: the spec
    /// prints the postings offset table's CRC as `64 53 16 4d`; the file Prometheus wrote (and the CRC
    /// of the table) has `53 16 4d 2b` — the `64` there is the entry's offset repeated.
    static let negTestIndexHex = """
        baaad700 02
        00000017 00000003 00 08 5f5f6e616d655f5f 08 6e65675f74657374 311844a8
        000000000000000000000000
        0b 010102 01 fff3ee06 d00f 08 ce5c0b4d
        0000000c 00000001 00000001 00000002 06747c4e
        00000008 00000001 00000003 a7692ed2
        00000008 00000001 00000003 a7692ed2
        0000000f 00000001 01 08 5f5f6e616d655f5f 40 2065d8aa
        0000001c 00000002 02 00 00 54 02 08 5f5f6e616d655f5f 08 6e65675f74657374 64 53164d2b
        0000000000000005 0000000000000024 0000000000000040
        0000000000000074 0000000000000054 000000000000008b 4eaaf590
        """

    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.filter(\.isHexDigit))
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    @Test("writing neg_test from scratch gives spec §4.9's index and §9 V6's chunk file")
    func negTestFromSpec() throws {
        let data = Self.hex("0003 fff3ee06 4045000000000000 e807 00")
        let series = [
            SeriesData(
                labels: Labels(["__name__": "neg_test"]),
                chunks: [ChunkData(minTime: -7_200_000, maxTime: -7_198_000, encoding: 1, bytes: data)]
            )
        ]
        try withBlockTempDir { parent in
            let ulid = try #require(ULID("01M8C5V6M8376SVPYT35MXQVPH"))
            _ = try BlockWriter.write(series: series, minTime: -7_200_000, maxTime: -7_197_999, into: parent, ulid: ulid)
            let block = parent.appendingPathComponent(ulid.string)
            let index = try blockFileBytes(block.appendingPathComponent("index"))
            #expect(index.count == 227)
            #expect(index == Self.hex(Self.negTestIndexHex))
            let chunks = try blockFileBytes(block.appendingPathComponent("chunks/000001"))
            #expect(chunks == Self.hex("85bd40dd 01 000000 11 01") + data + Self.hex("c4b3cd45"))
        }
    }
}
