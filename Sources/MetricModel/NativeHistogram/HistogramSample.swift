// HistogramSample: one native-histogram sample with its timestamp, what PromQL computes with
// (Prometheus's `promql.HPoint`).

/// One native-histogram sample: a timestamp and a float histogram.
package struct HistogramSample: Sendable, Equatable {
    package var timestamp: Timestamp
    package var histogram: FloatHistogram

    package init(_ timestamp: Timestamp, _ histogram: FloatHistogram) {
        self.timestamp = timestamp
        self.histogram = histogram
    }

    /// Whether the sample is a staleness marker (its sum is the stale NaN).
    package var isStale: Bool { histogram.sum.bitPattern == StaleNaN.bits }
}
