// The JSON of `/api/v1/rules` and `/api/v1/alerts`: Prometheus's field order and formats (times
// as RFC 3339, durations in seconds, alert values as `%e`), and its rule filters.

internal import MetricModel
internal import PromQL

/// Which rules `/api/v1/rules` shows (`rule_name[]`, `rule_group[]`, `file[]`, `match[]`, `type`).
struct RuleFilter {
    var names: Set<String>
    var groups: Set<String>
    var files: Set<String>
    var matcherSets: [[LabelMatcher]]
    var alerting: Bool
    var recording: Bool
    var withAlerts: Bool

    /// The rules of `group` to show; none when the group itself is filtered out.
    func rules(of group: APIRuleGroup) -> [APIRule] {
        if !groups.isEmpty && !groups.contains(group.name) { return [] }
        if !files.isEmpty && !files.contains(group.file) { return [] }
        return group.rules.filter { rule in
            if !names.isEmpty && !names.contains(rule.name) { return false }
            if !matcherSets.isEmpty
                && !matcherSets.contains(where: { set in set.allSatisfy { $0.matches(rule.labels[$0.name] ?? "") } })
            {
                return false
            }
            return rule.alerting == nil ? recording : alerting
        }
    }
}

extension PrometheusAPI {
    /// The page token of a group: SHA-256 of `file;name` in hex, as Prometheus makes it.
    static func groupToken(_ group: APIRuleGroup) -> String {
        SHA256.hex(Array("\(group.file);\(group.name)".utf8))
    }

    static func writeGroup(_ group: APIRuleGroup, rules: [APIRule], withAlerts: Bool, _ w: inout JSONWriter) {
        w.raw("{\"name\":")
        w.string(group.name)
        w.raw(",\"file\":")
        w.string(group.file)
        w.raw(",\"rules\":[")
        for (index, rule) in rules.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            writeRule(rule, withAlerts: withAlerts, &w)
        }
        w.raw("],\"interval\":")
        w.raw(text: formatValue(group.intervalSeconds))
        w.raw(",\"limit\":")
        w.raw(text: String(group.limit))
        w.raw(",\"evaluationTime\":")
        w.raw(text: formatValue(group.evaluationSeconds))
        w.raw(",\"lastEvaluation\":")
        w.string(rfc3339(group.lastEvaluation))
        w.raw("}")
    }

    private static func writeRule(_ rule: APIRule, withAlerts: Bool, _ w: inout JSONWriter) {
        if let alerting = rule.alerting {
            w.raw("{\"state\":")
            w.string(alerting.state)
            w.raw(",\"name\":")
            w.string(rule.name)
            w.raw(",\"query\":")
            w.string(rule.query)
            w.raw(",\"duration\":")
            w.raw(text: formatValue(alerting.durationSeconds))
            w.raw(",\"keepFiringFor\":")
            w.raw(text: formatValue(alerting.keepFiringForSeconds))
            w.raw(",\"labels\":")
            writeLabels(rule.labels, &w)
            w.raw(",\"annotations\":")
            writeLabels(alerting.annotations, &w)
            w.raw(",\"alerts\":")
            if withAlerts {
                w.raw("[")
                for (index, alert) in alerting.alerts.enumerated() {
                    if index > 0 { w.byte(UInt8(ascii: ",")) }
                    writeAlert(alert, &w)
                }
                w.raw("]")
            } else {
                w.raw("null")
            }
        } else {
            w.raw("{\"name\":")
            w.string(rule.name)
            w.raw(",\"query\":")
            w.string(rule.query)
            w.raw(",\"labels\":")
            writeLabels(rule.labels, &w)
        }
        w.raw(",\"health\":")
        w.string(rule.health)
        if let lastError = rule.lastError, !lastError.isEmpty {
            w.raw(",\"lastError\":")
            w.string(lastError)
        }
        w.raw(",\"evaluationTime\":")
        w.raw(text: formatValue(rule.evaluationSeconds))
        w.raw(",\"lastEvaluation\":")
        w.string(rfc3339(rule.lastEvaluation))
        w.raw(rule.alerting == nil ? ",\"type\":\"recording\"}" : ",\"type\":\"alerting\"}")
    }

    static func writeAlert(_ alert: APIAlert, _ w: inout JSONWriter) {
        w.raw("{\"labels\":")
        writeLabels(alert.labels, &w)
        w.raw(",\"annotations\":")
        writeLabels(alert.annotations, &w)
        w.raw(",\"state\":")
        w.string(alert.state)
        w.raw(",\"activeAt\":")
        w.string(rfc3339(alert.activeAt))
        if let since = alert.keepFiringSince {
            w.raw(",\"keepFiringSince\":")
            w.string(rfc3339(since))
        }
        w.raw(",\"value\":")
        w.string(goFormatShortest(alert.value, exponent: true))
        w.raw("}")
    }
}
