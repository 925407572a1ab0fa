// What a reload carries from a group to its replacement: the series each rule wrote last (so
// stale markers follow) and the alerts it holds (so `for` keeps counting).

import MetricModel
import Synchronization

extension RuleGroup {
    /// Prometheus's `Group.Equals`: same name, file, interval, limit, query offset and rules.
    func isEquivalent(to other: RuleGroup) -> Bool {
        name == other.name && file == other.file && intervalMs == other.intervalMs && limit == other.limit
            && queryOffsetMs == other.queryOffsetMs && definition.rules == other.definition.rules
            && definition.labels.elementsEqual(other.definition.labels, by: ==)
    }

    /// Prometheus's `CopyState`: each rule takes the state of the first unclaimed old rule with
    /// the same kind, name and labels; series of old rules left unclaimed are marked stale at
    /// the end of the next evaluation.
    func copyState(from old: RuleGroup) {
        var unclaimed: [String: [Int]] = [:]
        for (index, rule) in old.rules.enumerated() { unclaimed[rule.identity, default: []].append(index) }
        let oldState = old.state.withLock { $0 }
        var previous = Array(repeating: Set<Labels>(), count: rules.count)
        for (index, rule) in rules.enumerated() {
            guard let oldIndex = unclaimed[rule.identity]?.first else { continue }
            unclaimed[rule.identity]?.removeFirst()
            previous[index] = oldState.previousSeries[oldIndex]
            if case .alerting(let alerting) = rule, case .alerting(let oldAlerting) = old.rules[oldIndex] {
                alerting.adoptAlerts(from: oldAlerting)
            }
        }
        var stale = oldState.pendingStale
        for indexes in unclaimed.values {
            for index in indexes { stale += oldState.previousSeries[index] }
        }
        state.withLock { state in
            state.previousSeries = previous
            state.pendingStale = stale
            state.lastEvaluation = oldState.lastEvaluation
            state.evaluationSeconds = oldState.evaluationSeconds
        }
    }
}

extension AlertingRule {
    /// Takes over the alerts of the rule this one replaces.
    func adoptAlerts(from old: AlertingRule) {
        let alerts = old.allAlerts
        withState { state in
            for alert in alerts { state.active[alert.labels] = alert }
        }
    }
}
