// A rule group: its rules evaluated in order at one instant every interval, results appended to
// storage, stale markers for series a rule stopped returning (Prometheus's `rules.Group`).

package import Logging
package import MetricModel
package import PromQL
import Synchronization

/// A recording or alerting rule of a group.
package enum GroupRule: Sendable {
    case recording(RecordingRule)
    case alerting(AlertingRule)

    package var name: String {
        switch self {
        case .recording(let rule): rule.name
        case .alerting(let rule): rule.name
        }
    }

    package var expr: Expr {
        switch self {
        case .recording(let rule): rule.expr
        case .alerting(let rule): rule.expr
        }
    }

    package var status: RuleStatus {
        switch self {
        case .recording(let rule): rule.status
        case .alerting(let rule): rule.status
        }
    }

    func record(_ update: (inout RuleStatus) -> Void) {
        switch self {
        case .recording(let rule): rule.record(update)
        case .alerting(let rule): rule.record(update)
        }
    }

    /// What identifies the rule across a reload: its name and (raw) labels.
    var identity: String {
        switch self {
        case .recording(let rule): "record:\(rule.name)\(rule.labels)"
        case .alerting(let rule): "alert:\(rule.name)\(Labels(rule.labels.map { ($0.name, $0.value) }))"
        }
    }
}

/// What evaluating rules needs from the server.
package struct RuleEvaluationContext: Sendable {
    /// Where results go (and `ALERTS_FOR_STATE` is read back from).
    package var storage: any Storage
    package var query: RuleQueryFunction
    package var expandTemplate: AlertTemplateExpansion
    /// Hands alerts to the notifier, with the rule's expression (for the generator URL).
    package var notify: @Sendable (_ expr: Expr, _ alerts: [Alert]) -> Void
    /// `--rules.alert.resend-delay`.
    package var resendDelayMs: Int64 = 60_000
    /// `--rules.alert.for-outage-tolerance`.
    package var outageToleranceMs: Int64 = 3_600_000
    /// `--rules.alert.for-grace-period`.
    package var forGracePeriodMs: Int64 = 600_000
    /// Takes a query slot for one group evaluation (`--query.max-concurrency`): returns what
    /// gives it back, or nil when none was had (the evaluation is skipped and counted missed).
    package var admit: (@Sendable () async -> (@Sendable () -> Void)?)?
    package var logger: Logger

    package init(
        storage: any Storage, query: @escaping RuleQueryFunction, expandTemplate: @escaping AlertTemplateExpansion,
        notify: @escaping @Sendable (_ expr: Expr, _ alerts: [Alert]) -> Void, logger: Logger
    ) {
        self.storage = storage
        self.query = query
        self.expandTemplate = expandTemplate
        self.notify = notify
        self.logger = logger
    }
}

/// One group of a rule file, evaluated every `intervalMs`.
package final class RuleGroup: Sendable {
    package let name: String
    package let file: String
    package let intervalMs: Int64
    package let queryOffsetMs: Int64
    package let limit: Int
    package let rules: [GroupRule]
    /// The definition it was built from: a reload keeps a group whose definition is unchanged.
    let definition: RuleGroupDefinition

    struct State {
        /// Per rule, the series its last successful evaluation appended.
        var previousSeries: [Set<Labels>]
        /// Series of rules a reload removed, marked stale at the end of the next evaluation.
        var pendingStale: [Labels] = []
        /// Whether the next evaluation after the first restores alerts' `for` state.
        var shouldRestore: Bool
        var lastEvaluation: Timestamp?
        var evaluationSeconds: Double = 0
        var lastSamples = 0
        var iterations = 0
        var iterationsMissed = 0
        var evaluations = 0
        var evaluationFailures = 0
    }

    let state: Mutex<State>

    init(definition: RuleGroupDefinition, file: String, intervalMs: Int64, queryOffsetMs: Int64, rules: [GroupRule], shouldRestore: Bool) {
        self.name = definition.name
        self.file = file
        self.intervalMs = intervalMs
        self.queryOffsetMs = queryOffsetMs
        self.limit = definition.limit
        self.rules = rules
        self.definition = definition
        self.state = Mutex(State(previousSeries: Array(repeating: [], count: rules.count), shouldRestore: shouldRestore))
    }

    /// `file;name`, the `rule_group` label of the group's metrics.
    package var key: String { "\(file);\(name)" }

    /// When the last evaluation started (wall clock, ms) and how long it took.
    package var lastEvaluation: (time: Timestamp?, seconds: Double) {
        state.withLock { ($0.lastEvaluation, $0.evaluationSeconds) }
    }

    /// The group's counters and last evaluation, for its `prometheus_rule_*` metrics.
    package struct Metrics: Sendable {
        package var evaluations: Int
        package var evaluationFailures: Int
        package var iterations: Int
        package var iterationsMissed: Int
        package var lastEvaluation: Timestamp?
        package var lastDurationSeconds: Double
        package var lastSamples: Int
    }

    package var metrics: Metrics {
        state.withLock {
            Metrics(
                evaluations: $0.evaluations, evaluationFailures: $0.evaluationFailures, iterations: $0.iterations,
                iterationsMissed: $0.iterationsMissed, lastEvaluation: $0.lastEvaluation, lastDurationSeconds: $0.evaluationSeconds,
                lastSamples: $0.lastSamples)
        }
    }

    /// Evaluates every rule at `time`, in order: results appended, alerts sent, stale markers
    /// for series a rule returned last time and not now. A failing rule is marked and logged;
    /// the others still run.
    package func evaluate(at time: Timestamp, context: RuleEvaluationContext, wallClock: () -> Timestamp = RuleClock.nowMs) {
        // A trace per evaluation, with a span per rule, named as Prometheus names them.
        Spans.withSpan("rule group") { span in
            span.set("name", name)
            span.set("file", file)
            span.set("interval", "\(intervalMs)ms")
            evaluateRules(at: time, context: context, wallClock: wallClock)
        }
    }

    private func evaluateRules(at time: Timestamp, context: RuleEvaluationContext, wallClock: () -> Timestamp) {
        let started = wallClock()
        let clock = ContinuousClock()
        let groupStart = clock.now
        var samples = 0
        for (index, rule) in rules.enumerated() {
            let ruleStart = clock.now
            samples += Spans.withSpan("rule") { span in
                span.set("group", name)
                span.set("name", rule.name)
                span.set("index", index)
                return evaluate(rule, index: index, at: time, context: context)
            }
            let seconds = (clock.now - ruleStart).seconds
            rule.record {
                $0.lastEvaluation = started
                $0.evaluationSeconds = seconds
            }
        }
        let stale = state.withLock { state in
            defer { state.pendingStale = [] }
            return state.pendingStale
        }
        if !stale.isEmpty {
            let appender = context.storage.appender()
            for labels in stale { _ = try? appender.append(nil, labels, time - queryOffsetMs, StaleNaN.value) }
            try? appender.commit()
        }
        let seconds = (clock.now - groupStart).seconds
        state.withLock {
            $0.lastEvaluation = started
            $0.evaluationSeconds = seconds
            $0.lastSamples = samples
            $0.iterations += 1
        }
    }

    /// One rule's evaluation; returns how many samples it produced.
    private func evaluate(_ rule: GroupRule, index: Int, at time: Timestamp, context: RuleEvaluationContext) -> Int {
        state.withLock { $0.evaluations += 1 }
        let samples: [VectorSample]
        do {
            switch rule {
            case .recording(let recording):
                samples = try recording.evaluate(at: time, queryOffsetMs: queryOffsetMs, query: context.query, limit: limit)
            case .alerting(let alerting):
                samples = try alerting.evaluate(
                    at: time, queryOffsetMs: queryOffsetMs, query: context.query, limit: limit, expand: context.expandTemplate)
            }
        } catch {
            failed(rule, "\(error)", context: context, message: "Evaluating rule failed")
            return 0
        }
        rule.record {
            $0.health = .ok
            $0.lastError = nil
        }
        if case .alerting(let alerting) = rule {
            let due = alerting.alertsToSend(at: time, resendDelayMs: context.resendDelayMs, intervalMs: intervalMs)
            if !due.isEmpty { context.notify(alerting.expr, due) }
        }
        let appender = context.storage.appender()
        var returned: Set<Labels> = []
        returned.reserveCapacity(samples.count)
        var discarded: [String: Int] = [:]
        for sample in samples {
            do {
                // A native-histogram result is stored as a float histogram, as Prometheus does.
                if let histogram = sample.histogram {
                    _ = try appender.append(nil, sample.labels, sample.timestamp, histogram)
                } else {
                    _ = try appender.append(nil, sample.labels, sample.timestamp, sample.value)
                }
                returned.insert(sample.labels)
            } catch {
                rule.record {
                    $0.health = .err
                    $0.lastError = error.message
                }
                discarded[error.message, default: 0] += 1
            }
        }
        for (reason, count) in discarded.sorted(by: { $0.key < $1.key }) {
            context.logger.warning(
                "Rule evaluation result discarded",
                metadata: ["group": "\(key)", "rule": "\(rule.name)", "err": "\(reason)", "num_dropped": "\(count)"])
        }
        let previous = state.withLock { $0.previousSeries[index] }
        for labels in previous where !returned.contains(labels) {
            // Out of order or duplicate stale markers are expected (a rule renamed back); others are logged.
            do { _ = try appender.append(nil, labels, time - queryOffsetMs, StaleNaN.value) } catch {
                if case .invalidLabels = error {
                    context.logger.warning("Adding stale sample failed", metadata: ["series": "\(labels)", "err": "\(error.message)"])
                }
            }
        }
        do {
            try appender.commit()
            state.withLock { $0.previousSeries[index] = returned }
        } catch {
            failed(rule, "\(error)", context: context, message: "Rule sample appending failed")
        }
        return samples.count
    }

    private func failed(_ rule: GroupRule, _ error: String, context: RuleEvaluationContext, message: Logger.Message) {
        rule.record {
            $0.health = .err
            $0.lastError = error
        }
        state.withLock { $0.evaluationFailures += 1 }
        context.logger.warning(message, metadata: ["group": "\(key)", "rule": "\(rule.name)", "err": "\(error)"])
    }

    /// Stale markers at `time` for every series the group's rules last appended (a removed group).
    func markAllStale(at time: Timestamp, storage: any Storage) {
        let series = state.withLock { state in
            defer { state.previousSeries = Array(repeating: [], count: state.previousSeries.count) }
            return state.previousSeries.flatMap { $0 }
        }
        guard !series.isEmpty else { return }
        let appender = storage.appender()
        for labels in series {
            _ = try? appender.append(nil, labels, time, StaleNaN.value)
        }
        try? appender.commit()
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
