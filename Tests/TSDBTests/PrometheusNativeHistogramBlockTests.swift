// Reading a block with native histograms that Prometheus 2.42 wrote (Tests/Fixtures/prometheus-2.42-nh):
// the chunk encodings and counter-reset headers it wrote, its meta.json counts, and the samples
// against what Prometheus itself printed (promtool's dump for floats, its API for histograms).

import ChunkEncoding
import Foundation
import MetricModel
import TSDB
import Testing

@Suite struct PrometheusNativeHistogramBlockTests {
    static let fixture = BlockFixtures.root.deletingLastPathComponent().appendingPathComponent("prometheus-2.42-nh")
    static let block = fixture.appendingPathComponent("01M8FDRCSDFNP1SZ7GGVSJBC6D")
    /// The series the exporter serves as native histograms (README).
    static let histogramNames: Set<String> = [
        "nh_request_duration_seconds", "nh_reset_seconds", "nh_schema_change_seconds", "nh_queue_size",
    ]

    /// One decoded histogram chunk: its header and its samples.
    struct DecodedChunk {
        var header: CounterResetHeader
        var samples: [(t: Int64, h: Histogram)]
    }

    static func decode(_ chunk: ChunkData) throws -> DecodedChunk {
        var iterator = HistogramIterator(chunk.bytes)
        var samples: [(t: Int64, h: Histogram)] = []
        while iterator.next() { samples.append((iterator.timestamp, iterator.histogram)) }
        if let error = iterator.error { throw error }
        #expect(samples.count == iterator.sampleCount)
        return DecodedChunk(header: iterator.counterResetHeader, samples: samples)
    }

    /// The sum of the absolute counts of delta-encoded buckets.
    static func total(_ deltas: [Int64]) -> Int64 {
        var count: Int64 = 0
        var sum: Int64 = 0
        for delta in deltas {
            count += delta
            sum += count
        }
        return sum
    }

    static func withBlock<T>(_ body: (BlockReader, [SeriesData]) throws -> T) throws -> T {
        let reader = try BlockReader(directory: block)
        defer { reader.close() }
        return try body(reader, try selectAll(reader))
    }

    @Test func countsMatchMetaAndHistogramSeriesHaveOnlyHistogramChunks() throws {
        try Self.withBlock { reader, series in
            #expect(reader.meta.stats.numSeries == 19)
            #expect(reader.meta.minTime == 1_795_813_987_201 && reader.meta.maxTime == 1_795_814_040_000)
            #expect(reader.warnings.isEmpty)
            #expect(UInt64(series.count) == reader.meta.stats.numSeries)
            #expect(UInt64(try reader.seriesCount()) == reader.meta.stats.numSeries)
            #expect(UInt64(series.reduce(0) { $0 + $1.chunks.count }) == reader.meta.stats.numChunks)
            var samples = 0
            var histogramSeries = 0
            for s in series {
                let isHistogram = Self.histogramNames.contains(s.labels.metricName ?? "")
                if isHistogram { histogramSeries += 1 }
                for chunk in s.chunks {
                    #expect(chunk.encoding == (isHistogram ? HistogramChunk.encoding : XORChunk.encoding), "\(s.labels)")
                    if isHistogram {
                        let decoded = try Self.decode(chunk)
                        samples += decoded.samples.count
                        #expect(decoded.samples.first?.t == chunk.minTime && decoded.samples.last?.t == chunk.maxTime, "\(s.labels)")
                    } else {
                        samples += blockChunkSampleCount(chunk)
                    }
                }
            }
            #expect(histogramSeries == 5)
            #expect(UInt64(samples) == reader.meta.stats.numSamples)
        }
    }

    /// 2.42's head sets the header when it cuts a histogram chunk (`memSeries.appendHistogram`):
    /// GaugeType for gauge histograms, CounterReset after a detected reset, Unknown for the first
    /// chunk and after a schema change (not appendable, no reset).
    @Test func counterResetHeadersAndLayouts() throws {
        try Self.withBlock { _, series in
            func chunks(_ name: String) throws -> [DecodedChunk] {
                let s = try #require(series.first { $0.labels.metricName == name })
                return try s.chunks.map(Self.decode)
            }
            let gauge = try chunks("nh_queue_size")
            #expect(!gauge.isEmpty && gauge.allSatisfy { $0.header == .gauge })

            // Resets at k = 25 and 50: three chunks, the later two starting with a reset.
            let reset = try chunks("nh_reset_seconds")
            #expect(reset.map(\.header) == [.unknown, .counterReset, .counterReset])
            for chunk in reset.dropFirst() {
                #expect(chunk.samples.first.map { $0.h.count < 10 } == true)
            }

            // Schema 3, reduced to 1 at k % 25 == 12, a reset back to 3 at k % 25 == 0.
            let schemaChange = try chunks("nh_schema_change_seconds")
            #expect(schemaChange.map(\.header) == [.unknown, .unknown, .counterReset, .unknown, .counterReset])
            #expect(schemaChange.map { $0.samples.first?.h.schema } == [3, 1, 3, 1, 3])
            for chunk in schemaChange {
                #expect(chunk.samples.allSatisfy { $0.h.schema == chunk.samples.first?.h.schema })
            }

            // Positive, negative and zero-bucket counts; buckets that appeared mid-chunk were recoded in.
            for s in series where s.labels.metricName == "nh_request_duration_seconds" {
                let lastChunk = try #require(s.chunks.last)
                let last = try #require(try Self.decode(lastChunk).samples.last?.h)
                #expect(last.schema == 3 && last.zeroThreshold == 0.001)
                #expect(last.zeroCount > 0 && !last.negativeBuckets.isEmpty && !last.positiveBuckets.isEmpty)
                let buckets = Self.total(last.positiveBuckets) + Self.total(last.negativeBuckets)
                #expect(UInt64(buckets) + last.zeroCount == last.count, "\(s.labels)")
            }
        }
    }

    /// promtool 2.42's dump of the block prints its float series (it leaves histograms out).
    @Test func floatSamplesEqualPromtoolDump() throws {
        let text = try String(contentsOf: Self.fixture.appendingPathComponent("golden/promtool-dump.txt"), encoding: .utf8)
        var printed: [String: [Sample]] = [:]
        for line in text.split(separator: "\n") {
            let close = try #require(line.range(of: "} ", options: .backwards), "\(line)")
            let fields = line[close.upperBound...].split(separator: " ")
            try #require(fields.count == 2)
            let t = try #require(Int64(fields[1]))
            let v = try #require(Double(String(fields[0])))
            printed[String(line[...close.lowerBound]), default: []].append(Sample(t, v))
        }
        try Self.withBlock { _, series in
            let floats = try blockSamples(series.filter { !Self.histogramNames.contains($0.labels.metricName ?? "") })
            #expect(floats.count == 14 && printed.count == 14)
            for (labels, samples) in floats {
                let got = printed[labels.description] ?? []
                #expect(got.count == samples.count && got.count == 53, "\(labels)")
                #expect(zip(got, samples).allSatisfy { $0.timestamp == $1.timestamp && $0.value.bitPattern == $1.value.bitPattern }, "\(labels)")
            }
        }
    }

    /// Prometheus's answer to a raw histogram selector (a range query at 5 s steps over the block:
    /// nh_reset_seconds, nh_schema_change_seconds, nh_queue_size) names, at each step, the newest
    /// sample at or before it: its count and sum must be the decoded sample's.
    @Test(arguments: ["06.json", "09.json", "12.json"])
    func histogramSamplesEqualPrometheusRangeAnswer(golden: String) throws {
        let data = try Data(contentsOf: Self.fixture.appendingPathComponent("golden/\(golden)"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let result = try #require((json["data"] as? [String: Any])?["result"] as? [[String: Any]])
        try #require(result.count == 1)
        let name = try #require((result[0]["metric"] as? [String: String])?["__name__"])
        let points = try #require(result[0]["histograms"] as? [[Any]])
        #expect(points.count == 11)
        try Self.withBlock { _, series in
            let s = try #require(series.first { $0.labels.metricName == name })
            let samples = try s.chunks.flatMap { try Self.decode($0).samples }
            for point in points {
                let stepSeconds = try #require(point[0] as? Double)
                let stepMs = Int64((stepSeconds * 1000).rounded())
                let values = try #require(point[1] as? [String: Any])
                let count = try #require((values["count"] as? String).flatMap(Double.init))
                let sum = try #require((values["sum"] as? String).flatMap(Double.init))
                let sample = try #require(samples.last { $0.t <= stepMs }, "\(name) @ \(stepMs)")
                #expect(Double(sample.h.count) == count, "\(name) @ \(stepMs)")
                #expect(sample.h.sum == sum, "\(name) @ \(stepMs)")
            }
        }
    }
}
