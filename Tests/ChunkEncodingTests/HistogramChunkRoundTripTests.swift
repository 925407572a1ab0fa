// Round trips of histogram (encoding 2) and float-histogram (encoding 3) chunks over many shapes,
// and over seeded random series.

import ChunkEncoding
import MetricModel
import Testing

/// A series of `n` integer histograms with the layout of `h`, counts growing each step.
func growing(_ h: Histogram, samples n: Int = 5, step: Int64 = 15_000) -> [(Int64, Histogram)] {
    (0..<n).map { i in
        var next = h
        let k = Int64(i)
        next.count = h.count + UInt64(i) * 3
        next.zeroCount = h.zeroCount + UInt64(i)
        next.sum = h.sum + Double(i) * 1.25
        next.positiveBuckets = h.positiveBuckets.enumerated().map { j, d in j == 0 ? d + k : d }
        next.negativeBuckets = h.negativeBuckets.enumerated().map { j, d in j == 0 ? d + k * 2 : d }
        return (1_700_000_000_000 + k * step + (i == 3 ? 7 : 0), next)
    }
}

func decodeAll(_ bytes: [UInt8]) -> (samples: [(Int64, Histogram)], floats: [FloatHistogram], error: DecodeError?) {
    var it = HistogramIterator(bytes)
    var samples: [(Int64, Histogram)] = []
    var floats: [FloatHistogram] = []
    while it.next() {
        samples.append((it.timestamp, it.histogram))
        floats.append(it.floatHistogram)
    }
    return (samples, floats, it.error)
}

func decodeAllFloat(_ bytes: [UInt8]) -> (samples: [(Int64, FloatHistogram)], error: DecodeError?) {
    var it = FloatHistogramIterator(bytes)
    var samples: [(Int64, FloatHistogram)] = []
    while it.next() { samples.append((it.timestamp, it.floatHistogram)) }
    return (samples, it.error)
}

@Suite struct HistogramChunkRoundTripTests {
    static let shapes: [(String, Histogram)] = [
        ("empty", Histogram()),
        ("zero bucket only", Histogram(zeroThreshold: 0x1p-128, zeroCount: 4, count: 4, sum: 0)),
        ("odd zero threshold", Histogram(zeroThreshold: 0.001, zeroCount: 1, count: 1, sum: 0.0005)),
        ("zero threshold 2^10", Histogram(zeroThreshold: 1024, zeroCount: 1, count: 1, sum: 3)),
        ("zero threshold 2^11", Histogram(zeroThreshold: 2048, zeroCount: 1, count: 1, sum: 3)),
        ("negative buckets", Histogram(schema: -4, count: 7, sum: -70, negativeSpans: [BucketSpan(offset: -3, length: 3)], negativeBuckets: [1, 2, 0])),
        ("both sides with gaps", Histogram(
            schema: 8, zeroThreshold: 0x1p-128, zeroCount: 1, count: 20, sum: 12.5,
            positiveSpans: [BucketSpan(offset: -1000, length: 2), BucketSpan(offset: 500, length: 1), BucketSpan(offset: 0, length: 0), BucketSpan(offset: 3, length: 2)],
            positiveBuckets: [1, 1, 0, 3, -4],
            negativeSpans: [BucketSpan(offset: 2, length: 1), BucketSpan(offset: 70_000, length: 2)], negativeBuckets: [5, -5, 1])),
        ("custom buckets", Histogram(
            schema: -53, count: 9, sum: 33, positiveSpans: [BucketSpan(offset: 0, length: 3), BucketSpan(offset: 2, length: 1)],
            positiveBuckets: [2, 1, -3, 5], customValues: [0.005, 0.1, 0.25, 1.5, 7, 10_000, 123_456.789])),
        ("huge values", Histogram(count: UInt64.max - 100, sum: .greatestFiniteMagnitude,
            positiveSpans: [BucketSpan(offset: Int32.min + 1, length: 1)], positiveBuckets: [Int64.max / 2])),
        ("non-stale NaN sum", Histogram(count: 1, sum: .nan, positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [1])),
    ]

    @Test(arguments: shapes.map(\.0))
    func integerShapesRoundTrip(name: String) throws {
        let shape = try #require(Self.shapes.first { $0.0 == name }?.1)
        let series = growing(shape)
        var chunk = HistogramChunk()
        let appended = appendEach(series, to: &chunk) { $0.append($1, $2) }
        #expect(appended == series.count)
        let decoded = decodeAll(chunk.bytes)
        #expect(decoded.error == nil)
        #expect(decoded.samples.map(\.0) == series.map(\.0))
        #expect(decoded.samples.map(\.1) == series.map(\.1))
        #expect(decoded.samples.map(\.1.counterResetHint) == [.unknown] + Array(repeating: .notCounterReset, count: series.count - 1))
        #expect(chunk.minTime == series.first?.0 && chunk.maxTime == series.last?.0 && chunk.count == series.count)
        // Read as float histograms: absolute counts (Prometheus keeps the zero bucket of custom schemas).
        for (float, (_, want)) in zip(decoded.floats, HistogramGoldenCases.float(series)) {
            #expect(sameCounts(float, want) || name == "non-stale NaN sum")
        }
    }

    @Test(arguments: shapes.map(\.0))
    func floatShapesRoundTrip(name: String) throws {
        let shape = try #require(Self.shapes.first { $0.0 == name }?.1)
        let series = HistogramGoldenCases.float(growing(shape)).map { t, h in
            var f = h
            f.count += 0.5  // not whole numbers
            return (t, f)
        }
        var chunk = FloatHistogramChunk()
        let appended = appendEach(series, to: &chunk) { $0.append($1, $2) }
        #expect(appended == series.count)
        let decoded = decodeAllFloat(chunk.bytes)
        #expect(decoded.error == nil)
        #expect(decoded.samples.map(\.0) == series.map(\.0))
        #expect(decoded.samples.map(\.1) == series.map(\.1))
    }

    @Test func staleMarkersRoundTrip() {
        let h = Histogram(count: 3, sum: 2, positiveSpans: [BucketSpan(offset: 0, length: 2)], positiveBuckets: [1, 1])
        var chunk = HistogramChunk()
        let outcome1 = chunk.append(1000, h)
        #expect(outcome1.isAppended)
        let outcome2 = chunk.append(2000, Histogram(sum: StaleNaN.value))
        #expect(outcome2.isAppended)
        let outcome3 = chunk.append(3000, Histogram(sum: StaleNaN.value))
        #expect(outcome3.isAppended)
        let decoded = decodeAll(chunk.bytes)
        #expect(decoded.error == nil)
        #expect(decoded.samples.map(\.0) == [1000, 2000, 3000])
        #expect(decoded.samples.map { StaleNaN.isStale($0.1.sum) } == [false, true, true])
        #expect(decoded.samples[1].1 == Histogram(sum: StaleNaN.value))
        #expect(decoded.floats[2].sum.bitPattern == StaleNaN.bits)

        var floats = FloatHistogramChunk()
        let outcome4 = floats.append(5, FloatHistogram(sum: StaleNaN.value))
        #expect(outcome4.isAppended)  // a stale first sample
        let outcome5 = floats.append(6, FloatHistogram(sum: StaleNaN.value))
        #expect(outcome5.isAppended)
        let floatDecoded = decodeAllFloat(floats.bytes)
        #expect(floatDecoded.samples.map { $0.1.sum.bitPattern } == [StaleNaN.bits, StaleNaN.bits])
    }

    @Test func emptyChunkDecodesToNothing() {
        let chunk = HistogramChunk()
        #expect(chunk.bytes == [0, 0, 0])
        var it = chunk.makeIterator()
        let moved1 = it.next()
        #expect(!moved1 && it.error == nil)
        var floats = FloatHistogramChunk().makeIterator()
        let moved2 = floats.next()
        #expect(!moved2 && floats.error == nil)
    }

    @Test func seekFindsFirstSampleAtOrAfter() {
        var chunk = HistogramChunk()
        for (t, h) in growing(Histogram(count: 1, sum: 1, positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [1]), samples: 6, step: 10) {
            _ = chunk.append(t, h)
        }
        var it = chunk.makeIterator()
        let moved3 = it.seek(to: 1_700_000_000_015)
        #expect(moved3)
        #expect(it.timestamp == 1_700_000_000_020)
        let moved4 = it.seek(to: 0)
        #expect(moved4 && it.timestamp == 1_700_000_000_020)  // never backwards
        let moved5 = it.seek(to: 1_800_000_000_000)
        #expect(!moved5)
    }

    /// Random layouts and counts (seeded), including gauges whose counts fall: every sample decodes
    /// to itself.
    @Test(arguments: [UInt64(1), 2, 3, 42, 0xDEAD_BEEF])
    func randomSeriesRoundTrip(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let bucketCount = Int.random(in: 0...40, using: &rng)
        let spans = [BucketSpan(offset: Int32.random(in: -50...50, using: &rng), length: UInt32(bucketCount))]
        let schema = Int32.random(in: -4...8, using: &rng)
        var t = Int64.random(in: -1_000_000...1_000_000, using: &rng)
        var series: [(Int64, Histogram)] = []
        for _ in 0..<Int.random(in: 1...200, using: &rng) {
            t += Int64.random(in: 1...100_000, using: &rng)
            let buckets = (0..<bucketCount).map { _ in Int64.random(in: -1_000_000...1_000_000, using: &rng) }
            series.append((t, Histogram(
                counterResetHint: .gauge, schema: schema, zeroThreshold: 0x1p-128,
                zeroCount: UInt64.random(in: 0...1 << 50, using: &rng), count: UInt64.random(in: 0...UInt64.max, using: &rng),
                sum: Double.random(in: -1e9...1e9, using: &rng), positiveSpans: spans, positiveBuckets: buckets)))
        }
        var chunk = HistogramChunk()
        let appended = appendEach(series, to: &chunk) { $0.append($1, $2) }
        #expect(appended == series.count, "seed \(seed)")
        let decoded = decodeAll(chunk.bytes)
        #expect(decoded.error == nil, "seed \(seed)")
        #expect(decoded.samples.map(\.1) == series.map(\.1), "seed \(seed)")
        #expect(decoded.samples.map(\.0) == series.map(\.0), "seed \(seed)")
        #expect(decoded.samples.allSatisfy { $0.1.counterResetHint == .gauge }, "seed \(seed)")

        var floats = FloatHistogramChunk()
        let floatSeries = series.map { ($0.0, $0.1.toFloat()) }
        let floatsAppended = appendEach(floatSeries, to: &floats) { $0.append($1, $2) }
        #expect(floatsAppended == floatSeries.count, "seed \(seed)")
        #expect(decodeAllFloat(floats.bytes).samples.map(\.1) == floatSeries.map(\.1), "seed \(seed)")
    }
}

/// Appends `series` in order; how many samples simply appended (no recode, no new chunk).
func appendEach<Chunk, Sample>(
    _ series: [(Int64, Sample)], to chunk: inout Chunk, _ append: (inout Chunk, Int64, Sample) -> HistogramAppendResult<Chunk>
) -> Int {
    var appended = 0
    for (t, h) in series where append(&chunk, t, h).isAppended { appended += 1 }
    return appended
}

extension HistogramAppendResult {
    var isAppended: Bool {
        if case .appended = self { return true }
        return false
    }
    var isRecoded: Bool {
        if case .recoded = self { return true }
        return false
    }
    var newChunk: Chunk? {
        if case .newChunk(let chunk) = self { return chunk }
        return nil
    }
}
