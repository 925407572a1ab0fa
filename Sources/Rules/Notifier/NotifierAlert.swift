// One alert on its way to Alertmanager (Prometheus's `notifier.Alert`): the labels that identify
// it, its annotations, its active interval and the link back to the rule that fired it.

package import MetricModel
import Relabel

/// One alert as sent to Alertmanager (Prometheus's `notifier.Alert`).
///
/// ```swift
/// let alert = NotifierAlert(
///     labels: Labels(["alertname": "HighLatency", "severity": "page"]),
///     annotations: Labels(["summary": "p99 above 1s"]),
///     startsAt: 1_700_000_000_000, endsAt: 1_700_000_240_000,
///     generatorURL: "http://sugarmill:9090/graph?g0.expr=…")
/// ```
package struct NotifierAlert: Sendable, Equatable {
    /// What identifies the alert; must include `alertname`. External labels and alert
    /// relabeling are applied by `Notifier.send`.
    package var labels: Labels
    /// Extra information that is not part of the alert's identity.
    package var annotations: Labels
    /// When the alert started firing, ms since the epoch.
    package var startsAt: Int64
    /// When it ends (resolved alerts) or until when it is valid (firing ones), ms since the
    /// epoch; nil for not set, sent as Go's zero time `0001-01-01T00:00:00.000Z`.
    package var endsAt: Int64?
    /// A link to the expression that produced the alert; empty is left out of the JSON.
    package var generatorURL: String

    package init(
        labels: Labels, annotations: Labels = .empty, startsAt: Int64, endsAt: Int64? = nil, generatorURL: String = ""
    ) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }

    /// The `alertname` label ("" without one).
    package var name: String { labels["alertname"] ?? "" }

    /// Whether the alert had ended at `time` (ms): its `endsAt` is set and not after `time`
    /// (Prometheus's `ResolvedAt`).
    package func isResolved(at time: Int64) -> Bool {
        guard let endsAt else { return false }
        return endsAt <= time
    }
}

extension NotifierAlert {
    /// `alerts` with the external labels the alerts do not set themselves added (an alert's own
    /// label wins), then `relabelConfigs` applied; alerts relabeling drops are left out
    /// (Prometheus's `relabelAlerts`).
    static func relabeled(_ alerts: [NotifierAlert], externalLabels: Labels, relabelConfigs: [RelabelConfig]) -> [NotifierAlert] {
        guard !externalLabels.isEmpty || !relabelConfigs.isEmpty else { return alerts }
        return alerts.compactMap { alert in
            var labels = alert.labels
            if !externalLabels.isEmpty {
                var builder = LabelsBuilder(labels)
                externalLabels.forEach { name, value in
                    if alert.labels[name] == nil { builder.set(name, value) }
                }
                labels = builder.labels()
            }
            guard let relabeled = labels.relabeled(relabelConfigs) else { return nil }
            var kept = alert
            kept.labels = relabeled
            return kept
        }
    }
}
