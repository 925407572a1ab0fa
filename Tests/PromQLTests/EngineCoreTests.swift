// The evaluator's core: selectors with lookback and stale markers, offset and @, left-open
// ranges, literals, unary minus, and the shapes of instant and range results.

import MetricModel
import PromQL
import Testing

@Suite("Engine: selectors and query shapes")
struct EngineCoreTests {
    let data = """
        load 10s
          metric{job="a"} 0 1 stale 2
          metric{job="b"} 1+1x30
        """

    @Test func lookbackAndStaleMarkers() throws {
        let e = try engine(data)
        // The marker at 20s hides job="a"; job="b" is there.
        #expect(vector(try e.instantQuery(sel("metric"), at: 20_000)) == ["{__name__=\"metric\", job=\"b\"}": 3])
        #expect(vector(try e.instantQuery(sel("metric", [("job", "a")]), at: 10_000)) == ["{__name__=\"metric\", job=\"a\"}": 1])
        // 5m after job="b"'s last sample (300s) it is gone: (t-5m, t] is left-open.
        #expect(vector(try e.instantQuery(sel("metric", [("job", "b")]), at: 600_000)).isEmpty)
        #expect(vector(try e.instantQuery(sel("metric", [("job", "b")]), at: 599_999)).count == 1)
    }

    @Test func leftOpenRangeSelector() throws {
        let e = try engine("load 10s\n  some_metric{env=\"a\"} 1+1x5\n")
        let result = try e.instantQuery(range("some_metric", [], 60_000), at: 60_000)
        // The sample at 0s is outside (0s, 60s].
        #expect(matrix(result) == ["{__name__=\"some_metric\", env=\"a\"}": [2, 3, 4, 5, 6]])
    }

    @Test func offsetAndAt() throws {
        let e = try engine(data)
        #expect(vector(try e.instantQuery(sel("metric", [("job", "b")], offset: 100_000), at: 200_000)).values.first == 11)
        #expect(vector(try e.instantQuery(sel("metric", [("job", "b")], offset: -100_000), at: 100_000)).values.first == 21)
        #expect(vector(try e.instantQuery(sel("metric", [("job", "b")], at: .timestamp(50_000)), at: 200_000)).values.first == 6)
        let r = try e.rangeQuery(sel("metric", [("job", "b")], at: .end), start: 0, end: 20_000, step: 10_000)
        #expect(matrix(r) == ["{__name__=\"metric\", job=\"b\"}": [3, 3, 3]])
        let s = try e.rangeQuery(sel("metric", [("job", "b")], at: .start), start: 10_000, end: 30_000, step: 10_000)
        #expect(matrix(s) == ["{__name__=\"metric\", job=\"b\"}": [2, 2, 2]])
    }

    @Test func literalsAndScalars() throws {
        let e = try engine(data)
        #expect(scalar(try e.instantQuery(num(12.5), at: 0)) == 12.5)
        #expect(scalar(try e.instantQuery(bin(.div, num(1), num(0)), at: 0)) == .infinity)
        #expect(try e.instantQuery(str("Foo"), at: 0).value == .string(timestamp: 0, value: "Foo"))
        let r = try e.rangeQuery(bin(.mul, num(2), num(3)), start: 0, end: 20_000, step: 10_000)
        #expect(matrix(r) == ["{}": [6, 6, 6]])
        #expect(throws: QueryError.self) { try e.rangeQuery(str("x"), start: 0, end: 10, step: 1) }
    }

    @Test func unaryMinusDropsTheName() throws {
        let e = try engine(data)
        let r = try e.instantQuery(.unary(UnaryExpr(op: .sub, expr: sel("metric", [("job", "b")]), startPosition: 0)), at: 10_000)
        #expect(vector(r) == ["{job=\"b\"}": -2])
    }

    @Test func rangeQueryIsSortedAndHasGaps() throws {
        let e = try engine(data)
        let r = try e.rangeQuery(sel("metric"), start: 0, end: 30_000, step: 10_000)
        guard case .matrix(let m) = r.value else { Issue.record("not a matrix"); return }
        #expect(m.map(\.labels.description) == ["{__name__=\"metric\", job=\"a\"}", "{__name__=\"metric\", job=\"b\"}"])
        #expect(m[0].samples.map(\.timestamp) == [0, 10_000, 30_000])
    }

    @Test func maxSamples() throws {
        var options = EngineOptions()
        options.maxSamples = 5
        let e = try engine(data, options: options)
        #expect(throws: QueryError.self) { try e.rangeQuery(sel("metric"), start: 0, end: 300_000, step: 10_000) }
    }
}

@Suite struct EngineLimitTests {
    @Test func timeoutStopsTheQueryWithPrometheusError() throws {
        var options = EngineOptions()
        options.timeout = .zero
        let e = try engine("load 1m\n  m 1+1x10", options: options)
        #expect(throws: QueryError(.timeout, "query timed out in expression evaluation")) {
            try e.rangeQuery(sel("m"), start: 0, end: 10 * minute, step: minute)
        }
        options.timeout = .seconds(60)
        let relaxed = try engine("load 1m\n  m 1+1x10", options: options)
        #expect(throws: Never.self) { try relaxed.rangeQuery(sel("m"), start: 0, end: 10 * minute, step: minute) }
    }

    @Test func maxSamplesIsAnExecutionError() throws {
        var options = EngineOptions()
        options.maxSamples = 5
        let e = try engine("load 1m\n  m 1+1x10", options: options)
        #expect(throws: QueryError(.execution, "query processing would load too many samples into memory in query execution")) {
            try e.rangeQuery(sel("m"), start: 0, end: 10 * minute, step: minute)
        }
    }
}
