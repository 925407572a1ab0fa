// Accepts W3C `traceparent` on every request: the handler (and what it calls, such as remote
// reads made for a query) runs with it as `TraceContext.current`.

internal import HTTPTypes
internal import Hummingbird
internal import MetricModel

/// Binds the request's valid `traceparent` to `TraceContext.current` for the rest of the chain.
struct TraceContextMiddleware<Context: RequestContext>: RouterMiddleware {
    static var traceparent: HTTPField.Name { HTTPField.Name("traceparent")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[Self.traceparent], let trace = TraceContext(traceparent: header) else {
            return try await next(request, context)
        }
        return try await TraceContext.$current.withValue(trace) { try await next(request, context) }
    }
}
