// Server: wires storage, HTTP API and lifecycle together and runs until SIGTERM/SIGINT.

package import Logging
internal import Hummingbird
package import HummingbirdCore
internal import HTTPAPI
internal import PromQL
package import TSDB
package import MetricModel
internal import RemoteStorage
internal import Rules
internal import Scrape
package import Tenancy
internal import ServiceLifecycle
internal import Synchronization
internal import UnixSignals
#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// A running Sugarmill server: one database, the HTTP API, graceful shutdown.
///
/// Shutdown order on SIGTERM or SIGINT: the HTTP server stops accepting and drains, then the
/// database flushes and closes its WAL.
package struct Server {
    package let options: ServerOptions
    package let logger: Logger
    /// `--query.max-concurrency`: one gate for every tenant's queries, as Prometheus has one engine.
    let queryGate: QueryGate
    /// `--web.ingest.max-inflight-bytes`: one limit for every tenant's writes; nil when 0 (off).
    let ingestGate: IngestGate?
    /// `--storage.remote.read-concurrent-limit`; nil when 0 (off).
    let remoteReadGate: QueryGate?
    /// `--web.max-connections`; nil when 0 (off).
    let connectionLimit: ConnectionLimit?
    /// `--enable-feature=fault-injection`: `/api/v1/admin/faults` (in multi-tenant mode, for the admin token).
    let faultInjector: ServerFaultInjector?
    /// Stops a running server as SIGTERM does (graceful shutdown), for those who run it in-process.
    package let lifecycle = ServerLifecycle()
    /// The tracer `tracing:` installs; everything the server runs sees it as `Spans.slot`.
    package let spans = Spans.Slot()
    /// `prometheus_http_*`: one set for the whole server, every tenant's requests included.
    let httpMetrics = HTTPMetrics()

    package init(options: ServerOptions, logger: Logger) {
        self.options = options
        self.logger = logger
        faultInjector =
            options.enabledFeatures.contains("fault-injection")
            ? ServerFaultInjector(storagePath: URL(fileURLWithPath: options.storagePath, isDirectory: true).standardizedFileURL.path, logger: logger)
            : nil
        queryGate = QueryGate(maxConcurrency: options.queryMaxConcurrency, maxQueueLength: options.queryMaxQueueLength)
        ingestGate = options.ingestMaxInflightBytes > 0 ? IngestGate(maxInflightBytes: Int(options.ingestMaxInflightBytes)) : nil
        connectionLimit = options.maxConnections > 0 ? ConnectionLimit(max: options.maxConnections) : nil
        remoteReadGate =
            options.remoteReadConcurrentLimit > 0
            ? QueryGate(maxConcurrency: options.remoteReadConcurrentLimit, maxQueueLength: options.queryMaxQueueLength) : nil
    }

    /// Opens storage and serves until a shutdown signal.
    package func run() async throws {
        try await Spans.$slot.withValue(spans) { try await serve() }
    }

    private func serve() async throws {
        // Prometheus's default --config.file is prometheus.yml; without one we scrape ourselves.
        var configFile = options.configFile
        if configFile == nil && FileManager.default.isReadableFile(atPath: "prometheus.yml") { configFile = "prometheus.yml" }
        if let configFile {
            guard FileManager.default.isReadableFile(atPath: configFile) else {
                throw ServerError("error loading config from \"\(configFile)\": open \(configFile): no such file or directory")
            }
            // Checked before anything starts: a bad config is an error at startup, as in Prometheus.
            let config: PrometheusConfig
            do { config = try PrometheusConfig.load(file: configFile) } catch {
                throw ServerError("error loading config from \"\(configFile)\": \(error)")
            }
            // So are rule files that do not load.
            var ruleErrors: [String] = []
            for pattern in config.ruleFiles {
                for file in ConfigPaths.glob(pattern) {
                    ruleErrors += RuleGroupsFile.load(
                        file: file, nameValidation: config.global.metricNameValidationScheme,
                        templateCheck: RuleTemplates.parseCheck
                    ).errors
                }
            }
            if !ruleErrors.isEmpty {
                throw ServerError("error loading rules: \(ruleErrors.joined(separator: "; "))")
            }
        }
        let (host, port) = try options.hostAndPort()
        var dbOptions = DBOptions()
        dbOptions.minBlockDurationMs = options.minBlockDurationMs
        dbOptions.walCompression = options.walCompression
        dbOptions.walSegmentSizeBytes = options.walSegmentSizeBytes
        dbOptions.maxBlockDurationMs = options.maxBlockDurationMs
        dbOptions.retentionMs = options.retentionMs
        dbOptions.retentionBytes = options.retentionBytes > 0 ? options.retentionBytes : nil
        dbOptions.creationGracePeriodMs = options.creationGracePeriodMs
        dbOptions.noLockfile = options.noLockfile
        let storageURL = URL(fileURLWithPath: options.storagePath, isDirectory: true)
        if let tenancyFile = options.tenancyConfigFile {
            try await runMultiTenant(
                tenancyFile: tenancyFile, configFile: configFile, storageURL: storageURL, dbOptions: dbOptions, host: host,
                port: port)
            return
        }
        logger.info("opening storage", metadata: ["tsdb.path": "\(storageURL.path)"])
        let started = Date()
        let db: DB
        do { db = try DB(directory: storageURL, options: dbOptions, logger: logger) } catch {
            // Prometheus's words, so that the same startup failure reads the same (a directory
            // locked by another server: "opening storage failed: lock DB directory: …").
            throw ServerError("opening storage failed: \(error)")
        }
        logger.info(
            "storage ready",
            metadata: [
                "tsdb.head.series": "\(db.head.numSeries)",
                "tsdb.wal.replayed_samples": "\(db.metrics.walReplayedSamples.current)",
                "duration": "\(Date().timeIntervalSince(started))s",
            ])

        let boundAddress = BoundAddress()
        let queryLogger = QueryLogger()
        let remoteWrite = RemoteWriteManager(
            walDirectory: storageURL.appendingPathComponent("wal").path,
            progressDirectory: storageURL.appendingPathComponent("remote_write").path, logger: logger)
        let fanout = FanoutStorage(local: db, localStart: { db.minTime }, logger: logger)
        // Reads that may wait on remote-read endpoints get threads of their own, never the
        // concurrency pool's or an event loop's (NIO forbids waiting there).
        let blockingReads = ThreadPoolTaskExecutor(threads: 4)
        var notifierOptions = NotifierOptions(logger: logger)
        notifierOptions.queueCapacity = options.notificationQueueCapacity
        notifierOptions.maxBatchSize = options.notificationBatchSize
        notifierOptions.drainOnShutdown = options.drainNotificationQueue
        let notifier = Notifier(options: notifierOptions)
        let scrape = ScrapeService(
            storage: db, configFile: configFile, boundAddress: boundAddress, queryLogger: queryLogger,
            remoteWrite: remoteWrite, remoteRead: fanout, notifier: notifier, tracing: TracingExporter(slot: spans, logger: logger),
            logger: logger)
        let externalURL = options.externalURL ?? Self.defaultExternalURL(port: port)
        let rules = ServerRules(
            storage: db, queryable: fanout, options: options, externalURL: externalURL,
            externalLabels: { scrape.externalLabels }, queryGate: queryGate,
            notify: { expr, alerts in notifier.send(alerts.map { NotifierAlert($0, expr: expr, externalURL: externalURL) }) },
            logger: logger)
        scrape.attach(rules: rules)
        let router = makeRouter(
            db: db, startTime: started.timeIntervalSince1970, scrape: scrape, queryLogger: queryLogger, queryable: fanout,
            blockingReadExecutor: { fanout.hasRemotes ? blockingReads : nil })
        let app = Application(
            router: router,
            server: Self.httpServer(connectionLimit: connectionLimit),
            configuration: .init(address: .hostname(host, port: port), serverName: "sugarmill"),
            onServerRunning: { channel in
                boundAddress.set((host, channel.localAddress?.port ?? port))
            },
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: StorageService(db: db, logger: logger)),
                    .init(service: CompactionService(db: db, logger: logger)),
                    .init(service: app),
                    // Stops after the rules (which run in the scrape service), then drains.
                    .init(service: NotifierService(notifier: notifier)),
                    .init(service: scrape),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            ))
        logger.info("server listening", metadata: ["web.listen_address": "\(host):\(port)"])
        lifecycle.attach(group)
        try await group.run()
    }

    /// Multi-tenant mode (`--tenancy.config.file`): one database per tenant in
    /// `<data>/tenants/<id>/`, each with its own API behind ``TenantDispatcher``. Scrapes feed the
    /// first tenant.
    func runMultiTenant(
        tenancyFile: String, configFile: String?, storageURL: URL, dbOptions: DBOptions, host: String, port: Int
    ) async throws {
        let tenancy: TenancyConfig
        do {
            tenancy = try TenancyConfig.load(yaml: try String(contentsOfFile: tenancyFile, encoding: .utf8))
        } catch {
            throw ServerError("error loading tenancy config from \"\(tenancyFile)\": \(error)")
        }
        guard !tenancy.tenants.isEmpty else {
            throw ServerError("error loading tenancy config from \"\(tenancyFile)\": no tenants")
        }
        let boundAddress = BoundAddress()
        let startTime = Date().timeIntervalSince1970
        let (registry, scrape) = try makeTenantRegistry(
            tenancy, file: tenancyFile, storageURL: storageURL, dbOptions: dbOptions, startTime: startTime
        ) { first, storageForTenant in
            ScrapeService(
                storage: first, storageForTenant: storageForTenant, configFile: configFile, boundAddress: boundAddress,
                tracing: TracingExporter(slot: spans, logger: logger), logger: logger)
        }
        // One service for every tenant's database, those the admin API adds later included.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: StorageService(logger: logger) { try await registry.close() }),
            .init(
                service: CompactionService(
                    databases: { registry.databases }, wakeups: registry.compactionWakeups, logger: logger)),
        ]
        let dispatcher = TenantDispatcher(
            registry: registry, startTime: startTime, serverMetrics: serverMetrics, faultInjector: faultInjector,
            httpMetrics: httpMetrics)
        let app = Application(
            responder: dispatcher,
            server: Self.httpServer(connectionLimit: connectionLimit),
            configuration: .init(address: .hostname(host, port: port), serverName: "sugarmill"),
            onServerRunning: { channel in boundAddress.set((host, channel.localAddress?.port ?? port)) },
            logger: logger
        )
        services.append(.init(service: app))
        if let scrape { services.append(.init(service: scrape)) }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info(
            "server listening", metadata: ["web.listen_address": "\(host):\(port)", "tenants": "\(tenancy.tenants.count)"])
        lifecycle.attach(group)
        try await group.run()
    }

    /// The tenants' databases (opened in `<data>/tenants/<id>/`, listed in the file's order) and
    /// APIs behind one dispatcher, with admin changes kept in memory only.
    package func makeTenants(
        _ tenancy: TenancyConfig, storageURL: URL, dbOptions: DBOptions, startTime: Double
    ) throws -> (dispatcher: TenantDispatcher, databases: [DB]) {
        let registry = try makeTenantRegistry(tenancy, file: nil, storageURL: storageURL, dbOptions: dbOptions, startTime: startTime)
        let served = registry.current.tenants
        return (
            TenantDispatcher(registry: registry, serverMetrics: serverMetrics, faultInjector: faultInjector, httpMetrics: httpMetrics),
            tenancy.tenants.compactMap { served[$0.id]?.db }
        )
    }

    /// Opens every tenant's database (`<data>/tenants/<id>/`) and serves them through a registry
    /// whose changes are saved to the tenants file `file` (nil: not saved).
    package func makeTenantRegistry(
        _ tenancy: TenancyConfig, file: String?, storageURL: URL, dbOptions: DBOptions, startTime: Double
    ) throws -> TenantRegistry {
        try makeTenantRegistry(
            tenancy, file: file, storageURL: storageURL, dbOptions: dbOptions, startTime: startTime, scrapeFor: nil
        ).registry
    }

    /// The same, with the scrape service `scrapeFor` makes for the first tenant's database and a
    /// lookup of every tenant's: jobs write to the tenant their `tenant:` key names, the first
    /// by default (that tenant then cannot be deleted while the server runs), and each tenant's
    /// API lists its own jobs.
    func makeTenantRegistry(
        _ tenancy: TenancyConfig, file: String?, storageURL: URL, dbOptions: DBOptions, startTime: Double,
        scrapeFor: ((DB, @escaping @Sendable (String) -> (any Storage)?) -> ScrapeService)?
    ) throws -> (registry: TenantRegistry, scrape: ScrapeService?) {
        let openDB: @Sendable (String) throws -> DB = { [logger] id in
            try TenancyConfig.validate(tenantID: id)  // it names a directory
            let directory = storageURL.appendingPathComponent("tenants").appendingPathComponent(id)
            let db = try DB(directory: directory, options: dbOptions, logger: logger)
            logger.info("tenant storage ready", metadata: ["tenant": "\(id)", "tsdb.head.series": "\(db.head.numSeries)"])
            return db
        }
        var databases: [String: DB] = [:]
        for tenant in tenancy.tenants {
            do { databases[tenant.id] = try openDB(tenant.id) } catch {
                // The tenants opened so far let go of their directories (and lock files) before the server stops.
                for db in databases.values { try? db.close() }
                guard error is TSDBError else { throw error }
                throw ServerError("opening storage failed: tenant \(tenant.id.debugDescription): \(error)")
            }
        }
        let first = tenancy.tenants.first?.id
        // The registry exists only once every responder is built; scrapes look tenants up later.
        let registryRef = RegistryReference()
        let scrape = first.flatMap { databases[$0] }.flatMap { db in
            scrapeFor?(db) { id in registryRef.registry?.current.tenants[id]?.db }
        }
        let scrapeTenant = scrape == nil ? nil : first
        let usages = TenantUsages()
        // CPU-bound work (writes, queries off the event loops) in turns among tenants, a slot a core.
        let scheduler = FairScheduler(slots: ProcessInfo.processInfo.activeProcessorCount)
        let rulesDirectory: @Sendable (String) -> String = { id in
            storageURL.appendingPathComponent("tenants").appendingPathComponent(id).appendingPathComponent("rules").path
        }
        let factory = TenantFactory(
            openDB: openDB,
            makeRuler: { id, db in
                makeTenantRuler(
                    id, db: db, directory: rulesDirectory(id), externalLabels: { scrape?.externalLabels ?? .empty },
                    limits: { registryRef.registry?.current.config.tenants.first { $0.id == id }?.limits ?? tenancy.defaults })
            },
            makeResponder: { tenant, db, ruler in
                makeTenantResponder(
                    tenant, db: db, ruler: ruler, usage: usages.usage(of: tenant.id, db: db), startTime: startTime, scrape: scrape,
                    isDefaultTenant: tenant.id == scrapeTenant, scheduler: scheduler)
            })
        let registry = TenantRegistry(
            config: tenancy, databases: databases, file: file, scrapeTenant: scrapeTenant, factory: factory, usages: usages,
            logger: logger)
        registryRef.registry = registry
        return (registry, scrape)
    }

    /// One tenant's API over its database, held to its limits — built the same way for the tenants
    /// of the file and for those the admin API adds or changes. Its counters (`usage`) outlive
    /// the rebuilds a change of limits makes.
    func makeTenantResponder(
        _ tenant: TenantConfig, db: DB, ruler: TenantRuler, usage: TenantUsage, startTime: Double, scrape: ScrapeService?,
        isDefaultTenant: Bool, scheduler: FairScheduler
    ) -> RouterResponder<SugarmillRequestContext> {
        makeRouter(
            db: db, startTime: startTime, scrape: scrape, tenant: tenant, ruler: ruler, usage: usage,
            scrapeScope: TenantScope(tenant: tenant.id, isDefault: isDefaultTenant),
            fairShare: FairShare(scheduler: scheduler, tenant: tenant.id)
        ).buildResponder()
    }

    /// HTTP/1 connections, each served on its event loop (handlers hop to the concurrency pool
    /// themselves, except for queries small enough to answer in place: PrometheusAPI), replies
    /// compressed when the client asks.
    /// With `connectionLimit`, at most its `max` connections are open at once.
    package static func httpServer(connectionLimit: ConnectionLimit?) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            EventLoopChildChannel(inner: HTTP1Channel(responder: responder, configuration: .init()), connectionLimit: connectionLimit)
        }
    }

    package static func httpServer() -> HTTPServerBuilder {
        httpServer(connectionLimit: nil)
    }

    /// What a query known to be quick may cost on a connection's event loop before it gives up and
    /// moves to the concurrency pool: about 10 ms of decoding (a 120-sample chunk decodes in about
    /// 1 µs) or 10 ms of wall time, so other connections on that loop wait at most about that long
    /// behind one query. Queries whose last run took up to half of that count as quick.
    static let inlineQueryBudget = InlineBudget(maxChunks: 8_192, maxDuration: .milliseconds(10))

    func makeRouter(
        db: DB, startTime: Double, scrape: ScrapeService? = nil, queryLogger: QueryLogger? = nil,
        queryable: (any Querier)? = nil, blockingReadExecutor: (@Sendable () -> (any TaskExecutor)?)? = nil,
        tenant: TenantConfig? = nil, ruler: TenantRuler? = nil, usage: TenantUsage? = nil, scrapeScope: TenantScope? = nil,
        fairShare: FairShare? = nil
    ) -> Router<SugarmillRequestContext> {
        let router = Router(context: SugarmillRequestContext.self)
        let holder = MetricsHolder()
        var api = PrometheusAPI(storage: db, logger: logger, selfMetrics: { holder.render() })
        if let queryLogger { api.queryLogger = queryLogger }
        api.spans = spans
        if let queryable { api.queryable = queryable }
        api.blockingReadExecutor = blockingReadExecutor
        api.fairShare = fairShare
        api.queryGate = queryGate
        api.ingestGate = ingestGate
        api.remoteReadGate = remoteReadGate
        api.httpMetrics = httpMetrics
        api.lookbackDeltaMs = options.lookbackDeltaMs
        api.engineOptions.timeout = .milliseconds(options.queryTimeoutMs)
        api.engineOptions.maxSamples = options.queryMaxSamples
        if let tenant {
            apply(tenant.limits, to: &api, db: db)
            if let usage {
                api.remoteWriteMetrics = usage.remoteWrite
                api.engineOptions.samplesProcessed = usage.querySamplesProcessed
                api.tenantStatus = { usage.statusJSON(limits: tenant.limits) }
            }
        }
        if options.enableAdminAPI { api.admin = DBAdmin(db: db) }
        // The whole server's faults are the operator's, not a tenant's.
        if tenant == nil { api.faultInjector = faultInjector }
        api.inlineQueryBudget = Self.inlineQueryBudget
        api.corsOrigin = options.corsOrigin
        api.statusSource = ServerStatus(options: options, db: db, scrape: scrape, startTime: Timestamp(startTime * 1000))
        if let scrape, let scrapeScope {
            // A tenant sees its own jobs; the server's config (other tenants' jobs, credentials)
            // and its reload are the operator's.
            api.targetsSource = scrape.scoped(to: scrapeScope)
            api.externalLabels = { scrape.externalLabels }
        } else if let scrape {
            api.targetsSource = scrape
            api.rulesSource = scrape.rules
            if let notifier = scrape.notifier { api.alertmanagersSource = { notifier.alertmanagers() } }
            api.configText = { scrape.configText }
            api.externalLabels = { scrape.externalLabels }
            if options.enableLifecycle { api.reloadConfig = { await scrape.reload() } }
        }
        if let ruler {
            // A tenant's own rule groups: the ruler API changes them, /api/v1/rules and /alerts show them.
            api.rulesSource = ruler.rules
            api.rulerConfig = ruler
        }
        holder.metrics = SelfMetrics(
            db: db, remoteWrite: api.remoteWriteMetrics, federationErrors: api.federationErrors,
            queryLogger: api.queryLogger, remoteWriteQueues: scrape?.remoteWrite, scrape: scrape?.manager,
            startTime: startTime, serverMetrics: tenant == nil ? Self.withRuleMetrics(serverMetrics, scrape: scrape) : serverMetrics)
        holder.metrics?.exemplars = api.exemplars
        api.register(on: router)
        return router
    }
}

extension Server {
    /// The server's own families plus those of the rules and the notifier of `scrape`.
    static func withRuleMetrics(_ serverMetrics: @escaping @Sendable () -> String, scrape: ScrapeService?) -> @Sendable () -> String {
        guard let scrape else { return serverMetrics }
        return {
            serverMetrics() + Self.reloadMetrics(scrape.configStatus) + (scrape.rules?.metricsText ?? "")
                + (scrape.notifier?.metrics.exposition() ?? "")
        }
    }

    /// `prometheus_config_last_reload_successful` and `…_success_timestamp_seconds`.
    static func reloadMetrics(_ status: (success: Bool, loadedAt: Timestamp)) -> String {
        var out = MetricsText()
        out.single(
            "prometheus_config_last_reload_success_timestamp_seconds", .gauge,
            "Timestamp of the last successful configuration reload.", Int(status.loadedAt / 1000))
        out.single(
            "prometheus_config_last_reload_successful", .gauge, "Whether the last configuration reload attempt was successful.",
            status.success ? 1 : 0)
        return out.text
    }
}

extension Server {
    /// Prometheus's external URL when `--web.external-url` is not given: `http://<hostname>:<port>`.
    static func defaultExternalURL(port: Int) -> String {
        "http://\(ProcessInfo.processInfo.hostName):\(port)"
    }
}

extension Server {
    /// `/metrics` families of the server-wide overload gates (`--query.max-concurrency`,
    /// `--web.ingest.max-inflight-bytes`).
    var serverMetrics: @Sendable () -> String {
        let queryGate = queryGate
        let ingestGate = ingestGate
        let faultInjector = faultInjector
        let connectionLimit = connectionLimit
        let httpMetrics = httpMetrics
        return {
            Self.buildAndReadiness + httpMetrics.exposition() + SelfMetrics.render(queryGate)
                + (ingestGate.map { SelfMetrics.render($0) } ?? "") + (faultInjector?.metricsText ?? "")
                + (connectionLimit?.metricsText ?? "")
        }
    }

    /// `prometheus_build_info` (the version `/api/v1/status/buildinfo` reports) and
    /// `prometheus_ready` (1: `/metrics` is served only once the server is).
    static let buildAndReadiness: String = {
        var out = MetricsText()
        out.family(
            "prometheus_build_info", .gauge,
            "A metric with a constant '1' value labeled by version, revision, branch, goversion from which prometheus was built, and the goos and goarch for the build.")
        let labels = [
            ("branch", "main"), ("goarch", buildArchitecture), ("goos", "linux"), ("goversion", "swift"), ("revision", ""), ("tags", ""),
            ("version", SugarmillVersion.version),
        ]
        out.sample("prometheus_build_info", labels.map { MetricsText.label($0.0, $0.1) }.joined(separator: ","), value: 1)
        out.single(
            "prometheus_ready", .gauge, "Whether Prometheus startup was fully completed and the server is ready for normal operation.", 1)
        return out.text
    }()

    /// Go's name of the processor architecture the binary was built for.
    static var buildArchitecture: String {
        #if arch(x86_64)
        "amd64"
        #elseif arch(arm64)
        "arm64"
        #else
        "unknown"
        #endif
    }

    /// A tenant's limits on its API and storage: ingestion (rate, labels), series, queries.
    /// The server's own query limits stay in force where a tenant's are looser or unset.
    func apply(_ limits: TenantLimits, to api: inout PrometheusAPI, db: DB) {
        api.ingestionLimiter = TenantIngestionLimiter(limits)
        db.head.seriesLimits.maxSeries = limits.maxGlobalSeriesPerUser
        db.head.seriesLimits.maxSeriesPerMetric = limits.maxGlobalSeriesPerMetric
        db.setRetention(ms: limits.retentionPeriodMs)
        api.engineOptions = Self.engineOptions(api.engineOptions, limitedBy: limits)
    }

    /// `options` held to a tenant's query limits: the server's stay in force where the tenant's
    /// are looser or unset.
    static func engineOptions(_ options: EngineOptions, limitedBy limits: TenantLimits) -> EngineOptions {
        var options = options
        options.maxFetchedSeries = limits.maxFetchedSeriesPerQuery
        if limits.maxSamplesPerQuery > 0 { options.maxSamples = min(options.maxSamples, limits.maxSamplesPerQuery) }
        if limits.queryTimeoutMs > 0 {
            let timeout = Duration.milliseconds(limits.queryTimeoutMs)
            options.timeout = options.timeout.map { min($0, timeout) } ?? timeout
        }
        return options
    }

    /// A tenant's ruler: its rule files in `directory`, evaluated over its database only (no
    /// remote read), with the server's query slots and the tenant's query limits in force at
    /// each evaluation. Alerts are not sent to the operator's Alertmanagers.
    func makeTenantRuler(
        _ id: String, db: DB, directory: String, externalLabels: @escaping @Sendable () -> Labels,
        limits: @escaping @Sendable () -> TenantLimits
    ) -> TenantRuler {
        let options = options
        let tenantLogger = logger
        let rules = ServerRules(
            storage: db, queryable: db, options: options,
            externalURL: options.externalURL ?? Self.defaultExternalURL(port: (try? options.hostAndPort().1) ?? 9090),
            externalLabels: externalLabels, queryGate: queryGate, notify: { _, _ in },
            engineOptions: { Self.engineOptions(ServerRules.engineOptions(options), limitedBy: limits()) }, logger: tenantLogger)
        return TenantRuler(tenant: id, directory: directory, rules: rules, limits: limits, logger: tenantLogger)
    }
}

/// The admin API's view of the database (`--web.enable-admin-api`).
struct DBAdmin: AdminStorage {
    let db: DB

    func delete(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws {
        try db.delete(matchers: matchers, minTime: minTime, maxTime: maxTime)
    }

    func cleanTombstones() throws { try db.cleanTombstones() }

    func snapshot(skipHead: Bool) throws -> String { try db.snapshot(skipHead: skipHead) }
}

/// Lets `/metrics` reach the API's own counters, which exist only once the API is built.
final class MetricsHolder: @unchecked Sendable {
    // Safety: `metrics` is set once in `makeRouter`, before the server starts serving.
    var metrics: SelfMetrics?
    func render() -> String { metrics?.render() ?? "" }
}

/// Keeps storage open while the server runs and closes it (flushing WALs) on shutdown.
struct StorageService: Service {
    let logger: Logger
    let close: @Sendable () async throws -> Void

    init(db: DB, logger: Logger) {
        self.init(logger: logger) { try db.close() }
    }

    /// Storage that `close` closes: every tenant's database, for one.
    init(logger: Logger, close: @escaping @Sendable () async throws -> Void) {
        self.logger = logger
        self.close = close
    }

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("closing storage")
        try await close()
        logger.info("storage closed")
    }
}

/// Lets the code that started a server stop it gracefully, as SIGTERM would: services stop in
/// order (scrapes and rules, then the notifier drains, then storage closes) instead of being
/// cancelled mid-request.
package final class ServerLifecycle: Sendable {
    private let group = Mutex<ServiceGroup?>(nil)
    private let stopAsked = Mutex(false)

    package init() {}

    func attach(_ serviceGroup: ServiceGroup) {
        let stop = group.withLock { group in
            group = serviceGroup
            return stopAsked.withLock { $0 }
        }
        if stop { Task { await serviceGroup.triggerGracefulShutdown() } }
    }

    /// Asks the server to shut down; one that has not started its services yet does when it does.
    package func shutdown() async {
        stopAsked.withLock { $0 = true }
        if let running = group.withLock({ $0 }) { await running.triggerGracefulShutdown() }
    }
}
