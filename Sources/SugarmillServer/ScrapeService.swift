// Scraping inside the server: the config from `--config.file` (or `prometheus.yml` in the
// working directory, or the embedded default that scrapes ourselves), applied once the HTTP
// server has bound its port, reloaded on request, stopped on shutdown.

internal import HTTPAPI
internal import Logging
internal import MetricModel
internal import RemoteStorage
internal import Rules
internal import Scrape
internal import ServiceLifecycle
internal import UnixSignals
internal import Synchronization
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// The address the HTTP server listens on, known once it has bound (port 0 picks one).
final class BoundAddress: Sendable {
    private let state = Mutex<(address: (String, Int)?, waiters: [CheckedContinuation<(String, Int), Never>])>((nil, []))

    func set(_ address: (String, Int)) {
        let waiters = state.withLock { state in
            state.address = address
            let waiters = state.waiters
            state.waiters = []
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: address) }
    }

    func value() async -> (String, Int) {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> (String, Int)? in
                if let address = state.address { return address }
                state.waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }
}

/// Runs the scrape manager for the server's lifetime.
final class ScrapeService: Service, TargetsSource {
    let manager: ScrapeManager
    let configFile: String?
    let boundAddress: BoundAddress
    let logger: Logger
    /// The config in force, for `/api/v1/status/config` and reloads.
    private let current = Mutex<PrometheusConfig?>(nil)
    /// Whether the last load of the config succeeded, and when the one in force was loaded (ms).
    private let lastLoad = Mutex<(success: Bool, loadedAt: Timestamp)>((true, Timestamp(Date().timeIntervalSince1970 * 1000)))

    /// One pool per scrape config in force, with or without targets.
    func scrapePools() -> [String] { scrapePools(in: nil) }

    /// `global.external_labels` of the config in force.
    var externalLabels: Labels { current.withLock { $0?.global.externalLabels ?? .empty } }

    /// `reloadConfigSuccess` and `lastConfigTime` of `/api/v1/status/runtimeinfo`.
    var configStatus: (success: Bool, loadedAt: Timestamp) { lastLoad.withLock { $0 } }

    /// Opened on `global.query_log_file` of each config applied.
    let queryLogger: QueryLogger?
    /// The `remote_write` queues of the config in force.
    let remoteWrite: RemoteWriteManager?
    /// Local storage plus the `remote_read` endpoints of the config in force.
    let remoteRead: FanoutStorage?

    /// Exports spans to the config's `tracing:` endpoint.
    let tracing: TracingExporter?

    /// Multi-tenant mode: whether a tenant exists (jobs' `tenant:` keys are checked against it).
    let tenantExists: (@Sendable (String) -> Bool)?

    /// The rules of the config's `rule_files`, once attached (they read the external labels
    /// this service holds, so they are made after it).
    private let rulesBox = Mutex<ServerRules?>(nil)

    func attach(rules: ServerRules) { rulesBox.withLock { $0 = rules } }

    /// Sends the rules' alerts to the config's `alerting.alertmanagers`; nil in multi-tenant mode.
    let notifier: Notifier?

    var rules: ServerRules? { rulesBox.withLock { $0 } }

    /// - Parameter storageForTenant: multi-tenant mode: a tenant's storage by id; jobs go to the
    ///   tenant their `tenant:` key names, and to `storage` (the first tenant's) without one.
    init(
        storage: any Storage, storageForTenant: (@Sendable (String) -> (any Storage)?)? = nil, configFile: String?,
        boundAddress: BoundAddress, queryLogger: QueryLogger? = nil, remoteWrite: RemoteWriteManager? = nil,
        remoteRead: FanoutStorage? = nil, notifier: Notifier? = nil, tracing: TracingExporter? = nil, logger: Logger
    ) {
        self.tracing = tracing
        self.remoteRead = remoteRead
        self.notifier = notifier
        manager = ScrapeManager(storage: storage, storageForTenant: storageForTenant, logger: logger)
        if let storageForTenant {
            tenantExists = { @Sendable id in storageForTenant(id) != nil }
        } else {
            tenantExists = nil
        }
        self.queryLogger = queryLogger
        self.remoteWrite = remoteWrite
        self.configFile = configFile
        self.boundAddress = boundAddress
        self.logger = logger
    }

    func run() async throws {
        let (host, port) = await boundAddress.value()
        let config: PrometheusConfig
        if let configFile {
            config = try PrometheusConfig.load(file: configFile)
        } else {
            config = Self.embeddedDefault(host: host, port: port)
            logger.info("no config file: scraping ourselves every 15s", metadata: ["target": "\(Self.selfAddress(host: host, port: port))"])
        }
        for section in config.notYetSupported {
            logger.warning("config section not supported yet; ignored", metadata: ["section": "\(section)"])
        }
        try checkTenants(config)
        warnUnserved(config)
        try applyQueryLog(config)
        try await tracing?.apply(config.tracing)
        current.withLock { $0 = config }
        lastLoad.withLock { $0 = (true, Self.now()) }
        await manager.apply(config)
        await remoteWrite?.apply(config)
        await remoteRead?.apply(config)
        // Rule files that do not load, or Alertmanager clients that cannot be made, stop the
        // start, as in Prometheus.
        do {
            try notifier?.applyConfig(config.alerting, externalLabels: config.global.externalLabels)
            try await rules?.apply(config)
        } catch {
            await manager.shutdown()
            let message = (error as? RuleLoadError).map { $0.errors.joined(separator: "; ") } ?? "\(error)"
            throw ServerError("error loading config: \(message)")
        }
        // SIGHUP reloads, as in Prometheus, until shutdown.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in hangups.cancelOnGracefulShutdown() { _ = await self.reload() }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        await rules?.manager.shutdown()
        await manager.shutdown()
        await remoteWrite?.shutdown()
        await remoteRead?.shutdown()
        // Last: the spans of everything above are flushed.
        await tracing?.stop()
    }

    /// Loads the config file again and applies it; a bad file leaves the running config alone.
    /// Returns the error text, nil on success.
    func reload() async -> String? {
        guard let configFile else { return nil }
        do {
            let config = try PrometheusConfig.load(file: configFile)
            try checkTenants(config)
            warnUnserved(config)
            try applyQueryLog(config)
            try await tracing?.apply(config.tracing)
            current.withLock { $0 = config }
            lastLoad.withLock { $0 = (true, Self.now()) }
            await manager.apply(config)
            await remoteWrite?.apply(config)
            await remoteRead?.apply(config)
            // Bad rule files fail the reload; the rules loaded before keep running.
            try notifier?.applyConfig(config.alerting, externalLabels: config.global.externalLabels)
            try await rules?.apply(config)
            logger.info("completed loading of configuration file", metadata: ["filename": "\(configFile)"])
            return nil
        } catch {
            lastLoad.withLock { $0.success = false }
            logger.error("error reloading config", metadata: ["filename": "\(configFile)", "err": "\(error)"])
            return "\(error)"
        }
    }

    /// Every `tenant:` key names a tenant, and only in multi-tenant mode.
    func checkTenants(_ config: PrometheusConfig) throws(ServerError) {
        for job in config.scrapeConfigs {
            guard let tenant = job.tenant else { continue }
            guard let tenantExists else {
                throw ServerError(
                    "scrape config \(job.jobName.debugDescription) names tenant \(tenant.debugDescription), but tenants exist only in multi-tenant mode (--tenancy.config.file)")
            }
            guard tenantExists(tenant) else {
                throw ServerError("scrape config \(job.jobName.debugDescription) names unknown tenant \(tenant.debugDescription)")
            }
        }
    }

    /// Multi-tenant mode serves no `remote_write`, `remote_read`, `rule_files` or `alerting` from
    /// the config yet: say so rather than drop them silently.
    func warnUnserved(_ config: PrometheusConfig) {
        if remoteWrite == nil && !config.remoteWrite.isEmpty {
            logger.warning("remote_write is not served in multi-tenant mode yet; ignored", metadata: ["queues": "\(config.remoteWrite.count)"])
        }
        if rules == nil && !config.ruleFiles.isEmpty {
            logger.warning(
                "rule_files are not served in multi-tenant mode (tenants upload rule groups through the ruler API); ignored",
                metadata: ["rule_files": "\(config.ruleFiles.count)"])
        }
        if notifier == nil && !config.alerting.alertmanagers.isEmpty {
            logger.warning("alerting is not served in multi-tenant mode yet; ignored", metadata: ["alertmanagers": "\(config.alerting.alertmanagers.count)"])
        }
        if remoteRead == nil && !config.remoteRead.isEmpty {
            logger.warning("remote_read is not served in multi-tenant mode yet; ignored", metadata: ["endpoints": "\(config.remoteRead.count)"])
        }
    }

    /// Opens (or switches, or closes) the query log named by the config.
    private func applyQueryLog(_ config: PrometheusConfig) throws {
        try queryLogger?.open(config.global.queryLogFile)
    }

    static func now() -> Timestamp { Timestamp(Date().timeIntervalSince1970 * 1000) }

    /// `host:port` to scrape ourselves at: the loopback address when listening on all interfaces.
    static func selfAddress(host: String, port: Int) -> String {
        switch host {
        case "0.0.0.0", "", "::": return "127.0.0.1:\(port)"
        default: return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }

    /// What runs without a config file: Prometheus's documentation example, scraping ourselves
    /// every 15 s as job `sugarmill`.
    static func embeddedDefault(host: String, port: Int) -> PrometheusConfig {
        var config = PrometheusConfig()
        config.global.scrapeIntervalMs = 15_000
        config.global.evaluationIntervalMs = 15_000
        var job = ScrapeConfig(jobName: "sugarmill", scrapeIntervalMs: 15_000, scrapeTimeoutMs: 10_000)
        job.staticConfigs = [TargetGroup(targets: [selfAddress(host: host, port: port)], source: "0")]
        config.scrapeConfigs = [job]
        return config
    }

    /// The config in force as text: the file as written, or the embedded default as YAML.
    var configText: String {
        current.withLock { config in
            guard let config else { return "" }
            if !config.source.isEmpty { return config.source }
            let targets = config.scrapeConfigs.first?.staticConfigs.first?.targets.first ?? ""
            return "global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nscrape_configs:\n  - job_name: sugarmill\n    static_configs:\n      - targets: [\"\(targets)\"]\n"
        }
    }

    /// The pools of one tenant (multi-tenant mode), for that tenant's API.
    func scoped(to scope: TenantScope) -> ScopedTargets { ScopedTargets(service: self, scope: scope) }

    /// The scrape pools in force (of `scope`).
    func scrapePools(in scope: TenantScope?) -> [String] {
        current.withLock { config in
            (config?.scrapeConfigs ?? []).filter { scope?.includes($0) ?? true }.map(\.jobName)
        }
    }

    // MARK: TargetsSource

    func activeTargets() -> [APITarget] { activeTargets(in: nil) }
    func droppedTargets() -> [(discoveredLabels: Labels, scrapePool: String)] { droppedTargets(in: nil) }
    func metadata() -> [String: [APIMetadata]] { metadata(in: nil) }
    func targetMetadata() -> [(labels: Labels, metadata: [String: APIMetadata])] { targetMetadata(in: nil) }

    func activeTargets(in scope: TenantScope?) -> [APITarget] {
        manager.activeTargets(in: scope).map { snapshot in
            let t = snapshot.target
            return APITarget(
                discoveredLabels: t.discoveredLabels, labels: t.sampleLabels, scrapePool: t.job, scrapeURL: t.url,
                health: snapshot.health.health.rawValue, lastError: snapshot.health.lastError,
                lastScrapeMs: snapshot.health.lastScrapeMs, lastScrapeDurationSeconds: snapshot.health.lastScrapeDurationSeconds,
                scrapeInterval: ModelDuration.format(milliseconds: t.intervalMs),
                scrapeTimeout: ModelDuration.format(milliseconds: t.timeoutMs))
        }
    }

    func droppedTargets(in scope: TenantScope?) -> [(discoveredLabels: Labels, scrapePool: String)] {
        manager.droppedTargets(in: scope).map { ($0.discoveredLabels, $0.job) }
    }

    func metadata(in scope: TenantScope?) -> [String: [APIMetadata]] {
        manager.metadata(in: scope).mapValues { $0.map { APIMetadata(type: $0.type, help: $0.help, unit: $0.unit) } }
    }

    func targetMetadata(in scope: TenantScope?) -> [(labels: Labels, metadata: [String: APIMetadata])] {
        manager.targetMetadata(in: scope).map { target, metadata in
            (target.sampleLabels, metadata.mapValues { APIMetadata(type: $0.type, help: $0.help, unit: $0.unit) })
        }
    }
}

/// One tenant's view of the scrape service: its own pools, targets and metadata only.
struct ScopedTargets: TargetsSource {
    let service: ScrapeService
    let scope: TenantScope

    func activeTargets() -> [APITarget] { service.activeTargets(in: scope) }
    func droppedTargets() -> [(discoveredLabels: Labels, scrapePool: String)] { service.droppedTargets(in: scope) }
    func metadata() -> [String: [APIMetadata]] { service.metadata(in: scope) }
    func targetMetadata() -> [(labels: Labels, metadata: [String: APIMetadata])] { service.targetMetadata(in: scope) }
    func scrapePools() -> [String] { service.scrapePools(in: scope) }
}
