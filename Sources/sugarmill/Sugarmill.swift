// The `sugarmill` executable: `sugarmill [serve]` with Prometheus's flag names.

import ArgumentParser
import Logging
import MetricModel
import SugarmillServer

/// `sugarmill` — a Prometheus-compatible metrics backend.
@main
struct Sugarmill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sugarmill",
        abstract: "A Prometheus-compatible, multi-tenant metrics backend.",
        subcommands: [Serve.self, TSDBCommand.self, PromQLTestSubcommand.self, CheckCommand.self, TestCommand.self],
        defaultSubcommand: Serve.self
    )
}

/// `sugarmill serve` (the default): runs the server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (the default command).")

    @Option(name: .customLong("config.file"), help: "Prometheus configuration file path.")
    var configFile: String?

    @Option(name: .customLong("storage.tsdb.path"), help: "Base path for metrics storage.")
    var storagePath = "Storage/"

    @Option(name: .customLong("web.listen-address"), help: "Address to listen on for the UI, API, and telemetry.")
    var listenAddress = "0.0.0.0:9090"

    @Flag(
        name: .customLong("web.enable-remote-write-receiver"),
        help: "Accepted for compatibility; the remote-write receiver is always on.")
    var enableRemoteWriteReceiver = false

    @Flag(
        name: .customLong("web.enable-otlp-receiver"),
        help: "Accepted for compatibility; the OTLP receiver (/api/v1/otlp/v1/metrics) is always on.")
    var enableOTLPReceiver = false

    @Option(
        name: .customLong("tenancy.config.file"),
        help: "Tenants file: multi-tenant mode, one database per tenant, credentials required (default: single tenant).")
    var tenancyConfigFile: String?

    @Option(
        name: .customLong("web.cors.origin"),
        help: "Regex for CORS origin. It is fully anchored. Example: 'https?://(domain1|domain2)\\.com'")
    var corsOrigin = ".*"

    @Option(
        name: .customLong("enable-feature"),
        help: "Comma separated feature names to enable. Sugarmill's own: fault-injection (the /api/v1/admin/faults endpoint).")
    var enableFeature: [String] = []

    @Flag(name: .customLong("web.enable-admin-api"), help: "Enable API endpoints for admin control actions.")
    var enableAdminAPI = false

    @Flag(name: .customLong("web.enable-lifecycle"), help: "Enable shutdown and reload via HTTP request.")
    var enableLifecycle = false

    @Option(name: .customLong("log.level"), help: "Only log messages with the given severity or above: debug, info, warn, error.")
    var logLevel = "info"

    @Option(name: .customLong("log.format"), help: "Output format of log messages: logfmt, json.")
    var logFormat = "logfmt"

    @Option(name: .customLong("storage.tsdb.min-block-duration"), help: "Minimum duration of a data block (e.g. 2h).")
    var minBlockDuration = "2h"

    @Option(name: .customLong("storage.tsdb.max-block-duration"), help: "Maximum duration compacted blocks may span (default: 10% of the retention time, at most 31d).")
    var maxBlockDuration: String?

    @Option(name: .customLong("storage.tsdb.retention.time"), help: "How long to retain samples in storage (default 15d).")
    var retentionTime: String?

    @Option(name: .customLong("storage.tsdb.retention.size"), help: "Maximum number of bytes of blocks to retain (e.g. 512MB, 10GB); 0 = off.")
    var retentionSize: String?

    @Option(name: .customLong("storage.tsdb.wal-segment-size"), help: "Size at which to split the WAL segment files, bytes.")
    var walSegmentSize: Int?

    @Flag(name: .customLong("storage.tsdb.wal-compression"), inversion: .prefixedNo, help: "Compress the WAL with snappy.")
    var storageTsdbWalCompression = true

    @Flag(name: .customLong("storage.tsdb.no-lockfile"), help: "Do not create lockfile in data directory.")
    var noLockfile = false

    @Option(
        name: .customLong("storage.tsdb.creation-grace-period"),
        help: "Refuse samples stamped further than this ahead of the clock (0: accept any, as Prometheus).")
    var creationGracePeriod = "1h"

    @Option(name: .customLong("query.lookback-delta"), help: "The maximum lookback duration for retrieving metrics.")
    var lookbackDelta = "5m"

    @Option(name: .customLong("query.timeout"), help: "Maximum time a query may take before being aborted.")
    var queryTimeout = "2m"

    @Option(name: .customLong("rules.alert.for-outage-tolerance"), help: "Max time to tolerate prometheus outage for restoring \"for\" state of alert.")
    var ruleOutageTolerance = "1h"

    @Option(name: .customLong("rules.alert.for-grace-period"), help: "Minimum duration between alert and restored \"for\" state. This is maintained only for alerts with configured \"for\" time greater than grace period.")
    var ruleForGracePeriod = "10m"

    @Option(name: .customLong("rules.alert.resend-delay"), help: "Minimum amount of time to wait before resending an alert to Alertmanager.")
    var ruleResendDelay = "1m"

    @Option(name: .customLong("alertmanager.notification-queue-capacity"), help: "The capacity of the queue for pending Alertmanager notifications.")
    var notificationQueueCapacity = 10_000

    @Option(name: .customLong("alertmanager.notification-batch-size"), help: "The maximum number of notifications per batch to send to the Alertmanager.")
    var notificationBatchSize = 256

    @Option(
        name: .customLong("alertmanager.drain-notification-queue-on-shutdown"),
        help: "Send any outstanding Alertmanager notifications when shutting down (true or false).")
    var drainNotificationQueue = "true"

    @Option(name: .customLong("web.external-url"), help: "The URL under which Sugarmill is externally reachable (for generator URLs of alerts). Default: http://<hostname>:<port>.")
    var externalURL: String?

    @Option(
        name: .customLong("query.max-samples"),
        help: "Maximum number of samples a single query can load into memory.")
    var queryMaxSamples = 50_000_000

    @Option(name: .customLong("query.max-concurrency"), help: "Maximum number of queries executed concurrently.")
    var queryMaxConcurrency = 20

    @Option(
        name: .customLong("query.max-queue-length"),
        help: "Maximum number of queries waiting for one of --query.max-concurrency slots; more are answered 503 at once.")
    var queryMaxQueueLength = 200

    @Option(
        name: .customLong("web.ingest.max-inflight-bytes"),
        help: "Maximum bytes of remote-write and OTLP requests held in memory at once (e.g. 512MB); more are answered 503. 0 = no limit.")
    var ingestMaxInflightBytes = "512MB"

    @Option(
        name: .customLong("storage.remote.read-concurrent-limit"),
        help: "Maximum number of concurrent remote read calls; 0 means no limit.")
    var remoteReadConcurrentLimit = 10

    @Option(name: .customLong("web.max-connections"), help: "Maximum number of simultaneous connections; 0 means no limit.")
    var maxConnections = 512

    mutating func run() async throws {
        guard let level = LineLogHandler.level(logLevel) else {
            throw ValidationError("--log.level must be one of debug, info, warn, error")
        }
        guard let format = LineLogHandler.Format(rawValue: logFormat) else {
            throw ValidationError("--log.format must be logfmt or json")
        }
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, format: format) }
        var options = ServerOptions()
        options.configFile = configFile
        options.storagePath = storagePath
        options.listenAddress = listenAddress
        options.logLevel = logLevel
        options.logFormat = logFormat
        options.walCompression = storageTsdbWalCompression
        options.noLockfile = noLockfile
        options.enableAdminAPI = enableAdminAPI
        options.enableLifecycle = enableLifecycle
        options.enableRemoteWriteReceiver = enableRemoteWriteReceiver
        options.enableOTLPReceiver = enableOTLPReceiver
        guard (try? RE2Regex(prometheusAnchored: corsOrigin)) != nil else {
            throw ValidationError("could not compile CORS regex string \"\(corsOrigin)\"")
        }
        options.corsOrigin = corsOrigin
        options.tenancyConfigFile = tenancyConfigFile
        options.enabledFeatures = Set(enableFeature.flatMap { $0.split(separator: ",").map { String($0) } }.filter { !$0.isEmpty })
        if let walSegmentSize { options.walSegmentSizeBytes = walSegmentSize }
        guard let block = parseFlagDuration(minBlockDuration) else {
            throw ValidationError("invalid --storage.tsdb.min-block-duration \"\(minBlockDuration)\"")
        }
        options.minBlockDurationMs = block
        if let retentionTime {
            guard let ms = parseFlagDuration(retentionTime) else {
                throw ValidationError("invalid --storage.tsdb.retention.time \"\(retentionTime)\"")
            }
            options.retentionMs = ms
        }
        if let retentionSize {
            guard let bytes = parseByteSize(retentionSize) else {
                throw ValidationError("invalid --storage.tsdb.retention.size \"\(retentionSize)\"")
            }
            options.retentionBytes = bytes
        }
        if let maxBlockDuration {
            guard let ms = parseFlagDuration(maxBlockDuration) else {
                throw ValidationError("invalid --storage.tsdb.max-block-duration \"\(maxBlockDuration)\"")
            }
            options.maxBlockDurationMs = ms
        }
        guard let grace = parseFlagDuration(creationGracePeriod) else {
            throw ValidationError("invalid --storage.tsdb.creation-grace-period \"\(creationGracePeriod)\"")
        }
        options.creationGracePeriodMs = grace
        guard let lookback = parseFlagDuration(lookbackDelta) else {
            throw ValidationError("invalid --query.lookback-delta \"\(lookbackDelta)\"")
        }
        options.lookbackDeltaMs = lookback
        guard let timeout = parseFlagDuration(queryTimeout), timeout > 0 else {
            throw ValidationError("invalid --query.timeout \"\(queryTimeout)\"")
        }
        options.queryTimeoutMs = timeout
        for (flag, text, store) in [
            ("rules.alert.for-outage-tolerance", ruleOutageTolerance, \ServerOptions.ruleOutageToleranceMs),
            ("rules.alert.for-grace-period", ruleForGracePeriod, \ServerOptions.ruleForGracePeriodMs),
            ("rules.alert.resend-delay", ruleResendDelay, \ServerOptions.ruleResendDelayMs),
        ] {
            guard let value = parseFlagDuration(text) else { throw ValidationError("invalid --\(flag) \"\(text)\"") }
            options[keyPath: store] = value
        }
        options.externalURL = externalURL
        guard notificationQueueCapacity > 0 else { throw ValidationError("--alertmanager.notification-queue-capacity must be positive") }
        options.notificationQueueCapacity = notificationQueueCapacity
        guard notificationBatchSize > 0 else { throw ValidationError("--alertmanager.notification-batch-size must be positive") }
        options.notificationBatchSize = notificationBatchSize
        guard let drain = Bool(drainNotificationQueue) else {
            throw ValidationError("invalid --alertmanager.drain-notification-queue-on-shutdown \"\(drainNotificationQueue)\"")
        }
        options.drainNotificationQueue = drain
        guard queryMaxSamples > 0 else { throw ValidationError("--query.max-samples must be positive") }
        options.queryMaxSamples = queryMaxSamples
        guard queryMaxConcurrency > 0 else { throw ValidationError("--query.max-concurrency must be positive") }
        options.queryMaxConcurrency = queryMaxConcurrency
        guard queryMaxQueueLength >= 0 else { throw ValidationError("--query.max-queue-length must not be negative") }
        options.queryMaxQueueLength = queryMaxQueueLength
        guard let inflight = parseByteSize(ingestMaxInflightBytes) else {
            throw ValidationError("invalid --web.ingest.max-inflight-bytes \"\(ingestMaxInflightBytes)\"")
        }
        options.ingestMaxInflightBytes = inflight
        guard remoteReadConcurrentLimit >= 0 else { throw ValidationError("--storage.remote.read-concurrent-limit must not be negative") }
        options.remoteReadConcurrentLimit = remoteReadConcurrentLimit
        guard maxConnections >= 0 else { throw ValidationError("--web.max-connections must not be negative") }
        options.maxConnections = maxConnections
        let logger = Logger(label: "sugarmill")
        do {
            try await Server(options: options, logger: logger).run()
        } catch let error as ServerError {
            logger.error("server failed", metadata: ["err": "\(error.message)"])
            throw ExitCode(1)
        }
    }
}
