// Functions and subqueries, with expectations from Prometheus's functions.test,
// subquery.test and name_label_dropping.test.

import MetricModel
import PromQL
import Testing

@Suite("Engine: functions")
struct EngineFunctionTests {
    let counters = """
        load 5m
          http_requests_total{path="/foo"} 0+10x10
          http_requests_total{path="/bar"} 0+10x5 0+10x4
          testcounter_reset_middle_total 0+10x4 0+10x5
          metric_total{env="1"} 0 60 120
        """

    @Test func rateIncreaseAndResets() throws {
        let e = try engine(counters)
        let rate = try e.instantQuery(call("rate", range("http_requests_total", [], 50 * minute)), at: 50 * minute)
        #expect(vector(rate)["{path=\"/foo\"}"].map { ($0 - 0.0333333333).magnitude < 1e-9 } == true)
        let increase = try e.instantQuery(call("increase", range("http_requests_total", [("path", "/bar")], 50 * minute)), at: 50 * minute)
        #expect(vector(increase)["{path=\"/bar\"}"].map { ($0 - 800.0 / 9).magnitude < 1e-9 } == true)
        let resets = try e.instantQuery(call("resets", range("testcounter_reset_middle_total", [], 50 * minute)), at: 50 * minute)
        #expect(vector(resets) == ["{}": 1])
        #expect(try e.instantQuery(call("rate", range("metric_total", [], 10 * minute)), at: 10 * minute).annotations.infos.isEmpty)
    }

    @Test func rateOfNonCounterNameIsAnnotated() throws {
        let e = try engine("load 1m\n  some_gauge 1+1x10\n")
        let r = try e.instantQuery(call("rate", range("some_gauge", [], 5 * minute)), at: 10 * minute)
        #expect(r.annotations.infos == ["PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"some_gauge\""])
    }

    @Test func overTimeFunctionsInARangeQuery() throws {
        let e = try engine("load 1m\n  g 1 2 3 4 5 6\n")
        let r = try e.rangeQuery(call("sum_over_time", range("g", [], 2 * minute)), start: 0, end: 5 * minute, step: minute)
        #expect(matrix(r) == ["{}": [1, 3, 5, 7, 9, 11]])
        let last = try e.rangeQuery(call("last_over_time", range("g", [], 2 * minute)), start: 0, end: 2 * minute, step: minute)
        #expect(matrix(last) == ["{__name__=\"g\"}": [1, 2, 3]])
        let q = try e.instantQuery(call("quantile_over_time", num(0.5), range("g", [], 10 * minute)), at: 5 * minute)
        #expect(vector(q) == ["{}": 3.5])
    }

    @Test func derivAndPredictLinear() throws {
        let e = try engine("load 5m\n  testcounter_reset_middle_total 0+10x4 0+10x5\n  http_requests_total{job=\"app-server\", instance=\"1\", group=\"canary\"} 0+80x10\n")
        let d = try e.instantQuery(call("deriv", range("http_requests_total", [], 50 * minute)), at: 50 * minute)
        #expect(vector(d).values.first.map { ($0 - 0.26666666666666666).magnitude < 1e-12 } == true)
        let p = try e.instantQuery(call("predict_linear", range("testcounter_reset_middle_total", [], 50 * minute), num(3600)), at: 50 * minute)
        #expect(vector(p).values.first.map { ($0 - 70).magnitude < 1e-9 } == true, "\(vector(p))")
    }

    @Test func elementwiseFunctionsAndClamp() throws {
        let e = try engine("load 5m\n  test_clamp{src=\"clamp-a\"} -50\n  test_clamp{src=\"clamp-b\"} 0\n  test_clamp{src=\"clamp-c\"} 100\n")
        let r = try e.instantQuery(call("clamp", sel("test_clamp"), num(-25), num(75)), at: 0)
        #expect(vector(r) == ["{src=\"clamp-a\"}": -25, "{src=\"clamp-b\"}": 0, "{src=\"clamp-c\"}": 75])
        #expect(vector(try e.instantQuery(call("clamp", sel("test_clamp"), num(5), num(-5)), at: 0)).isEmpty)
        #expect(vector(try e.instantQuery(call("abs", sel("test_clamp", [("src", "clamp-a")])), at: 0)) == ["{src=\"clamp-a\"}": 50])
        #expect(vector(try e.instantQuery(call("round", bin(.div, sel("test_clamp", [("src", "clamp-c")]), num(3)), num(5)), at: 0)) == ["{src=\"clamp-c\"}": 35])
    }

    @Test func timeAndDates() throws {
        let e = try engine("load 5m\n  x 1\n")
        #expect(scalar(try e.instantQuery(call("time", returns: .scalar), at: 5_000)) == 5)
        #expect(vector(try e.instantQuery(call("year", call("vector", num(1_136_239_445), returns: .vector)), at: 0)) == ["{}": 2006])
        #expect(vector(try e.instantQuery(call("day_of_week", call("vector", num(1_136_239_445))), at: 0)) == ["{}": 1])
        #expect(vector(try e.instantQuery(call("days_in_month", call("vector", num(1_454_284_800))), at: 0)) == ["{}": 29])
        #expect(vector(try e.instantQuery(call("minute"), at: 62 * minute)) == ["{}": 2])
        #expect(vector(try e.instantQuery(call("timestamp", sel("x")), at: 2 * minute)) == ["{}": 0])
    }

    @Test func labelReplaceAndJoin() throws {
        let e = try engine("load 5m\n  testmetric{src=\"source-value-10\",dst=\"original-destination-value\"} 0\n  testmetric{src=\"source-value-20\",dst=\"original-destination-value\"} 1\n")
        let r = try e.instantQuery(call("label_replace", sel("testmetric"), str("dst"), str("destination-value-$1"), str("src"), str("source-value-(.*)")), at: 0)
        #expect(vector(r).keys.sorted() == [
            "{__name__=\"testmetric\", dst=\"destination-value-10\", src=\"source-value-10\"}",
            "{__name__=\"testmetric\", dst=\"destination-value-20\", src=\"source-value-20\"}",
        ])
        // Not anchored at both ends → no match, labels unchanged.
        let n = try e.instantQuery(call("label_replace", sel("testmetric"), str("dst"), str("x"), str("src"), str("value")), at: 0)
        #expect(vector(n).keys.allSatisfy { $0.contains("original-destination-value") })
        #expect(throws: QueryError.self) {
            try e.instantQuery(call("label_replace", sel("testmetric"), str("src"), str(""), str(""), str("")), at: 0)
        }
        let j = try e.instantQuery(call("label_join", sel("testmetric", [("src", "source-value-10")]), str("j"), str("-"), str("src"), str("dst")), at: 0)
        #expect(vector(j).keys.first?.contains("j=\"source-value-10-original-destination-value\"") == true)
    }

    @Test func absentAndScalar() throws {
        let e = try engine("load 5m\n  x{job=\"a\"} 1\n  x{job=\"b\"} 2\n")
        #expect(vector(try e.instantQuery(call("absent", sel("nonexistent", [("job", "testjob")])), at: 0)) == ["{job=\"testjob\"}": 1])
        #expect(vector(try e.instantQuery(call("absent", sel("x")), at: 0)).isEmpty)
        #expect(scalar(try e.instantQuery(call("scalar", sel("x"), returns: .scalar), at: 0))?.isNaN == true)
        #expect(scalar(try e.instantQuery(call("scalar", sel("x", [("job", "a")]), returns: .scalar), at: 0)) == 1)
        let a = try e.instantQuery(call("absent_over_time", range("x", [("job", "c")], 5 * minute)), at: 0)
        #expect(vector(a) == ["{job=\"c\"}": 1])
    }

    @Test func histogramQuantileOnClassicBuckets() throws {
        let e = try engine("""
            load 5m
              testhistogram_bucket{le="0.1"} 0+5x10
              testhistogram_bucket{le=".2"} 0+7x10
              testhistogram_bucket{le="1e0"} 0+11x10
              testhistogram_bucket{le="+Inf"} 0+12x10
            """)
        let r = try e.instantQuery(call("histogram_quantile", num(0.5), sel("testhistogram_bucket")), at: 50 * minute)
        #expect(vector(r).values.first.map { ($0 - 0.15).magnitude < 1e-9 } == true)
    }

    @Test func sortOrdersAnInstantVector() throws {
        let e = try engine("load 5m\n  x{a=\"1\"} 3\n  x{a=\"2\"} 1\n  x{a=\"3\"} 2\n")
        guard case .vector(let v) = try e.instantQuery(call("sort_desc", sel("x")), at: 0).value else { Issue.record(); return }
        #expect(v.map(\.value) == [3, 2, 1])
    }
}

@Suite("Engine: subqueries")
struct EngineSubqueryTests {
    @Test func subqueryWindowsAndDefaultStep() throws {
        let e = try engine("load 10s\n  metric 1 2\n")
        // subquery.test: sum_over_time(metric[50s:5s]) at 10s.
        let r = try e.instantQuery(call("sum_over_time", subquery(sel("metric"), range: 50_000, step: 5_000)), at: 10_000)
        #expect(vector(r) == ["{}": 4])
        let d = try e.instantQuery(call("sum_over_time", subquery(sel("metric"), range: 50_000, step: 10_000)), at: 10_000)
        #expect(vector(d) == ["{}": 3])
    }

    @Test func nameDroppingInsideSubqueryIsKept() throws {
        let e = try engine("load 5m\n  metric_total{env=\"1\"} 0 60 120\n")
        let r = try e.instantQuery(call("last_over_time", subquery(call("abs", sel("metric_total")), range: 10 * minute)), at: 10 * minute)
        #expect(vector(r) == ["{env=\"1\"}": 120])
    }

    @Test func instantSubqueryReturnsMatrix() throws {
        let e = try engine("load 1m\n  m 0+1x10\n")
        let r = try e.instantQuery(subquery(sel("m"), range: 3 * minute, step: minute), at: 5 * minute)
        #expect(matrix(r) == ["{__name__=\"m\"}": [3, 4, 5]])
    }
}

@Suite("Engine: extended range selectors")
struct EngineExtendedRangeTests {
    // extended_vectors.test: metric 1+1x4 9+1x4 every 15s.
    let data = "load 15s\n  metric 1+1x4 9+1x4\n"

    func anchoredOrSmoothed(_ smoothed: Bool) -> Expr {
        var vs = vectorSelector("metric")
        vs.anchored = !smoothed
        vs.smoothed = smoothed
        return call("increase", .matrixSelector(MatrixSelector(vectorSelector: vs, rangeMilliseconds: minute, endPosition: 0)))
    }

    @Test func anchoredIncreaseUsesTheSampleBeforeTheWindow() throws {
        let e = try engine(data)
        #expect(vector(try e.instantQuery(anchoredOrSmoothed(false), at: 20_000)) == ["{}": 1])
        #expect(vector(try e.instantQuery(anchoredOrSmoothed(false), at: 80_000)) == ["{}": 7])
    }

    @Test func smoothedIncreaseInterpolatesAtTheEdges() throws {
        let e = try engine(data)
        let r = vector(try e.instantQuery(anchoredOrSmoothed(true), at: 5_000))
        #expect(r["{}"].map { ($0 - 1.0 / 3).magnitude < 1e-9 } == true)
    }
}
