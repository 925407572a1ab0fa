// ScrapeMetrics: counters shared by every scrape loop of a server, for `/metrics`.

package import MetricModel

/// What scraping counts across all targets.
package final class ScrapeMetrics: Sendable {
    /// Scrapes whose samples the storage refused at commit (`sugarmill_scrape_commit_failures_total`).
    package let commitFailures = Counter()

    package init() {}
}
