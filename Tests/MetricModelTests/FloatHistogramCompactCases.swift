// Table cases of Prometheus's model/histogram/float_histogram_test.go
// (TestFloatHistogramCompact),
// converted from its Go literals by a script; the expected values are Prometheus's.

import MetricModel

extension CompactCase {
    /// `TestFloatHistogramCompact`.
    static let prometheusCompactCases: [CompactCase] = [
        CompactCase(
            name: "empty histogram",
            input: FloatHistogram(),
            maxEmptyBuckets: 0,
            expected: FloatHistogram()
        ),
        CompactCase(
            name: "nothing should happen",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000])
        ),
        CompactCase(
            name: "eliminate zero offsets",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 0, length: 3), BucketSpan(offset: 0, length: 1)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 0, length: 2), BucketSpan(offset: 2, length: 1), BucketSpan(offset: 0, length: 1)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 3, 4]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 5)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 4), BucketSpan(offset: 2, length: 2)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 3, 4])
        ),
        CompactCase(
            name: "eliminate zero length",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 0, length: 0), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 1, length: 4)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 3, 4]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 4)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 3, 4])
        ),
        CompactCase(
            name: "eliminate multiple zero length spans",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 9, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3])
        ),
        CompactCase(
            name: "cut empty buckets at start or end",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -4, length: 4), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [0, 0, 1, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 3, 4, 0]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 4)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 3, 4])
        ),
        CompactCase(
            name: "cut empty buckets at start and end",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -4, length: 4), BucketSpan(offset: 5, length: 6)],
                positiveBuckets: [0, 0, 1, 3.3, 4.2, 0.1, 3.3, 0, 0, 0],
                negativeSpans: [BucketSpan(offset: -2, length: 4), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [0, 0, 3.1, 3, 1.234e5, 1000, 3, 4, 0]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 4)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 3, 4])
        ),
        CompactCase(
            name: "cut empty buckets in the middle",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: 5, length: 4)], positiveBuckets: [1, 3, 0, 2]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: 5, length: 2), BucketSpan(offset: 1, length: 1)],
                positiveBuckets: [1, 3, 2])
        ),
        CompactCase(
            name: "cut empty buckets at start or end of spans, even in the middle",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -4, length: 6), BucketSpan(offset: 3, length: 6)],
                positiveBuckets: [0, 0, 1, 3.3, 0, 0, 4.2, 0.1, 3.3, 0, 0, 0],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 2, length: 6)],
                negativeBuckets: [3.1, 3, 0, 1.234e5, 1000, 3, 4, 0]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 4)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 3, 4])
        ),
        CompactCase(
            name: "cut empty buckets at start and end - also merge spans due to maxEmptyBuckets",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -4, length: 4), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [0, 0, 1, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 3, 4, 0]),
            maxEmptyBuckets: 10,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 10)],
                positiveBuckets: [1, 3.3, 0, 0, 0, 0, 0, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 9)],
                negativeBuckets: [3.1, 3, 0, 0, 0, 1.234e5, 1000, 3, 4])
        ),
        CompactCase(
            name: "cut empty buckets from the middle of a span",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -4, length: 6), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [0, 0, 1, 0, 0, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 0, 3, 4]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 1), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 2), BucketSpan(offset: 1, length: 2)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 3, 4])
        ),
        CompactCase(
            name: "cut out a span containing only empty buckets",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -4, length: 3), BucketSpan(offset: 2, length: 2), BucketSpan(offset: 3, length: 4)],
                positiveBuckets: [0, 0, 1, 0, 0, 3.3, 4.2, 0.1, 3.3]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 7, length: 4)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3])
        ),
        CompactCase(
            name: "cut empty buckets from the middle of a span, avoiding none due to maxEmptyBuckets",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 4)], positiveBuckets: [1, 0, 0, 3.3]),
            maxEmptyBuckets: 1,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 1)],
                positiveBuckets: [1, 3.3])
        ),
        CompactCase(
            name: "cut empty buckets and merge spans due to maxEmptyBuckets",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 4), BucketSpan(offset: 3, length: 1)],
                positiveBuckets: [1, 0, 0, 3.3, 4.2]),
            maxEmptyBuckets: 1,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 1), BucketSpan(offset: 3, length: 1)],
                positiveBuckets: [1, 3.3, 4.2])
        ),
        CompactCase(
            name: "cut empty buckets from the middle of a span, avoiding some due to maxEmptyBuckets",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -4, length: 6), BucketSpan(offset: 3, length: 3), BucketSpan(offset: 10, length: 2)],
                positiveBuckets: [0, 0, 1, 0, 0, 3.3, 4.2, 0.1, 3.3, 2, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 0, 3, 4]),
            maxEmptyBuckets: 1,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 1), BucketSpan(offset: 3, length: 3), BucketSpan(offset: 10, length: 2)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3, 2, 3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 0, 3, 4])
        ),
        CompactCase(
            name: "avoiding all cutting of empty buckets from the middle of a chunk due to maxEmptyBuckets",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -4, length: 6), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [0, 0, 1, 0, 0, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 0, 3, 4]),
            maxEmptyBuckets: 2,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 4), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [1, 0, 0, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 0, 3, 4])
        ),
        CompactCase(
            name: "everything merged into one span due to maxEmptyBuckets",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -4, length: 6), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [0, 0, 1, 0, 0, 3.3, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 5)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000, 0, 3, 4]),
            maxEmptyBuckets: 3,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 10)],
                positiveBuckets: [1, 0, 0, 3.3, 0, 0, 0, 4.2, 0.1, 3.3],
                negativeSpans: [BucketSpan(offset: 0, length: 10)],
                negativeBuckets: [3.1, 3, 0, 0, 0, 1.234e5, 1000, 0, 3, 4])
        ),
        CompactCase(
            name: "more than one span merged in the same pass",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 2, length: 2), BucketSpan(offset: 2, length: 2)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3, 2],
                negativeSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 1, length: 1), BucketSpan(offset: 1, length: 1)],
                negativeBuckets: [3.1, 1000, 4]),
            maxEmptyBuckets: 3,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -2, length: 10)],
                positiveBuckets: [1, 3.3, 0, 0, 4.2, 0.1, 0, 0, 3.3, 2],
                negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [3.1, 0, 1000, 0, 4])
        ),
        CompactCase(
            name: "only empty buckets and maxEmptyBuckets greater zero",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -4, length: 6), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0], negativeSpans: [BucketSpan(offset: 0, length: 7)],
                negativeBuckets: [0, 0, 0, 0, 0, 0, 0]),
            maxEmptyBuckets: 3,
            expected: FloatHistogram(positiveSpans: [], positiveBuckets: [], negativeSpans: [], negativeBuckets: [])
        ),
        CompactCase(
            name: "multiple spans of only empty buckets",
            input: FloatHistogram(positiveSpans: [BucketSpan(offset: -10, length: 2), BucketSpan(offset: 2, length: 1), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [0, 0, 0, 0, 2, 3],
                negativeSpans: [BucketSpan(offset: -10, length: 2), BucketSpan(offset: 2, length: 1), BucketSpan(offset: 3, length: 3)],
                negativeBuckets: [2, 3, 0, 0, 0, 0]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(positiveSpans: [BucketSpan(offset: -1, length: 2)], positiveBuckets: [2, 3],
                negativeSpans: [BucketSpan(offset: -10, length: 2)], negativeBuckets: [2, 3])
        ),
        CompactCase(
            name: "nothing should happen with custom buckets",
            input: FloatHistogram(schema: -53,
                positiveSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1], customValues: [1, 2, 3]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(schema: -53,
                positiveSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1], customValues: [1, 2, 3])
        ),
        CompactCase(
            name: "eliminate zero offsets with custom buckets",
            input: FloatHistogram(schema: -53,
                positiveSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 0, length: 3), BucketSpan(offset: 0, length: 1)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3], customValues: [1, 2, 3, 4]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(schema: -53, positiveSpans: [BucketSpan(offset: 0, length: 5)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3], customValues: [1, 2, 3, 4])
        ),
        CompactCase(
            name: "eliminate multiple zero length spans with custom buckets",
            input: FloatHistogram(schema: -53,
                positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 2, length: 0), BucketSpan(offset: 3, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3], customValues: [1, 2, 3, 4]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(schema: -53,
                positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 9, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3], customValues: [1, 2, 3, 4])
        ),
        CompactCase(
            name: "cut empty buckets at start and end with custom buckets",
            input: FloatHistogram(schema: -53,
                positiveSpans: [BucketSpan(offset: 0, length: 4), BucketSpan(offset: 5, length: 6)],
                positiveBuckets: [0, 0, 1, 3.3, 4.2, 0.1, 3.3, 0, 0, 0], customValues: [1, 2, 3, 4, 5, 6, 7, 8, 9]),
            maxEmptyBuckets: 0,
            expected: FloatHistogram(schema: -53,
                positiveSpans: [BucketSpan(offset: 2, length: 2), BucketSpan(offset: 5, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1, 3.3], customValues: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        ),
    ]
}
