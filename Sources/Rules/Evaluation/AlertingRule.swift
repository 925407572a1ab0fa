// An alerting rule: every series its expression returns is an alert, pending for `for`, then
// firing until the expression stops returning it (and `keep_firing_for` has passed); then
// resolved, kept 15 minutes so Alertmanager hears of it (Prometheus's `rules.AlertingRule`).

package import MetricModel
package import PromQL
import Synchronization

/// Expands one label or annotation template of an alert: `$labels`, `$value` and the rest of
/// Prometheus's template data (the caller's closure holds external labels and URL).
package typealias AlertTemplateExpansion =
    @Sendable (_ text: String, _ alertName: String, _ labels: [String: String], _ value: Double, _ time: Timestamp) -> String

/// Evaluates an expression into alerts and their `ALERTS` / `ALERTS_FOR_STATE` series.
package final class AlertingRule: Sendable {
    package let name: String
    package let expr: Expr
    package let holdDurationMs: Int64
    package let keepFiringForMs: Int64
    /// Label templates (group labels under the rule's own), sorted by name.
    package let labels: [(name: String, value: String)]
    /// Annotation templates, sorted by name.
    package let annotations: [(name: String, value: String)]

    /// How long a resolved alert is kept (and sent as resolved): 15 minutes, as Prometheus.
    static let resolvedRetentionMs: Int64 = 15 * 60 * 1000

    struct State {
        var status = RuleStatus()
        /// Alerts by their labels: pending, firing, or resolved within the retention.
        var active: [Labels: Alert] = [:]
        /// Whether `for` state was restored (or needs no restoring): only then are `ALERTS`
        /// series written, as Prometheus does.
        var restored = false
    }

    private let state = Mutex(State())

    package init(
        name: String, expr: Expr, holdDurationMs: Int64, keepFiringForMs: Int64,
        labels: [(name: String, value: String)], annotations: [(name: String, value: String)]
    ) {
        self.name = name
        self.expr = expr
        self.holdDurationMs = holdDurationMs
        self.keepFiringForMs = keepFiringForMs
        self.labels = labels.sorted { $0.name < $1.name }
        self.annotations = annotations.sorted { $0.name < $1.name }
    }

    package var status: RuleStatus { state.withLock { $0.status } }

    func record(_ update: (inout RuleStatus) -> Void) { state.withLock { update(&$0.status) } }

    /// Alerts not yet resolved (pending or firing), sorted by labels.
    package var activeAlerts: [Alert] {
        state.withLock { $0.active.values.filter { $0.resolvedAt == nil } }.sorted { $0.labels < $1.labels }
    }

    /// Every alert held, resolved ones included, sorted by labels.
    package var allAlerts: [Alert] {
        state.withLock { Array($0.active.values) }.sorted { $0.labels < $1.labels }
    }

    /// The rule's state: firing if any alert fires, else pending if any is pending, else inactive.
    package var ruleState: AlertState {
        state.withLock { state in
            var result = AlertState.inactive
            for alert in state.active.values {
                if alert.state == .firing { return .firing }
                if alert.state == .pending { result = .pending }
            }
            return result
        }
    }

    var isRestored: Bool { state.withLock { $0.restored } }

    func markRestored() { state.withLock { $0.restored = true } }

    func withState<Result>(_ body: (inout State) -> Result) -> Result { state.withLock { body(&$0) } }

    /// Evaluates at `time` (querying at `time - queryOffsetMs`) and returns the `ALERTS` and
    /// `ALERTS_FOR_STATE` samples to append (none until restored).
    ///
    /// - Throws: the query's error; "vector contains metrics with the same labelset after applying
    ///   alert labels"; "exceeded limit of N with M alerts" (all alerts are then dropped).
    func evaluate(
        at time: Timestamp, queryOffsetMs: Int64, query: RuleQueryFunction, limit: Int, expand: AlertTemplateExpansion
    ) throws -> [VectorSample] {
        let results = try query(expr, time - queryOffsetMs)
        var fresh: [Labels: Alert] = [:]
        fresh.reserveCapacity(results.count)
        for sample in results {
            var labelMap: [String: String] = [:]
            sample.labels.forEach { labelMap[$0] = $1 }
            var builder = LabelsBuilder(sample.labels)
            builder.remove(Labels.metricNameLabel)
            for (label, text) in labels {
                builder.set(label, expand(text, name, labelMap, sample.value, time))
            }
            builder.set("alertname", name)
            let alertLabels = builder.labels()
            let alertAnnotations = Labels(annotations.map { ($0.name, expand($0.value, name, labelMap, sample.value, time)) })
            guard fresh[alertLabels] == nil else {
                throw RuleQueryError("vector contains metrics with the same labelset after applying alert labels")
            }
            fresh[alertLabels] = Alert(
                state: .pending, labels: alertLabels, annotations: alertAnnotations, value: sample.value, activeAt: time)
        }
        return try state.withLock { state throws -> [VectorSample] in
            try advance(&state, fresh: fresh, at: time, sampleTime: time - queryOffsetMs, limit: limit)
        }
    }

    /// Prometheus's state machine over the held alerts, given what the expression returned.
    private func advance(
        _ state: inout State, fresh: [Labels: Alert], at time: Timestamp, sampleTime: Timestamp, limit: Int
    ) throws -> [VectorSample] {
        for (key, alert) in fresh {
            if var existing = state.active[key], existing.state != .inactive {
                existing.value = alert.value
                existing.annotations = alert.annotations
                state.active[key] = existing
            } else {
                state.active[key] = alert
            }
        }
        var samples: [VectorSample] = []
        var activeOrPending = 0
        for key in state.active.keys.sorted(by: <) {
            guard var alert = state.active[key] else { continue }
            if fresh[key] == nil {
                var keepFiring = false
                if alert.state == .firing && keepFiringForMs > 0 {
                    let since = alert.keepFiringSince ?? time
                    alert.keepFiringSince = since
                    keepFiring = time - since < keepFiringForMs
                }
                let forget =
                    alert.state == .pending || (alert.resolvedAt.map { time - $0 > Self.resolvedRetentionMs } ?? false)
                if alert.state != .inactive && !keepFiring {
                    alert.state = .inactive
                    alert.resolvedAt = time
                }
                state.active[key] = forget ? nil : alert
                if !keepFiring { continue }
            } else {
                alert.keepFiringSince = nil
            }
            activeOrPending += 1
            if alert.state == .pending && time - alert.activeAt >= holdDurationMs {
                alert.state = .firing
                alert.firedAt = time
            }
            // A shorter `for` after a reload can make a firing alert pending again.
            if alert.state == .firing && time - alert.activeAt < holdDurationMs {
                alert.state = .pending
                alert.firedAt = nil
                alert.lastSentAt = nil
                alert.keepFiringSince = nil
            }
            if state.active[key] != nil { state.active[key] = alert }
            if state.restored {
                samples.append(alertsSample(alert, at: sampleTime))
                samples.append(forStateSample(alert, at: sampleTime))
            }
        }
        if limit > 0 && activeOrPending > limit {
            state.active = [:]
            throw RuleQueryError("exceeded limit of \(limit) with \(activeOrPending) alerts")
        }
        return samples
    }

    /// `ALERTS{alertname, alertstate, …} 1`.
    private func alertsSample(_ alert: Alert, at time: Timestamp) -> VectorSample {
        var builder = LabelsBuilder(alert.labels)
        builder.set(Labels.metricNameLabel, "ALERTS")
        builder.set("alertname", name)
        builder.set("alertstate", alert.state.rawValue)
        return VectorSample(labels: builder.labels(), timestamp: time, value: 1)
    }

    /// `ALERTS_FOR_STATE{alertname, …}` = the second the alert became active, for restoring `for`.
    private func forStateSample(_ alert: Alert, at time: Timestamp) -> VectorSample {
        var builder = LabelsBuilder(alert.labels)
        builder.set(Labels.metricNameLabel, "ALERTS_FOR_STATE")
        builder.set("alertname", name)
        let seconds = alert.activeAt >= 0 ? alert.activeAt / 1000 : (alert.activeAt - 999) / 1000
        return VectorSample(labels: builder.labels(), timestamp: time, value: Double(seconds))
    }

    /// The alerts to send now (Prometheus's `sendAlerts`): firing ones again after the resend
    /// delay, resolved ones once; each valid for four resend delays (or intervals) ahead.
    func alertsToSend(at time: Timestamp, resendDelayMs: Int64, intervalMs: Int64) -> [Alert] {
        state.withLock { state in
            var sent: [Alert] = []
            for key in state.active.keys.sorted(by: <) {
                guard var alert = state.active[key], alert.needsSending(at: time, resendDelayMs: resendDelayMs) else { continue }
                alert.lastSentAt = time
                alert.validUntil = time + 4 * max(intervalMs, resendDelayMs)
                state.active[key] = alert
                sent.append(alert)
            }
            return sent
        }
    }

    /// Moves restored alerts' `activeAt` (Prometheus's `RestoreForState` per alert), given the
    /// last `ALERTS_FOR_STATE` sample of each alert's series (keyed by labels without `__name__`).
    func restore(
        lastSamples: [Labels: (timestamp: Timestamp, value: Double)], at time: Timestamp, forGracePeriodMs: Int64
    ) {
        state.withLock { state in
            for (key, var alert) in state.active {
                guard let last = lastSamples[alert.labels], !StaleNaN.isStale(last.value) else { continue }
                let downAt = last.timestamp / 1000 * 1000
                var restoredActiveAt = Int64(last.value) * 1000
                let remaining = holdDurationMs - (downAt - restoredActiveAt)
                if remaining <= 0 {
                    // It was firing when the server went down; the next evaluation decides.
                } else if remaining < forGracePeriodMs {
                    restoredActiveAt = time + forGracePeriodMs - holdDurationMs
                } else {
                    restoredActiveAt += time - downAt
                }
                alert.activeAt = restoredActiveAt
                state.active[key] = alert
            }
            state.restored = true
        }
    }
}
