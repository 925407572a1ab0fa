// Layout changes of an integer Histogram on its delta-encoded buckets (Prometheus's
// Histogram.Compact and Histogram.ReduceResolution).

extension Histogram {
    /// Removes empty buckets at the ends of spans and merges spans at most `maxEmptyBuckets`
    /// apart, keeping the deltas right (Prometheus's `Compact`).
    ///
    /// ```swift
    /// h.compact(maxEmptyBuckets: 0)
    /// ```
    package mutating func compact(maxEmptyBuckets: Int) {
        var none: [Double]? = nil
        HistogramBuckets.compact(
            buckets: &positiveBuckets, compensation: &none, spans: &positiveSpans, maxEmptyBuckets: maxEmptyBuckets,
            deltas: true)
        HistogramBuckets.compact(
            buckets: &negativeBuckets, compensation: &none, spans: &negativeSpans, maxEmptyBuckets: maxEmptyBuckets,
            deltas: true)
    }

    /// Merges the buckets into the lower-resolution `targetSchema`, re-encoding the deltas
    /// (Prometheus's `ReduceResolution`).
    ///
    /// - Throws: `invalidResolutionChange` for custom buckets or a target that is not lower;
    ///   `spanNegativeOffset` / `spansBucketsMismatch` for invalid spans (the histogram is then
    ///   unchanged).
    package mutating func reduceResolution(to targetSchema: Int32) throws(HistogramError) {
        try HistogramBuckets.reduceResolution(
            schema: &schema, to: targetSchema, positiveSpans: &positiveSpans, positiveBuckets: &positiveBuckets,
            negativeSpans: &negativeSpans, negativeBuckets: &negativeBuckets, deltas: true)
    }
}
