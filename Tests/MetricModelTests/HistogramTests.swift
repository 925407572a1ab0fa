// Native-histogram model: layout, schema classes, float conversion and Prometheus's equality.

import MetricModel
import Testing

@Suite struct HistogramTests {
    @Test func valuesStayCompact() {
        #expect(MemoryLayout<BucketSpan>.size == 8)
        #expect(MemoryLayout<CounterResetHint>.size == 1)
        #expect(MemoryLayout<Histogram>.size == 77)
        #expect(MemoryLayout<FloatHistogram>.size == 77)
    }

    @Test func schemaClasses() {
        #expect(HistogramSchema.isValid(-4) && HistogramSchema.isValid(8) && HistogramSchema.isValid(-53))
        #expect(!HistogramSchema.isValid(-5) && !HistogramSchema.isValid(9) && !HistogramSchema.isValid(-52))
        #expect(HistogramSchema.isKnown(-9) && HistogramSchema.isKnown(52) && HistogramSchema.isKnown(-53))
        #expect(!HistogramSchema.isKnown(-10) && !HistogramSchema.isKnown(53))
        #expect(HistogramSchema.isExponentialReserved(9) && !HistogramSchema.isExponential(9))
        #expect(CounterResetHint(rawValue: 3) == .gauge && CounterResetHint(rawValue: 4) == nil)
    }

    @Test func toFloatSumsTheDeltas() {
        let h = Histogram(
            counterResetHint: .notCounterReset, schema: 2, zeroThreshold: 0.001, zeroCount: 3, count: 21, sum: 7.5,
            positiveSpans: [BucketSpan(offset: 0, length: 3), BucketSpan(offset: 2, length: 3)],
            positiveBuckets: [1, 2, -2, 1, -1, 0],
            negativeSpans: [BucketSpan(offset: -1, length: 2)], negativeBuckets: [4, -1])
        let f = h.toFloat()
        #expect(f.positiveBuckets == [1, 3, 1, 2, 1, 1])
        #expect(f.negativeBuckets == [4, 3])
        #expect(f.count == 21 && f.zeroCount == 3 && f.zeroThreshold == 0.001 && f.sum == 7.5 && f.schema == 2)
        #expect(f.positiveSpans == h.positiveSpans && f.negativeSpans == h.negativeSpans)
        #expect(f.counterResetHint == .notCounterReset)
        #expect(f.customValues.isEmpty)
    }

    @Test func toFloatOfCustomBucketsDropsTheUnusedFields() {
        let h = Histogram(
            schema: -53, zeroThreshold: 1, zeroCount: 2, count: 3, sum: 1,
            positiveSpans: [BucketSpan(offset: 1, length: 2)], positiveBuckets: [2, -1],
            negativeSpans: [BucketSpan(offset: 0, length: 1)], negativeBuckets: [1], customValues: [0.5, 1, 2])
        let f = h.toFloat()
        #expect(f.customValues == [0.5, 1, 2])
        #expect(f.positiveBuckets == [2, 1])
        #expect(f.zeroThreshold == 0 && f.zeroCount == 0 && f.negativeSpans.isEmpty && f.negativeBuckets.isEmpty)
    }

    @Test func equalityIsPrometheusEquals() {
        let h = Histogram(
            schema: 1, count: 3, sum: .nan, positiveSpans: [BucketSpan(offset: 2, length: 2)], positiveBuckets: [1, 1])
        var other = h
        other.counterResetHint = .counterReset
        #expect(h == other, "the hint is not compared")
        #expect(h == h, "a NaN sum equals itself by bit pattern")
        other = h
        other.positiveSpans = [
            BucketSpan(offset: 1, length: 0), BucketSpan(offset: 1, length: 2), BucketSpan(offset: 5, length: 0),
        ]
        #expect(h == other, "empty spans do not change the layout")
        other.positiveSpans = [BucketSpan(offset: 2, length: 1), BucketSpan(offset: 0, length: 1)]
        #expect(h != other, "spans are compared as given once empty ones are dropped")
        other = h
        other.sum = Double(nan: 1, signaling: false)
        #expect(h != other, "other NaN payloads differ")
        other = h
        other.customValues = [1]
        #expect(h == other, "custom bounds matter only for the custom-buckets schema")
        var custom = h
        custom.schema = -53
        custom.customValues = [1, 2, 3, 4]
        other = custom
        other.customValues = [1, 2, 3, 5]
        #expect(custom != other)

        let f = h.toFloat()
        var g = f
        g.positiveBuckets[0] = -0.0 + 1
        #expect(f == g)
        g.zeroCount = -0.0
        #expect(f != g, "float counts compare by bit pattern: -0 is not 0")
        #expect(FloatHistogram(count: .nan) == FloatHistogram(count: .nan))
    }
}
