// Adding the buckets of one histogram side into another's, creating missing buckets and spans
// (Prometheus's addBuckets and kahanAddBuckets in model/histogram/float_histogram.go).

extension HistogramBuckets {
    /// The compensation terms of a Kahan sum's two sides, for `add(…)`.
    package struct Compensation {
        /// Compensation of side A, updated with A's buckets.
        package var a: [Double]
        /// Compensation of side B, or nil when B has none.
        package var b: [Double]?

        package init(a: [Double], b: [Double]?) {
            self.a = a
            self.b = b
        }
    }

    /// Adds (or, with `negative`, subtracts) the buckets of B (`spansB`/`bucketsB`) to those of
    /// A, inserting buckets and spans in A as needed. All buckets are of `schema`; exponential
    /// buckets of B whose upper bound is ≤ `threshold` (inside the zero bucket) are left out.
    ///
    /// With `compensation`, each sum is a Kahan step into A's compensation term, and B's own
    /// compensation (when not 0) is added the same way (Prometheus's `kahanAddBuckets`);
    /// without, a plain `+=` (Prometheus's `addBuckets`).
    /// Complexity: O(bucketsA + bucketsB) plus the cost of insertions.
    package static func add(
        schema: Int32, threshold: Double, negative: Bool,
        spansA: inout [BucketSpan], bucketsA: inout [Double],
        spansB: [BucketSpan], bucketsB: [Double],
        compensation: inout Compensation?
    ) {
        var iSpan = -1
        var iBucket = -1
        var iInSpan: Int32 = 0
        var indexA: Int32 = 0
        var indexB: Int32 = 0
        var positionB = 0
        var belowThreshold = true
        let exponential = HistogramSchema.isExponential(schema)

        /// Adds B's current bucket into A's bucket at `i`.
        func addInto(_ i: Int, _ bucketB: Double, _ compensationB: Double) {
            guard compensation != nil else {
                bucketsA[i] += bucketB
                return
            }
            (bucketsA[i], compensation!.a[i]) = KahanSum.inc(bucketB, bucketsA[i], compensation!.a[i])
            if compensationB != 0 {
                (bucketsA[i], compensation!.a[i]) = KahanSum.inc(compensationB, bucketsA[i], compensation!.a[i])
            }
        }

        /// Inserts B's current bucket as a new bucket of A at `i`.
        func insert(at i: Int, _ bucketB: Double, _ compensationB: Double) {
            bucketsA.insert(bucketB, at: i)
            compensation?.a.insert(compensationB, at: i)
        }

        for spanB in spansB {
            indexB &+= spanB.offset
            for _ in 0..<Int(spanB.length) {
                defer {
                    indexA = indexB
                    indexB &+= 1
                    positionB += 1
                }
                if belowThreshold && exponential
                    && HistogramSchema.exponentialBound(index: indexB, schema: schema) <= threshold
                {
                    continue
                }
                belowThreshold = false
                var bucketB = bucketsB[positionB]
                var compensationB = compensation?.b?[positionB] ?? 0
                if negative {
                    bucketB *= -1
                    compensationB *= -1
                }
                if iSpan == -1 {
                    if spansA.isEmpty || spansA[0].offset > indexB {
                        // Before all other buckets.
                        insert(at: 0, bucketB, compensationB)
                        if !spansA.isEmpty && spansA[0].offset == indexB &+ 1 {
                            spansA[0].length += 1
                            spansA[0].offset &-= 1
                            continue
                        }
                        spansA.insert(BucketSpan(offset: indexB, length: 1), at: 0)
                        if spansA.count > 1 { spansA[1].offset &-= indexB &+ 1 }
                        continue
                    } else if spansA[0].offset == indexB {
                        addInto(0, bucketB, compensationB)
                        continue
                    }
                    iSpan = 0
                    iBucket = 0
                    iInSpan = 0
                    indexA = spansA[0].offset
                }
                var deltaIndex = indexB &- indexA
                while true {
                    let remainingInSpan = Int32(truncatingIfNeeded: spansA[iSpan].length) &- iInSpan
                    if deltaIndex < remainingInSpan {
                        // In the current span.
                        iBucket += Int(deltaIndex)
                        iInSpan &+= deltaIndex
                        addInto(iBucket, bucketB, compensationB)
                        break
                    }
                    deltaIndex &-= remainingInSpan
                    iBucket += Int(remainingInSpan)
                    iSpan += 1
                    if iSpan < spansA.count && deltaIndex >= spansA[iSpan].offset {
                        // Try the start of the next span.
                        deltaIndex &-= spansA[iSpan].offset
                        iInSpan = 0
                        continue
                    }
                    // In the gap after the previous span (or after all spans).
                    insert(at: iBucket, bucketB, compensationB)
                    if deltaIndex == 0 {
                        // Right after the previous span: extend it.
                        if iSpan < spansA.count { spansA[iSpan].offset &-= 1 }
                        iSpan -= 1
                        iInSpan = Int32(truncatingIfNeeded: spansA[iSpan].length)
                        spansA[iSpan].length += 1
                    } else if iSpan < spansA.count && deltaIndex == spansA[iSpan].offset &- 1 {
                        // Right before the next span: extend that.
                        iInSpan = 0
                        spansA[iSpan].offset &-= 1
                        spansA[iSpan].length += 1
                    } else {
                        // A new span.
                        iInSpan = 0
                        if iSpan < spansA.count { spansA[iSpan].offset &-= deltaIndex &+ 1 }
                        spansA.insert(BucketSpan(offset: deltaIndex, length: 1), at: iSpan)
                    }
                    break
                }
            }
        }
    }
}
