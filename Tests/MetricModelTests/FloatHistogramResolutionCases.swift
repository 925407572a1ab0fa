// Table cases of Prometheus's model/histogram/float_histogram_test.go
// (TestFloatHistogramCopyToSchema, TestFloatHistogramReduceResolution),
// converted from its Go literals by a script; the expected values are Prometheus's.

import MetricModel

extension ResolutionCase {
    /// `TestFloatHistogramCopyToSchema`.
    static let prometheusCopyToSchemaCases: [ResolutionCase] = [
        ResolutionCase(
            name: "no schema change",
            input: FloatHistogram(schema: 1, zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 2.345,
                positiveSpans: [BucketSpan(offset: -4, length: 3), BucketSpan(offset: 5, length: 5)],
                positiveBuckets: [1, 0, 0, 3, 2, 2, 3, 4],
                negativeSpans: [BucketSpan(offset: 6, length: 3), BucketSpan(offset: 6, length: 4)],
                negativeBuckets: [3, 0.5, 0.5, 2, 3, 2, 4]),
            targetSchema: 1,
            expected: FloatHistogram(schema: 1, zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 2.345,
                positiveSpans: [BucketSpan(offset: -4, length: 3), BucketSpan(offset: 5, length: 5)],
                positiveBuckets: [1, 0, 0, 3, 2, 2, 3, 4],
                negativeSpans: [BucketSpan(offset: 6, length: 3), BucketSpan(offset: 6, length: 4)],
                negativeBuckets: [3, 0.5, 0.5, 2, 3, 2, 4])
        ),
        ResolutionCase(
            name: "schema change",
            input: FloatHistogram(schema: 1, zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 2.345,
                positiveSpans: [BucketSpan(offset: -4, length: 3), BucketSpan(offset: 5, length: 5)],
                positiveBuckets: [1, 0, 0, 3, 2, 2, 3, 4],
                negativeSpans: [BucketSpan(offset: 6, length: 3), BucketSpan(offset: 6, length: 4)],
                negativeBuckets: [3, 0.5, 0.5, 2, 3, 2, 4]),
            targetSchema: 0,
            expected: FloatHistogram(schema: 0, zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 2.345,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 0, 3, 4, 7],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3, 1, 5, 6])
        ),
        ResolutionCase(
            name: "no schema change for custom buckets",
            input: FloatHistogram(schema: -53, count: 30, sum: 2.345,
                positiveSpans: [BucketSpan(offset: 0, length: 3), BucketSpan(offset: 5, length: 5)],
                positiveBuckets: [1, 0, 0, 3, 2, 2, 3, 4], customValues: [1, 2, 3, 4, 5, 6, 7]),
            targetSchema: -53,
            expected: FloatHistogram(schema: -53, count: 30, sum: 2.345,
                positiveSpans: [BucketSpan(offset: 0, length: 3), BucketSpan(offset: 5, length: 5)],
                positiveBuckets: [1, 0, 0, 3, 2, 2, 3, 4], customValues: [1, 2, 3, 4, 5, 6, 7])
        ),
    ]
}

extension ResolutionCase {
    /// `TestFloatHistogramReduceResolution`.
    static let prometheusReduceResolutionCases: [ResolutionCase] = [
        ResolutionCase(
            name: "valid float histogram",
            input: FloatHistogram(schema: 0,
                positiveSpans: [BucketSpan(offset: -2, length: 4), BucketSpan(offset: 0, length: 0), BucketSpan(offset: 3, length: 2)],
                positiveBuckets: [1, 3, 1, 2, 1, 1],
                negativeSpans: [BucketSpan(offset: 0, length: 4), BucketSpan(offset: 0, length: 0), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [1, 3, 1, 2, 1, 1]),
            targetSchema: -1,
            expected: FloatHistogram(schema: -1,
                positiveSpans: [BucketSpan(offset: -1, length: 3), BucketSpan(offset: 1, length: 1)],
                positiveBuckets: [1, 4, 2, 2],
                negativeSpans: [BucketSpan(offset: 0, length: 3), BucketSpan(offset: 1, length: 1)],
                negativeBuckets: [1, 4, 2, 2])
        ),
        ResolutionCase(
            name: "not enough buckets",
            input: FloatHistogram(schema: 0,
                positiveSpans: [BucketSpan(offset: -2, length: 4), BucketSpan(offset: 0, length: 0), BucketSpan(offset: 3, length: 2)],
                positiveBuckets: [1, 3, 1, 2, 1]),
            targetSchema: -1,
            error: "have 5 buckets but spans need more: histogram spans specify different number of buckets than provided"
        ),
        ResolutionCase(
            name: "too many buckets",
            input: FloatHistogram(schema: 0,
                positiveSpans: [BucketSpan(offset: -2, length: 4), BucketSpan(offset: 0, length: 0), BucketSpan(offset: 3, length: 2)],
                positiveBuckets: [1, 3, 1, 2, 1, 1, 5]),
            targetSchema: -1,
            error: "spans need 6 buckets, have 7 buckets: histogram spans specify different number of buckets than provided"
        ),
        ResolutionCase(
            name: "negative offset",
            input: FloatHistogram(schema: 0,
                positiveSpans: [BucketSpan(offset: -2, length: 4), BucketSpan(offset: -1, length: 0), BucketSpan(offset: 3, length: 2)],
                positiveBuckets: [1, 3, 1, 2, 1, 1]),
            targetSchema: -1,
            error: "span number 2 with offset -1: histogram has a span whose offset is negative"
        ),
    ]
}
