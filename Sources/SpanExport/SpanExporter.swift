// The span pipeline of `tracing:`: ended spans queue in a bounded buffer and go out in batches
// (every 5 s, or at 512 spans; the rest at shutdown) over OTLP/gRPC or OTLP/HTTP, as the Go
// SDK's batch span processor that Prometheus uses does.

package import Logging
package import Scrape
import Synchronization

/// Ended spans waiting to be exported; when full, new ones are dropped (and counted).
package final class SpanBatcher: Sendable {
    static let capacity = 2048
    static let batchSize = 512

    private struct State {
        var spans: [FinishedSpan] = []
        var dropped = 0
        var flushRequested = false
    }

    private let state = Mutex(State())

    func add(_ span: FinishedSpan) {
        state.withLock { state in
            if state.spans.count >= Self.capacity {
                state.dropped += 1
            } else {
                state.spans.append(span)
            }
        }
    }

    func flushSoon() { state.withLock { $0.flushRequested = true } }

    /// Whether a batch should go now: a full one waits, or a flush was asked for.
    var batchReady: Bool { state.withLock { $0.spans.count >= Self.batchSize || $0.flushRequested } }

    /// Up to `batchSize` spans, oldest first, and the count dropped since the last call.
    func take() -> (spans: [FinishedSpan], dropped: Int) {
        state.withLock { state in
            let batch = Array(state.spans.prefix(Self.batchSize))
            state.spans.removeFirst(batch.count)
            if state.spans.isEmpty { state.flushRequested = false }
            defer { state.dropped = 0 }
            return (batch, state.dropped)
        }
    }
}

/// Sends encoded `ExportTraceServiceRequest`s.
protocol SpanTransport: Sendable {
    func send(_ request: [UInt8]) async throws
    func shutdown() async
}

/// The tracer and exporter of one `tracing:` section: `run()` exports until `stop()`, which
/// sends what is left.
package final class SpanExporter: Sendable {
    package let tracer: OTLPTracer
    private let batcher = SpanBatcher()
    private let transport: any SpanTransport
    private let logger: Logger
    private let resource: [(String, String)]
    private let stopping = Mutex(false)
    static let interval: Duration = .seconds(5)

    /// - Throws: `SpanExportError` for TLS files that cannot be read.
    package init(config: TracingConfig, serviceVersion: String, logger: Logger) throws {
        self.logger = logger
        resource = [("service.name", "sugarmill"), ("service.version", serviceVersion)]
        tracer = OTLPTracer(samplingFraction: config.samplingFraction, batcher: batcher)
        switch config.clientType {
        case .grpc: transport = try GRPCSpanTransport(config: config)
        case .http: transport = try HTTPSpanTransport(config: config)
        }
    }

    /// Exports batches every `interval`, or sooner when one is full, until `stop()`; then the rest.
    package func run() async {
        var last = ContinuousClock.now
        while !stopping.withLock({ $0 }) {
            try? await Task.sleep(for: .milliseconds(100))
            guard batcher.batchReady || ContinuousClock.now - last >= Self.interval else { continue }
            last = ContinuousClock.now
            await exportQueued()
        }
        await exportQueued()
        await transport.shutdown()
    }

    package func stop() { stopping.withLock { $0 = true } }

    private func exportQueued() async {
        while true {
            let (spans, dropped) = batcher.take()
            if dropped > 0 {
                logger.warning("span queue full; spans dropped", metadata: ["dropped": "\(dropped)"])
            }
            guard !spans.isEmpty else { return }
            do {
                try await transport.send(OTLPTraceEncoding.request(spans, resource: resource))
            } catch {
                logger.warning("failed to export spans", metadata: ["spans": "\(spans.count)", "err": "\(error)"])
                return
            }
        }
    }
}

/// Why an export (or setting one up) failed.
struct SpanExportError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
