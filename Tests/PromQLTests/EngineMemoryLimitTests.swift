// `--query.max-samples` as Prometheus enforces it (issue #10, overload): samples a query holds in
// memory, counted for instant selectors over many series, range selectors over long ranges and
// subqueries, failing with Prometheus's execution error; and subqueries with absurd step counts
// refused before anything is allocated for their steps.

import MetricModel
import PromQL
import Testing

@Suite("Engine: --query.max-samples")
struct EngineMemoryLimitTests {
    static let tooMany = QueryError(.execution, "query processing would load too many samples into memory in query execution")

    /// `series` series `m{i="…"}`, a sample a minute for a day.
    static func manySeries(_ series: Int, samples: Int = 1440) -> String {
        "load 1m\n" + (0..<series).map { "  m{i=\"\($0)\"} 1+1x\(samples - 1)" }.joined(separator: "\n")
    }

    static func options(maxSamples: Int) -> EngineOptions {
        var options = EngineOptions()
        options.maxSamples = maxSamples
        return options
    }

    @Test func instantQueryOverManySeriesCountsEverySeries() throws {
        let script = Self.manySeries(200, samples: 2)
        let query = try parseExpr(#"count({__name__=~".+"})"#)
        #expect(throws: Self.tooMany) {
            try engine(script, options: Self.options(maxSamples: 150)).instantQuery(query, at: minute)
        }
        // Our count is an upper bound of Prometheus's (samples loaded plus points kept, never released).
        let result = try engine(script, options: Self.options(maxSamples: 10_000)).instantQuery(query, at: minute)
        #expect(vector(result).values.first == 200)
    }

    @Test func longRangeSelectorCountsTheSamplesItLoads() throws {
        // rate(m[1y]) over one day of per-minute samples: 1440 samples held for the window.
        let script = Self.manySeries(1)
        let query = try parseExpr("rate(m[1y])")
        #expect(throws: Self.tooMany) {
            try engine(script, options: Self.options(maxSamples: 1000)).instantQuery(query, at: 1440 * minute)
        }
        let result = try engine(script, options: Self.options(maxSamples: 2000)).instantQuery(query, at: 1440 * minute)
        #expect(vector(result).count == 1)
    }

    @Test func subqueryCountsItsInnerPoints() throws {
        // 1440 inner steps, each holding m's point.
        let script = Self.manySeries(1)
        let query = try parseExpr("max_over_time(m[1d:1m])")
        #expect(throws: Self.tooMany) {
            try engine(script, options: Self.options(maxSamples: 1000)).instantQuery(query, at: 1440 * minute)
        }
        let result = try engine(script, options: Self.options(maxSamples: 10_000)).instantQuery(query, at: 1440 * minute)
        #expect(vector(result).values.first == 1440)
    }

    @Test(
        "a subquery with more steps than --query.max-samples is refused before evaluating",
        arguments: ["max_over_time(m[10y:1ms])", "vector(1)[10y:1ms]", "sum_over_time(vector(1 + 2)[5y:1ms])", "m[1d:1ms]"])
    func absurdSubqueryStepCounts(_ text: String) throws {
        let e = try engine(Self.manySeries(1, samples: 3), options: EngineOptions())
        let started = ContinuousClock.now
        #expect(throws: Self.tooMany) { try e.instantQuery(try parseExpr(text), at: 3 * minute) }
        // Refused up front: no pass over 3e11 steps, no allocation for them.
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func rangeQueryCountsPointsAcrossSteps() throws {
        // 100 series × 61 steps = 6100 points.
        let script = Self.manySeries(100, samples: 61)
        let query = try parseExpr("m")
        #expect(throws: Self.tooMany) {
            try engine(script, options: Self.options(maxSamples: 5000)).rangeQuery(query, start: 0, end: 60 * minute, step: minute)
        }
        let result = try engine(script, options: Self.options(maxSamples: 20_000))
            .rangeQuery(query, start: 0, end: 60 * minute, step: minute)
        #expect(matrix(result).count == 100)
    }
}
