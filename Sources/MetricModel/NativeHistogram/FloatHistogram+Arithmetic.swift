// Arithmetic on float histograms as PromQL does it: scaling by a scalar, adding and subtracting
// (plain and Kahan-compensated), after Prometheus's FloatHistogram Mul, Div, Add, KahanAdd, Sub.

/// What `add`/`subtract` had to reconcile, for PromQL's annotations.
package struct HistogramCombination: Sendable, Hashable {
    /// One histogram said counter reset, the other not: the result's hint is now unknown.
    package var counterResetCollision: Bool
    /// The custom bounds differed and the result has only the bounds both share.
    package var customBoundsReconciled: Bool

    package init(counterResetCollision: Bool = false, customBoundsReconciled: Bool = false) {
        self.counterResetCollision = counterResetCollision
        self.customBoundsReconciled = customBoundsReconciled
    }
}

extension FloatHistogram {
    /// Scales all counts and the sum by `factor` (Prometheus's `Mul`); the layout stays.
    /// A negative factor makes it a gauge histogram.
    ///
    /// ```swift
    /// h.multiply(by: 2)   // count, sum, zero count and every bucket doubled
    /// ```
    package mutating func multiply(by factor: Double) {
        zeroCount *= factor
        count *= factor
        sum *= factor
        for i in positiveBuckets.indices { positiveBuckets[i] *= factor }
        for i in negativeBuckets.indices { negativeBuckets[i] *= factor }
        if factor < 0 { counterResetHint = .gauge }
    }

    /// Divides all counts and the sum by `divisor` (Prometheus's `Div`). Dividing by 0 gives
    /// ±Inf or NaN counts and sum and removes every bucket (the hint stays). A negative divisor
    /// makes it a gauge histogram.
    package mutating func divide(by divisor: Double) {
        zeroCount /= divisor
        count /= divisor
        sum /= divisor
        if divisor == 0 {
            positiveBuckets = []
            negativeBuckets = []
            positiveSpans = []
            negativeSpans = []
            return
        }
        for i in positiveBuckets.indices { positiveBuckets[i] /= divisor }
        for i in negativeBuckets.indices { negativeBuckets[i] /= divisor }
        if divisor < 0 { counterResetHint = .gauge }
    }

    /// Adds `other` to this histogram (Prometheus's `Add`): counts, sum and buckets, inserting
    /// buckets this one lacks. The result has the lower of the two schemas and a zero bucket
    /// wide enough for both; custom bounds that differ are reduced to the bounds both share.
    /// Empty buckets and adjacent spans may remain: `compact(maxEmptyBuckets:)` tidies them.
    ///
    /// ```swift
    /// var total = a
    /// let outcome = try total.add(b)
    /// if outcome.customBoundsReconciled { /* PromQL: annotation */ }
    /// ```
    /// - Throws: `incompatibleSchema` when one histogram has custom buckets and the other not
    ///   (this histogram is then unchanged).
    @discardableResult
    package mutating func add(_ other: FloatHistogram) throws(HistogramError) -> HistogramCombination {
        try combine(other, negative: false)
    }

    /// Subtracts `other` (Prometheus's `Sub`), as `add` does. The hint is reconciled as for
    /// `add`; PromQL's `-` operator sets `.gauge` afterwards.
    @discardableResult
    package mutating func subtract(_ other: FloatHistogram) throws(HistogramError) -> HistogramCombination {
        try combine(other, negative: true)
    }

    /// `add` or `subtract`: Prometheus's `Add` and `Sub` are the same but for the sign.
    private mutating func combine(_ other: FloatHistogram, negative: Bool) throws(HistogramError)
        -> HistogramCombination
    {
        try checkSchemaAndBounds(other)
        var outcome = HistogramCombination(counterResetCollision: adjustCounterReset(other))
        var noCompensation: FloatHistogram? = nil
        var noBucketCompensation: HistogramBuckets.Compensation? = nil
        if !usesCustomBuckets {
            let otherZeroCount = reconcileZeroBuckets(with: other, compensation: &noCompensation).zeroCount
            if negative { zeroCount -= otherZeroCount } else { zeroCount += otherZeroCount }
        }
        if negative {
            count -= other.count
            sum -= other.sum
        } else {
            count += other.count
            sum += other.sum
        }
        if usesCustomBuckets {
            if HistogramSchema.customBoundsMatch(customValues, other.customValues) {
                HistogramBuckets.add(
                    schema: schema, threshold: zeroThreshold, negative: negative,
                    spansA: &positiveSpans, bucketsA: &positiveBuckets,
                    spansB: other.positiveSpans, bucketsB: other.positiveBuckets, compensation: &noBucketCompensation)
            } else {
                outcome.customBoundsReconciled = true
                addWithMismatchedBounds(other, negative: negative, compensation: &noCompensation)
            }
            return outcome
        }
        var otherPositive = (spans: other.positiveSpans, buckets: other.positiveBuckets)
        var otherNegative = (spans: other.negativeSpans, buckets: other.negativeBuckets)
        if other.schema < schema {
            reduceResolutionOfValidHistogram(to: other.schema)
        } else if other.schema > schema {
            otherPositive = mustReduceResolution(otherPositive, from: other.schema, to: schema)
            otherNegative = mustReduceResolution(otherNegative, from: other.schema, to: schema)
        }
        HistogramBuckets.add(
            schema: schema, threshold: zeroThreshold, negative: negative,
            spansA: &positiveSpans, bucketsA: &positiveBuckets,
            spansB: otherPositive.spans, bucketsB: otherPositive.buckets, compensation: &noBucketCompensation)
        HistogramBuckets.add(
            schema: schema, threshold: zeroThreshold, negative: negative,
            spansA: &negativeSpans, bucketsA: &negativeBuckets,
            spansB: otherNegative.spans, bucketsB: otherNegative.buckets, compensation: &noBucketCompensation)
        return outcome
    }

    /// Prometheus's `checkSchemaAndBounds`: both exponential or both custom buckets.
    func checkSchemaAndBounds(_ other: FloatHistogram) throws(HistogramError) {
        if usesCustomBuckets != other.usesCustomBuckets { throw HistogramError(.incompatibleSchema) }
    }

    /// Prometheus's `adjustCounterReset`: the hint of a sum or difference. Returns whether the
    /// hints collided (one `.counterReset`, the other `.notCounterReset`).
    mutating func adjustCounterReset(_ other: FloatHistogram) -> Bool {
        switch (counterResetHint, other.counterResetHint) {
        case let (mine, theirs) where mine == theirs: return false
        case (.gauge, _): return false
        case (_, .gauge): counterResetHint = .gauge
        case (.unknown, _): return false
        case (_, .unknown): counterResetHint = .unknown
        default:
            counterResetHint = .unknown
            return true
        }
        return false
    }

    /// One side merged into `targetSchema`, for a histogram known to be valid.
    func mustReduceResolution(
        _ side: (spans: [BucketSpan], buckets: [Double]), from originSchema: Int32, to targetSchema: Int32
    ) -> (spans: [BucketSpan], buckets: [Double]) {
        do {
            return try HistogramBuckets.reduceResolution(
                spans: side.spans, buckets: side.buckets, from: originSchema, to: targetSchema, deltas: false)
        } catch {
            preconditionFailure("reducing the resolution of an invalid histogram: \(error)")
        }
    }

    /// Both sides merged into `targetSchema` (lower), for a histogram known to be valid.
    mutating func reduceResolutionOfValidHistogram(to targetSchema: Int32) {
        (positiveSpans, positiveBuckets) = mustReduceResolution(
            (positiveSpans, positiveBuckets), from: schema, to: targetSchema)
        (negativeSpans, negativeBuckets) = mustReduceResolution(
            (negativeSpans, negativeBuckets), from: schema, to: targetSchema)
        schema = targetSchema
    }
}
