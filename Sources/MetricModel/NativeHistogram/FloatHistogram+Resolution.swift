// Layout changes of a FloatHistogram: compaction, lower resolution, copies (Prometheus's
// Compact, kahanCompact, ReduceResolution, CopyToSchema, Copy), and its size and overflow checks.

extension FloatHistogram {
    /// Removes empty buckets at the ends of spans and merges spans at most `maxEmptyBuckets`
    /// apart (Prometheus's `Compact`; see `HistogramBuckets.compact`). Use 0 unless you know
    /// better.
    ///
    /// ```swift
    /// h.compact(maxEmptyBuckets: 0)
    /// ```
    package mutating func compact(maxEmptyBuckets: Int) {
        var none: FloatHistogram? = nil
        compact(maxEmptyBuckets: maxEmptyBuckets, compensation: &none)
    }

    /// `compact(maxEmptyBuckets:)` keeping a Kahan compensation histogram's buckets in step
    /// (Prometheus's `kahanCompact`): a bucket is empty when its compensation is 0 too.
    package mutating func compact(maxEmptyBuckets: Int, compensation: inout FloatHistogram?) {
        var positiveTerms = compensation?.positiveBuckets
        HistogramBuckets.compact(
            buckets: &positiveBuckets, compensation: &positiveTerms, spans: &positiveSpans,
            maxEmptyBuckets: maxEmptyBuckets, deltas: false)
        var negativeTerms = compensation?.negativeBuckets
        HistogramBuckets.compact(
            buckets: &negativeBuckets, compensation: &negativeTerms, spans: &negativeSpans,
            maxEmptyBuckets: maxEmptyBuckets, deltas: false)
        if let positiveTerms, let negativeTerms {
            compensation!.positiveBuckets = positiveTerms
            compensation!.negativeBuckets = negativeTerms
        }
    }

    /// Merges the buckets into the lower-resolution `targetSchema` (Prometheus's
    /// `ReduceResolution`).
    ///
    /// ```swift
    /// try h.reduceResolution(to: 0)   // from schema 2: every 4 buckets become one
    /// ```
    /// - Throws: `invalidResolutionChange` for custom buckets or a target that is not lower;
    ///   `spanNegativeOffset` / `spansBucketsMismatch` for invalid spans (the histogram is then
    ///   unchanged).
    package mutating func reduceResolution(to targetSchema: Int32) throws(HistogramError) {
        try HistogramBuckets.reduceResolution(
            schema: &schema, to: targetSchema, positiveSpans: &positiveSpans, positiveBuckets: &positiveBuckets,
            negativeSpans: &negativeSpans, negativeBuckets: &negativeBuckets, deltas: false)
    }

    /// A copy with the fields its kind of schema does not use cleared (Prometheus's `Copy`):
    /// custom buckets lose zero bucket and negative side, exponential ones their custom bounds.
    package func copy() -> FloatHistogram {
        var copy = FloatHistogram(
            counterResetHint: counterResetHint, schema: schema, count: count, sum: sum,
            positiveSpans: positiveSpans, positiveBuckets: positiveBuckets)
        if usesCustomBuckets {
            copy.customValues = customValues
        } else {
            copy.zeroThreshold = zeroThreshold
            copy.zeroCount = zeroCount
            copy.negativeSpans = negativeSpans
            copy.negativeBuckets = negativeBuckets
        }
        return copy
    }

    /// A copy in the lower-resolution `targetSchema` (Prometheus's `CopyToSchema`). A copy to
    /// another schema has the hint `.unknown`, as in Prometheus (it builds a fresh histogram).
    ///
    /// - Precondition: both schemas exponential, `targetSchema` ≤ `schema`, spans valid
    ///   (Prometheus panics otherwise).
    package func copy(toSchema targetSchema: Int32) -> FloatHistogram {
        if targetSchema == schema { return copy() }
        precondition(
            !usesCustomBuckets && !HistogramSchema.isCustomBuckets(targetSchema) && targetSchema < schema,
            "cannot copy from schema \(schema) to \(targetSchema)")
        var copy = FloatHistogram(
            schema: targetSchema, zeroThreshold: zeroThreshold, zeroCount: zeroCount, count: count, sum: sum)
        (copy.positiveSpans, copy.positiveBuckets) = mustReduceResolution(
            (positiveSpans, positiveBuckets), from: schema, to: targetSchema)
        (copy.negativeSpans, copy.negativeBuckets) = mustReduceResolution(
            (negativeSpans, negativeBuckets), from: schema, to: targetSchema)
        return copy
    }

    /// Bytes Prometheus accounts for this histogram on 64-bit machines (Prometheus's `Size`):
    /// its 168-byte struct plus 8 bytes per span, bucket and custom bound.
    package var size: Int {
        168 + 8 * (positiveSpans.count + negativeSpans.count + positiveBuckets.count + negativeBuckets.count
            + customValues.count)
    }

    /// Whether any count, the sum or a custom bound is ±Inf (Prometheus's `HasOverflow`): an
    /// aggregation went past the range of doubles.
    package var hasOverflow: Bool {
        zeroCount.isInfinite || count.isInfinite || sum.isInfinite || positiveBuckets.contains(where: \.isInfinite)
            || negativeBuckets.contains(where: \.isInfinite) || customValues.contains(where: \.isInfinite)
    }
}
