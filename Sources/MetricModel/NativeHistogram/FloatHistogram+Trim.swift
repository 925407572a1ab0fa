// The histogram side of PromQL's trim operators `</` and `>/` (Prometheus's
// FloatHistogram.TrimBuckets and its helpers): keep the observations below (or above) a value,
// interpolating inside the bucket that contains it, and re-estimate the sum from bucket midpoints.

extension FloatHistogram {
    /// Keeps only the observations below `value` (`upper`: `h </ value`) or above it
    /// (`h >/ value`). Buckets beyond it are emptied, the one containing it keeps the
    /// interpolated part (linear for custom buckets and the zero bucket, exponential otherwise);
    /// when anything was trimmed, count and sum are recomputed from the kept buckets (the sum
    /// from bucket midpoints) and the histogram is compacted.
    ///
    /// ```swift
    /// var low = h
    /// low.trimBuckets(0.5, upper: true)   // h </ 0.5
    /// ```
    package mutating func trimBuckets(_ value: Double, upper: Bool) {
        let custom = usesCustomBuckets
        var keptCount = 0.0
        var keptSum = 0.0
        var trimmed = false
        var populated = (positive: false, negative: false)
        for positive in [true, false] {
            let iterator = positive ? positiveBucketIterator() : negativeBucketIterator()
            for (position, bucket) in iterator.enumerated() where bucket.count != 0 {
                if positive { populated.positive = true } else { populated.negative = true }
                let keepAll = upper ? bucket.upper <= value : bucket.lower >= value
                let keepPart = upper ? bucket.lower < value : bucket.upper > value
                var kept = 0.0
                if keepAll {
                    keptCount += bucket.count
                    keptSum += trimMidpoint(bucket.lower, bucket.upper, positive: positive, linear: custom) * bucket.count
                    continue
                } else if keepPart {
                    let midpoint: Double
                    (kept, midpoint) = trimBucket(bucket, value, upper: upper, positive: positive, custom: custom)
                    keptCount += kept
                    keptSum += midpoint * kept
                    if bucket.count == kept { continue }
                }
                if positive { positiveBuckets[position] = kept } else { negativeBuckets[position] = kept }
                trimmed = true
            }
        }
        if zeroCount > 0 {
            let (kept, midpoint) = trimZeroBucket(value, populated: populated, upper: upper)
            if zeroCount != kept {
                zeroCount = kept
                trimmed = true
            }
            keptSum += midpoint * kept
            keptCount += kept
        }
        if trimmed {
            count = keptCount
            sum = keptSum
            compact(maxEmptyBuckets: 0)
        }
    }

    /// Prometheus's `computeZeroBucketTrim`: the zero bucket's kept count and midpoint, with 0 as
    /// its lower (upper) bound when only positive (negative) buckets are populated.
    private func trimZeroBucket(_ value: Double, populated: (positive: Bool, negative: Bool), upper: Bool)
        -> (Double, Double)
    {
        var lower = -zeroThreshold
        var upperBound = zeroThreshold
        if populated.negative && !populated.positive { upperBound = 0 }
        if populated.positive && !populated.negative { lower = 0 }
        if upper {
            if value <= lower { return (0, 0) }
            if value >= upperBound { return (zeroCount, (lower + upperBound) / 2) }
            return (zeroCount * ((value - lower) / (upperBound - lower)), (lower + value) / 2)
        }
        if value <= lower { return (zeroCount, (lower + upperBound) / 2) }
        if value >= upperBound { return (0, 0) }
        return (zeroCount * ((upperBound - value) / (upperBound - lower)), (value + upperBound) / 2)
    }
}

/// Prometheus's `computeBucketTrim`: the kept count of a bucket that contains `value`, and the
/// midpoint of the kept part.
private func trimBucket(_ b: HistogramBucket<Double>, _ value: Double, upper: Bool, positive: Bool, custom: Bool)
    -> (Double, Double)
{
    if b.lower == -.infinity || b.upper == .infinity { return trimInfiniteBucket(b, value, upper: upper) }
    let below: Double =
        if value <= b.lower { 0 } else if value >= b.upper { b.count } else {
            b.count * b.fractionBelow(value, linear: custom)
        }
    if upper { return (below, trimMidpoint(b.lower, value, positive: positive, linear: custom)) }
    return (b.count - below, trimMidpoint(value, b.upper, positive: positive, linear: custom))
}

/// Prometheus's `handleInfinityBuckets`: custom buckets reaching to -Inf or +Inf.
private func trimInfiniteBucket(_ b: HistogramBucket<Double>, _ value: Double, upper: Bool) -> (Double, Double) {
    func zeroIfInfinite(_ x: Double) -> Double { x.isInfinite ? 0 : x }
    if b.lower == -.infinity {
        if upper {
            if value >= b.upper { return (b.count, 0) }
            if value > 0 && b.upper > 0 && b.upper != .infinity { return (b.count * value / b.upper, value / 2) }
            if b.upper <= 0 { return (b.count, value) }
            return (0, zeroIfInfinite(b.upper))
        }
        if value <= b.lower { return (b.count, 0) }
        if value >= 0 && b.upper > value && b.upper != .infinity {
            return (b.count * (1 - value / b.upper), (value + b.upper) / 2)
        }
        return (0, zeroIfInfinite(b.upper))
    }
    // The upper bound is +Inf.
    if upper { return (0, zeroIfInfinite(b.lower)) }
    if value >= b.lower { return (b.count, value) }
    return (0, zeroIfInfinite(b.lower))
}

/// Prometheus's `computeMidpoint`: where the kept observations of [lower, upper] are assumed
/// to be: the arithmetic mean (linear), else the geometric mean, mirrored for negative buckets.
private func trimMidpoint(_ lower: Double, _ upper: Double, positive: Bool, linear: Bool) -> Double {
    if lower.isInfinite {
        if upper.isInfinite { return 0 }
        return upper > 0 ? upper / 2 : upper
    }
    if upper.isInfinite { return lower }
    if linear { return (lower + upper) / 2 }
    let geometricMean = abs(lower * upper).squareRoot()
    return positive ? geometricMean : -geometricMean
}

extension HistogramBucket where Count == Double {
    /// The fraction of this bucket at or below `value`, which must lie strictly inside its
    /// finite bounds (Prometheus's `Bucket.FractionBelow`): linear, or on a log2 scale for
    /// exponential buckets (mirrored for negative ones).
    package func fractionBelow(_ value: Double, linear: Bool) -> Double {
        if linear { return (value - lower) / (upper - lower) }
        let logLower = goLog2(abs(lower))
        let logUpper = goLog2(abs(upper))
        let logValue = goLog2(abs(value))
        if value > 0 { return (logValue - logLower) / (logUpper - logLower) }
        return 1 - ((logValue - logUpper) / (logLower - logUpper))
    }
}
