// `/api/v1/rules` and `/api/v1/alerts` (Prometheus's `web/api/v1`): rule groups with their rules'
// health and alerts, filtered as Prometheus filters them, parameters checked in its order and words.

package import MetricModel
internal import PromQL

/// A rule group as the API shows it.
package struct APIRuleGroup: Sendable {
    package var name: String
    package var file: String
    package var intervalSeconds: Double
    package var limit: Int
    package var evaluationSeconds: Double
    /// ms since the epoch; nil before the first evaluation.
    package var lastEvaluation: Int64?
    package var rules: [APIRule]

    package init(
        name: String, file: String, intervalSeconds: Double, limit: Int, evaluationSeconds: Double,
        lastEvaluation: Int64?, rules: [APIRule]
    ) {
        self.name = name
        self.file = file
        self.intervalSeconds = intervalSeconds
        self.limit = limit
        self.evaluationSeconds = evaluationSeconds
        self.lastEvaluation = lastEvaluation
        self.rules = rules
    }
}

/// A recording or alerting rule as the API shows it.
package struct APIRule: Sendable {
    /// What only alerting rules have.
    package struct Alerting: Sendable {
        /// `firing`, `pending` or `inactive`.
        package var state: String
        package var durationSeconds: Double
        package var keepFiringForSeconds: Double
        package var annotations: Labels
        package var alerts: [APIAlert]

        package init(state: String, durationSeconds: Double, keepFiringForSeconds: Double, annotations: Labels, alerts: [APIAlert]) {
            self.state = state
            self.durationSeconds = durationSeconds
            self.keepFiringForSeconds = keepFiringForSeconds
            self.annotations = annotations
            self.alerts = alerts
        }
    }

    package var name: String
    /// The expression as Prometheus prints it.
    package var query: String
    package var labels: Labels
    /// `ok`, `err` or `unknown`.
    package var health: String
    package var lastError: String?
    package var evaluationSeconds: Double
    package var lastEvaluation: Int64?
    /// nil for a recording rule.
    package var alerting: Alerting?

    package init(
        name: String, query: String, labels: Labels, health: String, lastError: String?, evaluationSeconds: Double,
        lastEvaluation: Int64?, alerting: Alerting?
    ) {
        self.name = name
        self.query = query
        self.labels = labels
        self.health = health
        self.lastError = lastError
        self.evaluationSeconds = evaluationSeconds
        self.lastEvaluation = lastEvaluation
        self.alerting = alerting
    }
}

/// An active (pending or firing) alert as the API shows it.
package struct APIAlert: Sendable {
    package var labels: Labels
    package var annotations: Labels
    package var state: String
    package var activeAt: Int64
    package var keepFiringSince: Int64?
    package var value: Double

    package init(labels: Labels, annotations: Labels, state: String, activeAt: Int64, keepFiringSince: Int64?, value: Double) {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.activeAt = activeAt
        self.keepFiringSince = keepFiringSince
        self.value = value
    }
}

/// Supplies the rule groups (the rule manager in the server), sorted by file, then name.
package protocol RulesSource: Sendable {
    func ruleGroups() -> [APIRuleGroup]
}

extension PrometheusAPI {
    /// `GET /api/v1/rules`: `{"groups":[]}` after the parameters are checked as Prometheus
    /// checks them (`match[]`, `type`, `exclude_alerts`, `group_limit`, `group_next_token`).
    func rules(_ params: FormParameters) throws(APIError) -> [UInt8] {
        try params.checkParsed()
        var matcherSets: [[LabelMatcher]] = []
        for raw in params.all("match[]") {
            let matchers: [LabelMatcher]
            do { matchers = try parseMetricSelector(raw) } catch { throw APIError(.badData, "\(error)") }
            if matchers.allSatisfy({ $0.matchesEmpty }) {
                throw APIError(.badData, "match[] must contain at least one non-empty matcher")
            }
            matcherSets.append(matchers)
        }
        let type = (params["type"] ?? "").lowercased()
        if !["", "alert", "record"].contains(type) {
            throw APIError(.badData, "invalid parameter \"type\": not supported value \(goQuote(type))")
        }
        let excludeAlerts = (params["exclude_alerts"] ?? "").lowercased()
        if !["", "1", "t", "true", "0", "f", "false"].contains(excludeAlerts) {
            throw APIError(
                .badData,
                "invalid parameter \"exclude_alerts\": error converting exclude_alerts: strconv.ParseBool: parsing \(goQuote(excludeAlerts)): invalid syntax"
            )
        }
        let groupLimit = params["group_limit"] ?? ""
        let nextToken = params["group_next_token"] ?? ""
        if !nextToken.isEmpty && groupLimit.isEmpty {
            throw APIError(
                .badData,
                "invalid parameter \"group_next_token\": group_limit needs to be present in order to paginate over the groups")
        }
        var maxGroups = 0
        if !groupLimit.isEmpty {
            guard let limit = Int32(groupLimit) else {
                // Go's words: a well-formed integer that does not fit, or anything else.
                let unsigned = groupLimit.first == "+" || groupLimit.first == "-" ? groupLimit.dropFirst() : Substring(groupLimit)
                let wellFormed = !unsigned.isEmpty && unsigned.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
                let reason = wellFormed ? "value out of range" : "invalid syntax"
                throw APIError(
                    .badData,
                    "invalid parameter \"group_limit\": group_limit needs to be a valid number: strconv.ParseInt: parsing \(goQuote(groupLimit)): \(reason)")
            }
            if limit <= 0 {
                throw APIError(.badData, "invalid parameter \"group_limit\": group_limit needs to be greater than 0")
            }
            maxGroups = Int(limit)
        }
        let filter = RuleFilter(
            names: Set(params.all("rule_name[]")), groups: Set(params.all("rule_group[]") + params.all("group_name[]")),
            files: Set(params.all("file[]")), matcherSets: matcherSets,
            alerting: type.isEmpty || type == "alert", recording: type.isEmpty || type == "record",
            withAlerts: !["1", "t", "true"].contains(excludeAlerts))

        var w = JSONWriter(capacity: 1024)
        w.raw("{\"groups\":[")
        var written = 0
        var foundToken = false
        var followingToken: String?
        for group in rulesSource?.ruleGroups() ?? [] {
            if maxGroups > 0 && !nextToken.isEmpty && !foundToken {
                guard nextToken == Self.groupToken(group) else { continue }
                foundToken = true
            }
            let rules = filter.rules(of: group)
            guard !rules.isEmpty else { continue }
            if maxGroups > 0 && written == maxGroups {
                followingToken = Self.groupToken(group)
                break
            }
            if written > 0 { w.byte(UInt8(ascii: ",")) }
            written += 1
            Self.writeGroup(group, rules: rules, withAlerts: filter.withAlerts, &w)
        }
        if maxGroups > 0 && !nextToken.isEmpty && !foundToken {
            throw APIError(
                .badData, "invalid parameter \"group_next_token\": invalid group_next_token '\(nextToken)'. were rule groups changed?")
        }
        w.raw("]")
        if let followingToken {
            w.raw(",\"groupNextToken\":")
            w.string(followingToken)
        }
        w.raw("}")
        return w.bytes
    }

    /// `GET /api/v1/alerts`: every active alert of every alerting rule.
    func alerts() -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.raw("{\"alerts\":[")
        var first = true
        for group in rulesSource?.ruleGroups() ?? [] {
            for rule in group.rules {
                for alert in rule.alerting?.alerts ?? [] {
                    if !first { w.byte(UInt8(ascii: ",")) }
                    first = false
                    Self.writeAlert(alert, &w)
                }
            }
        }
        w.raw("]}")
        return w.bytes
    }

    /// `GET /api/v1/alertmanagers`: `{"activeAlertmanagers":[{"url":…}],"droppedAlertmanagers":[…]}`.
    func alertmanagers() -> [UInt8] {
        let (active, dropped) = alertmanagersSource?() ?? ([], [])
        var w = JSONWriter(capacity: 256)
        for (index, (key, urls)) in [("activeAlertmanagers", active), ("droppedAlertmanagers", dropped)].enumerated() {
            w.raw(text: index == 0 ? "{\"\(key)\":[" : "],\"\(key)\":[")
            for (i, url) in urls.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"url\":")
                w.string(url)
                w.raw("}")
            }
        }
        w.raw("]}")
        return w.bytes
    }
}
