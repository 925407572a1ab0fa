// HTTPMetricsMiddleware: records every routed request in HTTPMetrics, as Prometheus's
// `instrumentHandler` does (web/web.go): status code, latency and response size by handler.

package import Hummingbird
internal import MetricModel
internal import NIOCore
internal import HTTPTypes

/// Records each request a route answers under its route pattern. Requests no route matches
/// are not recorded, as in Prometheus (its router's not-found handler is not instrumented).
///
/// A body of known length is recorded at once; a streamed body when its last byte is written,
/// so that its size and the whole time it took are counted.
///
/// ```swift
/// router.add(middleware: HTTPMetricsMiddleware(metrics: httpMetrics))
/// ```
package struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HTTPMetrics

    package init(metrics: HTTPMetrics) { self.metrics = metrics }

    package func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // Answered by the error's response further out (a 404 for an unknown path is not
            // recorded: the router found no route).
            if let endpoint = context.endpointPath, endpoint != "NotFound" {
                let status = (error as? any HTTPResponseError)?.status.code ?? 500
                metrics.handler(endpointPath: endpoint).count(code: status)
            }
            throw error
        }
        guard let endpoint = context.endpointPath, endpoint != "NotFound" else { return response }
        let handler = metrics.handler(endpointPath: endpoint)
        handler.count(code: response.status.code)
        if let length = response.body.contentLength {
            handler.duration.observe(Self.nanoseconds(since: started))
            handler.size.observe(length)
            return response
        }
        // Slow path: a streamed body, counted as it is written.
        var counted = response
        let body = response.body
        counted.body = ResponseBody { writer in
            try await body.write(CountingWriter(inner: writer, handler: handler, started: started))
        }
        return counted
    }

    static func nanoseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        return Int(seconds) &* 1_000_000_000 &+ Int(attoseconds / 1_000_000_000)
    }
}

/// Passes a streamed body through, counting its bytes; records size and latency at `finish`.
struct CountingWriter: ResponseBodyWriter {
    var inner: any ResponseBodyWriter
    let handler: HTTPMetrics.Handler
    let started: ContinuousClock.Instant
    var bytes = 0

    mutating func write(_ buffer: ByteBuffer) async throws {
        bytes += buffer.readableBytes
        try await inner.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        handler.duration.observe(HTTPMetricsMiddleware<BasicRequestContext>.nanoseconds(since: started))
        handler.size.observe(bytes)
        try await inner.finish(trailingHeaders)
    }
}
