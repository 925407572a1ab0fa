// BlockReader against blocks written by Prometheus 2.42: meta, counts, samples, selection, labels.

import ChunkEncoding
import Foundation
import MetricModel
import TSDB
import Testing

@Suite("BlockReader: Prometheus 2.42 fixture blocks")
struct BlockReaderTests {
    @Test("all four fixture blocks open and their meta.json fields parse", arguments: BlockFixtures.allBlocks)
    func opens(_ directory: URL) throws {
        let block = try BlockReader(directory: directory)
        defer { block.close() }
        #expect(block.meta.ulid.string == directory.lastPathComponent)
        #expect(block.meta.version == 1)
        #expect(block.meta.compaction.level == 1)
        #expect(block.meta.compaction.sources == [block.meta.ulid])
        #expect(block.meta.compaction.parents == nil)
        #expect(block.indexVersion == 2)
        #expect(block.tombstones.isEmpty)
        #expect(block.warnings.isEmpty)
        #expect(block.chunkSegmentCount == 1)

        // The stats Prometheus wrote match what the block holds.
        let series = try selectAll(block)
        #expect(UInt64(series.count) == block.meta.stats.numSeries)
        #expect(UInt64(try block.seriesCount()) == block.meta.stats.numSeries)
        #expect(UInt64(series.reduce(0) { $0 + $1.chunks.count }) == block.meta.stats.numChunks)
        let samples = series.reduce(0) { $0 + $1.chunks.reduce(0) { $0 + blockChunkSampleCount($1) } }
        #expect(UInt64(samples) == block.meta.stats.numSamples)
        // Every chunk lies in [minTime, maxTime) and series come back in label order.
        for s in series {
            for c in s.chunks { #expect(c.minTime >= block.meta.minTime && c.maxTime < block.meta.maxTime) }
        }
        #expect(zip(series, series.dropFirst()).allSatisfy { $0.labels < $1.labels })
    }

    @Test("server block: 336 series, 1008 chunks, 147802 samples (spec §0), decoded sample by sample")
    func serverCounts() throws {
        let block = try BlockReader(directory: BlockFixtures.serverBlock)
        defer { block.close() }
        #expect(block.meta.minTime == 1_795_705_216_035)
        #expect(block.meta.maxTime == 1_795_705_260_000)
        #expect(block.meta.stats == BlockMeta.Stats(numSamples: 147_802, numSeries: 336, numChunks: 1008))
        let series = try selectAll(block)
        #expect(series.count == 336)
        #expect(series.reduce(0) { $0 + $1.chunks.count } == 1008)
        let samples = try blockSamples(series)
        #expect(samples.values.reduce(0) { $0 + $1.count } == 147_802)
        for (_, list) in samples {
            #expect(zip(list, list.dropFirst()).allSatisfy { $0.timestamp < $1.timestamp })
        }
        // promtool tsdb analyze: 22 label names, 316 label pairs.
        let names = try block.labelNames(matchers: [], minTime: .min, maxTime: .max)
        #expect(names.count == 22)
        #expect(names.contains("__name__") && names.contains("job") && names.contains("instance"))
        #expect(try block.postingsKeys().count == 316 + 1)
        #expect(try block.labelValues(name: "job", matchers: [], minTime: .min, maxTime: .max) == ["self"])
        #expect(try block.labelValues(name: "instance", matchers: [], minTime: .min, maxTime: .max) == ["127.0.0.1:19091"])
    }

    @Test("promtool block samples equal input.om line by line")
    func mainBlockMatchesInput() throws {
        let expected = try BlockOpenMetrics.parse(BlockFixtures.promtool.appendingPathComponent("input.om"))
        let block = try BlockReader(directory: BlockFixtures.mainBlock)
        defer { block.close() }
        let actual = try blockSamples(try selectAll(block))
        #expect(Set(actual.keys) == Set(expected.keys))
        for (labels, samples) in expected {
            #expect(actual[labels] == samples, "\(labels)")
        }
        let long = try #require(actual[Labels(["__name__": "long_test_total", "instance": "h1", "job": "j"])])
        #expect(long.count == 480)
        let val = try #require(actual[Labels([("__name__", "val_test"), ("case", "xor")])])
        #expect(val[6].value.bitPattern == StaleNaN.normalNaNBits)
        #expect(val[16].value.bitPattern == (-0.0).bitPattern)
    }

    @Test("input2.om: clamp_test and neg_test blocks together equal the input")
    func secondInput() throws {
        let expected = try BlockOpenMetrics.parse(BlockFixtures.promtool.appendingPathComponent("input2.om"))
        var actual: [Labels: [Sample]] = [:]
        for directory in [BlockFixtures.clampBlock, BlockFixtures.negBlock] {
            let block = try BlockReader(directory: directory)
            defer { block.close() }
            actual.merge(try blockSamples(try selectAll(block))) { $0 + $1 }
        }
        #expect(actual == expected)
    }

    @Test("sym_test label values come back in bytewise order")
    func symbolOrder() throws {
        let block = try BlockReader(directory: BlockFixtures.mainBlock)
        defer { block.close() }
        let values = try block.labelValues(name: "k", matchers: [], minTime: .min, maxTime: .max)
        #expect(values == ["B", "Z", "a", "a b", "aa", "z", "é"])
        let symbols = try block.symbols()
        #expect(symbols.first == "")
        #expect(zip(symbols, symbols.dropFirst()).allSatisfy { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(try block.labelNames(matchers: [], minTime: .min, maxTime: .max) == ["__name__", "case", "instance", "job", "k", "zz"])
    }

    @Test("neg_test's 227-byte index decodes exactly as annotated in spec §4.9")
    func negTestIndex() throws {
        let block = try BlockReader(directory: BlockFixtures.negBlock)
        defer { block.close() }
        #expect(try blockFileBytes(BlockFixtures.negBlock.appendingPathComponent("index")).count == 227)
        #expect(
            block.indexTOC
                == IndexTOC(symbols: 5, series: 0x24, labelIndices: 0x40, labelOffsetTable: 0x74, postings: 0x54, postingsOffsetTable: 0x8b)
        )
        #expect(try block.symbols() == ["", "__name__", "neg_test"])
        #expect(try block.postingsKeys().map { "\($0.name)=\($0.value)" } == ["=", "__name__=neg_test"])
        #expect(try block.seriesIDs(matching: []) == [3])  // entry at 0x30 / 16
        let (labels, chunks) = try block.series(id: 3)
        #expect(labels == Labels(["__name__": "neg_test"]))
        #expect(chunks == [BlockChunkMeta(minTime: -7_200_000, maxTime: -7_198_000, ref: 8)])
        let (encoding, bytes) = try block.chunk(ref: 8)
        #expect(encoding == 1)
        #expect(bytes == [0x00, 0x03, 0xff, 0xf3, 0xee, 0x06, 0x40, 0x45, 0, 0, 0, 0, 0, 0, 0xe8, 0x07, 0x00])
        let samples = try blockSamples(try selectAll(block))
        #expect(samples[labels] == [Sample(-7_200_000, 42), Sample(-7_199_000, 42), Sample(-7_198_000, 42)])
    }

    @Test("time ranges: chunks overlapping the range only; ranges outside the block select nothing")
    func timeRanges() throws {
        let block = try BlockReader(directory: BlockFixtures.mainBlock)
        defer { block.close() }
        let long = [try LabelMatcher(.equal, "__name__", "long_test_total")]
        let all = try block.select(matchers: long, minTime: .min, maxTime: .max, sorted: true)
        let chunks = try #require(all.first?.chunks)
        #expect(chunks.count == 4)
        // A range inside the second chunk returns exactly that chunk.
        let middle = try block.select(matchers: long, minTime: chunks[1].minTime + 1, maxTime: chunks[1].maxTime - 1, sorted: true)
        #expect(middle.first?.chunks.map(\.minTime) == [chunks[1].minTime])
        // Touching the boundary between chunk 1 and 2 (inclusive bounds).
        let edge = try block.select(matchers: long, minTime: chunks[1].maxTime, maxTime: chunks[2].minTime, sorted: true)
        #expect(edge.first?.chunks.count == 2)
        #expect(try block.select(matchers: long, minTime: block.meta.maxTime, maxTime: .max, sorted: true).isEmpty)
        #expect(try block.select(matchers: long, minTime: .min, maxTime: block.meta.minTime - 1, sorted: true).isEmpty)
        #expect(try block.labelNames(matchers: [], minTime: block.meta.maxTime, maxTime: .max).isEmpty)
        // A range holding only sym_test's sample (t = 1699999205000) narrows names and values.
        let t: Int64 = 1_699_999_205_000
        let names = try block.labelNames(matchers: [], minTime: t, maxTime: t)
        #expect(names == ["__name__", "case", "instance", "job", "k", "zz"])  // dod/val/long chunks span t too
        let late: Int64 = 1_700_006_000_000
        #expect(try block.labelValues(name: "__name__", matchers: [], minTime: late, maxTime: late + 1) == ["long_test_total"])
    }
}
