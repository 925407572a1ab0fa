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
    /// torn WAL tails repaired at start (`sugarmill_tsdb_wal_repairs_total`: Prometheus counts
    /// them only as corruptions)
    package let walRepairs = Counter()
    /// `prometheus_tsdb_wal_truncations_total` / `…_failed_total`: checkpoint-and-delete runs after head compaction
    package let walTruncations = Counter()
    package let walTruncationsFailed = Counter()
    /// `prometheus_tsdb_checkpoint_creations_total` / `…_failed_total`
    package let checkpointCreations = Counter()
    package let checkpointCreationsFailed = Counter()
    /// `prometheus_tsdb_checkpoint_deletions_total`: older checkpoints deleted
    package let checkpointDeletions = Counter()
    /// `prometheus_tsdb_head_truncations_total`
    package let headTruncations = Counter()
    /// `prometheus_tsdb_head_series_removed_total`
    package let headSeriesRemoved = Counter()
    /// `prometheus_tsdb_head_gc_duration_seconds`: removing old series and chunks from the head
    package let headGCDuration = Summary(objectives: [0.5, 0.9, 0.99])
    /// `prometheus_tsdb_compaction_duration_seconds`: each block written by compaction
    /// (Prometheus's buckets: `ExponentialBuckets(1, 2, 14)`), observed in nanoseconds
    package let compactionDuration = Histogram(bounds: TSDBMetrics.compactionDurationBounds, unitScale: 1e-9)
    package static let compactionDurationBounds: [Double] = (0..<14).map { Double(1 << $0) }
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

    // MARK: Head chunks (tsdb/head.go)

    /// `prometheus_tsdb_head_chunks_created_total`: head chunks cut by appends and by WAL replay,
    /// and completed chunks attached from chunks_head/ at start (as Prometheus counts them)
    package let headChunksCreated = Counter()
    /// `prometheus_tsdb_head_chunks_removed_total`: chunks dropped by head truncation
    package let headChunksRemoved = Counter()
    /// `prometheus_tsdb_mmap_chunk_corruptions_total`: starts that found chunks_head/ corrupt
    /// (Prometheus counts one per failed load of the memory-mapped chunks)
    package let mmapChunkCorruptions = Counter()
    /// `prometheus_tsdb_data_replay_duration_seconds`: loading chunks_head/ and replaying the WAL at start
    package let dataReplayDuration = Gauge()

    // MARK: WAL (tsdb/wlog/wlog.go, tsdb/head.go)

    /// `prometheus_tsdb_wal_page_flushes_total`: page writes, one per 32 KiB page a write touches
    /// (Prometheus writes page by page). Bumped under the WAL lock on the ingest path: an atomic add.
    package let walPageFlushes = Counter()
    /// `prometheus_tsdb_wal_completed_pages_total`: pages written to their end (filled or padded)
    package let walCompletedPages = Counter()
    /// `prometheus_tsdb_wal_fsync_duration_seconds`: `fsync(2)` of a segment (cut, close, sync)
    package let walFsyncDuration = Summary(objectives: [0.5, 0.9, 0.99])
    /// `prometheus_tsdb_wal_truncate_duration_seconds`: checkpoint and segment deletion after head
    /// compaction, when it succeeds. No quantiles: client_golang's default summary has none.
    package let walTruncateDuration = Summary(objectives: [], window: 1)

    package init() {}

    /// Seconds since `start`, for the summaries and gauges.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
