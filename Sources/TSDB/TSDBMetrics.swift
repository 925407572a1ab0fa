// Self-metrics of one database, under Prometheus's names.

package import MetricModel

/// Counters a DB keeps; rendered by the server at `/metrics`.
package final class TSDBMetrics: Sendable {
    /// `prometheus_tsdb_head_samples_appended_total{type="float"}`
    package let samplesAppended = Counter()
    /// `prometheus_tsdb_head_samples_appended_total{type="histogram"}`
    package let histogramsAppended = Counter()
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
    package let headGCDuration = Summary(objectives: [], window: 1)
    /// `prometheus_tsdb_compaction_duration_seconds`: each block written by compaction
    /// (Prometheus's buckets: `ExponentialBuckets(1, 2, 14)`), observed in nanoseconds
    package let compactionDuration = FixedBucketHistogram(bounds: TSDBMetrics.compactionDurationBounds, unitScale: 1e-9)
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

    // MARK: Compaction (tsdb/compact.go)

    /// `prometheus_tsdb_vertical_compactions_total`: compactions whose input blocks overlap
    package let verticalCompactions = Counter()
    /// `prometheus_tsdb_compaction_populating_block`: 1 while a block's series are gathered and written
    package let compactionPopulatingBlock = Gauge()
    /// `prometheus_tsdb_compaction_chunk_size_bytes`: bytes of each chunk written into a level-1
    /// block (head compaction, tombstone cleanup)
    package let compactionChunkSize = FixedBucketHistogram(bounds: TSDBMetrics.exponentialBuckets(32, 1.5, 12))
    /// `prometheus_tsdb_compaction_chunk_samples`: samples of each chunk written into a level-1 block
    package let compactionChunkSamples = FixedBucketHistogram(bounds: TSDBMetrics.exponentialBuckets(4, 1.5, 12))
    /// `prometheus_tsdb_compaction_chunk_range_seconds`: `maxTime - minTime` of each chunk written
    /// into a level-1 block. In milliseconds despite the name: Prometheus observes the raw
    /// difference of its millisecond timestamps, and its buckets are sized for that.
    package let compactionChunkRange = FixedBucketHistogram(bounds: TSDBMetrics.exponentialBuckets(100, 4, 10))

    // MARK: DB (tsdb/db.go)

    /// `prometheus_tsdb_time_retentions_total`: retention runs that deleted blocks for their age
    package let timeRetentions = Counter()
    /// `prometheus_tsdb_size_retentions_total`: retention runs that deleted blocks for the size limit
    package let sizeRetentions = Counter()
    /// `prometheus_tsdb_tombstone_cleanup_seconds`: each `cleanTombstones()` run
    package let tombstoneCleanupDuration = FixedBucketHistogram(bounds: TSDBMetrics.defaultBuckets, unitScale: 1e-9)
    /// `prometheus_tsdb_storage_blocks_bytes`: bytes of the loaded blocks, set when the block set changes
    package let storageBlocksBytes = Gauge()
    /// `prometheus_tsdb_symbol_table_size_bytes`: memory the loaded blocks' symbol tables take,
    /// set when the block set changes
    package let symbolTableSizeBytes = Gauge()

    package init() {}

    /// client_golang's `DefBuckets`.
    package static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// client_golang's `ExponentialBuckets(start, factor, count)`, multiplied out the same way so
    /// that the `le` labels print as Prometheus prints them.
    package static func exponentialBuckets(_ start: Double, _ factor: Double, _ count: Int) -> [Double] {
        var bounds: [Double] = []
        var bound = start
        for _ in 0..<count {
            bounds.append(bound)
            bound *= factor
        }
        return bounds
    }

    /// Runs `body` (gathering a new block's series and writing it) with
    /// `prometheus_tsdb_compaction_populating_block` at 1, as Prometheus's `populateBlock` does.
    /// Compactions of one DB are serialized (its compaction lock), so the gauge is never shared.
    func populatingBlock<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        compactionPopulatingBlock.set(1)
        defer { compactionPopulatingBlock.set(0) }
        return try body()
    }

    /// Observes each chunk of a block written at level 1 (from the head, or by tombstone cleanup)
    /// in the compaction chunk histograms, as Prometheus's `instrumentedChunkWriter` does.
    func observeFirstCompaction(of series: [SeriesData]) {
        for s in series {
            for chunk in s.chunks {
                compactionChunkSize.observe(chunk.bytes.count)
                // The sample count, big-endian, starts XOR chunks (spec §3) and histogram chunks alike.
                let samples = chunk.bytes.count >= 2 ? Int(chunk.bytes[0]) << 8 | Int(chunk.bytes[1]) : 0
                compactionChunkSamples.observe(samples)
                compactionChunkRange.observe(Int(clamping: chunk.maxTime &- chunk.minTime))
            }
        }
    }

    /// Nanoseconds since `start`, for the histograms observed in nanoseconds.
    static func nanoseconds(since start: ContinuousClock.Instant) -> Int {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return Int(seconds) &* 1_000_000_000 &+ Int(attoseconds / 1_000_000_000)
    }

    /// Seconds since `start`, for the summaries and gauges.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
