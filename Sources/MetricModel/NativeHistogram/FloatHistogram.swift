// FloatHistogram: a native histogram with absolute floating-point counts, what PromQL computes
// with and what float-histogram chunks store (Prometheus's histogram.FloatHistogram).

/// A native histogram with absolute floating-point counts: exponential buckets of a schema
/// (-4…8), or custom bounds (schema -53, NHCB).
///
/// ```swift
/// let h = FloatHistogram(
///     count: 7, sum: 10, positiveSpans: [BucketSpan(offset: 0, length: 2)], positiveBuckets: [2, 5])
/// h.description   // "{count:7, sum:10, (0.5,1]:2, (1,2]:5}"
/// ```
///
/// `==` is Prometheus's `Equals`: counts and sum by bit pattern (NaN equals NaN of the same
/// bits), the zero threshold and custom bounds by value, spans by the buckets they describe,
/// and the counter-reset hint not at all.
package struct FloatHistogram: Sendable {
    /// Width of the zero bucket: observations with |v| ≤ threshold count in it.
    package var zeroThreshold: Double
    /// Observations in the zero bucket; never negative.
    package var zeroCount: Double
    /// Total number of observations; never negative.
    package var count: Double
    /// Sum of observations (a stale marker when it is the staleness NaN).
    package var sum: Double
    /// Where the positive buckets are.
    package var positiveSpans: [BucketSpan]
    /// Where the negative buckets are (mirrored: index i covers [-bound(i), -bound(i-1))).
    package var negativeSpans: [BucketSpan]
    /// Absolute positive bucket counts.
    package var positiveBuckets: [Double]
    /// Absolute negative bucket counts.
    package var negativeBuckets: [Double]
    /// Upper bounds of the custom buckets (schema -53), strictly increasing, without `+Inf`;
    /// empty for exponential schemas.
    package var customValues: [Double]
    /// The bucket schema: -4…8 exponential, -53 custom buckets.
    package var schema: Int32
    /// What this sample says about counter resets.
    package var counterResetHint: CounterResetHint

    package init(
        counterResetHint: CounterResetHint = .unknown,
        schema: Int32 = 0,
        zeroThreshold: Double = 0,
        zeroCount: Double = 0,
        count: Double = 0,
        sum: Double = 0,
        positiveSpans: [BucketSpan] = [],
        positiveBuckets: [Double] = [],
        negativeSpans: [BucketSpan] = [],
        negativeBuckets: [Double] = [],
        customValues: [Double] = []
    ) {
        self.zeroThreshold = zeroThreshold
        self.zeroCount = zeroCount
        self.count = count
        self.sum = sum
        self.positiveSpans = positiveSpans
        self.negativeSpans = negativeSpans
        self.positiveBuckets = positiveBuckets
        self.negativeBuckets = negativeBuckets
        self.customValues = customValues
        self.schema = schema
        self.counterResetHint = counterResetHint
    }

    /// Whether the buckets are custom (schema -53) rather than exponential.
    package var usesCustomBuckets: Bool { HistogramSchema.isCustomBuckets(schema) }
}

extension FloatHistogram: Equatable {
    package static func == (a: FloatHistogram, b: FloatHistogram) -> Bool {
        guard a.schema == b.schema, a.count.bitPattern == b.count.bitPattern, a.sum.bitPattern == b.sum.bitPattern
        else { return false }
        if a.usesCustomBuckets && !HistogramSchema.customBoundsMatch(a.customValues, b.customValues) { return false }
        return a.zeroThreshold == b.zeroThreshold && a.zeroCount.bitPattern == b.zeroCount.bitPattern
            && BucketSpan.layoutsMatch(a.negativeSpans, b.negativeSpans)
            && sameBits(a.negativeBuckets, b.negativeBuckets)
            && BucketSpan.layoutsMatch(a.positiveSpans, b.positiveSpans)
            && sameBits(a.positiveBuckets, b.positiveBuckets)
    }

    /// Prometheus's `floatBucketsMatch`: same length, same bit patterns.
    private static func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }
}
