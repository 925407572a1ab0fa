// Table cases of Prometheus's model/histogram/histogram_test.go
// (TestHistogramCompact, TestHistogramReduceResolution),
// converted from its Go literals by a script; the expected values are Prometheus's.

import MetricModel

extension IntegerHistogramCase {
    /// `TestHistogramCompact`.
    static let prometheusCompactCases: [IntegerHistogramCase] = [
        IntegerHistogramCase(
            name: "empty histogram",
            input: Histogram(),
            parameter: 0,
            expected: Histogram()
        ),
        IntegerHistogramCase(
            name: "nothing should happen",
            input: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3, -3, 42],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [5, 3, 123400, 1000]),
            parameter: 0,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3, -3, 42],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [5, 3, 123400, 1000])
        ),
        IntegerHistogramCase(
            name: "eliminate zero offsets",
            input: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 0, length: 3), BucketSpan(offset: 0, length: 1)],
                positiveBuckets: [1, 3, -3, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 0, length: 2), BucketSpan(offset: 2, length: 1), BucketSpan(offset: 0, length: 1)],
                negativeBuckets: [5, 3, 123400, 1000, 3, 4]),
            parameter: 0,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 5)], positiveBuckets: [1, 3, -3, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 4), BucketSpan(offset: 2, length: 2)],
                negativeBuckets: [5, 3, 123400, 1000, 3, 4])
        ),
        IntegerHistogramCase(
            name: "eliminate zero length",
            input: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [1, 3, -3, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 0, length: 0), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 1, length: 4)],
                negativeBuckets: [5, 3, 123400, 1000, 3, 4]),
            parameter: 0,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [1, 3, -3, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 4)],
                negativeBuckets: [5, 3, 123400, 1000, 3, 4])
        ),
        IntegerHistogramCase(
            name: "eliminate multiple zero length spans",
            input: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [1, 3, -3, 42, 3]),
            parameter: 0,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 9, length: 3)],
                positiveBuckets: [1, 3, -3, 42, 3])
        ),
        IntegerHistogramCase(
            name: "cut empty buckets at start or end",
            input: Histogram(positiveSpans: [BucketSpan(offset: -4, length: 4), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [0, 0, 1, 3, -3, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [5, 3, -4, -2, 3, 4, -9]),
            parameter: 0,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [1, 3, -3, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 4)],
                negativeBuckets: [5, 3, -4, -2, 3, 4])
        ),
        IntegerHistogramCase(
            name: "cut empty buckets at start and end",
            input: Histogram(positiveSpans: [BucketSpan(offset: -4, length: 4), BucketSpan(offset: 5, length: 6)],
                positiveBuckets: [0, 0, 1, 3, -3, 42, 3, -46, 0, 0],
                negativeSpans: [BucketSpan(offset: -2, length: 4), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [0, 0, 5, 3, -4, -2, 3, 4, -9]),
            parameter: 0,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [1, 3, -3, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 4)],
                negativeBuckets: [5, 3, -4, -2, 3, 4])
        ),
        IntegerHistogramCase(
            name: "cut empty buckets at start or end of spans, even in the middle",
            input: Histogram(positiveSpans: [BucketSpan(offset: -4, length: 6), BucketSpan(offset: 3, length: 6)],
                positiveBuckets: [0, 0, 1, 3, -4, 0, 1, 42, 3, -46, 0, 0],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 2, length: 6)],
                negativeBuckets: [5, 3, -8, 4, -2, 3, 4, -9]),
            parameter: 0,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [1, 3, -3, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 4)],
                negativeBuckets: [5, 3, -4, -2, 3, 4])
        ),
        IntegerHistogramCase(
            name: "cut empty buckets at start or end but merge spans due to maxEmptyBuckets",
            input: Histogram(positiveSpans: [BucketSpan(offset: -4, length: 4), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [0, 0, 1, 3, -3, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [5, 3, -4, -2, 3, 4, -9]),
            parameter: 10,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 10)],
                positiveBuckets: [1, 3, -4, 0, 0, 0, 0, 1, 42, 3], negativeSpans: [BucketSpan(offset: 0, length: 9)],
                negativeBuckets: [5, 3, -8, 0, 0, 4, -2, 3, 4])
        ),
        IntegerHistogramCase(
            name: "cut empty buckets from the middle of a span",
            input: Histogram(positiveSpans: [BucketSpan(offset: -4, length: 6), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [0, 0, 1, -1, 0, 3, -2, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [5, 3, -4, -2, -2, 3, 4]),
            parameter: 0,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 1), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [1, 2, -2, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 2), BucketSpan(offset: 1, length: 2)],
                negativeBuckets: [5, 3, -4, -2, 1, 4])
        ),
        IntegerHistogramCase(
            name: "cut out a span containing only empty buckets",
            input: Histogram(positiveSpans: [BucketSpan(offset: -4, length: 3), BucketSpan(offset: 2, length: 2), BucketSpan(offset: 3, length: 4)],
                positiveBuckets: [0, 0, 1, -1, 0, 3, -2, 42, 3]),
            parameter: 0,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 7, length: 4)],
                positiveBuckets: [1, 2, -2, 42, 3])
        ),
        IntegerHistogramCase(
            name: "cut empty buckets from the middle of a span, avoiding some due to maxEmptyBuckets",
            input: Histogram(positiveSpans: [BucketSpan(offset: -4, length: 6), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [0, 0, 1, -1, 0, 3, -2, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [5, 3, -4, -2, -2, 3, 4]),
            parameter: 1,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 1), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [1, 2, -2, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [5, 3, -4, -2, -2, 3, 4])
        ),
        IntegerHistogramCase(
            name: "avoiding all cutting of empty buckets from the middle of a chunk due to maxEmptyBuckets",
            input: Histogram(positiveSpans: [BucketSpan(offset: -4, length: 6), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [0, 0, 1, -1, 0, 3, -2, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [5, 3, -4, -2, -2, 3, 4]),
            parameter: 2,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 4), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [1, -1, 0, 3, -2, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [5, 3, -4, -2, -2, 3, 4])
        ),
        IntegerHistogramCase(
            name: "everything merged into one span due to maxEmptyBuckets",
            input: Histogram(positiveSpans: [BucketSpan(offset: -4, length: 6), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [0, 0, 1, -1, 0, 3, -2, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [5, 3, -4, -2, -2, 3, 4]),
            parameter: 3,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -2, length: 10)],
                positiveBuckets: [1, -1, 0, 3, -3, 0, 0, 1, 42, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 10)],
                negativeBuckets: [5, 3, -8, 0, 0, 4, -2, -2, 3, 4])
        ),
        IntegerHistogramCase(
            name: "more than one span merged in the same pass",
            input: Histogram(count: 30,
                positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 2, length: 2), BucketSpan(offset: 2, length: 2)],
                positiveBuckets: [1, 1, 1, 1, 1, 1],
                negativeSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 1, length: 1), BucketSpan(offset: 1, length: 1)],
                negativeBuckets: [2, 1, 1]),
            parameter: 3,
            expected: Histogram(count: 30, positiveSpans: [BucketSpan(offset: 0, length: 10)],
                positiveBuckets: [1, 1, -2, 0, 3, 1, -4, 0, 5, 1], negativeSpans: [BucketSpan(offset: 0, length: 5)],
                negativeBuckets: [2, -2, 3, -3, 4])
        ),
        IntegerHistogramCase(
            name: "only empty buckets and maxEmptyBuckets greater zero",
            input: Histogram(positiveSpans: [BucketSpan(offset: -4, length: 6), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0], negativeSpans: [BucketSpan(offset: 0, length: 7)],
                negativeBuckets: [0, 0, 0, 0, 0, 0, 0]),
            parameter: 3,
            expected: Histogram(positiveSpans: [], positiveBuckets: [], negativeSpans: [], negativeBuckets: [])
        ),
        IntegerHistogramCase(
            name: "multiple spans of only empty buckets",
            input: Histogram(positiveSpans: [BucketSpan(offset: -10, length: 2), BucketSpan(offset: 2, length: 1), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [0, 0, 0, 0, 2, 3],
                negativeSpans: [BucketSpan(offset: -10, length: 2), BucketSpan(offset: 2, length: 1), BucketSpan(offset: 3, length: 3)],
                negativeBuckets: [2, 3, -5, 0, 0, 0]),
            parameter: 0,
            expected: Histogram(positiveSpans: [BucketSpan(offset: -1, length: 2)], positiveBuckets: [2, 3],
                negativeSpans: [BucketSpan(offset: -10, length: 2)], negativeBuckets: [2, 3])
        ),
        IntegerHistogramCase(
            name: "nothing should happen with custom buckets",
            input: Histogram(schema: -53,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3, -3, 42], customValues: [5, 10, 15]),
            parameter: 0,
            expected: Histogram(schema: -53,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3, -3, 42], customValues: [5, 10, 15])
        ),
        IntegerHistogramCase(
            name: "eliminate zero offsets with custom buckets",
            input: Histogram(schema: -53,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 0, length: 3), BucketSpan(offset: 0, length: 1)],
                positiveBuckets: [1, 3, -3, 42, 3], customValues: [5, 10, 15, 20]),
            parameter: 0,
            expected: Histogram(schema: -53, positiveSpans: [BucketSpan(offset: -2, length: 5)],
                positiveBuckets: [1, 3, -3, 42, 3], customValues: [5, 10, 15, 20])
        ),
        IntegerHistogramCase(
            name: "eliminate zero length with custom buckets",
            input: Histogram(schema: -53,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [1, 3, -3, 42, 3], customValues: [5, 10, 15, 20]),
            parameter: 0,
            expected: Histogram(schema: -53,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [1, 3, -3, 42, 3], customValues: [5, 10, 15, 20])
        ),
        IntegerHistogramCase(
            name: "all zero-length spans with non-empty buckets",
            input: Histogram(positiveSpans: [BucketSpan(offset: 0, length: 0), BucketSpan(offset: 2, length: 0)],
                positiveBuckets: [1, 3], negativeSpans: [BucketSpan(offset: 1, length: 0)], negativeBuckets: [2]),
            parameter: 0,
            expected: Histogram(positiveSpans: [], positiveBuckets: [], negativeSpans: [], negativeBuckets: [])
        ),
        IntegerHistogramCase(
            name: "more buckets than spans account for",
            input: Histogram(positiveSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 2, length: 1)],
                positiveBuckets: [1, 2, 3, 4], negativeSpans: [BucketSpan(offset: 0, length: 1)],
                negativeBuckets: [5, 6]),
            parameter: 0,
            expected: Histogram(positiveSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 2, length: 1)],
                positiveBuckets: [1, 2, 3, 4], negativeSpans: [BucketSpan(offset: 0, length: 1)],
                negativeBuckets: [5, 6])
        ),
        IntegerHistogramCase(
            name: "eliminate multiple zero length spans with custom buckets",
            input: Histogram(schema: -53,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [1, 3, -3, 42, 3], customValues: [5, 10, 15, 20]),
            parameter: 0,
            expected: Histogram(schema: -53,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 9, length: 3)],
                positiveBuckets: [1, 3, -3, 42, 3], customValues: [5, 10, 15, 20])
        ),
        IntegerHistogramCase(
            name: "cut empty buckets at start or end of spans, even in the middle, with custom buckets",
            input: Histogram(schema: -53,
                positiveSpans: [BucketSpan(offset: -4, length: 6), BucketSpan(offset: 3, length: 6)],
                positiveBuckets: [0, 0, 1, 3, -4, 0, 1, 42, 3, -46, 0, 0], customValues: [5, 10, 15, 20]),
            parameter: 0,
            expected: Histogram(schema: -53,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [1, 3, -3, 42, 3], customValues: [5, 10, 15, 20])
        ),
    ]

    /// `TestHistogramReduceResolution` (`parameter` is the target schema).
    static let prometheusReduceResolutionCases: [IntegerHistogramCase] = [
        IntegerHistogramCase(
            name: "valid histogram",
            input: Histogram(schema: 0,
                positiveSpans: [BucketSpan(offset: -2, length: 4), BucketSpan(offset: 0, length: 0), BucketSpan(offset: 3, length: 2)],
                positiveBuckets: [1, 2, -2, 1, -1, 0],
                negativeSpans: [BucketSpan(offset: 0, length: 4), BucketSpan(offset: 0, length: 0), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [1, 2, -2, 1, -1, 0]),
            parameter: -1,
            expected: Histogram(schema: -1,
                positiveSpans: [BucketSpan(offset: -1, length: 3), BucketSpan(offset: 1, length: 1)],
                positiveBuckets: [1, 3, -2, 0],
                negativeSpans: [BucketSpan(offset: 0, length: 3), BucketSpan(offset: 1, length: 1)],
                negativeBuckets: [1, 3, -2, 0])
        ),
        IntegerHistogramCase(
            name: "not enough buckets",
            input: Histogram(schema: 0,
                positiveSpans: [BucketSpan(offset: -2, length: 4), BucketSpan(offset: 0, length: 0), BucketSpan(offset: 3, length: 2)],
                positiveBuckets: [1, 2, -2, 1, -1]),
            parameter: -1,
            error: "have 5 buckets but spans need more: histogram spans specify different number of buckets than provided"
        ),
        IntegerHistogramCase(
            name: "too many buckets",
            input: Histogram(schema: 0,
                positiveSpans: [BucketSpan(offset: -2, length: 4), BucketSpan(offset: 0, length: 0), BucketSpan(offset: 3, length: 2)],
                positiveBuckets: [1, 2, -2, 1, -1, 0, 3]),
            parameter: -1,
            error: "spans need 6 buckets, have 7 buckets: histogram spans specify different number of buckets than provided"
        ),
        IntegerHistogramCase(
            name: "negative offset",
            input: Histogram(schema: 0,
                positiveSpans: [BucketSpan(offset: -2, length: 4), BucketSpan(offset: -1, length: 0), BucketSpan(offset: 3, length: 2)],
                positiveBuckets: [1, 2, -2, 1, -1, 0]),
            parameter: -1,
            error: "span number 2 with offset -1: histogram has a span whose offset is negative"
        ),
    ]
}
