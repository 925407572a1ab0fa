// Kahan-compensated addition of float histograms, what PromQL's sum, avg and sum_over_time use
// (Prometheus's FloatHistogram.KahanAdd, newCompensationHistogram and kahanCompact).

extension FloatHistogram {
    /// Adds `other` as `add` does, but every count is a Kahan–Neumaier step whose rounding
    /// error goes to `compensation` (Prometheus's `KahanAdd`). Pass nil the first time; it is
    /// then created with this histogram's layout. The sum of a series of histograms is this
    /// histogram plus its compensation (`add` the two at the end).
    ///
    /// ```swift
    /// var total = first
    /// var compensation: FloatHistogram? = nil
    /// for h in rest { try total.kahanAdd(h, compensation: &compensation) }
    /// if let compensation { try total.add(compensation) }
    /// ```
    /// - Throws: `incompatibleSchema` when one histogram has custom buckets and the other not.
    @discardableResult
    package mutating func kahanAdd(_ other: FloatHistogram, compensation: inout FloatHistogram?)
        throws(HistogramError) -> HistogramCombination
    {
        try checkSchemaAndBounds(other)
        var outcome = HistogramCombination(counterResetCollision: adjustCounterReset(other))
        if compensation == nil { compensation = newCompensationHistogram() }
        if !usesCustomBuckets {
            let reconciled = reconcileZeroBuckets(with: other, compensation: &compensation)
            (zeroCount, compensation!.zeroCount) = KahanSum.inc(
                reconciled.zeroCount, zeroCount, compensation!.zeroCount)
            (zeroCount, compensation!.zeroCount) = KahanSum.inc(
                reconciled.compensationZeroCount, zeroCount, compensation!.zeroCount)
        }
        (count, compensation!.count) = KahanSum.inc(other.count, count, compensation!.count)
        (sum, compensation!.sum) = KahanSum.inc(other.sum, sum, compensation!.sum)

        if usesCustomBuckets {
            if HistogramSchema.customBoundsMatch(customValues, other.customValues) {
                var terms: HistogramBuckets.Compensation? = .init(a: compensation!.positiveBuckets, b: nil)
                HistogramBuckets.add(
                    schema: schema, threshold: zeroThreshold, negative: false,
                    spansA: &positiveSpans, bucketsA: &positiveBuckets,
                    spansB: other.positiveSpans, bucketsB: other.positiveBuckets, compensation: &terms)
                compensation!.positiveBuckets = terms!.a
            } else {
                outcome.customBoundsReconciled = true
                addWithMismatchedBounds(other, negative: false, compensation: &compensation)
            }
            compensation!.positiveSpans = positiveSpans
            return outcome
        }

        var positive = HistogramBuckets.Compensation(a: compensation!.positiveBuckets, b: nil)
        var negative = HistogramBuckets.Compensation(a: compensation!.negativeBuckets, b: nil)
        var otherPositive = (spans: other.positiveSpans, buckets: other.positiveBuckets)
        var otherNegative = (spans: other.negativeSpans, buckets: other.negativeBuckets)
        if other.schema < schema {
            (positiveSpans, positiveBuckets, positive.a) = HistogramBuckets.kahanReduceResolution(
                spans: positiveSpans, buckets: positiveBuckets, compensation: positive.a, from: schema, to: other.schema)
            (negativeSpans, negativeBuckets, negative.a) = HistogramBuckets.kahanReduceResolution(
                spans: negativeSpans, buckets: negativeBuckets, compensation: negative.a, from: schema, to: other.schema)
            schema = other.schema
        } else if other.schema > schema {
            Self.reduceForKahanAdd(&otherPositive, &positive.b, from: other.schema, to: schema)
            Self.reduceForKahanAdd(&otherNegative, &negative.b, from: other.schema, to: schema)
        }
        var positiveTerms: HistogramBuckets.Compensation? = positive
        HistogramBuckets.add(
            schema: schema, threshold: zeroThreshold, negative: false,
            spansA: &positiveSpans, bucketsA: &positiveBuckets,
            spansB: otherPositive.spans, bucketsB: otherPositive.buckets, compensation: &positiveTerms)
        var negativeTerms: HistogramBuckets.Compensation? = negative
        HistogramBuckets.add(
            schema: schema, threshold: zeroThreshold, negative: false,
            spansA: &negativeSpans, bucketsA: &negativeBuckets,
            spansB: otherNegative.spans, bucketsB: otherNegative.buckets, compensation: &negativeTerms)
        compensation!.positiveBuckets = positiveTerms!.a
        compensation!.negativeBuckets = negativeTerms!.a
        compensation!.schema = schema
        compensation!.zeroThreshold = zeroThreshold
        compensation!.positiveSpans = positiveSpans
        compensation!.negativeSpans = negativeSpans
        return outcome
    }

    /// `other`'s side merged into the receiver's lower schema with fresh (zero) compensation
    /// terms, as Prometheus does when `other` has the higher resolution; nothing when empty.
    private static func reduceForKahanAdd(
        _ side: inout (spans: [BucketSpan], buckets: [Double]), _ sideCompensation: inout [Double]?,
        from originSchema: Int32, to targetSchema: Int32
    ) {
        guard !side.buckets.isEmpty else { return }
        let reduced = HistogramBuckets.kahanReduceResolution(
            spans: side.spans, buckets: side.buckets, compensation: Array(repeating: 0, count: side.buckets.count),
            from: originSchema, to: targetSchema)
        side = (reduced.spans, reduced.buckets)
        sideCompensation = reduced.compensation
    }

    /// A compensation histogram for `kahanAdd`: this one's schema, threshold, bounds, spans and
    /// hint, all counts 0 (Prometheus's `newCompensationHistogram`).
    func newCompensationHistogram() -> FloatHistogram {
        FloatHistogram(
            counterResetHint: counterResetHint, schema: schema, zeroThreshold: zeroThreshold,
            positiveSpans: positiveSpans, positiveBuckets: Array(repeating: 0, count: positiveBuckets.count),
            negativeSpans: negativeSpans,
            negativeBuckets: usesCustomBuckets ? [] : Array(repeating: 0, count: negativeBuckets.count),
            customValues: customValues)
    }
}
