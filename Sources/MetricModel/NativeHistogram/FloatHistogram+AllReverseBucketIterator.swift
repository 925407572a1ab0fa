// Iteration over all buckets of a FloatHistogram from the highest to the lowest (Prometheus's
// AllReverseBucketIterator), what histogram_quantile walks for q ≥ 0.5.

extension FloatHistogram {
    /// All buckets from the highest to the lowest: the positive ones, the zero bucket when it
    /// has observations, the negative ones. A bucket that reaches into the zero bucket has that
    /// bound moved to the zero threshold.
    package struct AllReverseBucketIterator: IteratorProtocol, Sequence, Sendable {
        var positive: ReverseBucketIterator
        var negative: BucketIterator
        let zeroBucket: HistogramBucket<Double>?
        let zeroThreshold: Double
        var zeroBucketDone = false

        init(_ h: FloatHistogram) {
            positive = h.positiveReverseBucketIterator()
            negative = h.negativeBucketIterator()
            zeroBucket = h.zeroCount > 0 && !h.usesCustomBuckets ? h.zeroBucket : nil
            zeroThreshold = h.zeroThreshold
        }

        package mutating func next() -> HistogramBucket<Double>? {
            if let bucket = positive.next() { return bucket.clamped(toZeroThreshold: zeroThreshold) }
            if !zeroBucketDone {
                zeroBucketDone = true
                if let zeroBucket { return zeroBucket }
            }
            return negative.next()?.clamped(toZeroThreshold: zeroThreshold)
        }
    }

    /// Every bucket in descending order of bounds, the zero bucket included when it has
    /// observations (Prometheus's `AllReverseBucketIterator`).
    package func allReverseBucketIterator() -> AllReverseBucketIterator { AllReverseBucketIterator(self) }
}

extension HistogramBucket {
    /// The bucket with a bound that lies inside the zero bucket moved out to ±`threshold`.
    func clamped(toZeroThreshold threshold: Double) -> HistogramBucket {
        var bucket = self
        if lower > 0 && lower < threshold {
            bucket.lower = threshold
        } else if upper < 0 && upper > -threshold {
            bucket.upper = -threshold
        }
        return bucket
    }
}
