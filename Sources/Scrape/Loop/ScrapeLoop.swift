// One target's scrape loop (Prometheus's `scrapeLoop.run`, `scrapeAndReport`,
// `endOfRunStaleness`): scrapes at a fixed phase of the interval, writes each scrape and its
// report series in one commit, and when the target goes away writes stale markers.

package import MetricModel
package import Logging
internal import Synchronization
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// What `/api/v1/targets` shows about a target.
package struct TargetHealth: Sendable, Equatable {
    package enum Health: String, Sendable { case unknown, up, down }
    package var health: Health = .unknown
    package var lastError = ""
    /// Wall-clock time of the last scrape's start, ms since the epoch; nil before the first.
    package var lastScrapeMs: Int64?
    package var lastScrapeDurationSeconds: Double = 0
}

/// Scrapes one target until stopped. All scraping runs in the loop's own task.
package final class ScrapeLoop: Sendable {
    package let target: ScrapeTarget
    private let scraper: any Scraper
    private let storage: any Storage
    private let options: ScrapeSession.Options
    private let state = Mutex<TargetHealth>(TargetHealth())
    private let published = Mutex<[String: MetricMetadata]>([:])

    /// The metadata of the last successful scrape, by metric family.
    package var metadata: [String: MetricMetadata] { published.withLock { $0 } }
    private let task = Mutex<Task<Void, Never>?>(nil)
    /// Where the loop runs (the scraper's choice).
    private let executor: (any TaskExecutor)?
    /// The session lives in the loop's task; handed over to the staleness task at the end.
    private let handoff = Mutex<SessionBox?>(nil)
    private let logger: Logger
    private let metrics: ScrapeMetrics

    package init(
        target: ScrapeTarget, scraper: any Scraper, storage: any Storage, options: ScrapeSession.Options,
        logger: Logger = Logger(label: "scrape", factory: { _ in SwiftLogNoOpLogHandler() }), metrics: ScrapeMetrics = ScrapeMetrics()
    ) {
        self.target = target
        self.scraper = scraper
        self.storage = storage
        self.options = options
        self.logger = logger
        self.metrics = metrics
        executor = scraper.loopExecutor()
    }

    package var health: TargetHealth { state.withLock { $0 } }

    /// The delay before the first scrape: scrapes happen when the wall clock is at
    /// `hash % interval` within the interval, so targets spread over it (`Target.offset`).
    static func firstDelayMs(now: Int64, intervalMs: Int64, hash: UInt64) -> Int64 {
        let base = intervalMs - now % intervalMs
        var next = base + Int64(hash % UInt64(intervalMs))
        if next > intervalMs { next -= intervalMs }
        return next
    }

    /// Starts scraping.
    package func start() {
        let session = ScrapeSession(targetLabels: target.sampleLabels, options: options)
        let box = SessionBox(session)
        let started = Task(executorPreference: executor) { [self] in await run(box) }
        task.withLock { $0 = started }
    }

    /// Stops scraping and waits for the scrape in flight.
    package func stop() async {
        let running = task.withLock { t -> Task<Void, Never>? in
            let running = t
            t = nil
            return running
        }
        running?.cancel()
        await running?.value
    }

    /// After ``stop()``: stale markers for all the target's series at the time its next scrape
    /// would have been, written a little over two intervals later so that a target that comes
    /// back (a reload that changes and restores it) is not marked stale. Cancelling the
    /// returned task (shutdown) skips them.
    package func markStaleLater() -> Task<Void, Never>? {
        guard let box = handoff.withLock({ $0 }), let lastMs = state.withLock({ $0.lastScrapeMs }) else { return nil }
        let intervalMs = target.intervalMs
        return Task { [self] in
            let staleTime = lastMs + intervalMs
            let wait = staleTime - Self.nowMs() + intervalMs + intervalMs / 10
            if wait > 0 {
                do { try await Task.sleep(for: .milliseconds(wait)) } catch { return }
            }
            let app = storage.appender()
            if box.session.markAllStale(time: staleTime, to: app) == nil {
                try? app.commit()
            } else {
                app.rollback()
            }
        }
    }

    private func run(_ box: SessionBox) async {
        handoff.withLock { $0 = box }
        let interval = target.intervalMs
        var next = Self.nowMs() + Self.firstDelayMs(now: Self.nowMs(), intervalMs: interval, hash: target.hash)
        // `prometheus_target_interval_length_seconds`: the time between the starts of scrapes.
        let intervalLength = metrics.intervalLength(intervalMs: interval)
        let clock = ContinuousClock()
        var lastStart: ContinuousClock.Instant?
        while !Task.isCancelled {
            let wait = next - Self.nowMs()
            if wait > 0 {
                do { try await sleep(milliseconds: wait) } catch { return }
            }
            let start = clock.now
            if let lastStart { intervalLength.observe(Self.seconds(start - lastStart)) }
            lastStart = start
            // Timestamps sit on the schedule when the scrape starts within 2 ms of it (better
            // compression, as Prometheus's scrape timestamp tolerance).
            let now = Self.nowMs()
            let scrapeTime = abs(now - next) <= 2 ? next : now
            await scrapeAndReport(box.session, scrapeTime: scrapeTime)
            next += interval
            let behind = Self.nowMs() - next
            if behind > 0 { next += (behind / interval + 1) * interval }  // skip missed slots
        }
    }

    private func sleep(milliseconds: Int64) async throws {
        if let loop = executor as? EventLoopTaskExecutor {
            try await loop.sleep(milliseconds: milliseconds)
        } else {
            try await Task.sleep(for: .milliseconds(milliseconds))
        }
    }

    /// One scrape: fetch, append, report, commit; a failed scrape writes stale markers instead.
    func scrapeAndReport(_ session: ScrapeSession, scrapeTime: Timestamp) async {
        let clock = ContinuousClock()
        let started = clock.now
        let response = await scraper.scrape(target)
        var error = response.error
        var app = storage.appender()
        var outcome = ScrapeSession.Outcome()
        if error == nil {
            let (appended, appendError) = session.append(
                body: response.body, contentType: response.contentType, time: scrapeTime, now: Self.nowMs(), to: app)
            outcome = appended
            if let appendError {
                error = appendError
                app.rollback()
                app = storage.appender()
                _ = session.appendEmpty(time: scrapeTime, to: app)
            }
        } else {
            _ = session.appendEmpty(time: scrapeTime, to: app)
        }
        let seconds = Self.seconds(clock.now - started)
        metrics.record(outcome)
        if response.bodyBytes < 0 { metrics.exceededBodySizeLimit.add() }
        do {
            try session.report(
                start: scrapeTime, durationSeconds: seconds, outcome: outcome,
                bodyBytes: response.error == nil ? response.bodyBytes : (response.bodyBytes < 0 ? -1 : 0),
                error: error, to: app)
            try app.commit()
        } catch let failure {
            // The storage refused the scrape (a full or failing disk): that scrape is lost, as in
            // Prometheus, which logs "Scrape commit failed"; the target itself stays up.
            app.rollback()
            metrics.commitFailures.add()
            logger.error(
                "Scrape commit failed",
                metadata: ["scrape_pool": "\(target.job)", "target": "\(target.url)", "err": "\(failure)"])
        }
        if error == nil {
            let metadata = session.metadata
            published.withLock { $0 = metadata }
        }
        state.withLock {
            $0.health = error == nil ? .up : .down
            $0.lastError = error?.message ?? ""
            $0.lastScrapeMs = scrapeTime
            $0.lastScrapeDurationSeconds = seconds
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// Wall-clock milliseconds since the epoch.
    static func nowMs() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}

/// The session, handed between the loop's task and the staleness task (never used by both).
final class SessionBox: @unchecked Sendable {
    // Safety: used by the loop's task while it runs, then only by the staleness task, which
    // starts after `stop()` has awaited the loop's task.
    let session: ScrapeSession
    init(_ session: ScrapeSession) { self.session = session }
}
