// The scrape manager (Prometheus's `scrape.Manager`, `scrapePool` and discovery manager): one
// pool per job, one loop per target. Targets come from static configs and service discovery;
// a change keeps the loops of unchanged targets, stops those of removed ones (they get stale
// markers), and starts new ones.

package import MetricModel
package import Logging
internal import Relabel
internal import Synchronization

/// A target as `/api/v1/targets` reports it.
package struct TargetSnapshot: Sendable {
    package var target: ScrapeTarget
    package var health: TargetHealth
}

/// Which scrape pools a tenant sees (multi-tenant mode): those whose config names it, and for
/// the default tenant also those that name none.
package struct TenantScope: Sendable {
    package let tenant: String
    package let isDefault: Bool

    package init(tenant: String, isDefault: Bool) {
        self.tenant = tenant
        self.isDefault = isDefault
    }

    package func includes(_ config: ScrapeConfig) -> Bool {
        config.tenant.map { $0 == tenant } ?? isDefault
    }
}

/// Runs the scrape loops of a config against one storage, or (multi-tenant mode) each job
/// against the storage of the tenant its config names.
package final class ScrapeManager: Sendable {
    private let storage: any Storage
    /// A tenant's storage by id; nil when the manager serves one storage only.
    private let storageForTenant: (@Sendable (String) -> (any Storage)?)?
    private let logger: Logger
    /// Counters of every loop this manager runs.
    package let metrics = ScrapeMetrics()
    /// Makes the scraper of a scrape config (HTTP in the server; canned bodies in tests).
    private let makeScraper: @Sendable (ScrapeConfig) throws(ScrapeError) -> any Scraper

    private struct Pool {
        var config: ScrapeConfig
        var fingerprint: String
        var scraper: any Scraper
        var loops: [UInt64: ScrapeLoop] = [:]
        var dropped: [DroppedTarget] = []
        /// Target groups by provider (`static`, `file_sd/0`, …).
        var groups: [String: [TargetGroup]] = [:]
        /// Running discovery tasks by provider key.
        var discoveries: [String: Task<Void, Never>] = [:]
    }

    private let pools = Mutex<[String: Pool]>([:])
    /// Changes to pools and loops happen one at a time (they await loops stopping).
    private let serial = AsyncSerialLock()
    /// Pending end-of-run staleness writes by an id, cancelled on shutdown; each removes itself.
    private let staleness = Mutex<(next: UInt64, tasks: [UInt64: Task<Void, Never>])>((0, [:]))

    package init(
        storage: any Storage, storageForTenant: (@Sendable (String) -> (any Storage)?)? = nil, logger: Logger,
        makeScraper: @escaping @Sendable (ScrapeConfig) throws(ScrapeError) -> any Scraper = { config throws(ScrapeError) in
            try HTTPScraper(config: config)
        }
    ) {
        self.storage = storage
        self.storageForTenant = storageForTenant
        self.logger = logger
        self.makeScraper = makeScraper
    }

    /// Applies a config: pools of removed jobs stop (their targets get stale markers), pools
    /// whose settings changed restart their loops, discovery starts or stops with the config, and
    /// every pool's targets are synced.
    package func apply(_ config: PrometheusConfig) async {
        await serial.run {
            let jobs = Set(config.scrapeConfigs.map(\.jobName))
            var changes = Changes()
            let removed = pools.withLock { pools in
                let gone = pools.filter { !jobs.contains($0.key) }
                for job in gone.keys { pools[job] = nil }
                return Array(gone.values)
            }
            for pool in removed {
                metrics.forget(job: pool.config.jobName)
                for task in pool.discoveries.values { task.cancel() }
                for loop in pool.loops.values { changes.remove(loop, stale: true) }
                changes.shutDown.append(pool.scraper)
            }
            for scrapeConfig in config.scrapeConfigs {
                let job = scrapeConfig.jobName
                let fingerprint = scrapeConfig.loopFingerprint
                var pool: Pool
                let existing = pools.withLock { $0[job] }
                if let existing, existing.fingerprint == fingerprint {
                    pool = existing
                    pool.config = scrapeConfig
                } else {
                    // Prometheus counts a new pool as a creation and a changed one as a reload.
                    (existing == nil ? metrics.scrapePools : metrics.scrapePoolReloads).add()
                    let scraper: any Scraper
                    do { scraper = try makeScraper(scrapeConfig) } catch {
                        (existing == nil ? metrics.scrapePoolsFailed : metrics.scrapePoolReloadsFailed).add()
                        logger.error("creating scraper failed", metadata: ["scrape_pool": "\(job)", "err": "\(error)"])
                        continue
                    }
                    pool = Pool(config: scrapeConfig, fingerprint: fingerprint, scraper: scraper)
                    if let existing {
                        // Settings changed: every loop restarts with them (no stale markers: the
                        // new loops scrape the same series). Discovery carries over.
                        for loop in existing.loops.values { changes.remove(loop, stale: false) }
                        changes.shutDown.append(existing.scraper)
                        pool.groups = existing.groups
                        pool.discoveries = existing.discoveries
                    }
                }
                pool.groups["static"] = scrapeConfig.staticTargetGroups
                updateDiscoveries(&pool)
                sync(&pool, &changes)
                pools.withLock { [pool] in $0[job] = pool }
            }
            await changes.carryOut(self)
        }
    }

    /// Replaces the groups one discovery provider found for a job and syncs its targets.
    func discovered(job: String, provider: String, groups: [TargetGroup]) async {
        await serial.run {
            var changes = Changes()
            let updated = pools.withLock { pools -> Bool in
                guard var pool = pools[job], pool.discoveries[provider] != nil else { return false }
                pool.groups[provider] = groups
                sync(&pool, &changes)
                pools[job] = pool
                return true
            }
            if updated { await changes.carryOut(self) }
        }
    }

    /// Stops every loop and discovery (no stale markers: the server is going down and resumes
    /// where it was).
    package func shutdown() async {
        await serial.run {
            let all = pools.withLock { pools -> [Pool] in
                let all = Array(pools.values)
                pools.removeAll()
                return all
            }
            for task in staleness.withLock({ $0.tasks.values }) { task.cancel() }
            for pool in all {
                for task in pool.discoveries.values { task.cancel() }
                for loop in pool.loops.values { await loop.stop() }
                await pool.scraper.shutdown()
            }
        }
    }

    /// Active targets by job, in a stable order; with `scope`, only that tenant's.
    package func activeTargets(in scope: TenantScope? = nil) -> [TargetSnapshot] {
        pools.withLock { pools in
            Self.jobs(pools, scope).flatMap { job in
                pools[job]!.loops.values
                    .map { TargetSnapshot(target: $0.target, health: $0.health) }
                    .sorted { $0.target.url < $1.target.url }
            }
        }
    }

    /// Metadata per metric family across all targets (of `scope`), distinct entries in target order.
    package func metadata(in scope: TenantScope? = nil) -> [String: [MetricMetadata]] {
        var result: [String: [MetricMetadata]] = [:]
        for loop in pools.withLock({ pools in Self.jobs(pools, scope).flatMap { pools[$0]!.loops.values } }) {
            for (family, entry) in loop.metadata where !(result[family]?.contains(entry) ?? false) {
                result[family, default: []].append(entry)
            }
        }
        return result
    }

    /// Each active target's metadata (of `scope`).
    package func targetMetadata(in scope: TenantScope? = nil) -> [(target: ScrapeTarget, metadata: [String: MetricMetadata])] {
        pools.withLock { pools in
            Self.jobs(pools, scope).flatMap { job in pools[job]!.loops.values.map { ($0.target, $0.metadata) } }
        }
    }

    /// Targets relabeling dropped (of `scope`).
    package func droppedTargets(in scope: TenantScope? = nil) -> [DroppedTarget] {
        pools.withLock { pools in Self.jobs(pools, scope).flatMap { pools[$0]!.dropped } }
    }

    /// Per job, sorted: the targets its discovery found (before relabeling) and its loops.
    func poolsForMetrics() -> [(job: String, discovered: Int, loops: [ScrapeLoop])] {
        pools.withLock { pools in
            pools.keys.sorted().map { job in
                let pool = pools[job]!
                return (job, pool.groups.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.targets.count } }, Array(pool.loops.values))
            }
        }
    }

    /// The jobs of `scope` (every job without one), sorted.
    private static func jobs(_ pools: [String: Pool], _ scope: TenantScope?) -> [String] {
        pools.keys.sorted().filter { job in scope.map { $0.includes(pools[job]!.config) } ?? true }
    }

    // MARK: - Internals

    /// Loops to stop and start once the pools are updated.
    private struct Changes {
        var stop: [ScrapeLoop] = []
        var stale: [ScrapeLoop] = []
        var start: [ScrapeLoop] = []
        var shutDown: [any Scraper] = []

        mutating func remove(_ loop: ScrapeLoop, stale markStale: Bool) {
            stop.append(loop)
            if markStale { stale.append(loop) }
        }

        func carryOut(_ manager: ScrapeManager) async {
            for loop in stale { if let task = loop.markStaleLater() { manager.track(task) } }
            for loop in stop { await loop.stop() }
            for scraper in shutDown { await scraper.shutdown() }
            for loop in start { loop.start() }
        }
    }

    /// Builds the pool's targets from all its groups and plans which loops stop and start.
    private func sync(_ pool: inout Pool, _ changes: inout Changes) {
        let clock = ContinuousClock()
        let started = clock.now
        let jobMetrics = metrics.job(pool.config.jobName)
        defer {
            jobMetrics.targets.store(pool.loops.count, ordering: .relaxed)
            jobMetrics.syncLength.observe(ScrapeLoop.seconds(clock.now - started))
            jobMetrics.syncs.add()
        }
        let config = pool.config
        var built = TargetsFromGroup()
        for provider in pool.groups.keys.sorted() {
            for group in pool.groups[provider]! {
                let targets = config.targets(from: group)
                built.active += targets.active
                built.dropped += targets.dropped
                built.errors += targets.errors
            }
        }
        if !built.errors.isEmpty { jobMetrics.syncFailed.add(built.errors.count) }
        for error in built.errors {
            logger.warning("creating target failed", metadata: ["scrape_pool": "\(config.jobName)", "err": "\(error)"])
        }
        var wanted: [UInt64: ScrapeTarget] = [:]
        for target in built.active { wanted[target.hash] = target }
        if config.limits.targetLimit > 0 && wanted.count > config.limits.targetLimit {
            metrics.exceededTargetLimit.add()
            logger.error(
                "target limit exceeded",
                metadata: ["scrape_pool": "\(config.jobName)", "targets": "\(wanted.count)", "limit": "\(config.limits.targetLimit)"])
        }
        for (hash, loop) in pool.loops where wanted[hash] == nil {
            pool.loops[hash] = nil
            changes.remove(loop, stale: true)
        }
        let options = config.sessionOptions
        let storage: any Storage
        if let tenant = config.tenant, let storageForTenant {
            guard let tenantStorage = storageForTenant(tenant) else {
                // Checked when the config is loaded; a tenant deleted since has no storage to write to.
                logger.error("scrape pool names an unknown tenant", metadata: ["scrape_pool": "\(config.jobName)", "tenant": "\(tenant)"])
                pool.dropped = built.dropped
                return
            }
            storage = tenantStorage
        } else {
            storage = self.storage
        }
        for (hash, target) in wanted where pool.loops[hash] == nil {
            let loop = ScrapeLoop(
                target: target, scraper: pool.scraper, storage: storage, options: options, logger: logger, metrics: metrics)
            pool.loops[hash] = loop
            changes.start.append(loop)
        }
        pool.dropped = built.dropped
    }

    /// Starts the discovery providers the pool's config names and cancels those it no longer does.
    private func updateDiscoveries(_ pool: inout Pool) {
        let job = pool.config.jobName
        var wanted: [String: @Sendable () async throws -> [TargetGroup]] = [:]
        var refresh: [String: Int64] = [:]
        for (i, sd) in pool.config.fileSDConfigs.enumerated() {
            let key = "file_sd/\(i)/\(sd.files.joined(separator: ","))"
            let discovery = FileDiscovery(sd)
            wanted[key] = { discovery.groups() }
            refresh[key] = min(sd.refreshIntervalMs, FileDiscovery.pollIntervalMs)
        }
        for (i, sd) in pool.config.httpSDConfigs.enumerated() {
            let key = "http_sd/\(i)/\(sd.url)"
            wanted[key] = { try await HTTPDiscovery.groups(sd) }
            refresh[key] = sd.refreshIntervalMs
        }
        for (key, task) in pool.discoveries where wanted[key] == nil {
            task.cancel()
            pool.discoveries[key] = nil
            pool.groups[key] = nil
        }
        for (key, discover) in wanted where pool.discoveries[key] == nil {
            let interval = refresh[key] ?? 60_000
            pool.discoveries[key] = Task { [self, logger] in
                var last: [TargetGroup]?
                while !Task.isCancelled {
                    do {
                        let groups = try await discover()
                        if groups != last {
                            last = groups
                            await discovered(job: job, provider: key, groups: groups)
                        }
                    } catch {
                        logger.error("service discovery failed", metadata: ["scrape_pool": "\(job)", "provider": "\(key)", "err": "\(error)"])
                    }
                    do { try await Task.sleep(for: .milliseconds(interval)) } catch { return }
                }
            }
        }
    }

    /// Keeps a staleness write cancellable until it is done.
    private func track(_ stale: Task<Void, Never>) {
        staleness.withLock { state in
            let id = state.next
            state.next += 1
            state.tasks[id] = Task { [self] in
                await withTaskCancellationHandler {
                    await stale.value
                } onCancel: {
                    stale.cancel()
                }
                _ = staleness.withLock { $0.tasks.removeValue(forKey: id) }
            }
        }
    }
}

/// Runs async sections one at a time, in arrival order.
final class AsyncSerialLock: Sendable {
    private let state = Mutex<(busy: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func run<T: Sendable>(_ body: () async -> T) async -> T {
        await acquire()
        let result = await body()
        release()
        return result
    }

    private func acquire() async {
        await withCheckedContinuation { continuation in
            let acquired = state.withLock { state -> Bool in
                if !state.busy {
                    state.busy = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}

extension ScrapeConfig {
    /// `static_configs` as target groups, their source named as Prometheus names it (the index).
    var staticTargetGroups: [TargetGroup] {
        staticConfigs.enumerated().map { i, group in
            var group = group
            if group.source.isEmpty { group.source = String(i) }
            return group
        }
    }

    /// The session options this config gives its loops.
    var sessionOptions: ScrapeSession.Options {
        var options = ScrapeSession.Options()
        options.honorLabels = honorLabels
        options.honorTimestamps = honorTimestamps
        options.trackTimestampsStaleness = trackTimestampsStaleness
        options.metricRelabelConfigs = metricRelabelConfigs
        options.limits = limits
        options.fallbackProtocol = fallbackScrapeProtocol
        options.extraMetrics = extraScrapeMetrics
        options.validation = metricNameValidationScheme
        options.timeoutMs = scrapeTimeoutMs
        options.nativeHistograms = scrapeNativeHistograms
        options.alwaysScrapeClassicHistograms = alwaysScrapeClassicHistograms
        options.convertClassicHistogramsToNHCB = convertClassicHistogramsToNHCB
        options.nativeHistogramMinBucketFactor = nativeHistogramMinBucketFactor
        return options
    }

    /// Everything about the config that changes how its loops scrape or write, target relabeling
    /// included; target lists are compared separately. Equal fingerprints keep the running loops.
    var loopFingerprint: String {
        var parts: [String] = [
            jobName, "\(scrapeIntervalMs)", "\(scrapeTimeoutMs)", metricsPath, scheme,
            params.map { "\($0.name)=\($0.values.joined(separator: ","))" }.joined(separator: "&"),
            "\(honorLabels)", "\(honorTimestamps)", "\(trackTimestampsStaleness)", "\(enableCompression)",
            "\(limits)", scrapeProtocols.map(\.rawValue).joined(separator: ","), fallbackScrapeProtocol?.rawValue ?? "",
            "\(httpClient)", metricNameValidationScheme.rawValue, "\(extraScrapeMetrics)", tenant ?? "",
            "\(scrapeNativeHistograms)", "\(alwaysScrapeClassicHistograms)", "\(convertClassicHistogramsToNHCB)",
            "\(nativeHistogramMinBucketFactor)",
        ]
        for r in metricRelabelConfigs + relabelConfigs {
            parts.append(
                "\(r.sourceLabels)|\(r.separator)|\(r.regexPattern)|\(r.modulus)|\(r.targetLabel)|\(r.replacement)|\(r.action)")
        }
        return parts.joined(separator: "\u{1F}")
    }
}
