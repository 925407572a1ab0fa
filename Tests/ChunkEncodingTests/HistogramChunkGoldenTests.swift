// Golden bytes for histogram (encoding 2) and float-histogram (encoding 3) chunks: our encoders must
// write exactly what Prometheus's tsdb/chunkenc writes (HistogramGoldenCases), and our decoders must
// read those bytes back.

import ChunkEncoding
import MetricModel
import Testing

/// Appends like main.go does: a new chunk whenever the appender asks for one (no size cutting).
func appendAll<Chunk>(
    _ samples: [(Int64, Chunk.Sample)], start: Chunk, append: (inout Chunk, Int64, Chunk.Sample) -> HistogramAppendResult<Chunk>
) -> [Chunk] where Chunk: GoldenChunk {
    var chunks: [Chunk] = []
    var chunk = start
    for (t, h) in samples {
        if case .newChunk(let next) = append(&chunk, t, h) {
            chunks.append(chunk)
            chunk = next
        }
    }
    chunks.append(chunk)
    return chunks
}

protocol GoldenChunk: Sendable {
    associatedtype Sample
    var bytes: [UInt8] { get }
}

extension HistogramChunk: GoldenChunk { typealias Sample = Histogram }
extension FloatHistogramChunk: GoldenChunk { typealias Sample = FloatHistogram }

@Suite struct HistogramChunkGoldenTests {
    @Test(arguments: HistogramGoldenCases.intCases.map(\.name))
    func integerChunksMatchPrometheus(name: String) throws {
        let golden = try #require(HistogramGoldenCases.intCases.first { $0.name == name })
        let chunks = appendAll(golden.samples, start: HistogramChunk()) { $0.append($1, $2) }
        #expect(chunks.map(\.bytes.hex) == golden.golden)
    }

    @Test(arguments: HistogramGoldenCases.floatCases.map(\.name))
    func floatChunksMatchPrometheus(name: String) throws {
        let golden = try #require(HistogramGoldenCases.floatCases.first { $0.name == name })
        let chunks = appendAll(golden.samples, start: FloatHistogramChunk()) { $0.append($1, $2) }
        #expect(chunks.map(\.bytes.hex) == golden.golden)
    }

    /// Reading Prometheus's bytes gives back every sample: stale markers as stale markers, the rest
    /// with the same counts (recoded samples have extra empty buckets, which change nothing).
    @Test(arguments: HistogramGoldenCases.intCases.map(\.name))
    func integerGoldenBytesDecode(name: String) throws {
        let golden = try #require(HistogramGoldenCases.intCases.first { $0.name == name })
        var decoded: [(Int64, FloatHistogram)] = []
        for hex in golden.golden {
            var it = HistogramIterator([UInt8](hex: hex))
            while it.next() { decoded.append((it.timestamp, it.floatHistogram)) }
            #expect(it.error == nil)
        }
        expectSameSamples(decoded, HistogramGoldenCases.float(golden.samples))
    }

    @Test(arguments: HistogramGoldenCases.floatCases.map(\.name))
    func floatGoldenBytesDecode(name: String) throws {
        let golden = try #require(HistogramGoldenCases.floatCases.first { $0.name == name })
        var decoded: [(Int64, FloatHistogram)] = []
        for hex in golden.golden {
            var it = FloatHistogramIterator([UInt8](hex: hex))
            while it.next() { decoded.append((it.timestamp, it.floatHistogram)) }
            #expect(it.error == nil)
        }
        expectSameSamples(decoded, golden.samples)
    }

    private func expectSameSamples(_ decoded: [(Int64, FloatHistogram)], _ wanted: [(Int64, FloatHistogram)]) {
        #expect(decoded.map(\.0) == wanted.map(\.0))
        for ((_, got), (_, want)) in zip(decoded, wanted) {
            if StaleNaN.isStale(want.sum) {
                #expect(StaleNaN.isStale(got.sum) && got.positiveBuckets.isEmpty)
            } else {
                #expect(sameCounts(got, want), "\(got) vs \(want)")
            }
        }
    }

    /// Golden headers, as Prometheus sets them: what the third byte of each chunk says.
    @Test func countResetHeadersOfGoldenChunks() throws {
        func headers(_ hexes: [String]) -> [CounterResetHeader] {
            hexes.map { CounterResetHeader(chunkByte: [UInt8](hex: $0)[2]) }
        }
        let reset = try #require(HistogramGoldenCases.intCases.first { $0.name == "int-reset" })
        #expect(headers(reset.golden) == [.unknown, .counterReset, .unknown, .unknown, .counterReset])
        let floatReset = try #require(HistogramGoldenCases.floatCases.first { $0.name == "float-reset" })
        #expect(headers(floatReset.golden) == [.unknown, .counterReset, .unknown, .unknown])
        let gauge = try #require(HistogramGoldenCases.intCases.first { $0.name == "int-gauge" })
        #expect(headers(gauge.golden) == [.gauge, .notCounterReset])
        let floatGauge = try #require(HistogramGoldenCases.floatCases.first { $0.name == "float-gauge" })
        #expect(headers(floatGauge.golden) == [.gauge, .unknown])
    }
}

/// Whether two float histograms have the same count, sum, zero bucket and the same non-zero
/// buckets at the same indexes (recoding adds empty buckets; they do not change the histogram).
func sameCounts(_ a: FloatHistogram, _ b: FloatHistogram) -> Bool {
    func buckets(_ spans: [BucketSpan], _ counts: [Double]) -> [Int: Double] {
        var out: [Int: Double] = [:]
        var iterator = BucketIndexWalk(spans)
        for count in counts {
            guard let index = iterator.next() else { break }
            if count != 0 { out[index] = count }
        }
        return out
    }
    return a.schema == b.schema && a.count == b.count && a.sum.bitPattern == b.sum.bitPattern
        && a.zeroCount == b.zeroCount && a.zeroThreshold == b.zeroThreshold && a.customValues == b.customValues
        && buckets(a.positiveSpans, a.positiveBuckets) == buckets(b.positiveSpans, b.positiveBuckets)
        && buckets(a.negativeSpans, a.negativeBuckets) == buckets(b.negativeSpans, b.negativeBuckets)
}

/// Bucket indexes described by spans (test-side, independent of the code under test).
struct BucketIndexWalk {
    var indexes: [Int] = []
    var position = 0
    init(_ spans: [BucketSpan]) {
        var index = 0
        for span in spans {
            index += Int(span.offset)
            for _ in 0..<span.length {
                indexes.append(index)
                index += 1
            }
        }
    }
    mutating func next() -> Int? {
        guard position < indexes.count else { return nil }
        defer { position += 1 }
        return indexes[position]
    }
}
