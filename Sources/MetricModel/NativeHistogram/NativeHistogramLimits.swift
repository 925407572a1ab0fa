// NativeHistogramLimits: the resolution limits a scrape applies to native histograms before they
// are appended — `native_histogram_min_bucket_factor` (Prometheus's pickSchema and
// maxSchemaAppender) and `native_histogram_bucket_limit` (bucketLimitAppender), scrape/target.go.

/// A scrape config's limits on native-histogram resolution, applied in Prometheus's order:
/// first the schema is lowered to what the minimum bucket factor allows, then it is lowered
/// further, one step at a time, until the buckets fit the bucket limit.
///
/// ```swift
/// let limits = NativeHistogramLimits(bucketLimit: 4, minBucketFactor: 1.1)  // maxSchema 2
/// var h = scrapedHistogram             // schema 3, 9 buckets
/// try limits.apply(to: &h)             // schema 2 (factor), then lower until ≤ 4 buckets
/// ```
package struct NativeHistogramLimits: Sendable, Hashable {
    /// The most buckets (both sides) a histogram may keep; 0 means no limit.
    package var bucketLimit: Int
    /// The highest schema kept; `HistogramSchema.exponentialMax` (8) means no reduction.
    package var maxSchema: Int32

    /// Limits from the scrape config's values (0 for either: no limit).
    package init(bucketLimit: Int = 0, minBucketFactor: Double = 0) {
        self.bucketLimit = bucketLimit
        maxSchema = Self.maxSchema(minBucketFactor: minBucketFactor)
    }

    /// Limits with an explicit maximum schema.
    package init(bucketLimit: Int, maxSchema: Int32) {
        self.bucketLimit = bucketLimit
        self.maxSchema = maxSchema
    }

    /// The highest schema whose bucket growth factor `2^(2^-schema)` is at least
    /// `minBucketFactor` (Prometheus's `pickSchema`): `floor(-log2(log2(factor)))` clamped to
    /// -4…8. A factor of at most 1 (the default 0 included) gives 8; NaN is treated the same.
    ///
    /// ```swift
    /// NativeHistogramLimits.maxSchema(minBucketFactor: 1.1)    // 2
    /// NativeHistogramLimits.maxSchema(minBucketFactor: 65536)  // -4
    /// ```
    package static func maxSchema(minBucketFactor: Double) -> Int32 {
        let factor = minBucketFactor <= 1 || minBucketFactor.isNaN ? 1.00271 : minBucketFactor
        let floor = (-goLog2(goLog2(factor))).rounded(.down)
        if floor >= Double(HistogramSchema.exponentialMax) { return HistogramSchema.exponentialMax }
        if floor <= Double(HistogramSchema.exponentialMin) { return HistogramSchema.exponentialMin }
        return Int32(floor)
    }

    /// Whether applying these limits can change anything.
    package var isUnlimited: Bool { bucketLimit <= 0 && maxSchema >= HistogramSchema.exponentialMax }

    /// Lowers `h`'s resolution to fit the limits.
    ///
    /// - Throws: `bucketLimitExceeded` when the buckets do not fit even at schema -4, or the
    ///   histogram has too many buckets and a schema that cannot be lowered (custom buckets);
    ///   the errors of `reduceResolution(to:)` for spans that do not match the buckets.
    package func apply(to h: inout Histogram) throws(HistogramError) { try limit(&h) }

    /// Lowers `h`'s resolution to fit the limits; see `apply(to:)` for integer histograms.
    package func apply(to h: inout FloatHistogram) throws(HistogramError) { try limit(&h) }

    private func limit<H: ResolutionReducible>(_ h: inout H) throws(HistogramError) {
        // maxSchemaAppender, which Prometheus installs only below schema 8.
        if maxSchema < HistogramSchema.exponentialMax, HistogramSchema.isExponentialReserved(h.schema),
            h.schema > maxSchema
        {
            try h.reduceResolution(to: maxSchema)
        }
        // bucketLimitAppender.
        guard bucketLimit > 0 else { return }
        if h.bucketCount > bucketLimit && !HistogramSchema.isExponential(h.schema) {
            throw HistogramError(.bucketLimitExceeded)
        }
        while h.bucketCount > bucketLimit {
            if h.schema <= HistogramSchema.exponentialMin { throw HistogramError(.bucketLimitExceeded) }
            try h.reduceResolution(to: h.schema - 1)
        }
    }
}

/// What resolution limits need of either histogram type.
protocol ResolutionReducible {
    var schema: Int32 { get }
    /// Buckets on both sides.
    var bucketCount: Int { get }
    mutating func reduceResolution(to targetSchema: Int32) throws(HistogramError)
}

extension Histogram: ResolutionReducible {
    var bucketCount: Int { positiveBuckets.count + negativeBuckets.count }
}

extension FloatHistogram: ResolutionReducible {
    var bucketCount: Int { positiveBuckets.count + negativeBuckets.count }
}
