// Validation of native histograms: Prometheus's TestHistogramValidation cases and error texts,
// run on the integer histogram and (where Prometheus does) on its float conversion.

import MetricModel
import Testing

@Suite struct HistogramValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let histogram: Histogram
        /// Prometheus's error text; nil when the histogram is valid.
        let message: String?
        /// Whether the float conversion must give the same answer (it drops some fields).
        var checkFloat = true
        var testDescription: String { name }
    }

    static let spans = [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 1, length: 2)]
    static let mismatch = "histogram spans specify different number of buckets than provided"
    static let negativeOffset = "histogram has a span whose offset is negative"
    static let negativeBucket = "histogram has a bucket whose observation count is negative"
    static let countMismatch =
        "histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)"

    static let cases: [Case] = [
        Case(
            name: "valid", histogram: Histogram(
                schema: 1, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 19.4,
                positiveSpans: spans, positiveBuckets: [1, 1, -1, 0], negativeSpans: spans, negativeBuckets: [1, 1, -1, 0]),
            message: nil),
        Case(
            name: "NaN sum: count may exceed the buckets", histogram: Histogram(
                zeroCount: 2, count: 4, sum: .nan, positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [1]),
            message: nil),
        Case(
            name: "NaN sum: count below the buckets", histogram: Histogram(
                zeroCount: 2, count: 2, sum: .nan, positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [1]),
            message: "3 observations found in buckets, but the Count field is 2: histogram's observation count should "
                + "be at least the number of observations found in the buckets",
            checkFloat: false),
        Case(
            name: "count above the buckets", histogram: Histogram(
                zeroCount: 2, count: 4, sum: 333, positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [1]),
            message: "3 observations found in buckets, but the Count field is 4: \(countMismatch)", checkFloat: false),
        Case(
            name: "too few negative buckets",
            histogram: Histogram(negativeSpans: [BucketSpan(offset: 0, length: 1)], negativeBuckets: []),
            message: "negative side: spans need 1 buckets, have 0 buckets: \(mismatch)"),
        Case(
            name: "too many positive buckets",
            histogram: Histogram(positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [1, 2]),
            message: "positive side: spans need 1 buckets, have 2 buckets: \(mismatch)"),
        Case(
            name: "negative offset in the second negative span", histogram: Histogram(
                negativeSpans: [BucketSpan(offset: -1, length: 1), BucketSpan(offset: -1, length: 1)],
                negativeBuckets: [1, 2]),
            message: "negative side: span number 2 with offset -1: \(negativeOffset)"),
        Case(
            name: "negative positive bucket",
            histogram: Histogram(positiveSpans: [BucketSpan(offset: -1, length: 1)], positiveBuckets: [-1]),
            message: "positive side: bucket number 1 has observation count of -1: \(negativeBucket)"),
        Case(
            name: "deltas running below zero",
            histogram: Histogram(count: 5, positiveSpans: [BucketSpan(offset: 0, length: 3)], positiveBuckets: [3, -2, -2]),
            message: "positive side: bucket number 3 has observation count of -1: \(negativeBucket)"),
        Case(
            name: "count below the buckets", histogram: Histogram(
                count: 0, positiveSpans: [BucketSpan(offset: -1, length: 1)], positiveBuckets: [1],
                negativeSpans: [BucketSpan(offset: -1, length: 1)], negativeBuckets: [1]),
            message: "2 observations found in buckets, but the Count field is 0: \(countMismatch)", checkFloat: false),
        Case(
            name: "custom schema with spans beyond its bounds", histogram: Histogram(
                schema: -53, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 19.4,
                positiveSpans: spans, positiveBuckets: [1, 1, -1, 0], negativeSpans: spans, negativeBuckets: [1, 1, -1, 0]),
            message: "custom buckets: only 0 custom bounds defined which is insufficient to cover total span length "
                + "of 5: histogram custom bounds are too few"),
        Case(
            name: "exponential schema with custom bounds", histogram: Histogram(
                schema: 0, count: 5, sum: 19.4, positiveSpans: spans, positiveBuckets: [1, 1, -1, 0],
                customValues: [1, 2, 3, 4]),
            message: "histogram with exponential schema must not have custom bounds", checkFloat: false),
        Case(
            name: "custom buckets with a zero bucket", histogram: Histogram(
                schema: -53, zeroThreshold: 0.001, zeroCount: 2, count: 12, sum: 19.4,
                positiveSpans: spans, positiveBuckets: [1, 1, -1, 0], negativeSpans: spans, negativeBuckets: [1, 1, -1, 0],
                customValues: [1, 2, 3, 4]),
            message: "custom buckets: must have zero count of 0", checkFloat: false),
        Case(
            name: "custom buckets, first span offset negative", histogram: Histogram(
                schema: -53, count: 5, sum: 19.4,
                positiveSpans: [BucketSpan(offset: -1, length: 2), BucketSpan(offset: 1, length: 2)],
                positiveBuckets: [1, 1, -1, 0], customValues: [1, 2, 3, 4]),
            message: "custom buckets: span number 1 with offset -1: \(negativeOffset)"),
        Case(
            name: "custom buckets, spans and buckets disagree", histogram: Histogram(
                schema: -53, count: 5, sum: 19.4, positiveSpans: spans, positiveBuckets: [1, 1, -1],
                customValues: [1, 2, 3, 4]),
            message: "custom buckets: spans need 4 buckets, have 3 buckets: \(mismatch)"),
        Case(
            name: "custom buckets, valid", histogram: Histogram(
                schema: -53, count: 5, sum: 19.4, positiveSpans: spans, positiveBuckets: [1, 1, -1, 0],
                customValues: [1, 2, 3, 4]),
            message: nil),
        Case(
            name: "custom buckets, valid with extra bounds", histogram: Histogram(
                schema: -53, count: 5, sum: 19.4, positiveSpans: spans, positiveBuckets: [1, 1, -1, 0],
                customValues: [1, 2, 3, 4, 5, 6, 7, 8]),
            message: nil),
        Case(
            name: "custom bounds not increasing", histogram: Histogram(schema: -53, customValues: [0, 0]),
            message: "custom buckets: previous bound is 0.000000 and current is 0.000000: histogram custom bounds must "
                + "be in strictly increasing order"),
        Case(
            name: "custom bounds decreasing", histogram: Histogram(schema: -53, customValues: [2.5, -1e-7]),
            message: "custom buckets: previous bound is 2.500000 and current is -0.000000: histogram custom bounds must "
                + "be in strictly increasing order"),
        Case(
            name: "custom bounds ending in +Inf", histogram: Histogram(schema: -53, customValues: [1, .infinity]),
            message: "custom buckets: last +Inf bound must not be explicitly defined: histogram custom bounds must be finite"),
        Case(
            name: "custom bounds starting at -Inf", histogram: Histogram(schema: -53, customValues: [-.infinity, 1]),
            message: nil),
        Case(
            name: "custom bound NaN", histogram: Histogram(schema: -53, customValues: [1, .nan, 3]),
            message: "custom buckets: histogram custom bounds must not be NaN"),
        Case(
            name: "schema too high", histogram: Histogram(schema: 10),
            message: "histogram has an invalid schema, which must be between -4 and 8 for exponential buckets, or -53 "
                + "for custom buckets, got schema 10"),
        Case(
            name: "schema too low", histogram: Histogram(schema: -10),
            message: "histogram has an invalid schema, which must be between -4 and 8 for exponential buckets, or -53 "
                + "for custom buckets, got schema -10"),
    ]

    @Test(arguments: HistogramValidationTests.cases)
    func validation(_ c: Case) {
        #expect(message(of: { () throws(HistogramError) in try c.histogram.validate() }) == c.message)
        if c.checkFloat {
            #expect(message(of: { () throws(HistogramError) in try c.histogram.toFloat().validate() }) == c.message)
        }
    }

    @Test func floatHistogramRules() {
        var h = FloatHistogram(
            schema: 1, zeroThreshold: 0.01, zeroCount: 5.5, count: 3493.3, sum: 2349209.324,
            positiveSpans: [BucketSpan(offset: -2, length: 1), BucketSpan(offset: 2, length: 3)],
            positiveBuckets: [1, 3.3, 4.2, 0.1],
            negativeSpans: [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 3, length: 2)],
            negativeBuckets: [3.1, 3, 1.234e5, 1000])
        #expect(message(of: { () throws(HistogramError) in try h.validate() }) == nil)

        var bad = h
        bad.positiveBuckets[2] = -4.2
        #expect(
            message(of: { () throws(HistogramError) in try bad.validate() })
                == "positive side: bucket number 3 has observation count of -4.2: \(Self.negativeBucket)")
        bad = h
        bad.negativeBuckets[3] = -1e-7
        #expect(
            message(of: { () throws(HistogramError) in try bad.validate() })
                == "negative side: bucket number 4 has observation count of -1e-07: \(Self.negativeBucket)")
        bad = h
        bad.zeroCount = -0.5
        #expect(
            message(of: { () throws(HistogramError) in try bad.validate() })
                == "zero bucket has observation count of -0.5: \(Self.negativeBucket)")
        bad = h
        bad.count = -3
        #expect(
            message(of: { () throws(HistogramError) in try bad.validate() })
                == "observation count is  -3: histogram's observation count is negative")
        // Unlike integer histograms, float ones do not compare count with the buckets.
        h.count = 1
        #expect(message(of: { () throws(HistogramError) in try h.validate() }) == nil)
        // NaN bucket counts pass, as in Prometheus.
        h.positiveBuckets[0] = .nan
        #expect(message(of: { () throws(HistogramError) in try h.validate() }) == nil)
    }

    @Test func errorsKeepTheirKind() throws {
        let h = Histogram(positiveSpans: [BucketSpan(offset: 0, length: 2)], positiveBuckets: [1])
        let error = try #require(throws: HistogramError.self) { try h.validate() }
        #expect(error.kind == .spansBucketsMismatch)
        #expect(error.kind.message == Self.mismatch)
        #expect(HistogramError.invalidSchema(9).kind == .invalidSchema)
    }

    @Test func unknownSchemaText() {
        #expect(
            HistogramError.unknownSchema(53).description
                == "histogram has an unknown schema, which must be between -9 and 52 for exponential buckets, or -53 "
                + "for custom buckets, got schema 53")
    }

    @Test func hostileCountsDoNotTrap() {
        // Deltas that overflow Int64 and totals that overflow UInt64 wrap as in Go.
        let h = Histogram(
            count: 0, positiveSpans: [BucketSpan(offset: 0, length: 3)], positiveBuckets: [.max, 1, .min])
        #expect(message(of: { () throws(HistogramError) in try h.validate() }) != nil)
        let spans = [BucketSpan(offset: 0, length: .max), BucketSpan(offset: 0, length: .max)]
        #expect(message(of: { () throws(HistogramError) in try Histogram(positiveSpans: spans).validate() }) != nil)
    }

    private func message(of validate: () throws(HistogramError) -> Void) -> String? {
        do {
            try validate()
            return nil
        } catch {
            return error.description
        }
    }
}
