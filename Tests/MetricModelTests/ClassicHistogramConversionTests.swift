// Classic → native histogram with custom buckets, with the cases of Prometheus's
// `util/convertnhcb/convertnhcb_test.go` (TestNHCBConvert).

import MetricModel
import Testing

@Suite("classic histogram to NHCB conversion")
struct ClassicHistogramConversionTests {
    @Test func emptyAndSumOnly() throws {
        let empty = try ClassicHistogramConversion().convert()
        #expect(empty == .integer(Histogram(schema: -53)))
        var sumOnly = ClassicHistogramConversion()
        sumOnly.setSum(1000.25)
        guard case .integer(let h) = try sumOnly.convert() else { throw ConversionTestError.wrongKind }
        #expect(h.sum == 1000.25 && h.count == 0 && h.positiveBuckets.isEmpty && h.customValues.isEmpty)
    }

    @Test func singleIntegerBucketDropsTheEmptyInfBucket() throws {
        var c = ClassicHistogramConversion()
        c.setSum(1000.25)
        try c.setBucketCount(le: 0.5, 1000)
        guard case .integer(let h) = try c.convert() else { throw ConversionTestError.wrongKind }
        #expect(h.count == 1000 && h.sum == 1000.25)
        #expect(h.positiveSpans == [BucketSpan(offset: 0, length: 1)])
        #expect(h.positiveBuckets == [1000])
        #expect(h.customValues == [0.5])
        try h.validate()
    }

    @Test func singleFloatBucket() throws {
        var c = ClassicHistogramConversion()
        c.setSum(1000.25)
        try c.setBucketCount(le: 0.5, 1337.42)
        guard case .float(let h) = try c.convert() else { throw ConversionTestError.wrongKind }
        #expect(h.count == 1337.42)
        #expect(h.positiveSpans == [BucketSpan(offset: 0, length: 1)])
        #expect(h.positiveBuckets == [1337.42])
        #expect(h.customValues == [0.5])
    }

    @Test(arguments: [false, true])
    func integerBucketsInAnyOrder(mixedOrder: Bool) throws {
        var c = ClassicHistogramConversion()
        if mixedOrder {
            try c.setBucketCount(le: 0.5, 50)
            try c.setBucketCount(le: .infinity, 1000)
            try c.setBucketCount(le: 1.0, 950)
            try c.setCount(1000)
            c.setSum(1000.25)
        } else {
            try c.setCount(1000)
            c.setSum(1000.25)
            try c.setBucketCount(le: 0.5, 50)
            try c.setBucketCount(le: 1.0, 950)
            try c.setBucketCount(le: .infinity, 1000)
        }
        guard case .integer(let h) = try c.convert() else { throw ConversionTestError.wrongKind }
        #expect(h.count == 1000 && h.sum == 1000.25)
        #expect(h.positiveSpans == [BucketSpan(offset: 0, length: 3)])
        #expect(h.positiveBuckets == [50, 850, -850])
        #expect(h.customValues == [0.5, 1.0])
        try h.validate()
    }

    @Test func floatBuckets() throws {
        var c = ClassicHistogramConversion()
        try c.setCount(1000)
        c.setSum(1000.25)
        try c.setBucketCount(le: 0.5, 50)
        try c.setBucketCount(le: 1.0, 950.5)
        try c.setBucketCount(le: .infinity, 1000)
        guard case .float(let h) = try c.convert() else { throw ConversionTestError.wrongKind }
        #expect(h.positiveBuckets == [50, 900.5, 49.5])
        #expect(h.customValues == [0.5, 1.0])
        try h.validate()
    }

    @Test func errorsStick() throws {
        var notCumulative = ClassicHistogramConversion()
        try notCumulative.setCount(1000)
        try notCumulative.setBucketCount(le: 0.5, 50)
        try notCumulative.setBucketCount(le: 1.0, 950)
        #expect(throws: ClassicHistogramConversionError.notCumulative("900 < 950")) {
            try notCumulative.setBucketCount(le: .infinity, 900)
        }
        #expect(throws: ClassicHistogramConversionError.notCumulative("900 < 950")) { try notCumulative.convert() }

        var negative = ClassicHistogramConversion()
        #expect(throws: ClassicHistogramConversionError.negativeCount("count=-1000")) { try negative.setCount(-1000) }
        #expect(throws: ClassicHistogramConversionError.negativeCount("count=-1000")) {
            try negative.setBucketCount(le: 0.5, 50)
        }

        var nan = ClassicHistogramConversion()
        try nan.setBucketCount(le: 1, 5)
        #expect(throws: ClassicHistogramConversionError.nanBucket) { try nan.setBucketCount(le: .nan, 10) }
        #expect("\(ClassicHistogramConversionError.nanBucket)" == "bucket boundary must not be NaN")
    }

    @Test func countMustMatchTheInfBucket() throws {
        var c = ClassicHistogramConversion()
        try c.setCount(10)
        try c.setBucketCount(le: 1, 4)
        try c.setBucketCount(le: .infinity, 8)
        #expect(throws: ClassicHistogramConversionError.countMismatch("count=10 != le=+Inf count=8")) { try c.convert() }
    }
}

private enum ConversionTestError: Error { case wrongKind }
