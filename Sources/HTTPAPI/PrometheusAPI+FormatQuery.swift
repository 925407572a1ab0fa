// /api/v1/format_query and /api/v1/parse_query: the query tools of Prometheus's UI, answered
// from the parser alone (`web/api/v1/api.go` formatQuery, parseQuery).

internal import Hummingbird
internal import PromQL

extension PrometheusAPI {
    /// Adds `GET|POST /api/v1/format_query` and `GET|POST /api/v1/parse_query`.
    func registerQueryTools<Context: RequestContext>(on router: Router<Context>) {
        route(router, "/api/v1/format_query", [.get, .post]) { request, _ in await respond(request) { try formatQuery($0) } }
        route(router, "/api/v1/parse_query", [.get, .post]) { request, _ in await respond(request) { try parseQuery($0) } }
    }

    /// `format_query`: `data` is the query as Prometheus's prettier prints it
    /// (``PromQL/Expr/pretty(level:maxLineWidth:)``), comments dropped.
    func formatQuery(_ params: FormParameters) throws(APIError) -> [UInt8] {
        let expr = try queryParameter(params)
        var w = JSONWriter()
        w.string(expr.pretty())
        return w.bytes
    }

    /// `parse_query` (experimental, for the UI's tree view): `data` is the syntax tree as JSON,
    /// in the shape of Prometheus's `translateAST`.
    func parseQuery(_ params: FormParameters) throws(APIError) -> [UInt8] {
        let expr = try queryParameter(params)
        var w = JSONWriter(capacity: 512)
        try w.syntaxTree(expr)
        return w.bytes
    }

    /// The parsed `query`; an absent one parses as empty, as Go's `FormValue` gives "".
    private func queryParameter(_ params: FormParameters) throws(APIError) -> Expr {
        do { return try parseExpr(params["query"] ?? "") } catch {
            throw APIError(.badData, "invalid parameter \"query\": \(error)")
        }
    }
}
