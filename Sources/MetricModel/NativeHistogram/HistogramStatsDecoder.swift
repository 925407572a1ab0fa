// Count-and-sum views of consecutive native-histogram samples with counter resets detected on
// the way, for PromQL functions that need no buckets (Prometheus's HistogramStatsIterator in
// promql/histogram_stats_iterator.go, as a pure step function).

/// Turns each sample of a series, in order, into a histogram with only its count, sum, schema
/// and a counter-reset hint: the sample's own hint when it has one, else what comparing it with
/// the previous sample (with its buckets) says. The first sample stays `.unknown`; a stale
/// marker passes through and is not remembered as the previous sample.
///
/// ```swift
/// var decoder = HistogramStatsDecoder()
/// for sample in samples { stats.append(decoder.next(sample)) }
/// ```
/// Call `reset()` when jumping ahead in the series (Prometheus's `Seek` forgets the previous).
package struct HistogramStatsDecoder: Sendable {
    /// The previous sample, with its buckets, for counter-reset detection.
    private var last: FloatHistogram?

    package init() {}

    /// Forgets the previous sample.
    package mutating func reset() { last = nil }

    /// The count-and-sum view of `current`, the sample after the ones given before.
    package mutating func next(_ current: FloatHistogram) -> FloatHistogram {
        var stats = FloatHistogram(
            counterResetHint: current.counterResetHint, schema: current.schema, count: current.count, sum: current.sum)
        if StaleNaN.isStale(current.sum) { return stats }
        if current.counterResetHint == .unknown, let last {
            stats.counterResetHint = current.detectReset(previous: last) ? .counterReset : .notCounterReset
        }
        var remembered = current
        remembered.counterResetHint = stats.counterResetHint
        last = remembered
        return stats
    }
}
