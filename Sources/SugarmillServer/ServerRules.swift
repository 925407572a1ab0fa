// Rules inside the server: a rule manager over one storage, its queries run by the PromQL
// engine with the server's limits and query slots, and its groups shown by `/api/v1/rules`.

internal import HTTPAPI
internal import Logging
internal import MetricModel
internal import PromQL
internal import Rules
internal import Scrape

/// The rule manager of one storage and its API view.
final class ServerRules: RulesSource {
    let manager: RuleManager
    /// What the groups evaluate with.
    let context: RuleEvaluationContext
    /// Alert templates that failed to expand (`prometheus_template_text_expansion_failures_total`).
    let templateFailures = Counter()
    let templateExpansions = Counter()

    /// - Parameters:
    ///   - storage: where results are appended.
    ///   - queryable: what rule expressions read (local storage plus `remote_read`).
    ///   - externalLabels: the config's external labels in force (templates read them).
    ///   - notify: hands alerts due for sending to the notifier.
    ///   - engineOptions: the engine's options for each query (a tenant's limits, which may
    ///     change); nil: the server's (`--query.*`), fixed.
    init(
        storage: any Storage, queryable: any Querier, options: ServerOptions, externalURL: String,
        externalLabels: @escaping @Sendable () -> Labels, queryGate: QueryGate?,
        notify: @escaping @Sendable (_ expr: Expr, _ alerts: [Alert]) -> Void,
        engineOptions: (@Sendable () -> EngineOptions)? = nil, logger: Logger
    ) {
        let query: RuleQueryFunction
        if let engineOptions {
            query = { expr, time in try RuleQueries.engine(querier: queryable, options: engineOptions())(expr, time) }
        } else {
            query = RuleQueries.engine(querier: queryable, options: Self.engineOptions(options))
        }
        let failures = templateFailures
        let expansions = templateExpansions
        let expand: AlertTemplateExpansion = { text, alertName, labels, value, time in
            expansions.add()
            let expansion = RuleTemplates.expansion(
                externalLabels: externalLabels(), externalURL: externalURL, query: query, failures: failures,
                onFailure: { error in
                    logger.warning("Expanding alert template failed", metadata: ["alert": "\(alertName)", "err": "\(error)"])
                })
            return expansion(text, alertName, labels, value, time)
        }
        var context = RuleEvaluationContext(
            storage: storage, query: query, expandTemplate: expand, notify: notify, logger: logger)
        context.resendDelayMs = options.ruleResendDelayMs
        context.outageToleranceMs = options.ruleOutageToleranceMs
        context.forGracePeriodMs = options.ruleForGracePeriodMs
        if let queryGate {
            let waitMs = options.queryTimeoutMs
            context.admit = {
                guard case .admitted = await queryGate.enter(waitingAtMost: .milliseconds(waitMs)) else { return nil }
                return { queryGate.leave() }
            }
        }
        self.context = context
        manager = RuleManager(context: context)
    }

    /// The engine's options for rule queries from the server's flags.
    static func engineOptions(_ options: ServerOptions) -> EngineOptions {
        var engineOptions = EngineOptions()
        engineOptions.lookbackDeltaMs = options.lookbackDeltaMs
        engineOptions.timeout = .milliseconds(options.queryTimeoutMs)
        engineOptions.maxSamples = options.queryMaxSamples
        return engineOptions
    }

    /// Evaluates every running group once at `time`, as its schedule does each interval (without
    /// waiting for a query slot); for tests and tools.
    func evaluate(at time: Timestamp) {
        for group in manager.groups { group.evaluate(at: time, context: context) }
    }

    /// Loads the rule files of `config`.
    func apply(_ config: PrometheusConfig) async throws(RuleLoadError) {
        var options = RuleManagerOptions()
        options.evaluationIntervalMs = config.global.evaluationIntervalMs
        options.queryOffsetMs = config.global.ruleQueryOffsetMs
        options.nameValidation = config.global.metricNameValidationScheme
        try await manager.apply(ruleFiles: config.ruleFiles, options: options)
    }

    /// Prometheus's `prometheus_rule_*` and `prometheus_template_*` families.
    var metricsText: String {
        let groups = manager.groups.map { (label: MetricsText.label("rule_group", $0.key), group: $0, metrics: $0.metrics) }
        var out = MetricsText()
        func family(_ name: String, _ kind: MetricsText.Kind, _ help: String, _ value: (RuleGroup, RuleGroup.Metrics) -> Double) {
            guard !groups.isEmpty else { return }
            out.family(name, kind, help)
            for entry in groups { out.sample(name, entry.label, value: value(entry.group, entry.metrics)) }
        }
        family("prometheus_rule_evaluations_total", .counter, "The total number of rule evaluations.") { Double($1.evaluations) }
        family("prometheus_rule_evaluation_failures_total", .counter, "The total number of rule evaluation failures.") {
            Double($1.evaluationFailures)
        }
        family("prometheus_rule_group_iterations_total", .counter, "The total number of scheduled rule group evaluations, whether executed or missed.") {
            Double($1.iterations + $1.iterationsMissed)
        }
        family("prometheus_rule_group_iterations_missed_total", .counter, "The total number of rule group evaluations missed due to slow rule group evaluation.") {
            Double($1.iterationsMissed)
        }
        family("prometheus_rule_group_interval_seconds", .gauge, "The interval of a rule group.") { group, _ in
            Double(group.intervalMs) / 1000
        }
        family("prometheus_rule_group_last_duration_seconds", .gauge, "The duration of the last rule group evaluation.") {
            $1.lastDurationSeconds
        }
        family("prometheus_rule_group_last_evaluation_timestamp_seconds", .gauge, "The timestamp of the last rule group evaluation in seconds.") {
            $1.lastEvaluation.map { Double($0) / 1000 } ?? 0
        }
        family("prometheus_rule_group_last_evaluation_samples", .gauge, "The number of samples returned during the last rule group evaluation.") {
            Double($1.lastSamples)
        }
        family("prometheus_rule_group_rules", .gauge, "The number of rules.") { group, _ in Double(group.rules.count) }
        out.single(
            "prometheus_template_text_expansions_total", .counter, "The total number of template text expansions.",
            templateExpansions.current)
        out.single(
            "prometheus_template_text_expansion_failures_total", .counter, "The total number of template text expansion failures.",
            templateFailures.current)
        return out.text
    }

    func ruleGroups() -> [APIRuleGroup] {
        manager.groups.map { group in
            let last = group.lastEvaluation
            return APIRuleGroup(
                name: group.name, file: group.file, intervalSeconds: Double(group.intervalMs) / 1000, limit: group.limit,
                evaluationSeconds: last.seconds, lastEvaluation: last.time, rules: group.rules.map(Self.apiRule))
        }
    }

    private static func apiRule(_ rule: GroupRule) -> APIRule {
        let status = rule.status
        switch rule {
        case .recording(let recording):
            return APIRule(
                name: recording.name, query: "\(recording.expr)", labels: recording.labels, health: status.health.rawValue,
                lastError: status.lastError, evaluationSeconds: status.evaluationSeconds, lastEvaluation: status.lastEvaluation,
                alerting: nil)
        case .alerting(let alerting):
            let alerts = alerting.activeAlerts.map { alert in
                APIAlert(
                    labels: alert.labels, annotations: alert.annotations, state: alert.state.rawValue, activeAt: alert.activeAt,
                    keepFiringSince: alert.keepFiringSince, value: alert.value)
            }
            return APIRule(
                name: alerting.name, query: "\(alerting.expr)", labels: Labels(alerting.labels.map { ($0.name, $0.value) }),
                health: status.health.rawValue, lastError: status.lastError, evaluationSeconds: status.evaluationSeconds,
                lastEvaluation: status.lastEvaluation,
                alerting: APIRule.Alerting(
                    state: alerting.ruleState.rawValue, durationSeconds: Double(alerting.holdDurationMs) / 1000,
                    keepFiringForSeconds: Double(alerting.keepFiringForMs) / 1000,
                    annotations: Labels(alerting.annotations.map { ($0.name, $0.value) }), alerts: alerts))
        }
    }
}
