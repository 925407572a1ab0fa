// The annotation texts about native histograms, as Prometheus words them (`util/annotations`).

import MetricModel

/// Warning and info texts for native histograms (without the `PromQL warning: ` prefix, which
/// rendering adds).
enum HistogramAnnotations {
    /// What a histogram operation was doing when it reports a collision or reconciliation.
    enum Operation: String {
        case addition, subtraction, aggregation
    }

    static func mixedFloatsHistograms(metricName: String) -> String {
        "encountered a mix of histograms and floats for metric name \(goQuote(metricName))"
    }

    static let mixedFloatsHistogramsAggregation = "encountered a mix of histograms and floats for aggregation"

    static func notCounter(metricName: String) -> String {
        "this native histogram metric is not a counter: \(goQuote(metricName))"
    }

    static func notGauge(metricName: String) -> String {
        "this native histogram metric is not a gauge: \(goQuote(metricName))"
    }

    static func mixedExponentialCustom(metricName: String) -> String {
        "vector contains a mix of histograms with exponential and custom buckets schemas for metric name \(goQuote(metricName))"
    }

    static func incompatibleBucketLayout(operator op: String) -> String {
        "incompatible bucket layout encountered for binary operator \(op)"
    }

    static func incompatibleTypes(operator op: String, _ lhs: String, _ rhs: String) -> String {
        "incompatible sample types encountered for binary operator \(goQuote(op)): \(lhs) \(op) \(rhs)"
    }

    static func ignoredInAggregation(_ aggregation: String) -> String {
        "ignored histogram in \(aggregation) aggregation"
    }

    static func ignoredInMixedRange(metricName: String) -> String {
        "ignored histograms in a range containing both floats and histograms for metric name \(goQuote(metricName))"
    }

    static func counterResetCollision(_ operation: Operation) -> String {
        "conflicting counter resets during histogram \(operation.rawValue)"
    }

    static func mismatchedCustomBuckets(_ operation: Operation) -> String {
        "mismatched custom buckets were reconciled during \(operation.rawValue)"
    }

    /// `maybeAddMetricName`: ` for metric name "x"` when the name is known.
    static func withMetricName(_ text: String, _ metricName: String) -> String {
        metricName.isEmpty ? text : "\(text) for metric name \(goQuote(metricName))"
    }

    static func mixedClassicNative(metricName: String) -> String {
        withMetricName("vector contains a mix of classic and native histograms", metricName)
    }

    static func quantileNaNResult(metricName: String) -> String {
        withMetricName("input to histogram_quantile has NaN observations, result is NaN", metricName)
    }

    static func quantileNaNSkew(metricName: String) -> String {
        withMetricName("input to histogram_quantile has NaN observations, result is skewed higher", metricName)
    }

    static func fractionNaNs(metricName: String) -> String {
        withMetricName("input to histogram_fraction has NaN observations, which are excluded from all fractions", metricName)
    }
}
