// The runner's comparison rules: upstream's almost.Equal, vectors as sets or in order,
// matrices sorted and point by point, scalars and strings, and annotation expectations.

import MetricModel
import PromQL
import Testing

@Suite("promqltest comparison rules")
struct PromQLTestComparisonTests {
    @Test(arguments: [
        (1.0, 1.0, true),
        (1.0, 1.0000001, true),
        (1.0, 1.00001, false),
        (1e300, 1.0000001e300, true),
        (0.0, 1e-300, false),  // a zero must be exact
        (0.0, -0.0, true),
        (Double.infinity, Double.infinity, true),
        (Double.infinity, -Double.infinity, false),
        (Double.nan, Double.nan, true),
        (Double.nan, 1.0, false),
        (StaleNaN.value, StaleNaN.value, true),
        (StaleNaN.value, Double.nan, false),  // the stale marker is not just any NaN
        (Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, false),
    ])
    func almostEqualIsUpstreams(_ a: Double, _ b: Double, _ equal: Bool) {
        #expect(almostEqual(a, b) == equal)
        #expect(almostEqual(b, a) == equal)
    }

    func eval(_ script: String) throws -> EvalCommand {
        try #require(try PromQLTestFile(parsing: script, name: "t").evals.first)
    }

    let a = Labels(["__name__": "m", "i": "a"])
    let b = Labels(["__name__": "m", "i": "b"])

    @Test func vectorsCompareAsSets() throws {
        let e = try eval("eval instant at 1m m\n  m{i=\"a\"} 1\n  m{i=\"b\"} 2\n")
        let result = PromQLValue.vector([VectorSample(labels: b, timestamp: 0, value: 2), VectorSample(labels: a, timestamp: 0, value: 1)])
        #expect(PromQLTestRunner.mismatch(result, e, points: nil) == nil)

        let wrongValue = PromQLValue.vector([VectorSample(labels: a, timestamp: 0, value: 1.1), VectorSample(labels: b, timestamp: 0, value: 2)])
        #expect(PromQLTestRunner.mismatch(wrongValue, e, points: nil)?.contains("expected 1 for") == true)

        let missing = PromQLValue.vector([VectorSample(labels: a, timestamp: 0, value: 1)])
        #expect(PromQLTestRunner.mismatch(missing, e, points: nil)?.contains("not found") == true)

        let extra = PromQLValue.vector([VectorSample(labels: Labels(["i": "c"]), timestamp: 0, value: 1)])
        #expect(PromQLTestRunner.mismatch(extra, e, points: nil)?.contains("unexpected metric {i=\"c\"}") == true)

        let empty = try eval("eval instant at 1m m\n")
        #expect(PromQLTestRunner.mismatch(.vector([]), empty, points: nil) == nil)
        #expect(PromQLTestRunner.mismatch(missing, empty, points: nil) != nil)
    }

    @Test func orderedVectorsCompareByPosition() throws {
        let e = try eval("eval instant at 1m m\n  expect ordered\n  m{i=\"a\"} 1\n  m{i=\"b\"} 2\n")
        let inOrder = PromQLValue.vector([VectorSample(labels: a, timestamp: 0, value: 1), VectorSample(labels: b, timestamp: 0, value: 2)])
        let reversed = PromQLValue.vector([VectorSample(labels: b, timestamp: 0, value: 2), VectorSample(labels: a, timestamp: 0, value: 1)])
        #expect(PromQLTestRunner.mismatch(inOrder, e, points: nil) == nil)
        #expect(PromQLTestRunner.mismatch(reversed, e, points: nil)?.contains("at position 2 but was at 1") == true)
        #expect(PromQLTestRunner.mismatch(.matrix([]), e, points: nil) != nil)  // ordered never fits a matrix
    }

    @Test func matricesAreSortedAndComparedPointByPoint() throws {
        let e = try eval("eval range from 0 to 2m step 1m m\n  m{i=\"a\"} 1 _ 3\n  m{i=\"b\"} 1+1x2\n")
        let points = StepRange(start: 0, end: 120_000, step: 60_000)
        let seriesA = MatrixSeries(labels: a, samples: [Sample(0, 1), Sample(120_000, 3)])
        let seriesB = MatrixSeries(labels: b, samples: [Sample(0, 1), Sample(60_000, 2), Sample(120_000, 3)])
        #expect(PromQLTestRunner.mismatch(.matrix([seriesA, seriesB]), e, points: points) == nil)
        #expect(PromQLTestRunner.mismatch(.matrix([seriesB, seriesA]), e, points: points)?.contains("sorted") == true)

        let shifted = MatrixSeries(labels: a, samples: [Sample(0, 1), Sample(60_000, 3)])
        #expect(PromQLTestRunner.mismatch(.matrix([shifted, seriesB]), e, points: points)?.contains("timestamp") == true)
        let short = MatrixSeries(labels: a, samples: [Sample(0, 1)])
        #expect(PromQLTestRunner.mismatch(.matrix([short, seriesB]), e, points: points)?.contains("expected 2 float points") == true)

        // More expected points than the range holds.
        let tooMany = try eval("eval range from 0 to 1m step 1m m\n  m{i=\"a\"} 1 2 3\n")
        let three = MatrixSeries(labels: a, samples: [Sample(0, 1), Sample(60_000, 2), Sample(120_000, 3)])
        #expect(PromQLTestRunner.mismatch(.matrix([three]), tooMany, points: StepRange(start: 0, end: 60_000, step: 60_000)) != nil)
    }

    @Test func scalarsAndStrings() throws {
        let scalar = try eval("eval instant at 0 1\n  1.0000000001\n")
        #expect(PromQLTestRunner.mismatch(.scalar(timestamp: 0, value: 1), scalar, points: nil) == nil)
        #expect(PromQLTestRunner.mismatch(.scalar(timestamp: 0, value: 2), scalar, points: nil) != nil)
        #expect(PromQLTestRunner.mismatch(.vector([]), scalar, points: nil)?.contains("expected scalar") == true)

        let vector = try eval("eval instant at 0 m\n")
        #expect(PromQLTestRunner.mismatch(.scalar(timestamp: 0, value: 1), vector, points: nil) != nil)

        let string = try eval("eval instant at 0 \"a\"\n  expect string \"a\"\n")
        #expect(PromQLTestRunner.mismatch(.string(timestamp: 0, value: "a"), string, points: nil) == nil)
        #expect(PromQLTestRunner.mismatch(.string(timestamp: 0, value: "b"), string, points: nil) != nil)
    }

    @Test func annotationExpectations() throws {
        let warn = try eval("""
            eval instant at 0 m
              expect warn msg: PromQL warning: ignoring sample (1:1)
              expect info regex: input to .* too small
            """)
        let both = Annotations(warnings: ["PromQL warning: ignoring sample (1:1)"], infos: ["PromQL info: input to rate too small (1:6)"])
        #expect(PromQLTestRunner.annotationMismatch(both, warn) == nil)
        // Bare texts without the prefix or the position are accepted as the same message.
        #expect(PromQLTestRunner.annotationMismatch(Annotations(warnings: ["ignoring sample"], infos: ["input to x too small"]), warn) == nil)
        // Missing, wrong and extra annotations.
        #expect(PromQLTestRunner.annotationMismatch(Annotations(infos: both.infos), warn)?.contains("none were found") == true)
        #expect(PromQLTestRunner.annotationMismatch(Annotations(warnings: ["PromQL warning: other (1:1)"], infos: both.infos), warn) != nil)
        #expect(PromQLTestRunner.annotationMismatch(Annotations(warnings: both.warnings + ["x"], infos: both.infos), warn)?.contains("unexpected warn") == true)

        let none = try eval("eval instant at 0 m\n  expect no_warn\n  expect no_info\n")
        #expect(PromQLTestRunner.annotationMismatch(Annotations(), none) == nil)
        #expect(PromQLTestRunner.annotationMismatch(Annotations(infos: ["i"]), none) != nil)

        // A plain eval ignores annotations.
        let plain = try eval("eval instant at 0 m\n")
        #expect(PromQLTestRunner.annotationMismatch(both, plain) == nil)
    }
}
