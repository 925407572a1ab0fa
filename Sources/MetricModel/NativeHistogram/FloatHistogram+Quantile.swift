// Quantiles and fractions of native histograms, as PromQL's histogram_quantile and
// histogram_fraction compute them (Prometheus's HistogramQuantile and HistogramFraction in
// promql/quantile.go).

/// An info-level annotation a histogram statistic comes with (Prometheus's annotations).
package enum HistogramStatisticInfo: Sendable, Hashable {
    /// `NativeHistogramQuantileNaNResultInfo`: the quantile fell among NaN observations.
    case quantileNaNResult
    /// `NativeHistogramQuantileNaNSkewInfo`: NaN observations may skew the quantile upwards.
    case quantileNaNSkew
    /// `NativeHistogramFractionNaNsInfo`: NaN observations are in no bucket and not counted.
    case fractionNaNs
}

extension FloatHistogram {
    /// The `q`-quantile of the observations (Prometheus's `HistogramQuantile`): the bucket
    /// holding rank `q × count` is found, from below for q < 0.5 (or with NaN observations),
    /// from above otherwise, and the value interpolated in it: linearly for custom buckets
    /// and the zero bucket, on a log scale for exponential buckets. The zero bucket ends at 0
    /// on a side without buckets; custom buckets' -Inf lower bound counts as 0 (or the result
    /// is their upper bound ≤ 0), their +Inf bucket gives its lower bound.
    ///
    /// q < 0 gives -Inf, q > 1 +Inf, NaN q or an empty histogram NaN.
    ///
    /// ```swift
    /// let (median, info) = h.quantile(0.5)
    /// ```
    package func quantile(_ q: Double) -> (value: Double, info: HistogramStatisticInfo?) {
        if q < 0 { return (-.infinity, nil) }
        if q > 1 { return (.infinity, nil) }
        if count == 0 || q.isNaN { return (.nan, nil) }
        if sum.isNaN || q < 0.5 {
            var iterator = allBucketIterator()
            return quantile(q, rank: q * count, forward: true, &iterator)
        }
        var iterator = allReverseBucketIterator()
        return quantile(q, rank: (1 - q) * count, forward: false, &iterator)
    }

    private func quantile<Buckets: IteratorProtocol<HistogramBucket<Double>>>(
        _ q: Double, rank: Double, forward: Bool, _ iterator: inout Buckets
    ) -> (value: Double, info: HistogramStatisticInfo?) {
        var rank = rank
        var bucket = HistogramBucket<Double>(
            lower: 0, upper: 0, lowerInclusive: false, upperInclusive: false, count: 0, index: 0)
        var seen = 0.0
        while let next = iterator.next() {
            bucket = next
            if bucket.count == 0 { continue }
            seen += bucket.count
            if seen >= rank { break }
        }
        if !usesCustomBuckets && bucket.lower < 0 && bucket.upper > 0 {
            if negativeBuckets.isEmpty && !positiveBuckets.isEmpty {
                bucket.lower = 0
            } else if positiveBuckets.isEmpty && !negativeBuckets.isEmpty {
                bucket.upper = 0
            }
        } else if usesCustomBuckets {
            if bucket.lower == -.infinity {
                if bucket.upper <= 0 { return (bucket.upper, nil) }
                bucket.lower = 0
            } else if bucket.upper == .infinity {
                return (bucket.lower, nil)
            }
        }
        seen = min(seen, count)
        if seen < rank {
            // Only NaN observations (or rounding) are left above the buckets.
            return sum.isNaN ? (.nan, .quantileNaNResult) : (bucket.upper, nil)
        }
        if forward { rank -= seen - bucket.count } else { rank = seen - rank }
        var info: HistogramStatisticInfo? = nil
        if sum.isNaN {
            while let next = iterator.next() { seen += next.count }
            if seen < count { info = .quantileNaNSkew }
        }
        let fraction = rank / bucket.count
        if usesCustomBuckets || (bucket.lower <= 0 && bucket.upper >= 0) {
            return (bucket.lower + (bucket.upper - bucket.lower) * fraction, info)
        }
        let logLower = goLog2(abs(bucket.lower))
        let logUpper = goLog2(abs(bucket.upper))
        if bucket.lower > 0 { return (goExp2(logLower + (logUpper - logLower) * fraction), info) }
        return (-goExp2(logUpper + (logLower - logUpper) * (1 - fraction)), info)
    }

    /// The fraction of observations between `lower` and `upper` (Prometheus's
    /// `HistogramFraction`), interpolating inside buckets as `quantile` does; buckets with an
    /// infinite bound contribute nothing of their inside. An empty histogram or a NaN bound
    /// gives NaN, `lower ≥ upper` gives 0. NaN observations are in no bucket, so the fraction
    /// of (-Inf, +Inf) can be below 1 (`.fractionNaNs` says so).
    ///
    /// ```swift
    /// let (belowOne, _) = h.fraction(lower: -.infinity, upper: 1)
    /// ```
    package func fraction(lower: Double, upper: Double) -> (value: Double, info: HistogramStatisticInfo?) {
        if count == 0 || lower.isNaN || upper.isNaN { return (.nan, nil) }
        if lower >= upper { return (0, nil) }
        var seen = 0.0
        var rank = 0.0
        var lowerRank: Double? = nil
        var upperRank: Double? = nil
        var iterator = allBucketIterator()
        while var b = iterator.next() {
            seen += b.count
            var zeroBucket = false
            if b.lower <= 0 && b.upper >= 0 {
                zeroBucket = true
                if negativeBuckets.isEmpty && !positiveBuckets.isEmpty {
                    b.lower = 0
                } else if positiveBuckets.isEmpty && !negativeBuckets.isEmpty {
                    b.upper = 0
                }
            }
            if lowerRank == nil && b.lower >= lower { lowerRank = rank }
            if upperRank == nil && b.lower >= upper { upperRank = rank }
            if lowerRank != nil && upperRank != nil { break }
            let linear = usesCustomBuckets || zeroBucket
            /// The rank of `v`, inside this bucket.
            func interpolated(_ v: Double) -> Double {
                if linear && b.lower == -.infinity { return b.count }
                return rank + b.count * b.fractionBelow(v, linear: linear)
            }
            if lowerRank == nil && b.lower < lower && b.upper > lower { lowerRank = interpolated(lower) }
            if upperRank == nil && b.lower < upper && b.upper > upper { upperRank = interpolated(upper) }
            if lowerRank != nil && upperRank != nil { break }
            rank += b.count
        }
        var info: HistogramStatisticInfo? = nil
        if sum.isNaN {
            while let b = iterator.next() { seen += b.count }
            if seen < count { info = .fractionNaNs }
        } else {
            seen = count
        }
        let low = lowerRank.map { min($0, seen) } ?? seen
        let high = upperRank.map { min($0, seen) } ?? seen
        return ((high - low) / count, info)
    }
}
