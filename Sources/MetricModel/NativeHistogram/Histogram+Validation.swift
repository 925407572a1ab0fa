// Validation of native histograms (Prometheus's Histogram.Validate and FloatHistogram.Validate
// with checkHistogramSpans, checkHistogramBuckets and checkHistogramCustomBounds), with the same
// checks in the same order and the same error texts.

extension Histogram {
    /// Throws unless the histogram is consistent: a valid schema; spans that cover exactly the
    /// buckets given, with no negative offset after the first span; no bucket whose absolute count
    /// is negative; `count` equal to the buckets' total (at least it when `sum` is NaN); for custom
    /// buckets, strictly increasing finite bounds enough for the spans and no zero bucket or
    /// negative side; for exponential ones, no custom bounds.
    ///
    /// ```swift
    /// try Histogram(count: 2, positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [2]).validate()
    /// ```
    /// Complexity: O(spans + buckets + bounds), no allocation unless it throws.
    package func validate() throws(HistogramError) {
        var negativeCount: UInt64 = 0
        if usesCustomBuckets {
            try validateCustomBuckets(
                customValues, positiveSpans, positiveBuckets.count, zeroCount: zeroCount == 0 ? 0 : 1,
                zeroThreshold: zeroThreshold, negativeSpans: negativeSpans.count, negativeBuckets: negativeBuckets.count
            )
        } else if HistogramSchema.isExponential(schema) {
            try checkSpansOfBothSides(
                positiveSpans, positiveBuckets.count, negativeSpans, negativeBuckets.count)
            do throws(HistogramError) {
                negativeCount = try checkDeltaBuckets(negativeBuckets)
            } catch { throw error.wrapped("negative side") }
            if !customValues.isEmpty { throw HistogramError(.exponentialSchemaCustomBounds) }
        } else {
            throw HistogramError.invalidSchema(schema)
        }
        let positiveCount: UInt64
        do throws(HistogramError) {
            positiveCount = try checkDeltaBuckets(positiveBuckets)
        } catch { throw error.wrapped("positive side") }

        // Go's uint64 sums wrap; so do these (a hostile histogram must not trap).
        let inBuckets = negativeCount &+ positiveCount &+ zeroCount
        if sum.isNaN {
            if inBuckets > count {
                throw HistogramError(
                    .countNotBigEnough,
                    context: "\(inBuckets) observations found in buckets, but the Count field is \(count)")
            }
        } else if inBuckets != count {
            throw HistogramError(
                .countMismatch, context: "\(inBuckets) observations found in buckets, but the Count field is \(count)")
        }
    }
}

extension FloatHistogram {
    /// Throws unless the histogram is consistent: the checks of `Histogram.validate()` on
    /// absolute counts, plus a non-negative zero count and count, but without comparing `count`
    /// with the buckets' total (rounding makes that comparison unreliable, as Prometheus notes).
    ///
    /// ```swift
    /// try FloatHistogram(count: 2, positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [2]).validate()
    /// ```
    /// Complexity: O(spans + buckets + bounds), no allocation unless it throws.
    package func validate() throws(HistogramError) {
        if usesCustomBuckets {
            try validateCustomBuckets(
                customValues, positiveSpans, positiveBuckets.count, zeroCount: zeroCount,
                zeroThreshold: zeroThreshold, negativeSpans: negativeSpans.count, negativeBuckets: negativeBuckets.count
            )
        } else if HistogramSchema.isExponential(schema) {
            try checkSpansOfBothSides(
                positiveSpans, positiveBuckets.count, negativeSpans, negativeBuckets.count)
            do throws(HistogramError) {
                try checkAbsoluteBuckets(negativeBuckets)
            } catch { throw error.wrapped("negative side") }
            if zeroCount < 0 {
                throw HistogramError(
                    .negativeBucketCount, context: "zero bucket has observation count of \(goFormatG(zeroCount))")
            }
            if !customValues.isEmpty { throw HistogramError(.exponentialSchemaCustomBounds) }
        } else {
            throw HistogramError.invalidSchema(schema)
        }
        if count < 0 {
            // Two spaces after "is", as Prometheus prints it.
            throw HistogramError(.negativeCount, context: "observation count is  \(goFormatG(count))")
        }
        do throws(HistogramError) {
            try checkAbsoluteBuckets(positiveBuckets)
        } catch { throw error.wrapped("positive side") }
    }
}

/// The custom-buckets (schema -53) rules shared by both histogram types, in Prometheus's order.
/// `zeroCount` is only compared with 0.
private func validateCustomBuckets(
    _ bounds: [Double], _ spans: [BucketSpan], _ bucketCount: Int, zeroCount: Double, zeroThreshold: Double,
    negativeSpans: Int, negativeBuckets: Int
) throws(HistogramError) {
    do throws(HistogramError) {
        try checkCustomBounds(bounds, spans, bucketCount: bucketCount)
    } catch { throw error.wrapped("custom buckets") }
    if zeroCount != 0 { throw HistogramError(.customBucketsZeroCount) }
    if zeroThreshold != 0 { throw HistogramError(.customBucketsZeroThreshold) }
    if negativeSpans > 0 { throw HistogramError(.customBucketsNegativeSpans) }
    if negativeBuckets > 0 { throw HistogramError(.customBucketsNegativeBuckets) }
}

/// `checkSpans` on the positive, then the negative side of an exponential histogram, the error
/// saying which side.
private func checkSpansOfBothSides(
    _ positiveSpans: [BucketSpan], _ positiveBucketCount: Int, _ negativeSpans: [BucketSpan],
    _ negativeBucketCount: Int
) throws(HistogramError) {
    do throws(HistogramError) {
        try checkSpans(positiveSpans, bucketCount: positiveBucketCount)
    } catch { throw error.wrapped("positive side") }
    do throws(HistogramError) {
        try checkSpans(negativeSpans, bucketCount: negativeBucketCount)
    } catch { throw error.wrapped("negative side") }
}

/// Spans after the first have no negative offset, and the spans' lengths add up to `bucketCount`.
private func checkSpans(_ spans: [BucketSpan], bucketCount: Int) throws(HistogramError) {
    var covered = 0
    for (n, span) in spans.enumerated() {
        if n > 0 && span.offset < 0 {
            throw HistogramError(.spanNegativeOffset, context: "span number \(n + 1) with offset \(span.offset)")
        }
        covered += Int(span.length)
    }
    if covered != bucketCount {
        throw HistogramError(.spansBucketsMismatch, context: "spans need \(covered) buckets, have \(bucketCount) buckets")
    }
}

/// No running sum of `deltas` is negative; returns their total (wrapping, as Go's uint64 does).
private func checkDeltaBuckets(_ deltas: [Int64]) throws(HistogramError) -> UInt64 {
    var current: Int64 = 0
    var total: UInt64 = 0
    for (i, delta) in deltas.enumerated() {
        current &+= delta
        if current < 0 {
            throw HistogramError(.negativeBucketCount, context: "bucket number \(i + 1) has observation count of \(current)")
        }
        total &+= UInt64(current)
    }
    return total
}

/// No count is negative (NaN passes, as in Prometheus).
private func checkAbsoluteBuckets(_ counts: [Double]) throws(HistogramError) {
    for (i, count) in counts.enumerated() where count < 0 {
        throw HistogramError(
            .negativeBucketCount, context: "bucket number \(i + 1) has observation count of \(goFormatG(count))")
    }
}

/// Bounds strictly increasing, not NaN, the last not `+Inf`; every span offset non-negative (the
/// first too), lengths adding up to `bucketCount`, and enough bounds for all buckets spanned.
private func checkCustomBounds(_ bounds: [Double], _ spans: [BucketSpan], bucketCount: Int) throws(HistogramError) {
    var previous = -Double.infinity
    for (i, bound) in bounds.enumerated() {
        if bound.isNaN { throw HistogramError(.customBucketsNaN) }
        if i > 0 && bound <= previous {
            throw HistogramError(
                .customBucketsInvalid,
                context: "previous bound is \(goFormatFixed(previous, precision: 6)) and current is "
                    + goFormatFixed(bound, precision: 6))
        }
        previous = bound
    }
    if previous == .infinity {
        throw HistogramError(.customBucketsInfinite, context: "last +Inf bound must not be explicitly defined")
    }
    var covered = 0
    var spanned = 0
    for (n, span) in spans.enumerated() {
        if span.offset < 0 {
            throw HistogramError(.spanNegativeOffset, context: "span number \(n + 1) with offset \(span.offset)")
        }
        covered += Int(span.length)
        spanned += Int(span.length) + Int(span.offset)
    }
    if covered != bucketCount {
        throw HistogramError(.spansBucketsMismatch, context: "spans need \(covered) buckets, have \(bucketCount) buckets")
    }
    if bounds.count + 1 < spanned {
        throw HistogramError(
            .customBucketsMismatch,
            context: "only \(bounds.count) custom bounds defined which is insufficient to cover total span length of \(spanned)"
        )
    }
}
