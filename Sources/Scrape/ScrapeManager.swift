// The scrape manager (Prometheus's `scrape.Manager` and `scrapePool`): one pool per job, one
// loop per target; a new config keeps the loops of unchanged targets, stops those of removed
// ones (they get stale markers), and starts new ones.

package import MetricModel
internal import Synchronization
package import Logging
internal import Relabel

/// A target as `/api/v1/targets` reports it.
package struct TargetSnapshot: Sendable {
    package var target: ScrapeTarget
    package var health: TargetHealth
}

/// Runs the scrape loops of a config against one storage.
package final class ScrapeManager: Sendable {
    private let storage: any Storage
    private let logger: Logger
    /// Makes the scraper of a scrape config (HTTP in the server; canned bodies in tests).
    private let makeScraper: @Sendable (ScrapeConfig) throws(ScrapeError) -> any Scraper

    private struct Pool {
        var config: ScrapeConfig
        var fingerprint: String
        var scraper: any Scraper
        var loops: [UInt64: ScrapeLoop] = [:]
        var dropped: [DroppedTarget] = []
    }

    private let pools = Mutex<[String: Pool]>([:])
    /// Pending end-of-run staleness writes by an id, cancelled on shutdown; each removes itself
    /// when done.
    private let staleness = Mutex<(next: UInt64, tasks: [UInt64: Task<Void, Never>])>((0, [:]))

    package init(
        storage: any Storage, logger: Logger,
        makeScraper: @escaping @Sendable (ScrapeConfig) throws(ScrapeError) -> any Scraper = { config throws(ScrapeError) in
            try HTTPScraper(config: config)
        }
    ) {
        self.storage = storage
        self.logger = logger
        self.makeScraper = makeScraper
    }

    /// Applies a config: pools of removed jobs stop, pools whose settings changed restart their
    /// loops, and every pool's targets are synced with its static target groups.
    package func apply(_ config: PrometheusConfig) async {
        var toStop: [ScrapeLoop] = []
        var toShutDown: [any Scraper] = []
        var started: [ScrapeLoop] = []
        let jobs = Set(config.scrapeConfigs.map(\.jobName))
        // Decide under the lock, then stop and start outside it.
        var plan: [(job: String, config: ScrapeConfig, groups: [TargetGroup])] = []
        let removed = pools.withLock { pools in
            var removed: [Pool] = []
            for (job, pool) in pools where !jobs.contains(job) {
                removed.append(pool)
                pools[job] = nil
            }
            return removed
        }
        for pool in removed {
            // A job gone from the config: its targets went away.
            for loop in pool.loops.values {
                toStop.append(loop)
                if let stale = loop.markStaleLater() { track(stale) }
            }
            toShutDown.append(pool.scraper)
        }
        for scrapeConfig in config.scrapeConfigs {
            plan.append((scrapeConfig.jobName, scrapeConfig, scrapeConfig.staticTargetGroups))
        }
        for (job, scrapeConfig, groups) in plan {
            let fingerprint = scrapeConfig.loopFingerprint
            var built = TargetsFromGroup()
            for group in groups {
                let targets = scrapeConfig.targets(from: group)
                built.active += targets.active
                built.dropped += targets.dropped
                built.errors += targets.errors
            }
            for error in built.errors {
                logger.warning("creating target failed", metadata: ["scrape_pool": "\(job)", "err": "\(error)"])
            }
            if scrapeConfig.limits.targetLimit > 0 && built.active.count > scrapeConfig.limits.targetLimit {
                logger.error(
                    "target limit exceeded",
                    metadata: ["scrape_pool": "\(job)", "targets": "\(built.active.count)", "limit": "\(scrapeConfig.limits.targetLimit)"])
            }
            let existing = pools.withLock { $0[job] }
            var pool: Pool
            if let existing, existing.fingerprint == fingerprint {
                pool = existing
            } else {
                let scraper: any Scraper
                do { scraper = try makeScraper(scrapeConfig) } catch {
                    logger.error("creating scraper failed", metadata: ["scrape_pool": "\(job)", "err": "\(error)"])
                    continue
                }
                if let existing {
                    // Settings changed: every loop restarts with them (no stale markers: the new
                    // loops scrape the same series).
                    toStop.append(contentsOf: existing.loops.values)
                    toShutDown.append(existing.scraper)
                }
                pool = Pool(config: scrapeConfig, fingerprint: fingerprint, scraper: scraper)
            }
            var wanted: [UInt64: ScrapeTarget] = [:]
            for target in built.active { wanted[target.hash] = target }
            for (hash, loop) in pool.loops where wanted[hash] == nil {
                toStop.append(loop)
                pool.loops[hash] = nil
                if let stale = loop.markStaleLater() { track(stale) }
            }
            let options = scrapeConfig.sessionOptions
            for (hash, target) in wanted where pool.loops[hash] == nil {
                let loop = ScrapeLoop(target: target, scraper: pool.scraper, storage: storage, options: options)
                pool.loops[hash] = loop
                started.append(loop)
            }
            pool.dropped = built.dropped
            pools.withLock { [pool] in $0[job] = pool }
        }
        for loop in toStop { await loop.stop() }
        for scraper in toShutDown { await scraper.shutdown() }
        for loop in started { loop.start() }
    }

    /// Stops every loop (no stale markers: the server is going down and will resume).
    package func shutdown() async {
        let (loops, scrapers) = pools.withLock { pools -> ([ScrapeLoop], [any Scraper]) in
            let all = (pools.values.flatMap { $0.loops.values }, pools.values.map(\.scraper))
            pools.removeAll()
            return all
        }
        for task in staleness.withLock({ $0.tasks.values }) { task.cancel() }
        for loop in loops { await loop.stop() }
        for scraper in scrapers { await scraper.shutdown() }
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

    /// Active targets by job, in a stable order.
    package func activeTargets() -> [TargetSnapshot] {
        pools.withLock { pools in
            pools.keys.sorted().flatMap { job in
                pools[job]!.loops.values
                    .map { TargetSnapshot(target: $0.target, health: $0.health) }
                    .sorted { $0.target.url < $1.target.url }
            }
        }
    }

    /// Targets relabeling dropped.
    package func droppedTargets() -> [DroppedTarget] {
        pools.withLock { pools in pools.keys.sorted().flatMap { pools[$0]!.dropped } }
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
        return options
    }

    /// Everything about the config that changes how its loops scrape or write; target lists are
    /// compared separately. Equal fingerprints keep the running loops on a reload.
    var loopFingerprint: String {
        var parts: [String] = [
            jobName, "\(scrapeIntervalMs)", "\(scrapeTimeoutMs)", metricsPath, scheme,
            params.map { "\($0.name)=\($0.values.joined(separator: ","))" }.joined(separator: "&"),
            "\(honorLabels)", "\(honorTimestamps)", "\(trackTimestampsStaleness)", "\(enableCompression)",
            "\(limits)", scrapeProtocols.map(\.rawValue).joined(separator: ","), fallbackScrapeProtocol?.rawValue ?? "",
            "\(httpClient)", metricNameValidationScheme.rawValue, "\(extraScrapeMetrics)",
        ]
        for r in metricRelabelConfigs {
            parts.append(
                "\(r.sourceLabels)|\(r.separator)|\(r.regexPattern)|\(r.modulus)|\(r.targetLabel)|\(r.replacement)|\(r.action)")
        }
        return parts.joined(separator: "\u{1F}")
    }
}
