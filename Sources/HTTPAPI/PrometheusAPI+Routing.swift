// PrometheusAPI+Routing: routes registered with their methods, so that another method gets
// Prometheus's 405 (its router's answer) instead of a 404.

package import Hummingbird
internal import HTTPTypes
internal import NIOCore

extension PrometheusAPI {
    /// Methods that get a 405 on a path that does not serve them.
    static let knownMethods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch]

    /// Serves `handler` at `path` for each of `methods`; the other known methods get
    /// `405 Method Not Allowed` with an `Allow` header, as Prometheus's router answers.
    func route<Context: RequestContext>(
        _ router: Router<Context>, _ path: String, _ methods: [HTTPRequest.Method],
        _ handler: @escaping @Sendable (Request, Context) async throws -> Response
    ) {
        for method in methods { router.on(RouterPath(path), method: method, use: handler) }
        let allow = (methods.map(\.rawValue) + ["OPTIONS"]).sorted().joined(separator: ", ")
        for method in Self.knownMethods where !methods.contains(method) {
            router.on(RouterPath(path), method: method) { _, _ in
                var response = Self.text("Method Not Allowed\n", status: .methodNotAllowed)
                response.headers[.allow] = allow
                return response
            }
        }
    }
}

/// Answers requests no route takes as Prometheus does: `404 page not found` in plain text.
package struct NotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do { return try await next(request, context) } catch let error as HTTPError where error.status == .notFound {
            return PrometheusAPI.text("404 page not found\n", status: .notFound)
        }
    }
}
