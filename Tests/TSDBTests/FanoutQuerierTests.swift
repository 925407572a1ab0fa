// FanoutQuerier: merging series across sources, de-duplicating overlapping samples.

import ChunkEncoding
import MetricModel
import Testing
import TSDB

/// A querier over fixed series, for tests.
struct StaticQuerier: Querier {
    let series: [SeriesData]

    func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData] {
        series.filter { s in matchers.allSatisfy { $0.matches(s.labels[$0.name] ?? "") } }
            .map { SeriesData(labels: $0.labels, chunks: $0.chunks.filter { $0.maxTime >= minTime && $0.minTime <= maxTime }) }
            .filter { !$0.chunks.isEmpty }
    }

    func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        Array(Set(series.flatMap { $0.labels.pairs.map(\.name) })).sorted()
    }

    func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        Array(Set(series.compactMap { $0.labels[name] })).sorted()
    }
}

func chunk(_ samples: [(Int64, Double)]) -> ChunkData {
    var c = XORChunk()
    for (t, v) in samples { c.append(t, v) }
    return c.chunkData
}

func samples(of series: SeriesData) -> [Sample] {
    var iterator = SeriesSampleIterator(series.chunks)
    var out: [Sample] = []
    while iterator.next() { out.append(Sample(iterator.timestamp, iterator.value)) }
    return out
}

@Suite struct FanoutQuerierTests {
    let a = Labels(["__name__": "m", "s": "a"])
    let b = Labels(["__name__": "m", "s": "b"])
    var all: [LabelMatcher] { [try! LabelMatcher(.equal, "__name__", "m")] }

    @Test func disjointChunksPassThroughUntouched() throws {
        let block = StaticQuerier(series: [SeriesData(labels: a, chunks: [chunk([(1, 1), (2, 2)])])])
        let head = StaticQuerier(series: [
            SeriesData(labels: a, chunks: [chunk([(3, 3)])]), SeriesData(labels: b, chunks: [chunk([(1, 9)])]),
        ])
        let result = try FanoutQuerier([block, head]).select(matchers: all, minTime: .min, maxTime: .max, sorted: true)
        #expect(result.map(\.labels) == [a, b])
        #expect(result[0].chunks.count == 2)
        #expect(samples(of: result[0]) == [Sample(1, 1), Sample(2, 2), Sample(3, 3)])
    }

    @Test func overlappingSamplesAreDeduplicatedFirstSourceWins() throws {
        let block = StaticQuerier(series: [SeriesData(labels: a, chunks: [chunk([(1, 1), (3, 3), (5, 5)])])])
        let head = StaticQuerier(series: [SeriesData(labels: a, chunks: [chunk([(3, 30), (4, 4), (6, 6)])])])
        let result = try FanoutQuerier([block, head]).select(matchers: all, minTime: .min, maxTime: .max, sorted: true)
        #expect(samples(of: result[0]) == [Sample(1, 1), Sample(3, 3), Sample(4, 4), Sample(5, 5), Sample(6, 6)])
    }

    @Test func identicalCopiesCollapse() throws {
        let data = (0..<300).map { (Int64($0) * 1000, Double($0)) }
        let chunks = stride(from: 0, to: 300, by: 120).map { chunk(Array(data[$0..<min($0 + 120, 300)])) }
        let one = StaticQuerier(series: [SeriesData(labels: a, chunks: chunks)])
        let result = try FanoutQuerier([one, one]).select(matchers: all, minTime: .min, maxTime: .max, sorted: true)
        #expect(samples(of: result[0]) == data.map { Sample($0.0, $0.1) })
        #expect(result[0].chunks.allSatisfy { XORIterator($0.bytes).sampleCount <= 120 })
    }

    @Test func labelsAreUnioned() throws {
        let x = StaticQuerier(series: [SeriesData(labels: Labels(["__name__": "m", "x": "1"]), chunks: [chunk([(1, 1)])])])
        let y = StaticQuerier(series: [SeriesData(labels: Labels(["__name__": "n", "y": "2"]), chunks: [chunk([(1, 1)])])])
        let fan = FanoutQuerier([x, y])
        #expect(try fan.labelNames(matchers: [], minTime: .min, maxTime: .max) == ["__name__", "x", "y"])
        #expect(try fan.labelValues(name: "__name__", matchers: [], minTime: .min, maxTime: .max) == ["m", "n"])
    }
}
