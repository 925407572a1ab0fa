// Native-histogram statistics and trimming against the evaluations of Prometheus's
// native_histograms.test, compared as promqltest compares them (relative tolerance 1e-6).

import MetricModel
import Testing

/// What a `StatisticCase` computes.
enum HistogramStatistic: Sendable {
    case quantile(Double)
    case fraction(lower: Double, upper: Double)
    case standardDeviation
    case variance
    case average
}

/// One evaluation of histogram_quantile / fraction / stddev / stdvar / avg.
struct StatisticCase: Sendable, CustomTestStringConvertible {
    var name: String
    var histogram: FloatHistogram
    var statistic: HistogramStatistic
    var expected: Double
    /// Whether Prometheus expects an info annotation; nil when the test file does not say.
    var info: Bool?
    var testDescription: String { name }

    init(_ name: String, _ histogram: FloatHistogram, _ statistic: HistogramStatistic, expected: Double, info: Bool? = nil) {
        self.name = name
        self.histogram = histogram
        self.statistic = statistic
        self.expected = expected
        self.info = info
    }
}

/// One evaluation of `h </ value` or `h >/ value`.
struct TrimCase: Sendable, CustomTestStringConvertible {
    var name: String
    var histogram: FloatHistogram
    var value: Double
    var upper: Bool
    var expected: FloatHistogram
    var testDescription: String { name }

    init(_ name: String, _ histogram: FloatHistogram, _ value: Double, upper: Bool, expected: FloatHistogram) {
        self.name = name
        self.histogram = histogram
        self.value = value
        self.upper = upper
        self.expected = expected
    }
}

/// Prometheus's `almost.Equal` with promqltest's default epsilon.
func almostEqual(_ a: Double, _ b: Double, epsilon: Double = 0.000001) -> Bool {
    if a.isNaN && b.isNaN { return true }
    if a == b { return true }
    let absoluteSum = abs(a) + abs(b)
    let difference = abs(a - b)
    if a == 0 || b == 0 || absoluteSum < Double.leastNormalMagnitude {
        return difference < epsilon * Double.leastNormalMagnitude
    }
    return difference / min(absoluteSum, Double.greatestFiniteMagnitude) < epsilon
}

@Suite struct NativeHistogramPromQLTests {
    @Test(arguments: StatisticCase.prometheusQuantileCases + StatisticCase.prometheusCases)
    func statistic(_ c: StatisticCase) {
        let value: Double
        var info: HistogramStatisticInfo? = nil
        switch c.statistic {
        case .quantile(let q): (value, info) = c.histogram.quantile(q)
        case .fraction(let lower, let upper): (value, info) = c.histogram.fraction(lower: lower, upper: upper)
        case .standardDeviation: value = c.histogram.standardDeviation
        case .variance: value = c.histogram.variance
        case .average: value = c.histogram.average
        }
        #expect(almostEqual(value, c.expected), "got \(value), want \(c.expected)")
        if let expectInfo = c.info { #expect((info != nil) == expectInfo) }
    }

    /// promqltest's `compareNativeHistogram` after compaction of both.
    @Test(arguments: TrimCase.prometheusCases)
    func trim(_ c: TrimCase) {
        var h = c.histogram
        h.trimBuckets(c.value, upper: c.upper)
        h.compact(maxEmptyBuckets: 0)
        var expected = c.expected
        expected.compact(maxEmptyBuckets: 0)
        let matches =
            h.schema == expected.schema && almostEqual(h.count, expected.count) && almostEqual(h.sum, expected.sum)
            && h.zeroThreshold == expected.zeroThreshold && almostEqual(h.zeroCount, expected.zeroCount)
            && BucketSpan.layoutsMatch(h.positiveSpans, expected.positiveSpans)
            && BucketSpan.layoutsMatch(h.negativeSpans, expected.negativeSpans)
            && h.positiveBuckets.count == expected.positiveBuckets.count
            && zip(h.positiveBuckets, expected.positiveBuckets).allSatisfy { almostEqual($0, $1) }
            && h.negativeBuckets.count == expected.negativeBuckets.count
            && zip(h.negativeBuckets, expected.negativeBuckets).allSatisfy { almostEqual($0, $1) }
            && (!h.usesCustomBuckets || HistogramSchema.customBoundsMatch(h.customValues, expected.customValues))
        #expect(matches, "\n got:  \(goFields(h))\n want: \(goFields(expected))")
    }
}
