// FloatHistogram arithmetic against Prometheus's own table cases (float_histogram_test.go): add,
// subtract, Kahan add, multiply, divide, compact, detectReset, copy(toSchema:), reduceResolution.

import MetricModel
import Testing

/// A case of TestFloatHistogramAdd / Sub / TestKahanAddWithCompHistogram.
struct CombinationCase: Sendable, CustomTestStringConvertible {
    var name: String
    var a: FloatHistogram
    var compensation: FloatHistogram? = nil
    var b: FloatHistogram
    var expected: FloatHistogram? = nil
    /// Prometheus's `expErrMsg`; "" means none.
    var error: String? = nil
    var collision = false
    var reconciled = false
    var testDescription: String { name }
    var expectsError: Bool { !(error ?? "").isEmpty }
}

/// A case of TestFloatHistogramMul / Div.
struct ScaleCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: FloatHistogram
    var factor: Double
    var expected: FloatHistogram
    var testDescription: String { name }
}

/// A case of TestFloatHistogramCompact.
struct CompactCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: FloatHistogram
    var maxEmptyBuckets: Int
    var expected: FloatHistogram
    var testDescription: String { name }
}

/// A case of TestFloatHistogramCopyToSchema / ReduceResolution.
struct ResolutionCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: FloatHistogram
    var targetSchema: Int32
    var expected: FloatHistogram? = nil
    var error: String? = nil
    var testDescription: String { name }
}

/// Every field as Go's `require.Equal` (reflect.DeepEqual) compares it: spans as written,
/// floats with `==`, the hint too.
func goFields(_ h: FloatHistogram) -> String {
    "hint:\(h.counterResetHint) schema:\(h.schema) zt:\(h.zeroThreshold) zc:\(h.zeroCount) count:\(h.count) "
        + "sum:\(h.sum) pos:\(h.positiveSpans.map { "\($0.offset)/\($0.length)" }) \(h.positiveBuckets) "
        + "neg:\(h.negativeSpans.map { "\($0.offset)/\($0.length)" }) \(h.negativeBuckets) cv:\(h.customValues)"
}

/// Whether `a` and `b` are equal as reflect.DeepEqual sees Go histograms (NaN never equal).
func deepEqual(_ a: FloatHistogram, _ b: FloatHistogram) -> Bool {
    a.counterResetHint == b.counterResetHint && a.schema == b.schema && a.zeroThreshold == b.zeroThreshold
        && a.zeroCount == b.zeroCount && a.count == b.count && a.sum == b.sum && a.positiveSpans == b.positiveSpans
        && a.positiveBuckets == b.positiveBuckets && a.negativeSpans == b.negativeSpans
        && a.negativeBuckets == b.negativeBuckets && a.customValues == b.customValues
}

func expectDeepEqual(
    _ actual: FloatHistogram, _ expected: FloatHistogram, _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        deepEqual(actual, expected), "\(what)\n got:  \(goFields(actual))\n want: \(goFields(expected))",
        sourceLocation: sourceLocation)
}

@Suite struct FloatHistogramArithmeticTests {
    @Test(arguments: CombinationCase.prometheusAddCases)
    func add(_ c: CombinationCase) throws {
        try checkAdd(c.a, c.b, c)
        try checkAdd(c.b, c.a, c)
        try checkKahanAdd(c.a, nil, c.b, c)
        try checkKahanAdd(c.b, nil, c.a, c)
    }

    @Test(arguments: CombinationCase.prometheusKahanAddCases)
    func kahanAddWithCompensation(_ c: CombinationCase) throws {
        try checkKahanAdd(c.a, c.compensation, c.b, c)
    }

    @Test(arguments: CombinationCase.prometheusSubCases)
    func subtract(_ c: CombinationCase) throws {
        try c.a.validate()
        try c.b.validate()
        var difference = c.a.copy()
        let outcome: HistogramCombination
        do {
            outcome = try difference.subtract(c.b.copy())
        } catch {
            #expect(error.description == c.error)
            return
        }
        #expect(!c.expectsError)
        guard let expected = c.expected else { return }
        expectCompactedEqual(difference, expected)
        #expect(outcome == HistogramCombination(counterResetCollision: c.collision, customBoundsReconciled: c.reconciled))
    }

    /// Prometheus's `testHistogramAdd`.
    func checkAdd(_ a: FloatHistogram, _ b: FloatHistogram, _ c: CombinationCase) throws {
        try a.validate()
        try b.validate()
        var sum = a.copy()
        var outcome = HistogramCombination()
        do {
            outcome = try sum.add(b.copy())
            #expect(!c.expectsError)
        } catch {
            #expect(error.description == c.error)
        }
        #expect(outcome == HistogramCombination(counterResetCollision: c.collision, customBoundsReconciled: c.reconciled))
        if let expected = c.expected { expectCompactedEqual(sum, expected, "add") }
    }

    /// Prometheus's `testHistogramKahanAdd`: Kahan-add, then add the compensation.
    func checkKahanAdd(
        _ a: FloatHistogram, _ compensation: FloatHistogram?, _ b: FloatHistogram, _ c: CombinationCase
    ) throws {
        var sum = a.copy()
        var terms = compensation?.copy()
        var outcome = HistogramCombination()
        do {
            outcome = try sum.kahanAdd(b.copy(), compensation: &terms)
            #expect(!c.expectsError)
        } catch {
            #expect(error.description == c.error)
        }
        if let terms, !c.expectsError {
            #expect(terms.schema == sum.schema && terms.zeroThreshold == sum.zeroThreshold)
            #expect(terms.positiveSpans == sum.positiveSpans && terms.negativeSpans == sum.negativeSpans)
            #expect(terms.customValues.count == sum.customValues.count)
            #expect(terms.positiveBuckets.count == sum.positiveBuckets.count)
            #expect(terms.negativeBuckets.count == sum.negativeBuckets.count)
            try sum.add(terms)
        }
        #expect(outcome == HistogramCombination(counterResetCollision: c.collision, customBoundsReconciled: c.reconciled))
        if let expected = c.expected { expectCompactedEqual(sum, expected, "kahanAdd") }
    }

    func expectCompactedEqual(
        _ result: FloatHistogram, _ expected: FloatHistogram, _ what: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var result = result
        var expected = expected.copy()
        result.compact(maxEmptyBuckets: 0)
        expected.compact(maxEmptyBuckets: 0)
        expectDeepEqual(result, expected, what, sourceLocation: sourceLocation)
    }

    @Test(arguments: ScaleCase.prometheusMulCases)
    func multiply(_ c: ScaleCase) {
        var h = c.input
        h.multiply(by: c.factor)
        expectDeepEqual(h, c.expected)
    }

    @Test(arguments: ScaleCase.prometheusDivCases)
    func divide(_ c: ScaleCase) {
        var h = c.input
        h.divide(by: c.factor)
        expectDeepEqual(h, c.expected)
    }

    @Test(arguments: CompactCase.prometheusCompactCases)
    func compact(_ c: CompactCase) throws {
        var h = c.input
        let wasValid = (try? h.validate()) != nil
        h.compact(maxEmptyBuckets: c.maxEmptyBuckets)
        expectDeepEqual(h, c.expected)
        if wasValid { try h.validate() }
    }

    /// TestFloatHistogramKahanCompactSpanMerge: compensation stays with its buckets.
    @Test func kahanCompactMergesSpansWithTheirCompensation() {
        let spans = [BucketSpan(offset: 0, length: 1), BucketSpan(offset: 1, length: 1), BucketSpan(offset: 1, length: 1)]
        var h = FloatHistogram(positiveSpans: spans, positiveBuckets: [1, 2, 3])
        var c: FloatHistogram? = FloatHistogram(positiveSpans: spans, positiveBuckets: [0.1, 0.2, 0.3])
        h.compact(maxEmptyBuckets: 3, compensation: &c)
        #expect(h.positiveSpans == [BucketSpan(offset: 0, length: 5)])
        #expect(h.positiveBuckets == [1, 0, 2, 0, 3])
        #expect(c?.positiveBuckets == [0.1, 0, 0.2, 0, 0.3])
    }

    @Test(arguments: DetectResetCase.prometheusCases)
    func detectReset(_ c: DetectResetCase) {
        #expect(c.current.detectReset(previous: c.previous) == c.reset)
    }

    @Test(arguments: ResolutionCase.prometheusCopyToSchemaCases)
    func copyToSchema(_ c: ResolutionCase) throws {
        let copy = c.input.copy(toSchema: c.targetSchema)
        expectDeepEqual(copy, try #require(c.expected))
    }

    @Test(arguments: ResolutionCase.prometheusReduceResolutionCases)
    func reduceResolution(_ c: ResolutionCase) throws {
        var h = c.input
        do {
            try h.reduceResolution(to: c.targetSchema)
        } catch {
            #expect(error.description == c.error)
            return
        }
        #expect(c.error == nil)
        expectDeepEqual(h, try #require(c.expected))
    }
}

/// A case of TestFloatHistogramDetectReset.
struct DetectResetCase: Sendable, CustomTestStringConvertible {
    var name: String
    var previous: FloatHistogram
    var current: FloatHistogram
    var reset: Bool
    var testDescription: String { name }
}
