// A swift-distributed-tracing `Tracer` that records spans for OTLP export: W3C trace context in
// and out, Prometheus's sampler (parent-based, trace-id ratio for new traces), finished sampled
// spans handed to the batcher.

package import MetricModel
package import Tracing
import Synchronization

/// The identity of a span as it travels in a `ServiceContext`.
struct SpanIdentity: Sendable, Equatable {
    var traceID: TraceID
    var spanID: UInt64
    var sampled: Bool

    var traceparent: String {
        TraceContext(traceID: traceID.hex, spanID: Hex.of(spanID), flags: sampled ? "01" : "00").traceparent
    }

    init(traceID: TraceID, spanID: UInt64, sampled: Bool) {
        self.traceID = traceID
        self.spanID = spanID
        self.sampled = sampled
    }

    init?(_ context: TraceContext) {
        guard let trace = TraceID(hex: context.traceID), let span = UInt64(context.spanID, radix: 16) else { return nil }
        traceID = trace
        spanID = span
        sampled = (UInt8(context.flags, radix: 16) ?? 0) & 1 == 1
    }
}

/// 128 bits of trace id, high half first (the wire's byte order).
struct TraceID: Sendable, Hashable {
    var high: UInt64
    var low: UInt64

    static func random() -> TraceID {
        var id = TraceID(high: 0, low: 0)
        while id.high == 0 && id.low == 0 { id = TraceID(high: .random(in: .min ... .max), low: .random(in: .min ... .max)) }
        return id
    }

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init?(hex: String) {
        guard hex.utf8.count == 32, let high = UInt64(hex.prefix(16), radix: 16), let low = UInt64(hex.suffix(16), radix: 16) else {
            return nil
        }
        self.init(high: high, low: low)
    }

    var hex: String { Hex.of(high) + Hex.of(low) }
}

enum Hex {
    /// 16 lowercase hex digits.
    static func of(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

private enum SpanIdentityKey: ServiceContextKey {
    typealias Value = SpanIdentity
}

extension ServiceContext {
    var spanIdentity: SpanIdentity? {
        get { self[SpanIdentityKey.self] }
        set { self[SpanIdentityKey.self] = newValue }
    }
}

/// The tracer `tracing:` installs: spans of sampled traces go to `batcher` when they end.
package final class OTLPTracer: Tracer {
    package typealias Span = OTLPSpan

    let batcher: SpanBatcher
    /// Go's `TraceIDRatioBased` bound: a new trace is sampled when the low 63 bits of its id's
    /// second half are below it.
    let bound: UInt64

    init(samplingFraction: Double, batcher: SpanBatcher) {
        self.batcher = batcher
        bound =
            samplingFraction >= 1 ? .max
            : samplingFraction <= 0 ? 0 : UInt64(samplingFraction * Double(UInt64(1) << 63))
    }

    /// Prometheus's sampler: follow the parent's decision, else the ratio on the trace id.
    func sampled(_ traceID: TraceID, parent: SpanIdentity?) -> Bool {
        if let parent { return parent.sampled }
        return bound == .max || (traceID.low >> 1) < bound
    }

    package func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> OTLPSpan {
        var context = context()
        let parent = context.spanIdentity
        let traceID = parent?.traceID ?? TraceID.random()
        var spanID: UInt64 = 0
        while spanID == 0 { spanID = .random(in: .min ... .max) }
        let identity = SpanIdentity(traceID: traceID, spanID: spanID, sampled: sampled(traceID, parent: parent))
        context.spanIdentity = identity
        return OTLPSpan(
            name: operationName, kind: kind, context: context, identity: identity, parentSpanID: parent?.spanID ?? 0,
            startNanoseconds: instant().nanosecondsSinceEpoch, batcher: identity.sampled ? batcher : nil)
    }

    package func forceFlush() { batcher.flushSoon() }

    package func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        guard let header = extractor.extract(key: "traceparent", from: carrier), let trace = TraceContext(traceparent: header),
            let identity = SpanIdentity(trace)
        else { return }
        context.spanIdentity = identity
    }

    package func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        guard let identity = context.spanIdentity else { return }
        injector.inject(identity.traceparent, forKey: "traceparent", into: &carrier)
    }
}

/// A span of `OTLPTracer`; records only when its trace is sampled.
package final class OTLPSpan: Tracing.Span {
    private struct State {
        var name: String
        var attributes = SpanAttributes()
        var events: [SpanEvent] = []
        var status: SpanStatus?
        var ended = false
    }

    package let context: ServiceContext
    let identity: SpanIdentity
    let kind: SpanKind
    let parentSpanID: UInt64
    let startNanoseconds: UInt64
    private let batcher: SpanBatcher?
    private let state: Mutex<State>

    init(
        name: String, kind: SpanKind, context: ServiceContext, identity: SpanIdentity, parentSpanID: UInt64,
        startNanoseconds: UInt64, batcher: SpanBatcher?
    ) {
        self.context = context
        self.identity = identity
        self.kind = kind
        self.parentSpanID = parentSpanID
        self.startNanoseconds = startNanoseconds
        self.batcher = batcher
        state = Mutex(State(name: name))
    }

    package var isRecording: Bool { batcher != nil && !state.withLock { $0.ended } }

    package var operationName: String {
        get { state.withLock { $0.name } }
        set { state.withLock { $0.name = newValue } }
    }

    package var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set {
            guard batcher != nil else { return }
            state.withLock { $0.attributes = newValue }
        }
    }

    package func setStatus(_ status: SpanStatus) {
        guard batcher != nil else { return }
        state.withLock { $0.status = status }
    }

    package func addEvent(_ event: SpanEvent) {
        guard batcher != nil else { return }
        state.withLock { $0.events.append(event) }
    }

    package func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        var attributes = attributes
        attributes["exception.type"] = "\(type(of: error))"
        attributes["exception.message"] = "\(error)"
        addEvent(SpanEvent(name: "exception", at: instant(), attributes: attributes))
    }

    package func addLink(_ link: SpanLink) {}

    package func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        guard let batcher else { return }
        let end = instant().nanosecondsSinceEpoch
        let finished: FinishedSpan? = state.withLock { state in
            guard !state.ended else { return nil }
            state.ended = true
            return FinishedSpan(
                traceID: identity.traceID, spanID: identity.spanID, parentSpanID: parentSpanID, name: state.name, kind: kind,
                startNanoseconds: startNanoseconds, endNanoseconds: end, attributes: state.attributes, events: state.events,
                status: state.status)
        }
        if let finished { batcher.add(finished) }
    }
}

/// An ended span as it is exported.
struct FinishedSpan: Sendable {
    var traceID: TraceID
    var spanID: UInt64
    var parentSpanID: UInt64
    var name: String
    var kind: SpanKind
    var startNanoseconds: UInt64
    var endNanoseconds: UInt64
    var attributes: SpanAttributes
    var events: [SpanEvent]
    var status: SpanStatus?
}
