// `tracing:` acted on (Prometheus's tracing manager): an OTLP span exporter (swift-otel) for the
// config in force, installed as the server's tracer, replaced on reload when the section
// changes, flushed at shutdown. Without an endpoint no spans are made.

internal import HTTPAPI
internal import Logging
internal import MetricModel
internal import OTel
internal import Scrape
internal import ServiceLifecycle

/// Runs the span exporter that the config's `tracing:` section asks for.
actor TracingExporter {
    private struct Running {
        var config: TracingConfig
        var group: ServiceGroup
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
    /// - Throws: `ServerError` when swift-otel refuses the settings; the reload then fails.
    func apply(_ config: TracingConfig) async throws {
        if config == applied && config.tls == TLSConfig() { return }
        await stop()
        applied = config
        guard config.isEnabled else { return }
        let group: ServiceGroup
        do {
            let backend = try OTel.makeTracingBackend(configuration: Self.otelConfiguration(config, logger: logger))
            group = ServiceGroup(configuration: .init(services: [.init(service: backend.service)], logger: logger))
            slot.install(backend.factory)
        } catch {
            throw ServerError("failed to install a new tracer provider: \(error)")
        }
        let task = Task { [logger] in
            do { try await group.run() } catch { logger.error("span exporter stopped", metadata: ["err": "\(error)"]) }
        }
        running = Running(config: config, group: group, task: task)
        logger.info(
            "Successfully installed a new tracer provider.",
            metadata: ["endpoint": "\(config.endpoint)", "client_type": "\(config.clientType.rawValue)"])
    }

    /// Uninstalls the tracer and flushes the spans it holds.
    func stop() async {
        guard let running else { return }
        self.running = nil
        slot.install(nil)
        await running.group.triggerGracefulShutdown()
        await running.task.value
        logger.info("Tracing provider uninstalled.")
    }

    /// swift-otel's settings for Prometheus's: `endpoint` is `host:port` (its scheme follows
    /// `insecure`); OTLP/HTTP posts to `/v1/traces` there, as Go's exporter does; sampling is
    /// parent-based with `sampling_fraction` for new traces.
    static func otelConfiguration(_ config: TracingConfig, logger: Logger) -> OTel.Configuration {
        var otel = OTel.Configuration.default
        otel.serviceName = "sugarmill"
        otel.resourceAttributes = ["service.version": SugarmillVersion.version]
        otel.diagnosticLogger = .custom(logger)
        otel.propagators = [.traceContext]
        otel.metrics.enabled = false
        otel.logs.enabled = false
        otel.traces.enabled = true
        otel.traces.exporter = .otlp
        otel.traces.sampler = .parentBasedTraceIDRatio(ratio: min(max(config.samplingFraction, 0), 1)) ?? .parentBasedAlwaysOff
        var exporter = otel.traces.otlpExporter
        let scheme = config.insecure ? "http" : "https"
        switch config.clientType {
        case .grpc:
            exporter.protocol = .grpc
            exporter.endpoint = "\(scheme)://\(config.endpoint)"
        case .http:
            exporter.protocol = .httpProtobuf
            exporter.endpoint = "\(scheme)://\(config.endpoint)/v1/traces"
        }
        exporter.compression = config.compression == "gzip" ? .gzip : .none
        if config.timeoutMs > 0 { exporter.timeout = .milliseconds(config.timeoutMs) }
        exporter.headers = config.headers.map { ($0.name, $0.value) }
        if !config.insecure {
            exporter.certificateFilePath = config.tls.caFile
            exporter.clientCertificateFilePath = config.tls.certFile
            exporter.clientKeyFilePath = config.tls.keyFile
        }
        otel.traces.otlpExporter = exporter
        return otel
    }
}
