// Integer Histogram compact and reduceResolution against Prometheus's table cases
// (histogram_test.go): the deltas must come out as Prometheus re-encodes them.

import MetricModel
import Testing

/// A case of TestHistogramCompact (`parameter`: maxEmptyBuckets) or
/// TestHistogramReduceResolution (`parameter`: target schema).
struct IntegerHistogramCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: Histogram
    var parameter: Int
    var expected: Histogram? = nil
    var error: String? = nil
    var testDescription: String { name }
}

/// Equal as reflect.DeepEqual sees Go histograms: spans as written, every field.
func deepEqual(_ a: Histogram, _ b: Histogram) -> Bool {
    a.counterResetHint == b.counterResetHint && a.schema == b.schema && a.zeroThreshold == b.zeroThreshold
        && a.zeroCount == b.zeroCount && a.count == b.count && a.sum.bitPattern == b.sum.bitPattern
        && a.positiveSpans == b.positiveSpans && a.positiveBuckets == b.positiveBuckets
        && a.negativeSpans == b.negativeSpans && a.negativeBuckets == b.negativeBuckets
        && a.customValues == b.customValues
}

@Suite struct HistogramResolutionTests {
    @Test(arguments: IntegerHistogramCase.prometheusCompactCases)
    func compact(_ c: IntegerHistogramCase) throws {
        var h = c.input
        let wasValid = (try? h.validate()) != nil
        h.compact(maxEmptyBuckets: c.parameter)
        let expected = try #require(c.expected)
        #expect(deepEqual(h, expected), "\n got:  \(h.positiveSpans) \(h.positiveBuckets) \(h.negativeSpans) \(h.negativeBuckets)")
        if wasValid { try h.validate() }
    }

    @Test(arguments: IntegerHistogramCase.prometheusReduceResolutionCases)
    func reduceResolution(_ c: IntegerHistogramCase) throws {
        var h = c.input
        do {
            try h.reduceResolution(to: Int32(c.parameter))
        } catch {
            #expect(error.description == c.error)
            return
        }
        #expect(c.error == nil)
        #expect(deepEqual(h, try #require(c.expected)))
    }
}
