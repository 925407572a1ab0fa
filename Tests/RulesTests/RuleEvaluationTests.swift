// Group evaluation as Prometheus's rules package does it: recording rules append renamed
// results, alerting rules walk pending → firing → resolved, stale markers follow series that
// disappear, and errors mark the rule without stopping the group.

import ChunkEncoding
import Logging
import MetricModel
import PromQL
import Rules
import Synchronization
import Testing

/// A storage with data, a group built from YAML, and a record of what was sent.
final class RuleHarness: Sendable {
    let storage: MemoryRuleStorage
    let sent = SentAlerts()

    init(series: [(String, [(Timestamp, Double)])] = []) throws {
        var data = MemoryStorage()
        for (text, samples) in series {
            try data.append(try labels(text), samples.map { Sample($0.0, $0.1) })
        }
        storage = MemoryRuleStorage(data)
    }

    var context: RuleEvaluationContext {
        var context = RuleEvaluationContext(
            storage: storage, query: RuleQueries.engine(querier: storage, options: EngineOptions()),
            expandTemplate: { text, _, labels, value, _ in
                text.replacing("$labels.instance", with: labels["instance"] ?? "").replacing("$value", with: "\(value)")
            },
            notify: { [sent] expr, alerts in sent.add("\(expr)", alerts) },
            logger: Self.quietLogger)
        context.resendDelayMs = 60_000
        return context
    }

    static let quietLogger: Logger = {
        var logger = Logger(label: "rules-test")
        logger.logLevel = .critical
        return logger
    }()

    /// The single group of `yaml`.
    func group(_ yaml: String, shouldRestore: Bool = false) throws -> RuleGroup {
        let parsed = RuleGroupsFile.parse(yaml)
        #expect(parsed.errors == [])
        let definition = try #require(parsed.file?.groups.first)
        return RuleManager.group(definition, file: "rules.yml", options: RuleManagerOptions(), shouldRestore: shouldRestore)
    }

    /// Samples of the series matching `selector` in `[minTime, maxTime]`, by series text.
    func samples(_ selector: String, from minTime: Timestamp = .min, to maxTime: Timestamp = .max) throws -> [String: [Sample]] {
        let matchers = try parseMetricSelector(selector)
        var found: [String: [Sample]] = [:]
        for series in try storage.select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: true) {
            found[series.labels.description] = decode(series, from: minTime, to: maxTime)
        }
        return found
    }
}

/// What rules handed to the notifier, in order.
final class SentAlerts: Sendable {
    private let log = Mutex<[(expr: String, alerts: [Alert])]>([])

    func add(_ expr: String, _ alerts: [Alert]) { log.withLock { $0.append((expr, alerts)) } }

    /// Everything sent so far, emptied.
    func take() -> [(expr: String, alerts: [Alert])] {
        log.withLock { log in
            defer { log = [] }
            return log
        }
    }
}

func labels(_ text: String) throws -> Labels {
    let matchers = try parseMetricSelector(text)
    return Labels(matchers.map { ($0.name, $0.value) })
}

@Suite("Rule evaluation")
struct RuleEvaluationTests {
    static let minute: Timestamp = 60_000

    @Test("a recording rule appends its result renamed, with the rule's labels over the series' own")
    func recording() throws {
        let harness = try RuleHarness(series: [
            (#"x{job="a",instance="1",team="old"}"#, [(0, 1)]), (#"x{job="a",instance="2"}"#, [(0, 2)]),
            (#"x{job="b",instance="1"}"#, [(0, 5)]),
        ])
        let group = try harness.group(
            """
            groups:
              - name: g
                rules:
                  - record: job:x:sum
                    expr: sum by (job) (x)
                    labels: {team: new}
            """)
        group.evaluate(at: 30_000, context: harness.context)
        let samples = try harness.samples("job:x:sum")
        #expect(
            samples == [
                #"{__name__="job:x:sum", job="a", team="new"}"#: [Sample(30_000, 3)],
                #"{__name__="job:x:sum", job="b", team="new"}"#: [Sample(30_000, 5)],
            ])
        #expect(group.rules[0].status.health == .ok && group.rules[0].status.lastError == nil)
    }

    @Test("a series the rule stops returning gets a stale marker at the next evaluation")
    func staleMarkers() throws {
        let harness = try RuleHarness(series: [
            (#"x{job="a"}"#, [(0, 1), (60_000, 1), (120_000, 1)]), (#"x{job="b"}"#, [(0, 2)]),
        ])
        let group = try harness.group("groups: [{name: g, rules: [{record: r, expr: 'sum by (job) (x)'}]}]")
        group.evaluate(at: 10_000, context: harness.context)
        // 400 s later job="b" is past the 5-minute lookback; job="a" is still there.
        group.evaluate(at: 410_000, context: harness.context)
        let samples = try harness.samples("r")
        let b = try #require(samples[#"{__name__="r", job="b"}"#])
        #expect(b.count == 2 && b[0] == Sample(10_000, 2) && StaleNaN.isStale(b[1].value) && b[1].timestamp == 410_000)
        #expect(samples[#"{__name__="r", job="a"}"#] == [Sample(10_000, 1), Sample(410_000, 1)])
        // A third evaluation does not mark it again.
        group.evaluate(at: 470_000, context: harness.context)
        #expect(try harness.samples("r")[#"{__name__="r", job="b"}"#]?.count == 2)
    }

    @Test("errors mark the rule unhealthy with Prometheus's text; later rules of the group still run")
    func ruleErrors() throws {
        let harness = try RuleHarness(series: [(#"x{job="a",i="1"}"#, [(0, 1)]), (#"x{job="a",i="2"}"#, [(0, 2)])])
        let group = try harness.group(
            """
            groups:
              - name: g
                limit: 1
                rules:
                  - record: dropped_labels
                    expr: x
                    labels: {i: same}
                  - record: over_limit
                    expr: x
                  - record: fine
                    expr: sum(x)
                  - record: not_instant
                    expr: '"text"'
            """)
        group.evaluate(at: 1000, context: harness.context)
        let statuses = group.rules.map(\.status)
        #expect(statuses.map(\.health) == [.err, .err, .ok, .err])
        #expect(
            statuses.map(\.lastError) == [
                "vector contains metrics with the same labelset after applying rule labels",
                "exceeded limit of 1 with 2 series", nil, "rule result is not a vector or scalar",
            ])
        #expect(try harness.samples("fine") == [#"{__name__="fine"}"#: [Sample(1000, 3)]])
        #expect(statuses.allSatisfy { $0.lastEvaluation != nil })
    }

    @Test("a scalar result records one series with only the rule's name and labels")
    func scalarResult() throws {
        let harness = try RuleHarness()
        let group = try harness.group("groups: [{name: g, rules: [{record: answer, expr: '42', labels: {a: b}}]}]")
        group.evaluate(at: 5000, context: harness.context)
        #expect(try harness.samples("answer") == [#"{__name__="answer", a="b"}"#: [Sample(5000, 42)]])
    }

    @Test("query_offset queries earlier and stamps the results at the earlier time")
    func queryOffset() throws {
        let harness = try RuleHarness(series: [("x", [(0, 1), (60_000, 2)])])
        let group = try harness.group("groups: [{name: g, query_offset: 1m, rules: [{record: r, expr: x}]}]")
        group.evaluate(at: 90_000, context: harness.context)
        #expect(try harness.samples("r") == [#"{__name__="r"}"#: [Sample(30_000, 1)]])
    }
}

/// The samples of a series (tests only).
func decode(_ series: SeriesData, from minTime: Timestamp = .min, to maxTime: Timestamp = .max) -> [Sample] {
    var samples: [Sample] = []
    var iterator = SeriesSampleIterator(series.chunks, minTime: minTime, maxTime: maxTime)
    while iterator.next() { samples.append(Sample(iterator.timestamp, iterator.value)) }
    return samples
}
