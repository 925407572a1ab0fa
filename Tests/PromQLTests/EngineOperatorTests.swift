// Binary operators and aggregations, with expectations taken from Prometheus's
// operators.test, aggregators.test and name_label_dropping.test.

import MetricModel
import PromQL
import Testing

@Suite("Engine: binary operators")
struct EngineBinaryTests {
    let data = """
        load 5m
          http_requests{job="api-server", instance="0", group="production"} 0+10x10
          http_requests{job="api-server", instance="1", group="production"} 0+20x10
          http_requests{job="api-server", instance="0", group="canary"} 0+30x10
          http_requests{job="app-server", instance="0", group="production"} 0+50x10
          vector_matching_a{l="x"} 0+1x100
          vector_matching_a{l="y"} 0+2x50
          vector_matching_b{l="x"} 0+4x25
          metric_total{env="1"} 0 60 120
          another_metric_total{env="1"} 60 120 180
        """

    @Test func vectorScalarArithmeticAndComparison() throws {
        let e = try engine(data)
        let r = try e.instantQuery(bin(.mul, sel("metric_total"), num(2)), at: 600_000)
        #expect(vector(r) == ["{env=\"1\"}": 240])
        let f = try e.instantQuery(bin(.gtr, sel("http_requests", [("group", "production")]), num(200)), at: 3_000_000)
        #expect(Set(vector(f).values) == [500])
        let b = try e.instantQuery(bin(.lss, num(200), sel("http_requests", [("job", "app-server")]), bool: true), at: 3_000_000)
        #expect(vector(b) == ["{group=\"production\", instance=\"0\", job=\"app-server\"}": 1])
    }

    @Test func oneToOneMatchingDropsTheNameForArithmeticOnly() throws {
        let e = try engine(data)
        #expect(vector(try e.instantQuery(bin(.add, sel("metric_total"), sel("another_metric_total")), at: 600_000)) == ["{env=\"1\"}": 300])
        #expect(vector(try e.instantQuery(bin(.lte, sel("metric_total"), sel("another_metric_total")), at: 600_000))
            == ["{__name__=\"metric_total\", env=\"1\"}": 120])
        #expect(vector(try e.instantQuery(bin(.lte, sel("metric_total"), sel("another_metric_total"), bool: true), at: 600_000))
            == ["{env=\"1\"}": 1])
    }

    @Test func setOperators() throws {
        let e = try engine(data)
        let and = try e.instantQuery(bin(.and, sel("http_requests", [("group", "canary")]), sel("http_requests", [("instance", "0")])), at: 3_000_000)
        #expect(vector(and).count == 1)
        let or = try e.instantQuery(bin(.or, sel("vector_matching_a"), sel("vector_matching_b")), at: 3_000_000)
        #expect(vector(or).count == 2)  // b{l="x"} matches a{l="x"}: only the left one is kept
        let on = VectorMatching(cardinality: .manyToMany, matchingLabels: ["l"], on: true)
        let unless = try e.instantQuery(bin(.unless, sel("vector_matching_a"), sel("vector_matching_b"), matching: on), at: 3_000_000)
        #expect(vector(unless) == ["{__name__=\"vector_matching_a\", l=\"y\"}": 20])
    }

    @Test func groupLeftAndErrors() throws {
        let e = try engine(data)
        // Many-to-one: every http_requests series divided by the sum of its job.
        let sumByJob = agg(.sum, sel("http_requests"), by: ["job"])
        let m = VectorMatching(cardinality: .manyToOne, matchingLabels: ["job"], on: true)
        let r = try e.instantQuery(bin(.div, sel("http_requests"), sumByJob, matching: m), at: 3_000_000)
        #expect(vector(r)["{group=\"canary\", instance=\"0\", job=\"api-server\"}"] == 0.5)
        // One-to-one with duplicates on the right: Prometheus's error.
        let dup = VectorMatching(cardinality: .oneToOne, matchingLabels: ["job"], on: true)
        #expect(throws: QueryError.self) {
            try e.instantQuery(bin(.add, sumByJob, sel("http_requests"), matching: dup), at: 3_000_000)
        }
    }

    @Test func fillModifiers() throws {
        let e = try engine(data)
        var m = VectorMatching(cardinality: .oneToOne)
        m.fillRight = 0
        let r = try e.instantQuery(bin(.add, sel("vector_matching_a"), sel("vector_matching_b"), matching: m), at: 3_000_000)
        #expect(vector(r) == ["{l=\"x\"}": 50, "{l=\"y\"}": 20])
    }
}

@Suite("Engine: aggregations")
struct EngineAggregationTests {
    let data = """
        load 5m
          http_requests{job="api-server", instance="0", group="production"} 0+10x10
          http_requests{job="api-server", instance="1", group="production"} 0+20x10
          http_requests{job="api-server", instance="0", group="canary"} 0+30x10
          http_requests{job="api-server", instance="1", group="canary"} 0+40x10
          http_requests{job="app-server", instance="0", group="production"} 0+50x10
          http_requests{job="app-server", instance="1", group="production"} 0+60x10
          http_requests{job="app-server", instance="0", group="canary"} 0+70x10
          http_requests{job="app-server", instance="1", group="canary"} 0+80x10
          data{test="big"} 9.988465674311579e+307
          data{test="big2"} 9.988465674311579e+307
        """

    @Test func basicAggregations() throws {
        let e = try engine(data)
        let t: Int64 = 3_000_000
        #expect(vector(try e.instantQuery(agg(.sum, sel("http_requests"), by: ["job"]), at: t))
            == ["{job=\"api-server\"}": 1000, "{job=\"app-server\"}": 2600])
        #expect(vector(try e.instantQuery(agg(.avg, sel("http_requests"), by: ["job"]), at: t))
            == ["{job=\"api-server\"}": 250, "{job=\"app-server\"}": 650])
        #expect(vector(try e.instantQuery(agg(.count, sel("http_requests"), by: ["group"], without: true), at: t)).count == 4)
        #expect(vector(try e.instantQuery(agg(.stddev, sel("http_requests", [("job", "api-server")])), at: t))["{}"]! - 111.80339887498948 < 1e-9)
        #expect(vector(try e.instantQuery(agg(.quantile, sel("http_requests"), param: num(0.5)), at: t)) == ["{}": 450])
        #expect(vector(try e.instantQuery(agg(.group, sel("http_requests"), by: ["job"]), at: t)).values.allSatisfy { $0 == 1 })
    }

    @Test func avgSwitchesToIncrementalMeanOnOverflow() throws {
        let e = try engine(data)
        let r = try e.instantQuery(agg(.avg, sel("data")), at: 0)
        #expect(vector(r) == ["{}": 9.988465674311579e+307])
    }

    @Test func topkOrderAndErrors() throws {
        let e = try engine(data)
        let r = try e.instantQuery(agg(.topk, sel("http_requests"), param: num(3)), at: 3_000_000)
        guard case .vector(let v) = r.value else { Issue.record("not a vector"); return }
        #expect(v.map(\.value) == [800, 700, 600])
        #expect(throws: QueryError("Parameter value is NaN")) {
            try e.instantQuery(agg(.topk, sel("non_existent"), param: num(.nan)), at: 0)
        }
    }

    @Test func countValues() throws {
        let e = try engine("load 5m\n  version{job=\"a\"} 6\n  version{job=\"b\"} 6\n  version{job=\"c\"} 7\n")
        let r = try e.instantQuery(agg(.countValues, sel("version"), param: str("v")), at: 0)
        #expect(vector(r) == ["{v=\"6\"}": 2, "{v=\"7\"}": 1])
    }

    @Test func nameDroppedAfterAggregationByName() throws {
        let e = try engine("load 5m\n  metric_total{env=\"1\"} 0 60 120\n  another_metric_total{env=\"1\"} 60 120 180\n")
        let rate = call("rate", range(nil, [("env", "1")], 600_000))
        #expect(vector(try e.instantQuery(agg(.sum, rate, by: ["env"]), at: 600_000)) == ["{env=\"1\"}": 0.4])
        #expect(throws: QueryError("vector cannot contain metrics with the same labelset")) {
            try e.instantQuery(agg(.sum, rate, by: ["__name__"]), at: 600_000)
        }
    }
}

extension QueryError {
    init(_ message: String) { self.init(.execution, message) }
}
