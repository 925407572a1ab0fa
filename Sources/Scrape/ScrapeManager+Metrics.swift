// ScrapeManager+Metrics: the `prometheus_target_*` and `prometheus_sd_discovered_targets`
// families of a scrape manager in the text exposition format, under Prometheus 2.42's names,
// types and help texts (scrape/scrape.go, scrape/manager.go, discovery/manager.go).

package import MetricModel
internal import Synchronization

extension ScrapeManager {
    /// Every family, sorted by name as client_golang writes them. Per-job families list the
    /// jobs the config has now; `sugarmill_scrape_commit_failures_total` has no Prometheus
    /// counterpart (Prometheus 2.42 only logs the failure).
    package func metricsExposition() -> String {
        let pools = poolsForMetrics()
        let jobs = metrics.jobSnapshot
        var out = MetricsText()
        out.family("prometheus_sd_discovered_targets", .gauge, "Current number of discovered targets.")
        for pool in pools {
            out.sample(
                "prometheus_sd_discovered_targets", MetricsText.label("config", pool.job) + ",name=\"scrape\"", value: pool.discovered)
        }
        let interval = "prometheus_target_interval_length_seconds"
        out.family(interval, .summary, "Actual intervals between scrapes.")
        for (label, summary) in metrics.intervalSnapshot {
            out.summary(interval, MetricsText.label("interval", label), summary.snapshot)
        }
        // Prometheus's metaEntry.size(): help, unit and type text.
        let metadata = pools.map { pool -> (entries: Int, bytes: Int) in
            pool.loops.reduce((0, 0)) { sum, loop in
                let entries = loop.metadata
                return (
                    sum.0 + entries.count,
                    sum.1 + entries.values.reduce(0) { $0 + $1.help.utf8.count + $1.unit.utf8.count + $1.type.utf8.count }
                )
            }
        }
        out.family(
            "prometheus_target_metadata_cache_bytes", .gauge,
            "The number of bytes that are currently used for storing metric metadata in the cache")
        for (pool, size) in zip(pools, metadata) {
            out.sample("prometheus_target_metadata_cache_bytes", MetricsText.label("scrape_job", pool.job), value: size.bytes)
        }
        out.family("prometheus_target_metadata_cache_entries", .gauge, "Total number of metric metadata entries in the cache")
        for (pool, size) in zip(pools, metadata) {
            out.sample("prometheus_target_metadata_cache_entries", MetricsText.label("scrape_job", pool.job), value: size.entries)
        }
        out.single(
            "prometheus_target_scrape_pool_exceeded_label_limits_total", .counter,
            "Total number of times scrape pools hit the label limits, during sync or config reload.", metrics.exceededLabelLimits.current)
        out.single(
            "prometheus_target_scrape_pool_exceeded_target_limit_total", .counter,
            "Total number of times scrape pools hit the target limit, during sync or config reload.", metrics.exceededTargetLimit.current)
        out.single(
            "prometheus_target_scrape_pool_reloads_failed_total", .counter, "Total number of failed scrape pool reloads.",
            metrics.scrapePoolReloadsFailed.current)
        out.single(
            "prometheus_target_scrape_pool_reloads_total", .counter, "Total number of scrape pool reloads.",
            metrics.scrapePoolReloads.current)
        out.family("prometheus_target_scrape_pool_sync_total", .counter, "Total number of syncs that were executed on a scrape pool.")
        for (name, job) in jobs {
            out.sample("prometheus_target_scrape_pool_sync_total", MetricsText.label("scrape_job", name), value: job.syncs.current)
        }
        out.family("prometheus_target_scrape_pool_targets", .gauge, "Current number of targets in this scrape pool.")
        for (name, job) in jobs {
            out.sample(
                "prometheus_target_scrape_pool_targets", MetricsText.label("scrape_job", name),
                value: job.targets.load(ordering: .relaxed))
        }
        out.single(
            "prometheus_target_scrape_pools_failed_total", .counter, "Total number of scrape pool creations that failed.",
            metrics.scrapePoolsFailed.current)
        out.single(
            "prometheus_target_scrape_pools_total", .counter, "Total number of scrape pool creation attempts.",
            metrics.scrapePools.current)
        out.single(
            "prometheus_target_scrapes_exceeded_body_size_limit_total", .counter,
            "Total number of scrapes that hit the body size limit", metrics.exceededBodySizeLimit.current)
        out.single(
            "prometheus_target_scrapes_exceeded_sample_limit_total", .counter,
            "Total number of scrapes that hit the sample limit and were rejected.", metrics.exceededSampleLimit.current)
        out.single(
            "prometheus_target_scrapes_sample_duplicate_timestamp_total", .counter,
            "Total number of samples rejected due to duplicate timestamps but different values.",
            metrics.sampleDuplicateTimestamp.current)
        out.single(
            "prometheus_target_scrapes_sample_out_of_bounds_total", .counter,
            "Total number of samples rejected due to timestamp falling outside of the time bounds.", metrics.sampleOutOfBounds.current)
        out.single(
            "prometheus_target_scrapes_sample_out_of_order_total", .counter,
            "Total number of samples rejected due to not being out of the expected order.", metrics.sampleOutOfOrder.current)
        out.family("prometheus_target_sync_failed_total", .counter, "Total number of target sync failures.")
        for (name, job) in jobs {
            out.sample("prometheus_target_sync_failed_total", MetricsText.label("scrape_job", name), value: job.syncFailed.current)
        }
        let sync = "prometheus_target_sync_length_seconds"
        out.family(sync, .summary, "Actual interval to sync the scrape pool.")
        for (name, job) in jobs {
            out.summary(sync, MetricsText.label("scrape_job", name), job.syncLength.snapshot)
        }
        out.single(
            "sugarmill_scrape_commit_failures_total", .counter,
            "Scrapes whose samples the storage refused at commit (logged as \"Scrape commit failed\").", metrics.commitFailures.current)
        return out.text
    }
}
