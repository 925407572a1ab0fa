// Cases of Prometheus's promql/promqltest/testdata/native_histograms.test: histogram_fraction, histogram_stddev,
// histogram_stdvar and histogram_avg
// of a constant native histogram, converted by a script; the expected values are Prometheus's.

import MetricModel

extension StatisticCase {
    static let prometheusCases: [StatisticCase] = [
        StatisticCase(
            "histogram_avg(empty_histogram) {h=\"exp\"}",
            FloatHistogram(),
            .average, expected: Double.nan),
        StatisticCase(
            "histogram_avg(empty_histogram) {h=\"cbh\"}",
            FloatHistogram(schema: -53, customValues: [-2, 3]),
            .average, expected: Double.nan),
        StatisticCase(
            "histogram_fraction(-Inf, +Inf, empty_histogram) {h=\"exp\"}",
            FloatHistogram(),
            .fraction(lower: -Double.infinity, upper: Double.infinity), expected: Double.nan),
        StatisticCase(
            "histogram_fraction(-Inf, +Inf, empty_histogram) {h=\"cbh\"}",
            FloatHistogram(schema: -53, customValues: [-2, 3]),
            .fraction(lower: -Double.infinity, upper: Double.infinity), expected: Double.nan),
        StatisticCase(
            "histogram_fraction(0, 8, empty_histogram) {h=\"exp\"}",
            FloatHistogram(),
            .fraction(lower: 0, upper: 8), expected: Double.nan),
        StatisticCase(
            "histogram_fraction(0, 8, empty_histogram) {h=\"cbh\"}",
            FloatHistogram(schema: -53, customValues: [-2, 3]),
            .fraction(lower: 0, upper: 8), expected: Double.nan),
        StatisticCase(
            "histogram_avg(single_histogram) ",
            FloatHistogram(schema: 0, count: 4, sum: 5, positiveSpans: [BucketSpan(offset: 0, length: 3)],
                    positiveBuckets: [1, 2, 1]),
            .average, expected: 1.25),
        StatisticCase(
            "histogram_fraction(1, 2, single_histogram) ",
            FloatHistogram(schema: 0, count: 4, sum: 5, positiveSpans: [BucketSpan(offset: 0, length: 3)],
                    positiveBuckets: [1, 2, 1]),
            .fraction(lower: 1, upper: 2), expected: 0.5),
        StatisticCase(
            "histogram_fraction(0, 8, single_histogram) ",
            FloatHistogram(schema: 0, count: 4, sum: 5, positiveSpans: [BucketSpan(offset: 0, length: 3)],
                    positiveBuckets: [1, 2, 1]),
            .fraction(lower: 0, upper: 8), expected: 1, info: false),
        StatisticCase(
            "histogram_avg(single_zero_histogram) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.5, zeroCount: 1, count: 1, sum: 0.25),
            .average, expected: 0.25),
        StatisticCase(
            "histogram_fraction(-0.5, 0.5, single_zero_histogram) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.5, zeroCount: 1, count: 1, sum: 0.25),
            .fraction(lower: -0.5, upper: 0.5), expected: 1),
        StatisticCase(
            "histogram_avg(negative_histogram) ",
            FloatHistogram(schema: 0, count: 4, sum: -5, negativeSpans: [BucketSpan(offset: 0, length: 3)],
                    negativeBuckets: [1, 2, 1]),
            .average, expected: -1.25),
        StatisticCase(
            "histogram_fraction(-2, -1, negative_histogram) ",
            FloatHistogram(schema: 0, count: 4, sum: -5, negativeSpans: [BucketSpan(offset: 0, length: 3)],
                    negativeBuckets: [1, 2, 1]),
            .fraction(lower: -2, upper: -1), expected: 0.5),
        StatisticCase(
            "histogram_stddev(histogram_stddev_stdvar_1) ",
            FloatHistogram(schema: 2, count: 4, sum: 10, positiveSpans: [BucketSpan(offset: 0, length: 9)],
                    positiveBuckets: [1, 0, 0, 0, 1, 0, 0, 1, 1]),
            .standardDeviation, expected: 1.0787993180043811),
        StatisticCase(
            "histogram_stdvar(histogram_stddev_stdvar_1) ",
            FloatHistogram(schema: 2, count: 4, sum: 10, positiveSpans: [BucketSpan(offset: 0, length: 9)],
                    positiveBuckets: [1, 0, 0, 0, 1, 0, 0, 1, 1]),
            .variance, expected: 1.163807968526718),
        StatisticCase(
            "histogram_stddev(histogram_stddev_stdvar_2) ",
            FloatHistogram(schema: 8, count: 10, sum: 10, positiveSpans: [BucketSpan(offset: 0, length: 4)],
                    positiveBuckets: [1, 2, 3, 4]),
            .standardDeviation, expected: 0.0048960313898237465),
        StatisticCase(
            "histogram_stdvar(histogram_stddev_stdvar_2) ",
            FloatHistogram(schema: 8, count: 10, sum: 10, positiveSpans: [BucketSpan(offset: 0, length: 4)],
                    positiveBuckets: [1, 2, 3, 4]),
            .variance, expected: 2.3971123370139447e-05),
        StatisticCase(
            "histogram_stddev(histogram_stddev_stdvar_3) ",
            FloatHistogram(schema: 3, zeroCount: 1, count: 7, sum: 62,
                    positiveSpans: [BucketSpan(offset: 0, length: 55)],
                    positiveBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                    negativeSpans: [BucketSpan(offset: 0, length: 47)],
                    negativeBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
            .standardDeviation, expected: 42.94723640026),
        StatisticCase(
            "histogram_stdvar(histogram_stddev_stdvar_3) ",
            FloatHistogram(schema: 3, zeroCount: 1, count: 7, sum: 62,
                    positiveSpans: [BucketSpan(offset: 0, length: 55)],
                    positiveBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                    negativeSpans: [BucketSpan(offset: 0, length: 47)],
                    negativeBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
            .variance, expected: 1844.4651144196398),
        StatisticCase(
            "histogram_stddev(histogram_stddev_stdvar_4) ",
            FloatHistogram(schema: 0, zeroCount: 0, count: 10, sum: -112946,
                    negativeSpans: [BucketSpan(offset: 0, length: 18)],
                    negativeBuckets: [0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 3, 0, 0, 0, 1, 0, 0, 1]),
            .standardDeviation, expected: 27556.344499842),
        StatisticCase(
            "histogram_stdvar(histogram_stddev_stdvar_4) ",
            FloatHistogram(schema: 0, zeroCount: 0, count: 10, sum: -112946,
                    negativeSpans: [BucketSpan(offset: 0, length: 18)],
                    negativeBuckets: [0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 3, 0, 0, 0, 1, 0, 0, 1]),
            .variance, expected: 759352122.1939945),
        StatisticCase(
            "histogram_stddev(histogram_stddev_stdvar_5) ",
            FloatHistogram(schema: 0, zeroCount: 0, count: 10, sum: -100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [0, 0, 0, 0, 10]),
            .standardDeviation, expected: 1.3137084989848),
        StatisticCase(
            "histogram_stdvar(histogram_stddev_stdvar_5) ",
            FloatHistogram(schema: 0, zeroCount: 0, count: 10, sum: -100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [0, 0, 0, 0, 10]),
            .variance, expected: 1.725830020304794),
        StatisticCase(
            "histogram_stddev(histogram_stddev_stdvar_6) ",
            FloatHistogram(schema: 3, zeroCount: 1, count: 7, sum: Double.nan,
                    positiveSpans: [BucketSpan(offset: 0, length: 55)],
                    positiveBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                    negativeSpans: [BucketSpan(offset: 0, length: 47)],
                    negativeBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
            .standardDeviation, expected: Double.nan),
        StatisticCase(
            "histogram_stdvar(histogram_stddev_stdvar_6) ",
            FloatHistogram(schema: 3, zeroCount: 1, count: 7, sum: Double.nan,
                    positiveSpans: [BucketSpan(offset: 0, length: 55)],
                    positiveBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                    negativeSpans: [BucketSpan(offset: 0, length: 47)],
                    negativeBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
            .variance, expected: Double.nan),
        StatisticCase(
            "histogram_stddev(histogram_stddev_stdvar_7) ",
            FloatHistogram(schema: 3, zeroCount: 1, count: 7, sum: Double.infinity,
                    positiveSpans: [BucketSpan(offset: 0, length: 55)],
                    positiveBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                    negativeSpans: [BucketSpan(offset: 0, length: 47)],
                    negativeBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
            .standardDeviation, expected: Double.infinity),
        StatisticCase(
            "histogram_stdvar(histogram_stddev_stdvar_7) ",
            FloatHistogram(schema: 3, zeroCount: 1, count: 7, sum: Double.infinity,
                    positiveSpans: [BucketSpan(offset: 0, length: 55)],
                    positiveBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                    negativeSpans: [BucketSpan(offset: 0, length: 47)],
                    negativeBuckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
            .variance, expected: Double.infinity),
        StatisticCase(
            "histogram_fraction(3.1415, 42, histogram_fraction_1) ",
            FloatHistogram(),
            .fraction(lower: 3.1415, upper: 42), expected: Double.nan),
        StatisticCase(
            "histogram_fraction(0, +Inf, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0, upper: Double.infinity), expected: 1),
        StatisticCase(
            "histogram_fraction(-Inf, 0, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -Double.infinity, upper: 0), expected: 0),
        StatisticCase(
            "histogram_fraction(-0.001, 0, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -0.001, upper: 0), expected: 0),
        StatisticCase(
            "histogram_fraction(0, 0.001, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0, upper: 0.001), expected: 0.16666666666666666),
        StatisticCase(
            "histogram_fraction(0.001, inf, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0.001, upper: Double.infinity), expected: 0.8333333333333334),
        StatisticCase(
            "histogram_fraction(0, 0.0005, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0, upper: 0.0005), expected: 0.08333333333333333),
        StatisticCase(
            "histogram_fraction(-inf, -0.001, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -Double.infinity, upper: -0.001), expected: 0),
        StatisticCase(
            "histogram_fraction(1, 2, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1, upper: 2), expected: 0.25),
        StatisticCase(
            "histogram_fraction(0, 1.5, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0, upper: 1.5), expected: 0.4795739585136224),
        StatisticCase(
            "histogram_fraction(1.5, 2, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1.5, upper: 2), expected: 0.10375937481971091),
        StatisticCase(
            "histogram_fraction(1, 8, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1, upper: 8), expected: 0.3333333333333333),
        StatisticCase(
            "histogram_fraction(0, 6, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0, upper: 6), expected: 0.6320802083934297),
        StatisticCase(
            "histogram_fraction(1, 6, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1, upper: 6), expected: 0.29874687506009634),
        StatisticCase(
            "histogram_fraction(1.5, 6, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1.5, upper: 6), expected: 0.15250624987980724),
        StatisticCase(
            "histogram_fraction(-2, -1, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -2, upper: -1), expected: 0),
        StatisticCase(
            "histogram_fraction(-2, -1.5, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -2, upper: -1.5), expected: 0),
        StatisticCase(
            "histogram_fraction(-8, -1, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -8, upper: -1), expected: 0),
        StatisticCase(
            "histogram_fraction(-6, -1, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -6, upper: -1), expected: 0),
        StatisticCase(
            "histogram_fraction(-6, -1.5, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -6, upper: -1.5), expected: 0),
        StatisticCase(
            "histogram_fraction(42, 3.1415, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 42, upper: 3.1415), expected: 0),
        StatisticCase(
            "histogram_fraction(0, 0, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0, upper: 0), expected: 0),
        StatisticCase(
            "histogram_fraction(0.000001, 0.000001, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0.000001, upper: 0.000001), expected: 0),
        StatisticCase(
            "histogram_fraction(42, 42, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 42, upper: 42), expected: 0),
        StatisticCase(
            "histogram_fraction(-3.1, -3.1, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -3.1, upper: -3.1), expected: 0),
        StatisticCase(
            "histogram_fraction(3.1415, NaN, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 3.1415, upper: Double.nan), expected: Double.nan),
        StatisticCase(
            "histogram_fraction(NaN, 42, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: Double.nan, upper: 42), expected: Double.nan),
        StatisticCase(
            "histogram_fraction(NaN, NaN, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: Double.nan, upper: Double.nan), expected: Double.nan),
        StatisticCase(
            "histogram_fraction(-Inf, +Inf, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -Double.infinity, upper: Double.infinity), expected: 1),
        StatisticCase(
            "histogram_fraction(0, +Inf, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0, upper: Double.infinity), expected: 0),
        StatisticCase(
            "histogram_fraction(-Inf, 0, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -Double.infinity, upper: 0), expected: 1),
        StatisticCase(
            "histogram_fraction(-0.001, 0, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -0.001, upper: 0), expected: 0.16666666666666666),
        StatisticCase(
            "histogram_fraction(0, 0.001, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0, upper: 0.001), expected: 0),
        StatisticCase(
            "histogram_fraction(-0.0005, 0, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -0.0005, upper: 0), expected: 0.08333333333333333),
        StatisticCase(
            "histogram_fraction(-inf, -0.0005, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -Double.infinity, upper: -0.0005), expected: 0.9166666666666666),
        StatisticCase(
            "histogram_fraction(0.001, inf, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0.001, upper: Double.infinity), expected: 0),
        StatisticCase(
            "histogram_fraction(-inf, -0.001, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -Double.infinity, upper: -0.001), expected: 0.8333333333333334),
        StatisticCase(
            "histogram_fraction(1, 2, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1, upper: 2), expected: 0),
        StatisticCase(
            "histogram_fraction(1.5, 2, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1.5, upper: 2), expected: 0),
        StatisticCase(
            "histogram_fraction(1, 8, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1, upper: 8), expected: 0),
        StatisticCase(
            "histogram_fraction(1, 6, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1, upper: 6), expected: 0),
        StatisticCase(
            "histogram_fraction(1.5, 6, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1.5, upper: 6), expected: 0),
        StatisticCase(
            "histogram_fraction(-2, -1, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -2, upper: -1), expected: 0.25),
        StatisticCase(
            "histogram_fraction(-2, -1.5, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -2, upper: -1.5), expected: 0.10375937481971091),
        StatisticCase(
            "histogram_fraction(-8, -1, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -8, upper: -1), expected: 0.3333333333333333),
        StatisticCase(
            "histogram_fraction(-inf, -6, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -Double.infinity, upper: -6), expected: 0.36791979160657035),
        StatisticCase(
            "histogram_fraction(-6, -1, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -6, upper: -1), expected: 0.29874687506009634),
        StatisticCase(
            "histogram_fraction(-6, -1.5, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -6, upper: -1.5), expected: 0.15250624987980724),
        StatisticCase(
            "histogram_fraction(42, 3.1415, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 42, upper: 3.1415), expected: 0),
        StatisticCase(
            "histogram_fraction(0, 0, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0, upper: 0), expected: 0),
        StatisticCase(
            "histogram_fraction(0.000001, 0.000001, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0.000001, upper: 0.000001), expected: 0),
        StatisticCase(
            "histogram_fraction(42, 42, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 42, upper: 42), expected: 0),
        StatisticCase(
            "histogram_fraction(-3.1, -3.1, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -3.1, upper: -3.1), expected: 0),
        StatisticCase(
            "histogram_fraction(3.1415, NaN, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 3.1415, upper: Double.nan), expected: Double.nan),
        StatisticCase(
            "histogram_fraction(NaN, 42, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: Double.nan, upper: 42), expected: Double.nan),
        StatisticCase(
            "histogram_fraction(NaN, NaN, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: Double.nan, upper: Double.nan), expected: Double.nan),
        StatisticCase(
            "histogram_fraction(-Inf, +Inf, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -Double.infinity, upper: Double.infinity), expected: 1),
        StatisticCase(
            "histogram_fraction(0, +Inf, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0, upper: Double.infinity), expected: 0.5),
        StatisticCase(
            "histogram_fraction(-Inf, 0, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -Double.infinity, upper: 0), expected: 0.5),
        StatisticCase(
            "histogram_fraction(-0.001, 0, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -0.001, upper: 0), expected: 0.08333333333333333),
        StatisticCase(
            "histogram_fraction(0, 0.001, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0, upper: 0.001), expected: 0.08333333333333333),
        StatisticCase(
            "histogram_fraction(-0.0005, 0.0005, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -0.0005, upper: 0.0005), expected: 0.08333333333333333),
        StatisticCase(
            "histogram_fraction(-inf, 0.0005, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -Double.infinity, upper: 0.0005), expected: 0.5416666666666666),
        StatisticCase(
            "histogram_fraction(-inf, -0.0005, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -Double.infinity, upper: -0.0005), expected: 0.4583333333333333),
        StatisticCase(
            "histogram_fraction(0.001, inf, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0.001, upper: Double.infinity), expected: 0.4166666666666667),
        StatisticCase(
            "histogram_fraction(-inf, -0.001, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -Double.infinity, upper: -0.001), expected: 0.4166666666666667),
        StatisticCase(
            "histogram_fraction(1, 2, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1, upper: 2), expected: 0.125),
        StatisticCase(
            "histogram_fraction(1.5, 2, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1.5, upper: 2), expected: 0.051879687409855414),
        StatisticCase(
            "histogram_fraction(1, 8, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1, upper: 8), expected: 0.16666666666666666),
        StatisticCase(
            "histogram_fraction(1, 6, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1, upper: 6), expected: 0.14937343753004825),
        StatisticCase(
            "histogram_fraction(1.5, 6, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 1.5, upper: 6), expected: 0.07625312493990366),
        StatisticCase(
            "histogram_fraction(-2, -1, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -2, upper: -1), expected: 0.125),
        StatisticCase(
            "histogram_fraction(-2, -1.5, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -2, upper: -1.5), expected: 0.051879687409855456),
        StatisticCase(
            "histogram_fraction(-8, -1, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -8, upper: -1), expected: 0.16666666666666666),
        StatisticCase(
            "histogram_fraction(-6, -1, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -6, upper: -1), expected: 0.14937343753004817),
        StatisticCase(
            "histogram_fraction(-6, -1.5, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -6, upper: -1.5), expected: 0.07625312493990362),
        StatisticCase(
            "histogram_fraction(42, 3.1415, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 42, upper: 3.1415), expected: 0),
        StatisticCase(
            "histogram_fraction(0, 0, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0, upper: 0), expected: 0),
        StatisticCase(
            "histogram_fraction(0.000001, 0.000001, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 0.000001, upper: 0.000001), expected: 0),
        StatisticCase(
            "histogram_fraction(42, 42, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 42, upper: 42), expected: 0),
        StatisticCase(
            "histogram_fraction(-3.1, -3.1, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -3.1, upper: -3.1), expected: 0),
        StatisticCase(
            "histogram_fraction(3.1415, NaN, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: 3.1415, upper: Double.nan), expected: Double.nan),
        StatisticCase(
            "histogram_fraction(NaN, 42, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: Double.nan, upper: 42), expected: Double.nan),
        StatisticCase(
            "histogram_fraction(NaN, NaN, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: Double.nan, upper: Double.nan), expected: Double.nan),
        StatisticCase(
            "histogram_fraction(-Inf, +Inf, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .fraction(lower: -Double.infinity, upper: Double.infinity), expected: 1),
        StatisticCase(
            "histogram_fraction(5, 10, custom_buckets_histogram) ",
            FloatHistogram(schema: -53, count: 4, sum: 5, positiveSpans: [BucketSpan(offset: 0, length: 3)],
                    positiveBuckets: [1, 2, 1], customValues: [5, 10]),
            .fraction(lower: 5, upper: 10), expected: 0.5),
    ]
}
