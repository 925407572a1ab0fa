// Merging the buckets of one histogram side into a lower-resolution schema (Prometheus's
// reduceResolution, mustReduceResolution, kahanReduceResolution and targetIdx in
// model/histogram), shared by Histogram and FloatHistogram.

/// Span-and-bucket algorithms shared by `Histogram` and `FloatHistogram`.
package enum HistogramBuckets {
    /// The index in `targetSchema` of the bucket that contains bucket `index` of `originSchema`
    /// (`targetSchema` ≤ `originSchema`; both exponential).
    @inlinable
    package static func targetIndex(_ index: Int32, from originSchema: Int32, to targetSchema: Int32) -> Int32 {
        ((index &- 1) >> (originSchema &- targetSchema)) &+ 1
    }

    /// Prometheus's `reduceResolution`: the spans and buckets of one side merged into
    /// `targetSchema` (lower than `originSchema`). `deltas` says whether `buckets` are deltas
    /// (integer histograms) or absolute counts.
    ///
    /// ```swift
    /// // Schema 1 buckets 1, 2 ((1,1.41], (1.41,2]) become schema 0 bucket 1 ((1,2]):
    /// let (spans, buckets) = try HistogramBuckets.reduceResolution(
    ///     spans: [BucketSpan(offset: 1, length: 2)], buckets: [3.0, 4], from: 1, to: 0, deltas: false)
    /// // spans == [BucketSpan(offset: 1, length: 1)], buckets == [7]
    /// ```
    /// - Throws: `spanNegativeOffset` for a span after the first with a negative offset,
    ///   `spansBucketsMismatch` when the spans need more or fewer buckets than given.
    /// Complexity: O(buckets); allocates the result arrays.
    package static func reduceResolution<Count: StoredBucketCount>(
        spans originSpans: [BucketSpan], buckets originBuckets: [Count],
        from originSchema: Int32, to targetSchema: Int32, deltas: Bool
    ) throws(HistogramError) -> (spans: [BucketSpan], buckets: [Count]) {
        var layout = ReducedLayout()
        var buckets: [Count] = []
        buckets.reserveCapacity(originBuckets.count)
        var index: Int32 = 0
        var position = 0
        var lastBucketCount = Count.zero  // Absolute count of the last origin bucket (deltas only).
        var lastTargetBucketCount = Count.zero  // Absolute count of the last target bucket (deltas only).
        for (n, span) in originSpans.enumerated() {
            if n > 0 && span.offset < 0 {
                throw HistogramError(.spanNegativeOffset, context: "span number \(n + 1) with offset \(span.offset)")
            }
            index &+= span.offset
            for _ in 0..<Int(span.length) {
                guard position < originBuckets.count else {
                    throw HistogramError(
                        .spansBucketsMismatch, context: "have \(originBuckets.count) buckets but spans need more")
                }
                let count = originBuckets[position]
                switch layout.place(targetIndex(index, from: originSchema, to: targetSchema)) {
                case .newBucket:
                    if deltas {
                        lastBucketCount = Count.plus(lastBucketCount, count)
                        buckets.append(Count.minus(lastBucketCount, lastTargetBucketCount))
                        lastTargetBucketCount = lastBucketCount
                    } else {
                        buckets.append(count)
                    }
                case .sameBucket:
                    if deltas {
                        lastBucketCount = Count.plus(lastBucketCount, count)
                        buckets[buckets.count - 1] = Count.plus(buckets[buckets.count - 1], lastBucketCount)
                        lastTargetBucketCount = Count.plus(lastTargetBucketCount, lastBucketCount)
                    } else {
                        buckets[buckets.count - 1] = Count.plus(buckets[buckets.count - 1], count)
                    }
                case .dropped:
                    break
                }
                index &+= 1
                position += 1
            }
        }
        if position != originBuckets.count {
            throw HistogramError(
                .spansBucketsMismatch, context: "spans need \(position) buckets, have \(originBuckets.count) buckets")
        }
        return (layout.spans, buckets)
    }

    /// Both sides of a histogram merged into `targetSchema` (Prometheus's `ReduceResolution` of
    /// either histogram type); nothing changes when it throws.
    ///
    /// - Throws: `invalidResolutionChange` for custom buckets or a target that is not lower;
    ///   `spanNegativeOffset` / `spansBucketsMismatch` for invalid spans.
    static func reduceResolution<Count: StoredBucketCount>(
        schema: inout Int32, to targetSchema: Int32,
        positiveSpans: inout [BucketSpan], positiveBuckets: inout [Count],
        negativeSpans: inout [BucketSpan], negativeBuckets: inout [Count], deltas: Bool
    ) throws(HistogramError) {
        if HistogramSchema.isCustomBuckets(schema) || HistogramSchema.isCustomBuckets(targetSchema)
            || targetSchema >= schema
        {
            throw .invalidResolutionChange(from: schema, to: targetSchema)
        }
        let positive = try reduceResolution(
            spans: positiveSpans, buckets: positiveBuckets, from: schema, to: targetSchema, deltas: deltas)
        let negative = try reduceResolution(
            spans: negativeSpans, buckets: negativeBuckets, from: schema, to: targetSchema, deltas: deltas)
        (positiveSpans, positiveBuckets) = positive
        (negativeSpans, negativeBuckets) = negative
        schema = targetSchema
    }

    /// Prometheus's `kahanReduceResolution`: `reduceResolution` of absolute counts that carry
    /// Kahan compensation terms; merged buckets are summed with compensation. Spans are not
    /// checked (Prometheus only calls it on valid histograms).
    package static func kahanReduceResolution(
        spans originSpans: [BucketSpan], buckets originBuckets: [Double], compensation originCompensation: [Double],
        from originSchema: Int32, to targetSchema: Int32
    ) -> (spans: [BucketSpan], buckets: [Double], compensation: [Double]) {
        var layout = ReducedLayout()
        var buckets: [Double] = []
        var compensation: [Double] = []
        var index: Int32 = 0
        var position = 0
        for span in originSpans {
            index &+= span.offset
            for _ in 0..<Int(span.length) {
                switch layout.place(targetIndex(index, from: originSchema, to: targetSchema)) {
                case .newBucket:
                    buckets.append(originBuckets[position])
                    compensation.append(originCompensation[position])
                case .sameBucket:
                    let last = buckets.count - 1
                    (buckets[last], compensation[last]) = KahanSum.inc(
                        originBuckets[position], buckets[last], compensation[last])
                    (buckets[last], compensation[last]) = KahanSum.inc(
                        originCompensation[position], buckets[last], compensation[last])
                case .dropped:
                    break
                }
                index &+= 1
                position += 1
            }
        }
        return (layout.spans, buckets, compensation)
    }
}

/// The spans of a side being merged into a lower schema, built one origin bucket at a time.
struct ReducedLayout {
    enum Placement { case newBucket, sameBucket, dropped }

    var spans: [BucketSpan] = []
    var lastIndex: Int32 = 0

    /// Where the next origin bucket, which belongs in target bucket `index`, goes: into the
    /// last target bucket, into a new one (extending the last span or opening a new one), or
    /// nowhere when its index is below the last (invalid spans; Prometheus drops it too).
    mutating func place(_ index: Int32) -> Placement {
        if spans.isEmpty {
            spans.append(BucketSpan(offset: index, length: 1))
        } else if index == lastIndex {
            return .sameBucket
        } else if index == lastIndex &+ 1 {
            spans[spans.count - 1].length += 1
        } else if index > lastIndex {
            spans.append(BucketSpan(offset: index &- lastIndex &- 1, length: 1))
        } else {
            return .dropped
        }
        lastIndex = index
        return .newBucket
    }
}
