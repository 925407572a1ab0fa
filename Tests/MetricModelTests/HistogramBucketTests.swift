// Buckets of native histograms: iteration up, down and across (with the zero bucket), and the
// text Prometheus prints for histograms (its TestHistogramString / TestFloatHistogramString cases).

import MetricModel
import Testing

@Suite struct HistogramBucketTests {
    typealias Bucket = HistogramBucket<Double>

    @Test func integerBucketIterators() {
        let h = Histogram(
            positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 1, length: 2)],
            positiveBuckets: [1, 1, -1, 0],
            negativeSpans: [BucketSpan(offset: 0, length: 2)], negativeBuckets: [1, 1])
        #expect(Array(h.positiveBucketIterator()) == [
            HistogramBucket(lower: 0.5, upper: 1, lowerInclusive: false, upperInclusive: true, count: 1, index: 0),
            HistogramBucket(lower: 1, upper: 2, lowerInclusive: false, upperInclusive: true, count: 2, index: 1),
            HistogramBucket(lower: 4, upper: 8, lowerInclusive: false, upperInclusive: true, count: 1, index: 3),
            HistogramBucket(lower: 8, upper: 16, lowerInclusive: false, upperInclusive: true, count: 1, index: 4),
        ])
        #expect(Array(h.negativeBucketIterator()) == [
            HistogramBucket(lower: -1, upper: -0.5, lowerInclusive: true, upperInclusive: false, count: 1, index: 0),
            HistogramBucket(lower: -2, upper: -1, lowerInclusive: true, upperInclusive: false, count: 2, index: 1),
        ])
    }

    @Test func floatIteratorsForwardReverseAndAll() {
        let h = FloatHistogram(
            zeroThreshold: 0.75, zeroCount: 2, count: 10,
            positiveSpans: [BucketSpan(offset: 0, length: 2)], positiveBuckets: [1, 3],
            negativeSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 1, length: 1)],
            negativeBuckets: [4, 0])
        #expect(h.positiveBucketIterator().map(\.index) == [0, 1])
        #expect(h.positiveReverseBucketIterator().map(\.index) == [1, 0])
        #expect(h.negativeBucketIterator().map(\.upper) == [-0.5, -2])
        #expect(h.negativeReverseBucketIterator().map(\.upper) == [-2, -0.5])
        // Lowest to highest; the buckets touching the zero bucket end at its threshold.
        #expect(Array(h.allBucketIterator()) == [
            Bucket(lower: -4, upper: -2, lowerInclusive: true, upperInclusive: false, count: 0, index: 2),
            Bucket(lower: -1, upper: -0.75, lowerInclusive: true, upperInclusive: false, count: 4, index: 0),
            Bucket(lower: -0.75, upper: 0.75, lowerInclusive: true, upperInclusive: true, count: 2, index: 0),
            Bucket(lower: 0.75, upper: 1, lowerInclusive: false, upperInclusive: true, count: 1, index: 0),
            Bucket(lower: 1, upper: 2, lowerInclusive: false, upperInclusive: true, count: 3, index: 1),
        ])
        var empty = h
        empty.zeroCount = 0
        #expect(empty.allBucketIterator().map(\.lower) == [-4, -1, 0.75, 1], "no zero bucket, bounds still clamped")
    }

    @Test func customBucketIteration() {
        let h = FloatHistogram(
            schema: -53, count: 6, positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 1, length: 1)],
            positiveBuckets: [1, 2, 3], customValues: [1, 2, 5])
        #expect(Array(h.positiveBucketIterator()) == [
            Bucket(lower: -.infinity, upper: 1, lowerInclusive: true, upperInclusive: true, count: 1, index: 0),
            Bucket(lower: 1, upper: 2, lowerInclusive: false, upperInclusive: true, count: 2, index: 1),
            Bucket(lower: 5, upper: .infinity, lowerInclusive: false, upperInclusive: true, count: 3, index: 3),
        ])
        #expect(h.allBucketIterator().map(\.count) == [1, 2, 3])
        #expect(h.positiveReverseBucketIterator().map(\.index) == [3, 1, 0])
    }

    @Test func invalidLayoutsEndIterationWithoutTrapping() {
        let short = FloatHistogram(positiveSpans: [BucketSpan(offset: 0, length: 3)], positiveBuckets: [1])
        #expect(short.positiveBucketIterator().map(\.count) == [1])
        let hostile = Histogram(
            positiveSpans: [BucketSpan(offset: .max, length: 1), BucketSpan(offset: .max, length: 1)],
            positiveBuckets: [.max, .max])
        #expect(hostile.positiveBucketIterator().map(\.index) == [.max, -1])
        #expect(hostile.toFloat().positiveReverseBucketIterator().map(\.index) == [-1, .max])
        let noSpans = FloatHistogram(positiveBuckets: [1, 2])
        #expect(Array(noSpans.positiveBucketIterator()).isEmpty)
    }

    /// Prometheus's TestHistogramString.
    @Test func integerHistogramText() {
        #expect(Histogram().description == "{count:0, sum:0}")
        let negative = Histogram(
            zeroThreshold: 0.001, zeroCount: 12, count: 9, sum: -3.1415,
            negativeSpans: [BucketSpan(offset: 0, length: 5), BucketSpan(offset: 1, length: 1)],
            negativeBuckets: [1, 2, -2, 1, -1, 0])
        #expect(
            negative.description
                == "{count:9, sum:-3.1415, [-64,-32):1, [-16,-8):1, [-8,-4):2, [-4,-2):1, [-2,-1):3, [-1,-0.5):1, "
                + "[-0.001,0.001]:12}")
        let both = Histogram(
            count: 19, sum: 2.7,
            positiveSpans: [
                BucketSpan(offset: 0, length: 4), BucketSpan(offset: 0, length: 0), BucketSpan(offset: 0, length: 3),
            ],
            positiveBuckets: [1, 2, -2, 1, -1, 0, 0],
            negativeSpans: [
                BucketSpan(offset: 0, length: 5), BucketSpan(offset: 1, length: 0), BucketSpan(offset: 0, length: 1),
            ],
            negativeBuckets: [1, 2, -2, 1, -1, 0])
        #expect(
            both.description
                == "{count:19, sum:2.7, [-64,-32):1, [-16,-8):1, [-8,-4):2, [-4,-2):1, [-2,-1):3, [-1,-0.5):1, "
                + "(0.5,1]:1, (1,2]:3, (2,4]:1, (4,8]:2, (8,16]:1, (16,32]:1, (32,64]:1}")
        let custom = Histogram(
            schema: -53, count: 19, sum: 2.7, positiveSpans: both.positiveSpans, positiveBuckets: both.positiveBuckets,
            customValues: [1, 2, 5, 10, 15, 20, 25, 50])
        #expect(
            custom.description
                == "{count:19, sum:2.7, [-Inf,1]:1, (1,2]:3, (2,5]:1, (5,10]:2, (10,15]:1, (15,20]:1, (20,25]:1}")
    }

    /// Prometheus's TestFloatHistogramString: schema 1's bounds show Prometheus's table values
    /// (1.414213562373095, not the correctly rounded 1.4142135623730951).
    @Test func floatHistogramText() {
        let h = FloatHistogram(
            schema: 1, zeroThreshold: 0.01, zeroCount: 5.5, count: 3493.3, sum: 2349209.324,
            positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
            positiveBuckets: [1, 3.3, 4.2, 0.1],
            negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
            negativeBuckets: [3.1, 3, 1.234e5, 1000])
        #expect(
            h.description
                == "{count:3493.3, sum:2.349209324e+06, [-22.62741699796952,-16):1000, "
                + "[-16,-11.31370849898476):123400, [-4,-2.82842712474619):3, [-2.82842712474619,-2):3.1, "
                + "[-0.01,0.01]:5.5, (0.35355339059327373,0.5]:1, (1,1.414213562373095]:3.3, "
                + "(1.414213562373095,2]:4.2, (2,2.82842712474619]:0.1}")
        let custom = FloatHistogram(
            schema: -53, count: 3493.3, sum: 2349209.324,
            positiveSpans: [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 2, length: 4)],
            positiveBuckets: [1, 3.3, 4.2, 0.1, 5], customValues: [1, 2, 5, 10, 15, 20])
        #expect(
            custom.description
                == "{count:3493.3, sum:2.349209324e+06, [-Inf,1]:1, (5,10]:3.3, (10,15]:4.2, (15,20]:0.1, (20,+Inf]:5}")
        #expect(FloatHistogram(count: .nan, sum: .infinity).description == "{count:NaN, sum:+Inf}")
        #expect(
            FloatHistogram(count: 1e21, positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [1e-5])
                .description == "{count:1e+21, sum:0, (0.5,1]:1e-05}")
    }
}
