// ULID text form and ordering; meta.json decoding and Go-exact encoding (spec/tsdb-format.md §1.3).

import Foundation
import TSDB
import MetricModel
import Testing

@Suite("ULID and BlockMeta")
struct BlockMetaTests {
    @Test("a ULID written by Prometheus parses, with its timestamp, and prints back")
    func parsesKnown() throws {
        let ulid = try #require(ULID("01M8C60Z0X7V1TMCCE0KCHVS4J"))
        #expect(ulid.timestampMs == 1_795_705_306_141)
        #expect(ulid.string == "01M8C60Z0X7V1TMCCE0KCHVS4J")
        #expect(ulid.description == ulid.string)
        #expect(ULID("01m8c60z0x7v1tmcce0kchvs4j") == ulid)  // oklog/ulid accepts lowercase
        #expect(ULID("7ZZZZZZZZZZZZZZZZZZZZZZZZZ")?.string == "7ZZZZZZZZZZZZZZZZZZZZZZZZZ")
        #expect(ULID("00000000000000000000000000") == ULID.zero)
    }

    @Test(
        "strict parsing rejects wrong lengths, non-Crockford characters and overflow",
        arguments: [
            "", "01M8C60Z0X7V1TMCCE0KCHVS4", "01M8C60Z0X7V1TMCCE0KCHVS4JX", "01M8C60Z0X7V1TMCCE0KCHVS4I",
            "01M8C60Z0X7V1TMCCE0KCHVS4L", "01M8C60Z0X7V1TMCCE0KCHVS4O", "01M8C60Z0X7V1TMCCE0KCHVS4U",
            "8ZZZZZZZZZZZZZZZZZZZZZZZZZ", "01M8C60Z0X7V1TMCCE0KCHVS4é", "01M8C60Z0X7V1TMCCE0KCHVS4-",
            "01M8C60Z0X7V1TMCCE0KCHVS4J.tmp-for-creation",
        ]
    )
    func rejects(_ text: String) {
        #expect(ULID(text) == nil)
    }

    @Test("generated ULIDs keep the timestamp, round-trip as text, and order like their text")
    func generated() throws {
        var rng = SeededGenerator(seed: 99)
        var ulids: [ULID] = []
        for i in 0..<200 {
            let ms = Int64(i % 7) * 1_000_000_000 + Int64(i)
            let ulid = ULID(timestampMs: ms, using: &rng)
            #expect(ulid.timestampMs == ms)
            #expect(ULID(ulid.string) == ulid)
            ulids.append(ulid)
        }
        #expect(Set(ulids).count == ulids.count)
        #expect(ulids.sorted().map(\.string) == ulids.map(\.string).sorted())
        // The by-value initializer does not advance the caller's generator.
        let fixed = SeededGenerator(seed: 5)
        #expect(ULID(timestampMs: 1, random: fixed) == ULID(timestampMs: 1, random: fixed))
    }

    @Test("meta.json of every fixture block decodes and encodes back to the same bytes", arguments: BlockFixtures.allBlocks)
    func fixtureMeta(_ block: URL) throws {
        let bytes = try blockFileBytes(block.appendingPathComponent("meta.json"))
        let meta = try JSONDecoder().decode(BlockMeta.self, from: Data(bytes))
        #expect(meta.ulid.string == block.lastPathComponent)
        #expect(meta.encoded() == bytes)
        // Codable's own encoding (key order aside) decodes to the same value.
        #expect(try JSONDecoder().decode(BlockMeta.self, from: JSONEncoder().encode(meta)) == meta)
    }

    @Test("encoded() with every optional member matches Go's MarshalIndent, escapes included")
    func allMembers() throws {
        let a = try #require(ULID("01M8C5RMQ2QTN16PCMVBD109C2"))
        let b = try #require(ULID("01M8C60Z0X7V1TMCCE0KCHVS4J"))
        let meta = BlockMeta(
            ulid: b, minTime: 0, maxTime: 7_200_000, stats: BlockMeta.Stats(numSamples: 1, numTombstones: 2),
            compaction: BlockMeta.Compaction(
                level: 2, sources: [a, b], parents: [BlockMeta.BlockDesc(ulid: a, minTime: -5, maxTime: 10)],
                deletable: true, failed: true, hints: ["from-out-of-order", "<&>\"\\\n"]
            )
        )
        let expected = """
            {
            \t"ulid": "01M8C60Z0X7V1TMCCE0KCHVS4J",
            \t"minTime": 0,
            \t"maxTime": 7200000,
            \t"stats": {
            \t\t"numSamples": 1,
            \t\t"numTombstones": 2
            \t},
            \t"compaction": {
            \t\t"level": 2,
            \t\t"sources": [
            \t\t\t"01M8C5RMQ2QTN16PCMVBD109C2",
            \t\t\t"01M8C60Z0X7V1TMCCE0KCHVS4J"
            \t\t],
            \t\t"deletable": true,
            \t\t"parents": [
            \t\t\t{
            \t\t\t\t"ulid": "01M8C5RMQ2QTN16PCMVBD109C2",
            \t\t\t\t"minTime": -5,
            \t\t\t\t"maxTime": 10
            \t\t\t}
            \t\t],
            \t\t"failed": true,
            \t\t"hints": [
            \t\t\t"from-out-of-order",
            \t\t\t"\\u003c\\u0026\\u003e\\"\\\\\\n"
            \t\t]
            \t},
            \t"version": 1
            }
            """
        #expect(String(decoding: meta.encoded(), as: UTF8.self) == expected)
        #expect(try JSONDecoder().decode(BlockMeta.self, from: Data(meta.encoded())) == meta)
    }

    @Test("decoding ignores unknown keys (3.6+ stats) and treats missing ones as zero, like Go")
    func lenientDecoding() throws {
        let json = """
            {"ulid":"01M8C60Z0X7V1TMCCE0KCHVS4J","minTime":1,"maxTime":2,
             "stats":{"numSamples":3,"numFloatSamples":3},"compaction":{"level":1},"version":1,"extra":[1]}
            """
        let meta = try JSONDecoder().decode(BlockMeta.self, from: Data(json.utf8))
        #expect(meta.stats == BlockMeta.Stats(numSamples: 3))
        #expect(meta.compaction == BlockMeta.Compaction(level: 1, sources: []))
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(BlockMeta.self, from: Data(#"{"ulid":"not-a-ulid","version":1}"#.utf8))
        }
    }
}
