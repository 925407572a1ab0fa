// Estimates of a native histogram's mean and spread, as PromQL's histogram_avg,
// histogram_stdvar and histogram_stddev compute them (Prometheus's promql/functions.go).

extension FloatHistogram {
    /// The mean observation, `sum / count` (PromQL's `histogram_avg`).
    package var average: Double { sum / count }

    /// The estimated population variance of the observations (PromQL's `histogram_stdvar`):
    /// every observation is taken to be at its bucket's midpoint (arithmetic for custom buckets,
    /// 0 in the zero bucket, geometric otherwise), and the squared deviations from `average`
    /// are summed with Kahan compensation and divided by `count`.
    ///
    /// ```swift
    /// let spread = h.standardDeviation   // histogram_stddev
    /// ```
    /// Complexity: O(buckets); no allocation.
    package var variance: Double {
        let mean = sum / count
        var variance = 0.0
        var compensation = 0.0
        for bucket in allBucketIterator() where bucket.count != 0 {
            let value: Double
            if usesCustomBuckets {
                value = (bucket.upper + bucket.lower) / 2.0
            } else if bucket.lower <= 0 && bucket.upper >= 0 {
                value = 0
            } else {
                let geometricMean = (bucket.upper * bucket.lower).squareRoot()
                value = bucket.upper < 0 ? -geometricMean : geometricMean
            }
            let delta = value - mean
            (variance, compensation) = KahanSum.inc(bucket.count * delta * delta, variance, compensation)
        }
        variance += compensation
        return variance / count
    }

    /// The square root of `variance` (PromQL's `histogram_stddev`).
    package var standardDeviation: Double { variance.squareRoot() }
}
