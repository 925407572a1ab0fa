// Cases of Prometheus's promql/promqltest/testdata/native_histograms.test: histogram_quantile
// of a constant native histogram, converted by a script; the expected values are Prometheus's.

import MetricModel

extension StatisticCase {
    static let prometheusQuantileCases: [StatisticCase] = [
        StatisticCase(
            "histogram_quantile(0.5, single_histogram) ",
            FloatHistogram(schema: 0, count: 4, sum: 5, positiveSpans: [BucketSpan(offset: 0, length: 3)],
                    positiveBuckets: [1, 2, 1]),
            .quantile(0.5), expected: 1.414213562373095, info: false),
        StatisticCase(
            "histogram_quantile(0.5, single_zero_histogram) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.5, zeroCount: 1, count: 1, sum: 0.25),
            .quantile(0.5), expected: 0),
        StatisticCase(
            "histogram_quantile(0.5, negative_histogram) ",
            FloatHistogram(schema: 0, count: 4, sum: -5, negativeSpans: [BucketSpan(offset: 0, length: 3)],
                    negativeBuckets: [1, 2, 1]),
            .quantile(0.5), expected: -1.414213562373095),
        StatisticCase(
            "histogram_quantile(1.001, histogram_quantile_1) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .quantile(1.001), expected: Double.infinity),
        StatisticCase(
            "histogram_quantile(1, histogram_quantile_1) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .quantile(1), expected: 16),
        StatisticCase(
            "histogram_quantile(0.99, histogram_quantile_1) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.99), expected: 15.67072476139083),
        StatisticCase(
            "histogram_quantile(0.9, histogram_quantile_1) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.9), expected: 12.99603834169977),
        StatisticCase(
            "histogram_quantile(0.6, histogram_quantile_1) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.6), expected: 4.594793419988138),
        StatisticCase(
            "histogram_quantile(0.5, histogram_quantile_1) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.5), expected: 1.5874010519681994),
        StatisticCase(
            "histogram_quantile(0.1, histogram_quantile_1) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.1), expected: 0.0006),
        StatisticCase(
            "histogram_quantile(0, histogram_quantile_1) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .quantile(0), expected: 0),
        StatisticCase(
            "histogram_quantile(-1, histogram_quantile_1) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .quantile(-1), expected: -Double.infinity),
        StatisticCase(
            "histogram_quantile(1.001, histogram_quantile_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(1.001), expected: Double.infinity),
        StatisticCase(
            "histogram_quantile(1, histogram_quantile_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(1), expected: 0),
        StatisticCase(
            "histogram_quantile(0.99, histogram_quantile_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.99), expected: -0.00006),
        StatisticCase(
            "histogram_quantile(0.9, histogram_quantile_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.9), expected: -0.0006),
        StatisticCase(
            "histogram_quantile(0.5, histogram_quantile_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.5), expected: -1.5874010519681996),
        StatisticCase(
            "histogram_quantile(0.1, histogram_quantile_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.1), expected: -12.996038341699768),
        StatisticCase(
            "histogram_quantile(0, histogram_quantile_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0), expected: -16),
        StatisticCase(
            "histogram_quantile(-1, histogram_quantile_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(-1), expected: -Double.infinity),
        StatisticCase(
            "histogram_quantile(1.001, histogram_quantile_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(1.001), expected: Double.infinity),
        StatisticCase(
            "histogram_quantile(1, histogram_quantile_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(1), expected: 16),
        StatisticCase(
            "histogram_quantile(0.99, histogram_quantile_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.99), expected: 15.34822590920423),
        StatisticCase(
            "histogram_quantile(0.9, histogram_quantile_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.9), expected: 10.556063286183155),
        StatisticCase(
            "histogram_quantile(0.7, histogram_quantile_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.7), expected: 1.2030250360821164),
        StatisticCase(
            "histogram_quantile(0.55, histogram_quantile_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.55), expected: 0.0006),
        StatisticCase(
            "histogram_quantile(0.5, histogram_quantile_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.5), expected: 0),
        StatisticCase(
            "histogram_quantile(0.45, histogram_quantile_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.45), expected: -0.0006),
        StatisticCase(
            "histogram_quantile(0.3, histogram_quantile_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.3), expected: -1.2030250360821169),
        StatisticCase(
            "histogram_quantile(0.1, histogram_quantile_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.1), expected: -10.556063286183155),
        StatisticCase(
            "histogram_quantile(0.01, histogram_quantile_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.01), expected: -15.34822590920423),
        StatisticCase(
            "histogram_quantile(0, histogram_quantile_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0), expected: -16),
        StatisticCase(
            "histogram_quantile(-1, histogram_quantile_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(-1), expected: -Double.infinity),
        StatisticCase(
            "histogram_quantile(0.5, var_res_histogram) {schema=\"-1\"}",
            FloatHistogram(schema: -1, count: 5, sum: 6, positiveSpans: [BucketSpan(offset: 0, length: 2)],
                    positiveBuckets: [0, 5]),
            .quantile(0.5), expected: 2.0),
        StatisticCase(
            "histogram_quantile(0.5, var_res_histogram) {schema=\"0\"}",
            FloatHistogram(schema: 0, count: 5, sum: 4, positiveSpans: [BucketSpan(offset: 0, length: 2)],
                    positiveBuckets: [0, 5]),
            .quantile(0.5), expected: 1.4142135623730951),
        StatisticCase(
            "histogram_quantile(0.5, var_res_histogram) {schema=\"+1\"}",
            FloatHistogram(schema: 1, count: 5, sum: 4, positiveSpans: [BucketSpan(offset: 0, length: 2)],
                    positiveBuckets: [0, 5]),
            .quantile(0.5), expected: 1.189207),
        StatisticCase(
            "histogram_quantile(0.5, var_res_histogram) {schema=\"-1\"}",
            FloatHistogram(schema: -1, count: 5, sum: 6, positiveSpans: [BucketSpan(offset: 0, length: 3)],
                    positiveBuckets: [0, 0, 5]),
            .quantile(0.5), expected: 8.0),
        StatisticCase(
            "histogram_quantile(0.5, var_res_histogram) {schema=\"0\"}",
            FloatHistogram(schema: 0, count: 5, sum: 4, positiveSpans: [BucketSpan(offset: 0, length: 3)],
                    positiveBuckets: [0, 0, 5]),
            .quantile(0.5), expected: 2.82842712474619),
        StatisticCase(
            "histogram_quantile(0.5, var_res_histogram) {schema=\"+1\"}",
            FloatHistogram(schema: 1, count: 5, sum: 4, positiveSpans: [BucketSpan(offset: 0, length: 3)],
                    positiveBuckets: [0, 0, 5]),
            .quantile(0.5), expected: 1.6817928305074292),
        StatisticCase(
            "histogram_quantile(0.5, var_res_histogram) {schema=\"-1\"}",
            FloatHistogram(schema: -1, count: 5, sum: 6, negativeSpans: [BucketSpan(offset: 0, length: 2)],
                    negativeBuckets: [0, 5]),
            .quantile(0.5), expected: -2.0),
        StatisticCase(
            "histogram_quantile(0.5, var_res_histogram) {schema=\"0\"}",
            FloatHistogram(schema: 0, count: 5, sum: 4, negativeSpans: [BucketSpan(offset: 0, length: 2)],
                    negativeBuckets: [0, 5]),
            .quantile(0.5), expected: -1.4142135623730951),
        StatisticCase(
            "histogram_quantile(0.5, var_res_histogram) {schema=\"+1\"}",
            FloatHistogram(schema: 1, count: 5, sum: 4, negativeSpans: [BucketSpan(offset: 0, length: 2)],
                    negativeBuckets: [0, 5]),
            .quantile(0.5), expected: -1.189207),
        StatisticCase(
            "histogram_quantile(0.5, var_res_histogram) {schema=\"-1\"}",
            FloatHistogram(schema: -1, count: 5, sum: 6, negativeSpans: [BucketSpan(offset: 0, length: 3)],
                    negativeBuckets: [0, 0, 5]),
            .quantile(0.5), expected: -8.0),
        StatisticCase(
            "histogram_quantile(0.5, var_res_histogram) {schema=\"0\"}",
            FloatHistogram(schema: 0, count: 5, sum: 4, negativeSpans: [BucketSpan(offset: 0, length: 3)],
                    negativeBuckets: [0, 0, 5]),
            .quantile(0.5), expected: -2.82842712474619),
        StatisticCase(
            "histogram_quantile(0.5, var_res_histogram) {schema=\"+1\"}",
            FloatHistogram(schema: 1, count: 5, sum: 4, negativeSpans: [BucketSpan(offset: 0, length: 3)],
                    negativeBuckets: [0, 0, 5]),
            .quantile(0.5), expected: -1.6817928305074292),
        StatisticCase(
            "histogram_quantile(0.08333333333333333, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.08333333333333333), expected: 0.0005),
        StatisticCase(
            "histogram_quantile(0.6320802083934297, histogram_fraction_2) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.6320802083934297), expected: 6),
        StatisticCase(
            "histogram_quantile(0.9166666666666666, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.9166666666666666), expected: -0.0005),
        StatisticCase(
            "histogram_quantile(0.36791979160657035, histogram_fraction_3) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 100,
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.36791979160657035), expected: -6),
        StatisticCase(
            "histogram_quantile(0.5416666666666666, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.5416666666666666), expected: 0.0005),
        StatisticCase(
            "histogram_quantile(0.4583333333333333, histogram_fraction_4) ",
            FloatHistogram(schema: 0, zeroThreshold: 0.001, zeroCount: 4, count: 24, sum: 100,
                    positiveSpans: [BucketSpan(offset: 0, length: 5)], positiveBuckets: [2, 3, 0, 1, 4],
                    negativeSpans: [BucketSpan(offset: 0, length: 5)], negativeBuckets: [2, 3, 0, 1, 4]),
            .quantile(0.4583333333333333), expected: -0.0005),
        StatisticCase(
            "histogram_quantile(0.5, custom_buckets_histogram) ",
            FloatHistogram(schema: -53, count: 4, sum: 5, positiveSpans: [BucketSpan(offset: 0, length: 3)],
                    positiveBuckets: [1, 2, 1], customValues: [5, 10]),
            .quantile(0.5), expected: 7.5),
    ]
}
