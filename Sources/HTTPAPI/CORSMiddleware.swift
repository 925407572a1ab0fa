// CORSMiddleware: Prometheus's cross-origin headers on API replies (`--web.cors.origin`).

package import Hummingbird
internal import HTTPTypes
package import MetricModel

/// Adds Prometheus's CORS headers (`util/httputil/cors.go`) to every `/api/` reply and answers
/// `OPTIONS` preflights there with 204; the same under `/grafana/`, whose JSON data source a
/// browser may call directly.
///
/// ```swift
/// router.add(middleware: try CORSMiddleware(origin: "https://grafana\\.example\\.com"))
/// ```
package struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    /// `--web.cors.origin`, matched against the whole `Origin` header.
    let origin: RE2Regex
    /// `.*` allows every origin and answers `*`, as Prometheus does.
    let allowsAll: Bool

    /// - Throws: when `origin` is not a valid regular expression.
    package init(origin pattern: String) throws(RegexSyntaxError) {
        origin = try RE2Regex(prometheusAnchored: pattern)
        allowsAll = pattern == ".*"
    }

    package func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/api/") || path.hasPrefix("/grafana") else { return try await next(request, context) }
        var response: Response
        if request.method == .options {
            response = Response(status: .noContent)
        } else {
            response = try await next(request, context)
        }
        response.headers.append(HTTPField(name: .vary, value: "Origin"))
        guard let requestOrigin = request.headers[.origin], !requestOrigin.isEmpty else { return response }
        response.headers[.accessControlAllowHeaders] = "Accept, Authorization, Content-Type, Origin"
        response.headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
        response.headers[.accessControlExposeHeaders] = "Date"
        if allowsAll {
            response.headers[.accessControlAllowOrigin] = "*"
        } else if origin.matches(requestOrigin) {
            response.headers[.accessControlAllowOrigin] = requestOrigin
        }
        return response
    }
}
