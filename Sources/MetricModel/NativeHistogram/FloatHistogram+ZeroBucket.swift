// Widening the zero bucket of a FloatHistogram so that two histograms agree on it (Prometheus's
// zeroCountForLargerThreshold, trimBucketsInZeroBucket and reconcileZeroBuckets).

extension FloatHistogram {
    /// What the zero count would be with the zero bucket widened to `largerThreshold` (≥ the
    /// current threshold), and the threshold it really gets: moved out to a bucket boundary
    /// when it falls inside a populated bucket. With `compensation` (a Kahan sum's terms laid
    /// out like this histogram), also the compensation of that zero count.
    func zeroCountForLargerThreshold(
        _ largerThreshold: Double, compensation: FloatHistogram? = nil
    ) -> (zeroCount: Double, threshold: Double, compensationZeroCount: Double) {
        var threshold = largerThreshold
        var compensationZeroCount = compensation?.zeroCount ?? 0
        if threshold == zeroThreshold { return (zeroCount, threshold, compensationZeroCount) }
        precondition(threshold > zeroThreshold, "new zero threshold \(threshold) below \(zeroThreshold)")
        outer: while true {
            var total = zeroCount
            for (position, bucket) in positiveBucketIterator().enumerated() {
                if bucket.lower >= threshold { break }
                (total, compensationZeroCount) = KahanSum.inc(bucket.count, total, compensationZeroCount)
                if let compensation {
                    (total, compensationZeroCount) = KahanSum.inc(
                        compensation.positiveBuckets[position], total, compensationZeroCount)
                }
                if bucket.upper > threshold {
                    // The threshold is inside this bucket: move it to the bucket's upper bound.
                    if bucket.count != 0 { threshold = bucket.upper }
                    break
                }
            }
            for (position, bucket) in negativeBucketIterator().enumerated() {
                if bucket.upper <= -threshold { break }
                (total, compensationZeroCount) = KahanSum.inc(bucket.count, total, compensationZeroCount)
                if let compensation {
                    (total, compensationZeroCount) = KahanSum.inc(
                        compensation.negativeBuckets[position], total, compensationZeroCount)
                }
                if bucket.lower < -threshold {
                    // Inside this bucket: widen and redo the positive side for the new threshold.
                    if bucket.count != 0 {
                        threshold = -bucket.lower
                        continue outer
                    }
                    break
                }
            }
            return (total, threshold, compensationZeroCount)
        }
    }

    /// Removes the buckets inside the zero bucket, whose counts the zero count already holds
    /// (the threshold is on a bucket boundary), in `compensation` too.
    mutating func trimBucketsInZeroBucket(compensation: inout FloatHistogram?) {
        for (position, bucket) in positiveBucketIterator().enumerated() {
            if bucket.lower >= zeroThreshold { break }
            positiveBuckets[position] = 0
            compensation?.positiveBuckets[position] = 0
        }
        for (position, bucket) in negativeBucketIterator().enumerated() {
            if bucket.upper <= -zeroThreshold { break }
            negativeBuckets[position] = 0
            compensation?.negativeBuckets[position] = 0
        }
        compact(maxEmptyBuckets: 0, compensation: &compensation)
    }

    /// Widens this histogram's zero bucket, or computes `other`'s widened one, until both
    /// have the same threshold, which is on no populated bucket of either. Returns the zero
    /// count `other` would have then, with the compensation term of summing its buckets into it;
    /// updates `compensation` along with this histogram.
    mutating func reconcileZeroBuckets(
        with other: FloatHistogram, compensation: inout FloatHistogram?
    ) -> (zeroCount: Double, compensationZeroCount: Double) {
        var otherZeroCount = other.zeroCount
        var otherThreshold = other.zeroThreshold
        var otherCompensationZeroCount = 0.0
        while otherThreshold != zeroThreshold {
            if zeroThreshold > otherThreshold {
                (otherZeroCount, otherThreshold, otherCompensationZeroCount) = other.zeroCountForLargerThreshold(
                    zeroThreshold)
            }
            if otherThreshold > zeroThreshold {
                let widened = zeroCountForLargerThreshold(otherThreshold, compensation: compensation)
                zeroCount = widened.zeroCount
                zeroThreshold = widened.threshold
                compensation?.zeroCount = widened.compensationZeroCount
                trimBucketsInZeroBucket(compensation: &compensation)
            }
        }
        return (otherZeroCount, otherCompensationZeroCount)
    }
}
