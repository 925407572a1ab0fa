// POST /grafana/query: each target's PromQL evaluated over the request's range, answered as
// Grafana's time series or tables (spec/compat-apis.md §3).

internal import MetricModel
internal import PromQL

extension PrometheusAPI {
    /// `POST /grafana/query`. Every target that is not hidden and has a non-empty `target` is a
    /// PromQL expression, with the ad-hoc filters added to each of its selectors:
    ///
    /// - time series (the default): a range query over `[range.from, range.to]` at the step of
    ///   ``GrafanaRange/step(_:)``, one element per result series;
    /// - table (`type:"table"` or `payload.format:"table"`): an instant query at `range.to`.
    ///
    /// The elements follow the targets' order; no result is `[]`. The first target that fails
    /// fails the request, its error naming the target (`targets[1].target`).
    func grafanaQuery(_ body: JSONField) throws(APIError) -> [UInt8] {
        let range = try GrafanaRange(body["range"])
        let step = try range.step(body)
        let targets = try GrafanaTarget.list(body["targets"])
        let filters = try AdHocFilters.matchers(body)
        let engine = Engine(querier: queryable, options: engineOptionsAfterQueue)
        var w = JSONWriter(capacity: 4096)
        w.byte(UInt8(ascii: "["))
        var first = true
        for target in targets {
            let expr = try grafanaExpression(target.expression, at: target.path).addingMatchers(filters)
            if target.table {
                let result = try Self.evaluate(target.path) { () throws(QueryError) in
                    try engine.instantQuery(expr, at: range.to, query: target.expression)
                }
                w.separator(&first)
                w.table(result.value, of: target)
            } else {
                let result = try Self.evaluate(target.path) { () throws(QueryError) in
                    try engine.rangeQuery(expr, start: range.from, end: range.to, step: step, query: target.expression)
                }
                guard case .matrix(let series) = result.value else { continue }
                w.timeSeries(series, of: target, first: &first)
            }
        }
        w.byte(UInt8(ascii: "]"))
        return w.bytes
    }

    /// The parsed expression (from the parse memory the query API shares); a parse error names `path`.
    func grafanaExpression(_ text: String, at path: String) throws(APIError) -> Expr {
        do { return try parsedQueries.parse(text) } catch {
            throw JSONField.invalid(path, "\(error)")
        }
    }

    /// Runs a query; its error keeps the Prometheus API's errorType and names `path`.
    static func evaluate(
        _ path: String, _ query: () throws(QueryError) -> QueryResult
    ) throws(APIError) -> QueryResult {
        do { return try query() } catch {
            var apiError = Self.apiError(error)
            apiError.message = "\(path): \(apiError.message)"
            throw apiError
        }
    }
}
