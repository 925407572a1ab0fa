// info(): cases beyond Prometheus's info.test — duplicate info series, identifying values
// with regex meta characters, label sets that change and change back, info() inside a
// subquery, and one select of the info series per query whatever the number of steps.

import MetricModel
import PromQL
import Testing

@Suite("Engine: info()")
struct EngineInfoTests {
    @Test func instantQueryAddsAllDataLabelsOfTargetInfo() throws {
        let e = try engine(
            """
            load 1m
              metric{instance="a", job="1"} 1 2 3
              target_info{instance="a", job="1", version="v1", region="eu"} 1 1 1
            """)
        let r = try e.instantQuery(try parseExpr("info(metric)"), at: 2 * minute)
        #expect(vector(r) == [#"{__name__="metric", instance="a", job="1", region="eu", version="v1"}"#: 3])
        let only = try e.instantQuery(try parseExpr(#"info(metric, {version=~".+"})"#), at: 2 * minute)
        #expect(vector(only) == [#"{__name__="metric", instance="a", job="1", version="v1"}"#: 3])
    }

    @Test func twoEquallyNewInfoSeriesOfOneMetricAreAnError() throws {
        let e = try engine(
            """
            load 1m
              metric{instance="a", job="1"} 1 2 3
              target_info{instance="a", job="1", version="v1"} 1 1 1
              target_info{instance="a", job="1", version="v2"} 1 1 1
            """)
        let error = try #require(throws: QueryError.self) {
            try e.rangeQuery(try parseExpr("info(metric)"), start: 0, end: 2 * minute, step: minute)
        }
        #expect(error.message.hasPrefix("found duplicate series for info metric: existing {__name__=\"target_info\""))
        #expect(error.message.hasSuffix("version=\"v2\"} @ 0"))
    }

    @Test func infoMetricsDisagreeingOnALabelTheSeriesHasAreNoConflict() throws {
        let e = try engine(
            """
            load 1m
              metric{instance="a", job="1", x="own"} 1
              target_info{instance="a", job="1", x="from_target"} 1
              build_info{instance="a", job="1", x="from_build", rev="r1"} 1
            """)
        let r = try e.instantQuery(try parseExpr(#"info(metric, {__name__=~".+_info"})"#), at: 0)
        #expect(vector(r) == [#"{__name__="metric", instance="a", job="1", rev="r1", x="own"}"#: 1])
    }

    @Test(arguments: ["10.0.0.1:9100", "a|b", "(x", "[^$]*"])
    func identifyingValuesWithRegexMetaCharactersMatchLiterally(instance: String) throws {
        let e = try engine(
            """
            load 1m
              metric{instance="\(instance)", job="1"} 7
              metric{instance="other", job="1"} 8
              target_info{instance="\(instance)", job="1", version="v1"} 1
            """)
        let r = try e.instantQuery(try parseExpr(#"info(metric, {version=~".+"})"#), at: 0)
        #expect(vector(r) == ["{__name__=\"metric\", instance=\"\(instance)\", job=\"1\", version=\"v1\"}": 7])
    }

    @Test func labelsThatChangeAndChangeBackGoToTheSameSeries() throws {
        let e = try engine(
            """
            load 1m
              metric{instance="a", job="1"} 0 1 2 3 4
              target_info{instance="a", job="1", version="old"} 1 stale _ 1 1
              target_info{instance="a", job="1", version="new"} _ 1 stale _ _
            """)
        let r = try e.rangeQuery(try parseExpr(#"info(metric, {version=~".+"})"#), start: 0, end: 4 * minute, step: minute)
        guard case .matrix(let m) = r.value else { Issue.record("not a matrix"); return }
        let byVersion = Dictionary(uniqueKeysWithValues: m.map { ($0.labels["version"] ?? "", $0.samples) })
        #expect(byVersion["old"]?.map(\.timestamp) == [0, 3 * minute, 4 * minute])
        #expect(byVersion["old"]?.map(\.value) == [0, 3, 4])
        #expect(byVersion["new"]?.map(\.value) == [1])
        #expect(m.count == 2)  // at 2m neither is current and version=~".+" drops the sample
    }

    @Test func infoInsideASubqueryJoinsAtTheSubquerySteps() throws {
        let e = try engine(
            """
            load 1m
              metric{instance="a", job="1"} 1 1 1 1 1 1
              target_info{instance="a", job="1", version="old"} 1 1 stale
              target_info{instance="a", job="1", version="new"} _ _ 1 1 1 1
            """)
        let r = try e.instantQuery(try parseExpr("count_over_time(info(metric)[5m:1m])"), at: 5 * minute)
        #expect(vector(r) == [#"{instance="a", job="1", version="old"}"#: 1, #"{instance="a", job="1", version="new"}"#: 4])
    }

    @Test func seriesWithoutIdentifyingLabelsSelectNoInfoSeries() throws {
        let log = SelectLog()
        let storage = try MemoryStorage(loading: "load 1m\n  metric{x=\"1\"} 1 2\n  target_info{x=\"1\", v=\"1\"} 1 1\n")
        let e = Engine(querier: LoggingQuerier(storage, log))
        let r = try e.rangeQuery(try parseExpr(#"info(metric, {v=~".*"})"#), start: 0, end: minute, step: minute)
        #expect(matrix(r) == [#"{__name__="metric", x="1"}"#: [1, 2]])
        #expect(log.selects.count == 1)
    }

    @Test func infoSeriesAreSelectedOncePerQueryWithTheIdentifyingValuesPushedDown() throws {
        var script = "load 1m\n"
        for i in 0..<20 {
            script += "  metric{instance=\"i\(i)\", job=\"j\"} 0+1x60\n"
            script += "  target_info{instance=\"i\(i)\", job=\"j\", n=\"\(i)\"} 1+0x60\n"
        }
        script += "  target_info{instance=\"unrelated\", job=\"j\", n=\"x\"} 1+0x60\n"
        let log = SelectLog()
        let e = Engine(querier: LoggingQuerier(try MemoryStorage(loading: script), log))
        let r = try e.rangeQuery(try parseExpr("info(metric)"), start: 0, end: 60 * minute, step: 15_000)
        guard case .matrix(let m) = r.value else { Issue.record("not a matrix"); return }
        #expect(m.count == 20)
        #expect(m.allSatisfy { $0.samples.count == 241 && $0.labels["n"] == $0.labels["instance"].map { String($0.dropFirst()) } })
        #expect(log.selects.count == 2)
        let infoSelect = try #require(log.selects.last)
        #expect(infoSelect.contains("__name__=\"target_info\""))
        #expect(infoSelect.contains("job=~\"j\""))
        #expect(infoSelect.contains("instance=~\"i0|i1|i10|"))
        #expect(!infoSelect.contains("unrelated"))
    }
}

/// The matchers of every `select`, in call order.
final class SelectLog: @unchecked Sendable {
    // Safety: the engine evaluates a query synchronously on the test's own thread, and each
    // test has its own log.
    var selects: [String] = []
}

/// A querier that records the matchers of each `select` before passing it on.
struct LoggingQuerier: Querier {
    let inner: MemoryStorage
    let log: SelectLog

    init(_ inner: MemoryStorage, _ log: SelectLog) {
        self.inner = inner
        self.log = log
    }

    func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData] {
        log.selects.append(matchers.map(\.description).joined(separator: ","))
        return try inner.select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: sorted)
    }

    func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        try inner.labelNames(matchers: matchers, minTime: minTime, maxTime: maxTime)
    }

    func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        try inner.labelValues(name: name, matchers: matchers, minTime: minTime, maxTime: maxTime)
    }
}
