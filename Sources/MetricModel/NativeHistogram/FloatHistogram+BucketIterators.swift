// Iteration over the buckets of a FloatHistogram: each side up or down, and all buckets from the
// lowest to the highest (or back) with the zero bucket between (Prometheus's floatBucketIterator
// without resolution change, reverseFloatBucketIterator and allFloatBucketIterator).

extension FloatHistogram {
    /// The buckets of one side in order of increasing |bound|.
    ///
    /// ```swift
    /// for bucket in h.positiveBucketIterator() { print(bucket.upper, bucket.count) }
    /// ```
    package struct BucketIterator: IteratorProtocol, Sequence, Sendable {
        var cursor: SpanCursor
        let counts: [Double]
        let schema: Int32
        let customValues: [Double]
        let positive: Bool

        init(spans: [BucketSpan], counts: [Double], schema: Int32, customValues: [Double], positive: Bool) {
            cursor = SpanCursor(spans: spans)
            self.counts = counts
            self.schema = schema
            self.customValues = customValues
            self.positive = positive
        }

        package mutating func next() -> HistogramBucket<Double>? {
            guard let position = cursor.next(bucketCount: counts.count) else { return nil }
            return HistogramBucket(
                index: cursor.index, count: counts[position], schema: schema, customValues: customValues,
                positive: positive)
        }
    }

    /// The buckets of one side in order of decreasing |bound|, from the outermost bucket in
    /// towards the zero bucket.
    package struct ReverseBucketIterator: IteratorProtocol, Sequence, Sendable {
        let spans: [BucketSpan]
        let counts: [Double]
        let schema: Int32
        let customValues: [Double]
        let positive: Bool
        var spanPosition: Int
        var positionInSpan: Int32
        var bucketPosition: Int
        /// One above the schema index of the next bucket.
        var index: Int32

        init(spans: [BucketSpan], counts: [Double], schema: Int32, customValues: [Double], positive: Bool) {
            self.spans = spans
            self.counts = counts
            self.schema = schema
            self.customValues = customValues
            self.positive = positive
            spanPosition = spans.count - 1
            bucketPosition = counts.count - 1
            positionInSpan = spans.last.map { Int32(truncatingIfNeeded: $0.length) &- 1 } ?? 0
            index = spans.reduce(0) { $0 &+ $1.offset &+ Int32(truncatingIfNeeded: $1.length) }
        }

        package mutating func next() -> HistogramBucket<Double>? {
            index &-= 1
            guard bucketPosition >= 0 else { return nil }
            while positionInSpan < 0 {
                // This span is done (or was empty): step back over the gap before it.
                spanPosition -= 1
                guard spanPosition >= 0 else { return nil }
                positionInSpan = Int32(truncatingIfNeeded: spans[spanPosition].length) &- 1
                index &-= spans[spanPosition + 1].offset
            }
            let count = counts[bucketPosition]
            bucketPosition -= 1
            positionInSpan &-= 1
            return HistogramBucket(
                index: index, count: count, schema: schema, customValues: customValues, positive: positive)
        }
    }

    /// All buckets from the lowest to the highest: the negative ones, the zero bucket when it
    /// has observations, the positive ones; or, made by `allReverseBucketIterator()`, from the
    /// highest to the lowest. A bucket that reaches into the zero bucket has that bound moved
    /// to the zero threshold.
    package struct AllBucketIterator: IteratorProtocol, Sequence, Sendable {
        /// The side walked first, from its outermost bucket in (negative, or positive in reverse).
        var outside: ReverseBucketIterator
        /// The side walked last, from the zero bucket out.
        var inside: BucketIterator
        let zeroBucket: HistogramBucket<Double>?
        let zeroThreshold: Double
        var zeroBucketDone = false

        init(_ h: FloatHistogram, reverse: Bool) {
            outside = reverse ? h.positiveReverseBucketIterator() : h.negativeReverseBucketIterator()
            inside = reverse ? h.negativeBucketIterator() : h.positiveBucketIterator()
            // Custom buckets have no zero bucket (Prometheus would panic on an invalid one that has).
            zeroBucket = h.zeroCount > 0 && !h.usesCustomBuckets ? h.zeroBucket : nil
            zeroThreshold = h.zeroThreshold
        }

        package mutating func next() -> HistogramBucket<Double>? {
            if var bucket = outside.next() {
                clampToZeroBucket(&bucket)
                return bucket
            }
            if !zeroBucketDone {
                zeroBucketDone = true
                if let zeroBucket { return zeroBucket }
            }
            guard var bucket = inside.next() else { return nil }
            clampToZeroBucket(&bucket)
            return bucket
        }

        func clampToZeroBucket(_ bucket: inout HistogramBucket<Double>) {
            if bucket.upper < 0 && bucket.upper > -zeroThreshold {
                bucket.upper = -zeroThreshold
            } else if bucket.lower > 0 && bucket.lower < zeroThreshold {
                bucket.lower = zeroThreshold
            }
        }
    }

    /// The positive buckets, from the zero bucket up.
    package func positiveBucketIterator() -> BucketIterator {
        BucketIterator(
            spans: positiveSpans, counts: positiveBuckets, schema: schema, customValues: customValues, positive: true)
    }

    /// The negative buckets, from the zero bucket down (so with decreasing bounds).
    package func negativeBucketIterator() -> BucketIterator {
        BucketIterator(spans: negativeSpans, counts: negativeBuckets, schema: schema, customValues: [], positive: false)
    }

    /// The positive buckets, from the highest down to the zero bucket.
    package func positiveReverseBucketIterator() -> ReverseBucketIterator {
        ReverseBucketIterator(
            spans: positiveSpans, counts: positiveBuckets, schema: schema, customValues: customValues, positive: true)
    }

    /// The negative buckets, from the lowest up to the zero bucket (so with increasing bounds).
    package func negativeReverseBucketIterator() -> ReverseBucketIterator {
        ReverseBucketIterator(
            spans: negativeSpans, counts: negativeBuckets, schema: schema, customValues: [], positive: false)
    }

    /// Every bucket in ascending order of bounds, the zero bucket included when it has
    /// observations (Prometheus's `AllBucketIterator`).
    package func allBucketIterator() -> AllBucketIterator { AllBucketIterator(self, reverse: false) }

    /// Every bucket in descending order of bounds, the zero bucket included when it has
    /// observations (Prometheus's `AllReverseBucketIterator`), what histogram_quantile walks
    /// for q ≥ 0.5.
    package func allReverseBucketIterator() -> AllBucketIterator { AllBucketIterator(self, reverse: true) }

    /// The zero bucket, [-zeroThreshold, zeroThreshold].
    package var zeroBucket: HistogramBucket<Double> { .zero(threshold: zeroThreshold, count: zeroCount) }
}
