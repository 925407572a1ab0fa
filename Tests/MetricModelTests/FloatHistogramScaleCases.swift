// Table cases of Prometheus's model/histogram/float_histogram_test.go
// (TestFloatHistogramMul, TestFloatHistogramDiv),
// converted from its Go literals by a script; the expected values are Prometheus's.

import MetricModel

extension ScaleCase {
    /// `TestFloatHistogramMul`.
    static let prometheusMulCases: [ScaleCase] = [
        ScaleCase(
            name: "zero value",
            input: FloatHistogram(),
            factor: 3.1415,
            expected: FloatHistogram()
        ),
        ScaleCase(
            name: "zero multiplier",
            input: FloatHistogram(zeroThreshold: 0.01, zeroCount: 5.5, count: 3493.3, sum: 2349209.324,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000]),
            factor: 0,
            expected: FloatHistogram(zeroThreshold: 0.01, zeroCount: 0, count: 0, sum: 0,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [0, 0, 0, 0],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [0, 0, 0, 0])
        ),
        ScaleCase(
            name: "no-op",
            input: FloatHistogram(zeroThreshold: 0.01, zeroCount: 5.5, count: 3493.3, sum: 2349209.324,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000]),
            factor: 1,
            expected: FloatHistogram(zeroThreshold: 0.01, zeroCount: 5.5, count: 3493.3, sum: 2349209.324,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000])
        ),
        ScaleCase(
            name: "double",
            input: FloatHistogram(zeroThreshold: 0.01, zeroCount: 5.5, count: 3493.3, sum: 2349209.324,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000]),
            factor: 2,
            expected: FloatHistogram(zeroThreshold: 0.01, zeroCount: 11, count: 3493.3 * 2, sum: 2349209.324 * 2,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [2, 6.6, 8.4, 0.2],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [6.2, 6, 1.234e5 * 2, 2000])
        ),
        ScaleCase(
            name: "triple",
            input: FloatHistogram(zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 23,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [1, 0, 3, 4, 7],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3, 1, 5, 6]),
            factor: 3,
            expected: FloatHistogram(zeroThreshold: 0.01, zeroCount: 33, count: 90, sum: 69,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [3, 0, 9, 12, 21],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [9, 3, 15, 18])
        ),
        ScaleCase(
            name: "negation",
            input: FloatHistogram(zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 23,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [1, 0, 3, 4, 7],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3, 1, 5, 6]),
            factor: -1,
            expected: FloatHistogram(counterResetHint: .gauge, zeroThreshold: 0.01, zeroCount: -11, count: -30, sum: -23,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [-1, 0, -3, -4, -7],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [-3, -1, -5, -6])
        ),
        ScaleCase(
            name: "negative multiplier",
            input: FloatHistogram(zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 23,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [1, 0, 3, 4, 7],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3, 1, 5, 6]),
            factor: -2,
            expected: FloatHistogram(counterResetHint: .gauge, zeroThreshold: 0.01, zeroCount: -22, count: -60, sum: -46,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [-2, 0, -6, -8, -14],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [-6, -2, -10, -12])
        ),
        ScaleCase(
            name: "no-op with custom buckets",
            input: FloatHistogram(schema: -53, count: 3493.3, sum: 2349209.324,
                positiveSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1], customValues: [1, 2, 3]),
            factor: 1,
            expected: FloatHistogram(schema: -53, count: 3493.3, sum: 2349209.324,
                positiveSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1], customValues: [1, 2, 3])
        ),
        ScaleCase(
            name: "triple with custom buckets",
            input: FloatHistogram(schema: -53, count: 30, sum: 23,
                positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [1, 0, 3, 4, 7], customValues: [1, 2, 3, 4]),
            factor: 3,
            expected: FloatHistogram(schema: -53, count: 90, sum: 69,
                positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [3, 0, 9, 12, 21], customValues: [1, 2, 3, 4])
        ),
    ]
}

extension ScaleCase {
    /// `TestFloatHistogramDiv`.
    static let prometheusDivCases: [ScaleCase] = [
        ScaleCase(
            name: "zero value",
            input: FloatHistogram(),
            factor: 3.1415,
            expected: FloatHistogram()
        ),
        ScaleCase(
            name: "zero divisor",
            input: FloatHistogram(zeroThreshold: 0.01, zeroCount: 5.5, count: 3493.3, sum: 2349209.324,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000]),
            factor: 0,
            expected: FloatHistogram(zeroThreshold: 0.01, zeroCount: Double.infinity, count: Double.infinity,
                sum: Double.infinity)
        ),
        ScaleCase(
            name: "no-op",
            input: FloatHistogram(zeroThreshold: 0.01, zeroCount: 5.5, count: 3493.3, sum: 2349209.324,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000]),
            factor: 1,
            expected: FloatHistogram(zeroThreshold: 0.01, zeroCount: 5.5, count: 3493.3, sum: 2349209.324,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000])
        ),
        ScaleCase(
            name: "half",
            input: FloatHistogram(zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 23,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [1, 0, 3, 4, 7],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3, 1, 5, 6]),
            factor: 2,
            expected: FloatHistogram(zeroThreshold: 0.01, zeroCount: 5.5, count: 15, sum: 11.5,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [0.5, 0, 1.5, 2, 3.5],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [1.5, 0.5, 2.5, 3])
        ),
        ScaleCase(
            name: "negation",
            input: FloatHistogram(zeroThreshold: 0.01, zeroCount: 5.5, count: 3493.3, sum: 2349209.324,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3.1, 3, 1.234e5, 1000]),
            factor: -1,
            expected: FloatHistogram(counterResetHint: .gauge, zeroThreshold: 0.01, zeroCount: -5.5, count: -3493.3,
                sum: -2349209.324,
                positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [-1, -3.3, -4.2, -0.1],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [-3.1, -3, -1.234e5, -1000])
        ),
        ScaleCase(
            name: "negative half",
            input: FloatHistogram(zeroThreshold: 0.01, zeroCount: 11, count: 30, sum: 23,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [1, 0, 3, 4, 7],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [3, 1, 5, 6]),
            factor: -2,
            expected: FloatHistogram(counterResetHint: .gauge, zeroThreshold: 0.01, zeroCount: -5.5, count: -15, sum: -11.5,
                positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [-0.5, 0, -1.5, -2, -3.5],
                negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
                negativeBuckets: [-1.5, -0.5, -2.5, -3])
        ),
        ScaleCase(
            name: "no-op with custom buckets",
            input: FloatHistogram(schema: -53, count: 3493.3, sum: 2349209.324,
                positiveSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1], customValues: [1, 2, 3]),
            factor: 1,
            expected: FloatHistogram(schema: -53, count: 3493.3, sum: 2349209.324,
                positiveSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 2, length: 3)],
                positiveBuckets: [1, 3.3, 4.2, 0.1], customValues: [1, 2, 3])
        ),
        ScaleCase(
            name: "half with custom buckets",
            input: FloatHistogram(schema: -53, count: 30, sum: 23,
                positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [1, 0, 3, 4, 7], customValues: [1, 2, 3, 4]),
            factor: 2,
            expected: FloatHistogram(schema: -53, count: 15, sum: 11.5,
                positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 1, length: 3)],
                positiveBuckets: [0.5, 0, 1.5, 2, 3.5], customValues: [1, 2, 3, 4])
        ),
    ]
}
