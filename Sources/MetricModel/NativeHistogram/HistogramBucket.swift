// HistogramBucket: one bucket of a native histogram with its bounds, as Prometheus's bucket
// iterators yield it (histogram.Bucket), and its text ("[-1,-0.5):2").

/// One bucket: its bounds, whether each bound belongs to it, its absolute count and its index in
/// the schema. `Count` is `UInt64` for `Histogram`, `Double` for `FloatHistogram`.
///
/// ```swift
/// for bucket in h.positiveBucketIterator() {
///     bucket.description   // "(1,2]:5"
/// }
/// ```
package struct HistogramBucket<Count: Sendable & Equatable>: Sendable, Equatable {
    /// Lower bound (`-Inf` for the first custom bucket).
    package var lower: Double
    /// Upper bound (`+Inf` for the last custom bucket and for the bucket of ±Inf observations).
    package var upper: Double
    /// Whether observations equal to `lower` count in this bucket.
    package var lowerInclusive: Bool
    /// Whether observations equal to `upper` count in this bucket.
    package var upperInclusive: Bool
    /// Observations in the bucket (absolute, not a delta).
    package var count: Count
    /// The bucket's index in its schema (0 for the zero bucket, where it means nothing).
    package var index: Int32

    package init(lower: Double, upper: Double, lowerInclusive: Bool, upperInclusive: Bool, count: Count, index: Int32) {
        self.lower = lower
        self.upper = upper
        self.lowerInclusive = lowerInclusive
        self.upperInclusive = upperInclusive
        self.count = count
        self.index = index
    }

    /// The bucket with `index` on the positive or negative side of a histogram of `schema`
    /// (Prometheus's `baseBucketIterator.at`).
    init(index: Int32, count: Count, schema: Int32, customValues: [Double], positive: Bool) {
        let upperOfIndex = HistogramSchema.bound(index: index, schema: schema, customValues: customValues)
        let upperOfPrevious = HistogramSchema.bound(index: index &- 1, schema: schema, customValues: customValues)
        if positive {
            lower = upperOfPrevious
            upper = upperOfIndex
        } else {
            lower = -upperOfIndex
            upper = -upperOfPrevious
        }
        if HistogramSchema.isCustomBuckets(schema) {
            lowerInclusive = index == 0
            upperInclusive = true
        } else {
            lowerInclusive = lower < 0
            upperInclusive = upper > 0
        }
        self.count = count
        self.index = index
    }

    /// `[lower,upper]` with `(`/`)` for bounds that are not inclusive, then `:` and `countText`,
    /// the bounds as Go's `%g` prints them.
    func text(count countText: String) -> String {
        var text = lowerInclusive ? "[" : "("
        text += goFormatG(lower)
        text += ","
        text += goFormatG(upper)
        text += upperInclusive ? "]:" : "):"
        text += countText
        return text
    }
}

extension HistogramBucket: CustomStringConvertible where Count == Double {
    /// Prometheus's `Bucket.String()`: `"(0.5,1]:3"`, the count as Go's `%v` prints a float64.
    package var description: String { text(count: goFormatG(count)) }
}

extension HistogramBucket where Count == UInt64 {
    /// Prometheus's `Bucket.String()` for integer counts: `"(0.5,1]:3"`. (Only one conditional
    /// `CustomStringConvertible` conformance is possible; the float one has it.)
    package var description: String { text(count: String(count)) }
}

extension HistogramBucket {
    /// The zero bucket of a histogram: [-threshold, threshold], both bounds inclusive
    /// (Prometheus's `ZeroBucket()`).
    package static func zero(threshold: Double, count: Count) -> HistogramBucket {
        HistogramBucket(
            lower: -threshold, upper: threshold, lowerInclusive: true, upperInclusive: true, count: count, index: 0)
    }
}
