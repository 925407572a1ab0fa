// Iteration over the buckets of an integer Histogram, with bounds and absolute counts
// (Prometheus's Histogram.PositiveBucketIterator / NegativeBucketIterator).

extension Histogram {
    /// The buckets of one side of a `Histogram` in order of increasing |bound|, with absolute
    /// counts (the deltas summed up).
    ///
    /// ```swift
    /// for bucket in h.positiveBucketIterator() { print(bucket.upper, bucket.count) }
    /// ```
    /// A struct iterator: no allocation, no reference counting per bucket.
    package struct BucketIterator: IteratorProtocol, Sequence, Sendable {
        var cursor: SpanCursor
        let deltas: [Int64]
        let schema: Int32
        let customValues: [Double]
        let positive: Bool
        var current: Int64 = 0

        init(spans: [BucketSpan], deltas: [Int64], schema: Int32, customValues: [Double], positive: Bool) {
            cursor = SpanCursor(spans: spans)
            self.deltas = deltas
            self.schema = schema
            self.customValues = customValues
            self.positive = positive
        }

        package mutating func next() -> HistogramBucket<UInt64>? {
            guard let position = cursor.next(bucketCount: deltas.count) else { return nil }
            current &+= deltas[position]
            return HistogramBucket(
                index: cursor.index, count: UInt64(bitPattern: current), schema: schema, customValues: customValues,
                positive: positive)
        }
    }

    /// The positive buckets, from the zero bucket up.
    package func positiveBucketIterator() -> BucketIterator {
        BucketIterator(
            spans: positiveSpans, deltas: positiveBuckets, schema: schema, customValues: customValues, positive: true)
    }

    /// The negative buckets, from the zero bucket down (so with decreasing bounds).
    package func negativeBucketIterator() -> BucketIterator {
        BucketIterator(spans: negativeSpans, deltas: negativeBuckets, schema: schema, customValues: [], positive: false)
    }

    /// The zero bucket, [-zeroThreshold, zeroThreshold].
    package var zeroBucket: HistogramBucket<UInt64> { .zero(threshold: zeroThreshold, count: zeroCount) }
}
