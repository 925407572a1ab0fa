// HistogramStatsDecoder against the cases of Prometheus's TestHistogramStatsDecoding
// (promql/histogram_stats_iterator_test.go), with tsdbutil.GenerateTestHistogram's samples.

import MetricModel
import Testing

@Suite struct HistogramStatsDecoderTests {
    /// tsdbutil's `GenerateTestHistogramWithHint(i, hint)`.
    static func testHistogram(_ i: Int64, _ hint: CounterResetHint) -> Histogram {
        let spans = [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 1, length: 2)]
        return Histogram(
            counterResetHint: hint, schema: 1, zeroThreshold: 0.001, zeroCount: 2 + UInt64(i),
            count: 12 + UInt64(i * 9), sum: 18.4 * Double(i + 1), positiveSpans: spans,
            positiveBuckets: [i + 1, 1, -1, 0], negativeSpans: spans, negativeBuckets: [i + 1, 1, -1, 0])
    }

    static let stale = Histogram(sum: StaleNaN.value)

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var histograms: [Histogram]
        var hints: [CounterResetHint]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "unknown counter reset for later sample triggers detection",
            histograms: [
                testHistogram(0, .notCounterReset), testHistogram(1, .unknown), testHistogram(2, .counterReset),
                testHistogram(2, .unknown),
            ],
            hints: [.notCounterReset, .notCounterReset, .counterReset, .notCounterReset]),
        Case(
            name: "unknown counter reset for first sample does not trigger detection",
            histograms: [
                testHistogram(0, .unknown), testHistogram(1, .unknown), testHistogram(2, .counterReset),
                testHistogram(2, .unknown),
            ],
            hints: [.unknown, .notCounterReset, .counterReset, .notCounterReset]),
        Case(
            name: "stale sample before unknown reset hint",
            histograms: [testHistogram(0, .notCounterReset), testHistogram(1, .unknown), stale, testHistogram(1, .unknown)],
            hints: [.notCounterReset, .notCounterReset, .unknown, .notCounterReset]),
        Case(name: "unknown counter reset at the beginning", histograms: [testHistogram(1, .unknown)], hints: [.unknown]),
        Case(
            name: "detect real counter reset", histograms: [testHistogram(2, .unknown), testHistogram(1, .unknown)],
            hints: [.unknown, .counterReset]),
        Case(
            name: "detect real counter reset after stale NaN",
            histograms: [testHistogram(2, .unknown), stale, testHistogram(1, .unknown)],
            hints: [.unknown, .unknown, .counterReset]),
    ]

    @Test(arguments: cases)
    func decoding(_ c: Case) {
        var decoder = HistogramStatsDecoder()
        for round in 0..<2 {
            for (histogram, hint) in zip(c.histograms, c.hints) {
                let input = histogram.toFloat()
                let stats = decoder.next(input)
                #expect(stats.counterResetHint == hint, "round \(round)")
                if StaleNaN.isStale(input.sum) {
                    #expect(StaleNaN.isStale(stats.sum) && stats.count == 0)
                } else {
                    #expect(stats.count == input.count && stats.sum == input.sum)
                }
                #expect(stats.positiveBuckets.isEmpty && stats.negativeBuckets.isEmpty)
            }
            decoder.reset()
        }
    }
}
