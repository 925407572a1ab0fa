// What the notifier sends for an alert (Prometheus's `rules.SendAlerts`): started when it fired,
// ending when it resolved or, while it fires, when its validity runs out; linked to its expression.

package import MetricModel
package import PromQL

extension NotifierAlert {
    /// The notification for `alert` of the rule with `expr`, linking to `externalURL`'s table view.
    package init(_ alert: Alert, expr: Expr, externalURL: String) {
        self.init(
            labels: alert.labels, annotations: alert.annotations, startsAt: alert.firedAt ?? alert.activeAt,
            endsAt: alert.resolvedAt ?? alert.validUntil, generatorURL: externalURL + RuleTemplates.tableLink("\(expr)"))
    }
}
