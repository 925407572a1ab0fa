// ScrapeMetrics: what scraping counts across the loops and pools of a server, under
// Prometheus's `prometheus_target_*` names (scrape/scrape.go), for `/metrics`.

package import MetricModel
package import Synchronization

/// What scraping counts across all targets. Loops bump counters once per scrape (no lock);
/// the per-job and per-interval series are looked up when a pool syncs or a loop starts.
/// Thread-safety: everything may be called concurrently.
package final class ScrapeMetrics: Sendable {
    /// Scrapes whose samples the storage refused at commit (`sugarmill_scrape_commit_failures_total`:
    /// Prometheus 2.42 only logs "Scrape commit failed").
    package let commitFailures = Counter()
    /// `prometheus_target_scrape_pools_total`: scrape pool creation attempts.
    package let scrapePools = Counter()
    /// `prometheus_target_scrape_pools_failed_total`: creations whose scraper could not be made.
    package let scrapePoolsFailed = Counter()
    /// `prometheus_target_scrape_pool_reloads_total`: pools restarted with changed settings.
    package let scrapePoolReloads = Counter()
    /// `prometheus_target_scrape_pool_reloads_failed_total`
    package let scrapePoolReloadsFailed = Counter()
    /// `prometheus_target_scrape_pool_exceeded_target_limit_total`
    package let exceededTargetLimit = Counter()
    /// `prometheus_target_scrape_pool_exceeded_label_limits_total`: scrapes refused for a label limit.
    package let exceededLabelLimits = Counter()
    /// `prometheus_target_scrapes_exceeded_sample_limit_total`
    package let exceededSampleLimit = Counter()
    /// `prometheus_target_scrapes_exceeded_body_size_limit_total`
    package let exceededBodySizeLimit = Counter()
    /// `prometheus_target_scrapes_sample_duplicate_timestamp_total`
    package let sampleDuplicateTimestamp = Counter()
    /// `prometheus_target_scrapes_sample_out_of_order_total`
    package let sampleOutOfOrder = Counter()
    /// `prometheus_target_scrapes_sample_out_of_bounds_total`
    package let sampleOutOfBounds = Counter()

    /// One job's series.
    package final class Job: Sendable {
        /// `prometheus_target_scrape_pool_sync_total`
        package let syncs = Counter()
        /// `prometheus_target_sync_failed_total`: targets that could not be built from their groups.
        package let syncFailed = Counter()
        /// `prometheus_target_sync_length_seconds`
        package let syncLength = Summary()
        /// `prometheus_target_scrape_pool_targets`
        package let targets = Atomic<Int>(0)
    }

    private let jobs = Mutex<[String: Job]>([:])
    /// `prometheus_target_interval_length_seconds` by the `interval` label (Go's duration text).
    private let intervals = Mutex<[String: Summary]>([:])

    package init() {}

    /// The series of `job`, made on first use.
    package func job(_ job: String) -> Job {
        jobs.withLock { all in
            if let found = all[job] { return found }
            let made = Job()
            all[job] = made
            return made
        }
    }

    /// Drops the series of a job whose pool stopped (as Prometheus deletes them).
    func forget(job: String) {
        _ = jobs.withLock { $0.removeValue(forKey: job) }
    }

    /// The interval summary of loops scraping every `intervalMs`.
    package func intervalLength(intervalMs: Int64) -> Summary {
        let label = goDurationString(milliseconds: intervalMs)
        return intervals.withLock { all in
            if let found = all[label] { return found }
            let made = Summary()
            all[label] = made
            return made
        }
    }

    /// Adds what one scrape's append counted.
    func record(_ outcome: ScrapeSession.Outcome) {
        if outcome.duplicateTimestamps > 0 { sampleDuplicateTimestamp.add(outcome.duplicateTimestamps) }
        if outcome.outOfOrder > 0 { sampleOutOfOrder.add(outcome.outOfOrder) }
        if outcome.outOfBounds > 0 { sampleOutOfBounds.add(outcome.outOfBounds) }
        if outcome.sampleLimitExceeded { exceededSampleLimit.add() }
        if outcome.labelLimitExceeded { exceededLabelLimits.add() }
    }

    var jobSnapshot: [(name: String, job: Job)] { jobs.withLock { $0.map { ($0.key, $0.value) } }.sorted { $0.name < $1.name } }
    var intervalSnapshot: [(label: String, summary: Summary)] {
        intervals.withLock { $0.map { ($0.key, $0.value) } }.sorted { $0.label < $1.label }
    }
}
