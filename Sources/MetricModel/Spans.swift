// Spans of Sugarmill's own work — HTTP requests, query evaluation, rule groups, remote reads and
// writes — handed to the tracer that `tracing:` installs (SpanExport's OTLP exporter). Without
// one a span costs a task-local read and the work runs as it would; `TraceContext` still carries
// a request's trace on to the requests made for it.

package import Tracing
import Synchronization

/// The running server's span tracer and the helpers that open spans with it.
///
/// ```swift
/// try await Spans.withSpan("Remote Read", ofKind: .client) { span in
///     span.set("remote_url", url)
///     request.headers.add(name: "traceparent", value: Spans.outgoingTraceparent() ?? "")
/// }
/// ```
package enum Spans {
    /// Where a server keeps the tracer of its config in force: bound around the server's work
    /// (every task it starts inherits it), filled and emptied as `tracing:` is applied. A
    /// process may run several servers (tests do), each with its own tracer or none.
    package final class Slot: Sendable {
        private let installed = Mutex<(any Tracer)?>(nil)

        package init() {}

        /// The tracer spans go to; nil while no `tracing:` endpoint is configured.
        package var tracer: (any Tracer)? { installed.withLock { $0 } }

        /// Makes `tracer` the server's (nil: spans off).
        package func install(_ tracer: (any Tracer)?) { installed.withLock { $0 = tracer } }
    }

    /// The slot of the server whose work is running.
    @TaskLocal package static var slot: Slot?

    /// The tracer of the server whose work is running; nil when spans are off.
    package static var tracer: (any Tracer)? { slot?.tracer }

    /// OpenTelemetry's span kinds that Sugarmill's spans have.
    package enum Kind: Sendable {
        /// Work inside the process (rule groups, query evaluation, a remote-write send's tries).
        case `internal`
        /// A request served.
        case server
        /// A request made.
        case client

        var spanKind: SpanKind {
            switch self {
            case .internal: .internal
            case .server: .server
            case .client: .client
            }
        }
    }

    /// Runs `body` in a span named `name`: a child of the trace being served
    /// (`TraceContext.current`), or the root of a new trace. Inside `body`,
    /// `TraceContext.current` is the new span's context, so requests made there carry it. An error
    /// thrown by `body` is recorded on the span and rethrown. Without a tracer `body` gets a handle
    /// that records nothing and runs in the caller's context.
    package static func withSpan<T>(
        _ name: String, ofKind kind: Kind = .internal, _ body: (SpanHandle) async throws -> T
    ) async rethrows -> T {
        guard let (span, own) = start(name, kind) else { return try await body(SpanHandle(span: nil)) }
        defer { span.end() }
        do {
            return try await TraceContext.$current.withValue(own) { try await body(SpanHandle(span: span)) }
        } catch {
            fail(span, error)
            throw error
        }
    }

    /// `withSpan` for work that does not suspend (a remote read waits on its thread, queries are
    /// evaluated synchronously), keeping `body`'s error type.
    package static func withSpan<T, Failure: Error>(
        _ name: String, ofKind kind: Kind = .internal, _ body: (SpanHandle) throws(Failure) -> T
    ) throws(Failure) -> T {
        guard let (span, own) = start(name, kind) else { return try body(SpanHandle(span: nil)) }
        defer { span.end() }
        let result = TraceContext.$current.withValue(own) { Result { () throws(Failure) -> T in try body(SpanHandle(span: span)) } }
        switch result {
        case .success(let value): return value
        case .failure(let error):
            fail(span, error)
            throw error
        }
    }

    /// A new span in the current trace (or a new one) and its context; nil without a tracer.
    private static func start(_ name: String, _ kind: Kind) -> (any Span, TraceContext?)? {
        guard let tracer else { return nil }
        var parent = ServiceContext.topLevel
        if let current = TraceContext.current {
            tracer.extract(["traceparent": current.traceparent], into: &parent, using: HeaderCarrier())
        }
        let span = tracer.startSpan(name, context: parent, ofKind: kind.spanKind)
        var headers: [String: String] = [:]
        tracer.inject(span.context, into: &headers, using: HeaderCarrier())
        return (span, headers["traceparent"].flatMap { TraceContext(traceparent: $0) } ?? TraceContext.current)
    }

    private static func fail(_ span: any Span, _ error: any Error) {
        span.recordError(error)
        span.setStatus(SpanStatus(code: .error))
    }

    /// The `traceparent` for a request made now on behalf of the trace being served: the
    /// current span's own when a tracer made one (see `withSpan`), otherwise a new span id in the
    /// caller's trace. Nil outside any trace.
    package static func outgoingTraceparent() -> String? {
        guard let current = TraceContext.current else { return nil }
        return tracer == nil ? current.child().traceparent : current.traceparent
    }
}

/// The span `Spans.withSpan` opened, for its attributes and status; records nothing when spans
/// are off.
package struct SpanHandle {
    fileprivate let span: (any Span)?

    /// Whether spans are exported (a recording span), for attributes that cost something to make.
    package var isRecording: Bool { span?.isRecording ?? false }

    package func set(_ name: String, _ value: String) { span?.attributes[name] = value }
    package func set(_ name: String, _ value: Int) { span?.attributes[name] = value }

    /// Marks the span failed, with why.
    package func fail(_ message: String) { span?.setStatus(SpanStatus(code: .error, message: message)) }
}

/// Reads and writes propagation headers in a `[String: String]` (lower-case names).
private struct HeaderCarrier: Extractor, Injector {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key.lowercased()] }
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key.lowercased()] = value
    }
}
