// `/api/v1/rules` and `/api/v1/alerts` before rules exist (issue #11): Prometheus's answers for a
// server with no rule groups, with its parameter checks in its order and words.

internal import MetricModel
internal import PromQL

extension PrometheusAPI {
    /// `GET /api/v1/rules`: `{"groups":[]}` after the parameters are checked as Prometheus
    /// checks them (`match[]`, `type`, `exclude_alerts`, `group_limit`, `group_next_token`).
    func rules(_ params: FormParameters) throws(APIError) -> [UInt8] {
        try params.checkParsed()
        for raw in params.all("match[]") {
            let matchers: [LabelMatcher]
            do { matchers = try parseMetricSelector(raw) } catch { throw APIError(.badData, "\(error)") }
            if matchers.allSatisfy({ $0.matchesEmpty }) {
                throw APIError(.badData, "match[] must contain at least one non-empty matcher")
            }
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
            // No group can carry the token.
            if !nextToken.isEmpty {
                throw APIError(
                    .badData,
                    "invalid parameter \"group_next_token\": invalid group_next_token '\(nextToken)'. were rule groups changed?")
            }
        }
        return Array(#"{"groups":[]}"#.utf8)
    }

    /// `GET /api/v1/alerts`: no alerting rules, no alerts.
    func alerts() -> [UInt8] {
        Array(#"{"alerts":[]}"#.utf8)
    }

    /// `GET /api/v1/alertmanagers`: none configured until notification exists (issue #11).
    func alertmanagers() -> [UInt8] {
        Array(#"{"activeAlertmanagers":[],"droppedAlertmanagers":[]}"#.utf8)
    }
}
