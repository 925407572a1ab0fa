// Self-metrics of one database, under Prometheus's names.

package import MetricModel

/// Counters a DB keeps; rendered by the server at `/metrics`.
package final class TSDBMetrics: Sendable {
    /// `prometheus_tsdb_head_samples_appended_total`
    package let samplesAppended = Counter()
    /// `prometheus_tsdb_out_of_order_samples_total`
    package let outOfOrderSamples = Counter()
    /// `prometheus_tsdb_out_of_bound_samples_total`
    package let outOfBoundSamples = Counter()
    /// duplicate-timestamp rejects (Prometheus counts them with out-of-order; kept apart here)
    package let duplicateSamples = Counter()
    /// `prometheus_tsdb_head_series_created_total`
    package let seriesCreated = Counter()
    /// `prometheus_tsdb_wal_corruptions_total`
    package let walCorruptions = Counter()
    /// `prometheus_tsdb_wal_writes_failed_total`
    package let walWritesFailed = Counter()
    /// `prometheus_tsdb_wal_truncations_total` (torn tails repaired at start)
    package let walRepairs = Counter()
    /// `prometheus_tsdb_wal_record_bytes_total`-like: bytes handed to the WAL
    package let walBytesWritten = Counter()
    /// samples read back from the WAL at the last start
    package let walReplayedSamples = Counter()
    /// samples in the WAL that referred to an unknown series at replay
    package let walUnknownRefs = Counter()

    /// blocks that failed to open at start and were skipped
    package let blockOpenFailures = Counter()
    /// `prometheus_tsdb_compactions_total`
    package let compactionsTotal = Counter()
    /// `prometheus_tsdb_compactions_failed_total`
    package let compactionsFailed = Counter()
    /// samples in the WAL already covered by a block, skipped at replay
    package let walSkippedOldSamples = Counter()
    /// completed head chunks loaded from chunks_head/ at the last start (their samples are not replayed)
    package let mmappedChunksLoaded = Counter()

    package init() {}
}
