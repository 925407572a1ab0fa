// Start timestamps in the engine (`use-start-timestamps`): the reset rule on its own, the
// option switching them on and off, `start_timestamp()`, and native-histogram series (the
// suite's `start_timestamps.test` covers their values; the warning and the switch are here).

import MetricModel
import PromQL
import Testing

@Suite("Start timestamps")
struct EngineStartTimestampTests {
    static let script = """
        load 1m
            c_total@st   _ _ -30s -1m -1m
            c_total      _ _ 10   20  5
            plain_total  _ _ 10   20  30
        """

    static var on: EngineOptions {
        var options = EngineOptions()
        options.useStartTimestamps = true
        return options
    }

    func instant(_ query: String, at t: Int64, options: EngineOptions) throws -> QueryResult {
        try engine(Self.script, options: options).instantQuery(try parseExpr(query), at: t)
    }

    /// `isStartTimestampReset` case by case: two samples (2m, 3m) with rising values, so any
    /// reset `resets()` counts comes from the start timestamps.
    @Test func resetRuleFollowsPrometheus() throws {
        let script = """
            load 1m
                r{case="none"}                    _ _ 1 2
                r{case="after_own_sample"}@st     _ _ _ 1s
                r{case="after_own_sample"}        _ _ 1 2
                r{case="unknown_start"}@st        _ _ _ 0
                r{case="unknown_start"}           _ _ 1 2
                r{case="same_run"}@st             _ _ _ -90s
                r{case="same_run"}                _ _ 1 2
                r{case="restart"}@st              _ _ _ -30s
                r{case="restart"}                 _ _ 1 2
                r{case="delta"}@st                _ _ -1m -1m
                r{case="delta"}                   _ _ 1 2
                r{case="cumulative_unknown"}@st   _ _ _ -1m
                r{case="cumulative_unknown"}      _ _ 1 2
                r{case="prev_start_at_prev"}@st   _ _ 0 -1m
                r{case="prev_start_at_prev"}      _ _ 1 2
                r{case="prev_start_invalid"}@st   _ _ 10s -1m
                r{case="prev_start_invalid"}      _ _ 1 2
            """
        let result = try engine(script, options: Self.on).instantQuery(try parseExpr("resets(r[5m])"), at: 3 * minute)
        #expect(vector(result) == [
            "{case=\"none\"}": 0,
            "{case=\"after_own_sample\"}": 0,
            "{case=\"unknown_start\"}": 0,
            "{case=\"same_run\"}": 0,
            "{case=\"restart\"}": 1,
            "{case=\"delta\"}": 1,
            "{case=\"cumulative_unknown\"}": 0,
            "{case=\"prev_start_at_prev\"}": 0,
            "{case=\"prev_start_invalid\"}": 0,
        ])
    }

    @Test func resetsCountsStartTimeRestartsOnlyWhenEnabled() throws {
        // Samples at 2m (start 1m30s), 3m (start 2m: after 2m? no, equal to the previous sample,
        // whose start is known: a delta-style reset), 4m (value fell: a reset either way).
        let with = vector(try instant("resets(c_total[5m])", at: 4 * minute, options: Self.on))
        #expect(with == ["{}": 2])
        let without = vector(try instant("resets(c_total[5m])", at: 4 * minute, options: EngineOptions()))
        #expect(without == ["{}": 1])
    }

    @Test func startInsideWindowStandsForAZeroSample() throws {
        // One sample at 2m started at 1m30s: increase over (1m, 3m] is its whole value, no extrapolation.
        let result = vector(try instant("increase(c_total[2m])", at: 2 * minute + 30_000, options: Self.on))
        #expect(result == ["{}": 10])
        // Without start timestamps one sample gives no increase at all.
        let off = vector(try instant("increase(c_total[2m])", at: 2 * minute + 30_000, options: EngineOptions()))
        #expect(off.isEmpty)
    }

    @Test func seriesWithoutStartTimesKeepTheUsualAnswer() throws {
        let on = vector(try instant("rate(plain_total[5m])", at: 4 * minute, options: Self.on))
        let off = vector(try instant("rate(plain_total[5m])", at: 4 * minute, options: EngineOptions()))
        #expect(on == off)
        #expect(on.count == 1)
    }

    @Test func startTimestampFunction() throws {
        let result = try engine(Self.script, options: Self.on).rangeQuery(
            try parseExpr("start_timestamp(c_total)"), start: 2 * minute, end: 4 * minute, step: minute)
        // 2m: started at 1m30s; 3m and 4m: started at 2m and 3m. Name dropped.
        #expect(matrix(result) == ["{}": [90, 120, 180]])
        // A sample without a start time reads 0.
        let plain = try engine(Self.script, options: Self.on).instantQuery(try parseExpr("start_timestamp(plain_total)"), at: 3 * minute)
        #expect(vector(plain) == ["{}": 0])
    }

    @Test func startTimestampNeedsTheOptionAndASelector() throws {
        let off = try instant("start_timestamp(c_total)", at: 3 * minute, options: EngineOptions())
        #expect(vector(off).isEmpty)
        let expression = try instant("start_timestamp(c_total * 1)", at: 3 * minute, options: Self.on)
        #expect(vector(expression).isEmpty)
    }

    @Test func subqueriesDropStartTimes() throws {
        let direct = vector(try instant("resets(c_total[5m])", at: 4 * minute, options: Self.on))
        let viaSubquery = vector(try instant("resets(c_total[5m:1m])", at: 4 * minute, options: Self.on))
        #expect(direct == ["{}": 2])
        #expect(viaSubquery == ["{}": 1])
    }

    @Test func overlappingStartWarnsOnce() throws {
        let script = """
            load 1m
                o_total@st  _ _ -2m -2m -2m
                o_total     _ _ 60  120 180
            """
        let query = "rate(o_total[3m])"
        let result = try engine(script, options: Self.on).instantQuery(try parseExpr(query), at: 4 * minute, query: query)
        #expect(result.annotations.warnings == [
            "PromQL warning: sample has start time that overlaps with previous sample timestamp for metric \"o_total\" (1:6)"
        ])
    }
}

@Suite("Start timestamps on native histograms")
struct EngineHistogramStartTimestampTests {
    static let script = """
        load 1m
            h@st  _ _ -2m -2m -2m
            h     _ _ {{schema:0 sum:60 count:60}} {{schema:0 sum:120 count:120}} {{schema:0 sum:180 count:180}}
            d@st  _ _ -1m -1m -1m
            d     _ _ {{schema:0 sum:60 count:60}}x2
        """

    @Test func overlappingStartWarns() throws {
        let query = "rate(h[3m])"
        let result = try engine(Self.script, options: EngineStartTimestampTests.on)
            .instantQuery(try parseExpr(query), at: 4 * minute, query: query)
        #expect(result.annotations.warnings == [
            "PromQL warning: sample has start time that overlaps with previous sample timestamp for metric \"h\" (1:6)"
        ])
    }

    @Test func deltaHistogramsResetAtEverySampleOnlyWithTheOption() throws {
        // Each sample of d starts at the previous one: every sample is a reset, so the increase
        // over (1m, 4m] is the three samples' sum; without start times the series looks flat.
        let on = try engine(Self.script, options: EngineStartTimestampTests.on)
            .instantQuery(try parseExpr("increase(d[3m])"), at: 4 * minute)
        let off = try engine(Self.script, options: EngineOptions())
            .instantQuery(try parseExpr("increase(d[3m])"), at: 4 * minute)
        guard case .vector(let withStarts) = on.value, case .vector(let without) = off.value else {
            Issue.record("expected vectors: \(on.value), \(off.value)")
            return
        }
        #expect(withStarts.first?.histogram?.count == 180)
        #expect(without.first?.histogram?.count == 0)
        let resets = try engine(Self.script, options: EngineStartTimestampTests.on)
            .instantQuery(try parseExpr("resets(d[3m])"), at: 4 * minute)
        #expect(vector(resets) == ["{}": 2])
    }

    @Test func startTimestampOfAHistogramSample() throws {
        let result = try engine(Self.script, options: EngineStartTimestampTests.on)
            .instantQuery(try parseExpr("start_timestamp(d)"), at: 3 * minute)
        #expect(vector(result) == ["{}": 120])
    }
}

@Suite("Inline budget")
struct EngineInlineBudgetTests {
    static let script = """
        load 1m
            a{i="1"} 0+1x10
            a{i="2"} 0+1x10
        """

    func run(_ budget: InlineBudget?) throws(QueryError) -> QueryResult {
        var options = EngineOptions()
        options.inlineBudget = budget
        let e = try! engine(Self.script, options: options)
        return try e.instantQuery(try! parseExpr("sum(a)"), at: 5 * minute)
    }

    @Test func givesUpPastItsChunksOrTime() throws {
        let unlimited = try run(nil)
        #expect(vector(unlimited) == ["{}": 10])
        #expect(try run(InlineBudget(maxChunks: 2, maxDuration: .seconds(60))) == unlimited)
        for budget in [InlineBudget(maxChunks: 1, maxDuration: .seconds(60)), InlineBudget(maxChunks: 100, maxDuration: .zero)] {
            let error = #expect(throws: QueryError.self) { try run(budget) }
            #expect(error?.kind == .overInlineBudget)
        }
    }
}
