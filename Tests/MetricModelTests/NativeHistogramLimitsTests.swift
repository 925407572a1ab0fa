// NativeHistogramLimitsTests: native_histogram_bucket_limit and native_histogram_min_bucket_factor,
// with Prometheus's own cases (scrape/target_test.go TestBucketLimitAppender and
// TestMaxSchemaAppender, scrape/scrape_test.go TestPickSchema), on integer and float histograms.

import MetricModel
import Testing

@Suite("native histogram scrape limits")
struct NativeHistogramLimitsTests {
    static let example = Histogram(
        schema: 0, zeroThreshold: 0.001, zeroCount: 3, count: 21, sum: 33,
        positiveSpans: [BucketSpan(offset: 0, length: 3)], positiveBuckets: [3, 0, 0],
        negativeSpans: [BucketSpan(offset: 0, length: 3)], negativeBuckets: [3, 0, 0])

    static let bigGap = Histogram(
        schema: 0, zeroThreshold: 0.001, zeroCount: 3, count: 21, sum: 33,
        positiveSpans: [BucketSpan(offset: 1, length: 1), BucketSpan(offset: 2, length: 1)],  // (1,2], (8,16]
        positiveBuckets: [1, 0])

    static let customBuckets = Histogram(
        schema: HistogramSchema.customBuckets, count: 9, sum: 33,
        positiveSpans: [BucketSpan(offset: 0, length: 3)], positiveBuckets: [3, 0, 0], customValues: [1, 2, 3])

    /// TestBucketLimitAppender: histogram, limit, then nil for an error or (bucket count, schema).
    static let bucketLimitCases: [(String, Histogram, Int, (buckets: Int, schema: Int32)?)] = [
        ("example/3", example, 3, nil),
        ("example/4", example, 4, (4, -1)),
        ("example/10", example, 10, (6, 0)),
        ("bigGap/1", bigGap, 1, (1, -2)),
        ("custom/2", customBuckets, 2, nil),
        ("custom/3", customBuckets, 3, (3, HistogramSchema.customBuckets)),
    ]

    @Test(arguments: bucketLimitCases.indices)
    func bucketLimit(_ k: Int) throws {
        let (name, h, limit, expected) = Self.bucketLimitCases[k]
        let limits = NativeHistogramLimits(bucketLimit: limit)
        var integer = h
        var float = h.toFloat()
        if let expected {
            try limits.apply(to: &integer)
            try limits.apply(to: &float)
            #expect(integer.schema == expected.schema, "\(name)")
            #expect(integer.positiveBuckets.count + integer.negativeBuckets.count == expected.buckets, "\(name)")
            #expect(float.schema == expected.schema, "\(name)")
            #expect(float.positiveBuckets.count + float.negativeBuckets.count == expected.buckets, "\(name)")
            // Merging buckets keeps every observation.
            func total(_ f: FloatHistogram) -> Double { f.positiveBuckets.reduce(0, +) + f.negativeBuckets.reduce(0, +) }
            #expect(total(integer.toFloat()) == total(h.toFloat()), "\(name)")
            #expect(total(float) == total(h.toFloat()), "\(name)")
        } else {
            #expect(throws: HistogramError(.bucketLimitExceeded)) { try limits.apply(to: &integer) }
            #expect(throws: HistogramError(.bucketLimitExceeded)) { try limits.apply(to: &float) }
        }
    }

    @Test func bucketLimitMergesAsPrometheusDoes() throws {
        var h = Self.example
        try NativeHistogramLimits(bucketLimit: 4).apply(to: &h)
        // Schema 0 buckets 0, 1, 2 (counts 3, 3, 3) become schema -1 buckets 0 (3) and 1 (3+3).
        #expect(h.positiveSpans == [BucketSpan(offset: 0, length: 2)])
        #expect(h.positiveBuckets == [3, 3])
        #expect(h.negativeBuckets == [3, 3])
        #expect(h.count == 21)
    }

    @Test func noLimitChangesNothing() throws {
        var h = Self.example
        let limits = NativeHistogramLimits()
        #expect(limits.isUnlimited)
        try limits.apply(to: &h)
        #expect(h == Self.example)
        #expect(h.schema == 0)
    }

    /// TestMaxSchemaAppender.
    @Test(arguments: [(Int32(-1), Int32(-1)), (0, 0)])
    func maxSchema(_ maxSchema: Int32, _ expected: Int32) throws {
        let limits = NativeHistogramLimits(bucketLimit: 0, maxSchema: maxSchema)
        var integer = Self.example
        var float = Self.example.toFloat()
        try limits.apply(to: &integer)
        try limits.apply(to: &float)
        #expect(integer.schema == expected)
        #expect(float.schema == expected)
    }

    @Test func maxSchemaLeavesCustomBucketsAlone() throws {
        var h = Self.customBuckets
        try NativeHistogramLimits(bucketLimit: 0, maxSchema: -1).apply(to: &h)
        #expect(h.schema == HistogramSchema.customBuckets)
        #expect(h == Self.customBuckets)
    }

    /// A schema above 8 (reserved) is brought down by the factor's maximum, but only when that
    /// maximum is below 8: Prometheus installs no maxSchemaAppender otherwise.
    @Test func reservedSchemasAreReducedByTheFactorOnly() throws {
        var high = Self.example
        high.schema = 10
        var reduced = high
        try NativeHistogramLimits(bucketLimit: 0, maxSchema: 3).apply(to: &reduced)
        #expect(reduced.schema == 3)
        var kept = high
        try NativeHistogramLimits(bucketLimit: 0, minBucketFactor: 0).apply(to: &kept)
        #expect(kept.schema == 10)
        // And the bucket limit cannot lower a schema outside -4…8.
        #expect(throws: HistogramError(.bucketLimitExceeded)) {
            var h = high
            try NativeHistogramLimits(bucketLimit: 1, maxSchema: 8).apply(to: &h)
        }
    }

    @Test func factorThenLimit() throws {
        // A factor of 4 allows schema -1 ((1,4], (4,16]: two buckets); a limit of 1 then lowers
        // it to -2, where (1,16] holds both.
        var h = Self.bigGap
        try NativeHistogramLimits(bucketLimit: 0, minBucketFactor: 4).apply(to: &h)
        #expect(h.schema == -1)
        #expect(h.positiveSpans == [BucketSpan(offset: 1, length: 2)])
        #expect(h.positiveBuckets == [1, 0])
        try NativeHistogramLimits(bucketLimit: 1, minBucketFactor: 4).apply(to: &h)
        #expect(h.schema == -2)
        #expect(h.positiveSpans == [BucketSpan(offset: 1, length: 1)])
        #expect(h.positiveBuckets == [2])
    }

    @Test func schemaMinimumIsTheEnd() throws {
        var h = Histogram(
            schema: -4, count: 2, sum: 1,
            positiveSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 5, length: 1)], positiveBuckets: [1, 0])
        #expect(throws: HistogramError(.bucketLimitExceeded)) {
            try NativeHistogramLimits(bucketLimit: 1).apply(to: &h)
        }
        #expect(HistogramError(.bucketLimitExceeded).description == "histogram bucket limit exceeded")
    }

    /// TestPickSchema.
    @Test(arguments: [
        (65536.0, Int32(-4)), (256, -3), (16, -2), (4, -1), (2, 0), (1.4, 1), (1.1, 2), (1.09, 3), (1.04, 4),
        (1.02, 5), (1.01, 6), (1.005, 7), (1.002, 8), (0, 8),
    ])
    func pickSchema(_ factor: Double, _ schema: Int32) {
        #expect(NativeHistogramLimits.maxSchema(minBucketFactor: factor) == schema)
        #expect(NativeHistogramLimits(minBucketFactor: factor).maxSchema == schema)
    }

    @Test func pickSchemaExtremes() {
        #expect(NativeHistogramLimits.maxSchema(minBucketFactor: .nan) == 8)
        #expect(NativeHistogramLimits.maxSchema(minBucketFactor: -3) == 8)
        #expect(NativeHistogramLimits.maxSchema(minBucketFactor: 1) == 8)
        #expect(NativeHistogramLimits.maxSchema(minBucketFactor: .infinity) == -4)
        #expect(NativeHistogramLimits.maxSchema(minBucketFactor: 1e300) == -4)
    }
}
