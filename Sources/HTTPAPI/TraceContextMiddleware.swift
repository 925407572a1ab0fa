// Accepts W3C `traceparent` on every request: the handler (and what it calls, such as remote
// reads made for a query) runs with it as `TraceContext.current`, inside a server span named by
// the request's path when `tracing:` exports spans (Prometheus names its spans so too).

internal import HTTPTypes
internal import Hummingbird
internal import MetricModel

/// Binds the request's valid `traceparent` to `TraceContext.current` for the rest of the chain
/// and, with a tracer installed, serves the request in a span of that trace (or a new one).
struct TraceContextMiddleware<Context: RequestContext>: RouterMiddleware {
    static var traceparent: HTTPField.Name { HTTPField.Name("traceparent")! }

    /// The server's tracer slot, made `Spans.slot` for the request.
    var spans: Spans.Slot?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let trace = request.headers[Self.traceparent].flatMap { TraceContext(traceparent: $0) }
        return try await Spans.$slot.withValue(spans ?? Spans.slot) {
            try await TraceContext.$current.withValue(trace) {
                try await serve(request, context: context, next: next)
            }
        }
    }

    private func serve(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await Spans.withSpan(request.uri.path, ofKind: .server) { span in
            span.set("http.request.method", request.method.rawValue)
            span.set("url.path", request.uri.path)
            let response = try await next(request, context)
            span.set("http.response.status_code", response.status.code)
            return response
        }
    }
}
