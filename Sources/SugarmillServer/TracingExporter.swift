// `tracing:` acted on (Prometheus's tracing manager): an OTLP span exporter for the config in
// force, installed as the server's tracer, replaced on reload when the section changes, flushed
// at shutdown. Without an endpoint no spans are made.

internal import HTTPAPI
internal import Logging
internal import MetricModel
internal import Scrape
internal import SpanExport

/// Runs the span exporter that the config's `tracing:` section asks for.
actor TracingExporter {
    private struct Running {
        var exporter: SpanExporter
        var task: Task<Void, Never>
    }

    private var running: Running?
    private var applied = TracingConfig()
    private let logger: Logger
    /// The server's; its work runs with it bound (`Spans.slot`).
    let slot: Spans.Slot

    init(slot: Spans.Slot, logger: Logger) {
        self.slot = slot
        self.logger = logger
    }

    /// Starts, replaces or stops the exporter for `config`; an unchanged section (without TLS
    /// files, which may have been renewed) keeps the one running.
    ///
    /// - Throws: `ServerError` when the exporter cannot be made (unreadable TLS files, an
    ///   endpoint that is not host:port); the start or reload then fails.
    func apply(_ config: TracingConfig) async throws {
        if config == applied && config.tls == TLSConfig() { return }
        await stop()
        applied = config
        guard config.isEnabled else { return }
        let exporter: SpanExporter
        do {
            exporter = try SpanExporter(config: config, serviceVersion: SugarmillVersion.version, logger: logger)
        } catch {
            throw ServerError("failed to install a new tracer provider: \(error)")
        }
        let task = Task { await exporter.run() }
        slot.install(exporter.tracer)
        running = Running(exporter: exporter, task: task)
        logger.info(
            "Successfully installed a new tracer provider.",
            metadata: ["endpoint": "\(config.endpoint)", "client_type": "\(config.clientType.rawValue)"])
    }

    /// Uninstalls the tracer and sends the spans it holds.
    func stop() async {
        guard let running else { return }
        self.running = nil
        slot.install(nil)
        running.exporter.stop()
        await running.task.value
        logger.info("Tracing provider uninstalled.")
    }
}
