// Histogram: a native-histogram sample with integer counts and delta-encoded buckets, as it is
// scraped, appended, written to the WAL and stored in histogram chunks (Prometheus's
// histogram.Histogram).

/// A native histogram with integer counts: exponential buckets of a schema (-4…8), or custom
/// bounds (schema -53, NHCB).
///
/// Bucket counts are stored as they are encoded: the first bucket of each side as an absolute
/// count, every later one as the difference to the one before. `toFloat()` turns them into
/// absolute counts.
///
/// ```swift
/// // 3 observations in (1, 2], 5 in (2, 4], 1 in (0.5, 1]'s mirror [-1, -0.5):
/// let h = Histogram(
///     schema: 0, zeroThreshold: 0.001, zeroCount: 0, count: 9, sum: 12.5,
///     positiveSpans: [BucketSpan(offset: 1, length: 2)], positiveBuckets: [3, 2],
///     negativeSpans: [BucketSpan(offset: 0, length: 1)], negativeBuckets: [1])
/// h.toFloat().positiveBuckets   // [3, 5]
/// ```
///
/// `==` is Prometheus's `Equals`: counts and sum by bit pattern (a stale-NaN sum equals itself),
/// spans by the buckets they describe (empty spans do not matter), custom bounds only for the
/// custom-buckets schema, and the counter-reset hint not at all.
///
/// Fields are laid out widest first so that the value takes 77 bytes (stride 80); custom
/// bounds are shared between samples of a series by copy-on-write, as Prometheus interns them.
package struct Histogram: Sendable {
    /// Width of the zero bucket: observations with |v| ≤ threshold count in it.
    package var zeroThreshold: Double
    /// Observations in the zero bucket.
    package var zeroCount: UInt64
    /// Total number of observations.
    package var count: UInt64
    /// Sum of observations (a stale marker when it is the staleness NaN).
    package var sum: Double
    /// Where the positive buckets are.
    package var positiveSpans: [BucketSpan]
    /// Where the negative buckets are (mirrored: index i covers [-bound(i), -bound(i-1))).
    package var negativeSpans: [BucketSpan]
    /// Positive bucket counts: first absolute, then deltas.
    package var positiveBuckets: [Int64]
    /// Negative bucket counts: first absolute, then deltas.
    package var negativeBuckets: [Int64]
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
        zeroCount: UInt64 = 0,
        count: UInt64 = 0,
        sum: Double = 0,
        positiveSpans: [BucketSpan] = [],
        positiveBuckets: [Int64] = [],
        negativeSpans: [BucketSpan] = [],
        negativeBuckets: [Int64] = [],
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

    /// The same histogram with absolute floating-point bucket counts (Prometheus's `ToFloat`).
    ///
    /// For custom buckets the zero bucket and negative side are left out, as they are unused.
    /// Complexity: O(buckets); allocates the two bucket arrays (spans and bounds are shared).
    package func toFloat() -> FloatHistogram {
        var result = FloatHistogram(
            counterResetHint: counterResetHint, schema: schema, count: Double(count), sum: sum,
            positiveSpans: positiveSpans, positiveBuckets: Self.absolute(positiveBuckets)
        )
        if usesCustomBuckets {
            result.customValues = customValues
        } else {
            result.zeroThreshold = zeroThreshold
            result.zeroCount = Double(zeroCount)
            result.negativeSpans = negativeSpans
            result.negativeBuckets = Self.absolute(negativeBuckets)
        }
        return result
    }

    /// Running sums of `deltas` as doubles (Go adds `float64(delta)` to a float64 accumulator).
    private static func absolute(_ deltas: [Int64]) -> [Double] {
        var current = 0.0
        return deltas.map { delta in
            current += Double(delta)
            return current
        }
    }
}

extension Histogram: Equatable {
    package static func == (a: Histogram, b: Histogram) -> Bool {
        guard a.schema == b.schema, a.count == b.count, a.sum.bitPattern == b.sum.bitPattern else { return false }
        if a.usesCustomBuckets && !HistogramSchema.customBoundsMatch(a.customValues, b.customValues) { return false }
        return a.zeroThreshold == b.zeroThreshold && a.zeroCount == b.zeroCount
            && BucketSpan.layoutsMatch(a.negativeSpans, b.negativeSpans) && a.negativeBuckets == b.negativeBuckets
            && BucketSpan.layoutsMatch(a.positiveSpans, b.positiveSpans) && a.positiveBuckets == b.positiveBuckets
    }
}
