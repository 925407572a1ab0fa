// SelfMetrics+TSDB: the `prometheus_tsdb_*` families of one database beyond the head's basics,
// under Prometheus 2.42's names, types, help texts and buckets (tsdb/head.go, tsdb/db.go,
// tsdb/compact.go, tsdb/wlog/wlog.go).

internal import TSDB
internal import MetricModel

extension SelfMetrics {
    /// The `prometheus_tsdb_*` families beyond the head's basics, each something the engine
    /// counts or knows (never a made-up value).
    static func tsdbFamilies(_ db: DB, exemplars: ExemplarStorage?) -> String {
        var out = MetricsText()
        let m = db.metrics
        let blocks = db.blocks
        out.single("prometheus_tsdb_blocks_loaded", .gauge, "Number of currently loaded data blocks", blocks.count)
        out.single("prometheus_tsdb_checkpoint_creations_failed_total", .counter, "Total number of checkpoint creations that failed.",
            m.checkpointCreationsFailed.current)
        out.single("prometheus_tsdb_checkpoint_creations_total", .counter, "Total number of checkpoint creations attempted.",
            m.checkpointCreations.current + m.checkpointCreationsFailed.current)
        out.single("prometheus_tsdb_checkpoint_deletions_total", .counter, "Total number of checkpoint deletions attempted.",
            m.checkpointDeletions.current)
        out.single("prometheus_tsdb_clean_start", .gauge,
            "-1: lockfile is disabled. 0: a lockfile from a previous execution was replaced. 1: lockfile creation was clean",
            db.cleanStart.rawValue)
        let compaction = "prometheus_tsdb_compaction_duration_seconds"
        out.family(compaction, .histogram, "Duration of compaction runs")
        out.histogram(compaction, "", m.compactionDuration.snapshot, bounds: TSDBMetrics.compactionDurationBounds)
        if let exemplars {
            let stats = exemplars.stats
            out.single("prometheus_tsdb_exemplar_exemplars_appended_total", .counter, "Total number of appended exemplars.",
                exemplars.appended.current)
            out.single("prometheus_tsdb_exemplar_exemplars_in_storage", .gauge, "Number of exemplars currently in circular storage.",
                stats.stored)
            out.family("prometheus_tsdb_exemplar_last_exemplars_timestamp_seconds", .gauge,
                "The timestamp of the oldest exemplar stored in circular storage. Useful to check for what timerange the current exemplar buffer limit allows. This usually means the last timestampfor all exemplars for a typical setup. This is not true though if one of the series timestamp is in future compared to rest series.")
            out.sample("prometheus_tsdb_exemplar_last_exemplars_timestamp_seconds", value: Double((stats.oldestTimestamp ?? 0) / 1000))
            out.single("prometheus_tsdb_exemplar_max_exemplars", .gauge, "Total number of exemplars the exemplar storage can store, resizeable.",
                exemplars.capacity)
            out.single("prometheus_tsdb_exemplar_out_of_order_exemplars_total", .counter,
                "Total number of out of order exemplar ingestion failed attempts.", exemplars.outOfOrder.current)
            out.single("prometheus_tsdb_exemplar_series_with_exemplars_in_storage", .gauge,
                "Number of series with exemplars currently in circular storage.", stats.series)
        }
        out.single("prometheus_tsdb_head_active_appenders", .gauge, "Number of currently active appender transactions", db.activeAppenders)
        let gc = "prometheus_tsdb_head_gc_duration_seconds"
        out.family(gc, .summary, "Runtime of garbage collection in the head block.")
        out.summary(gc, "", m.headGCDuration.snapshot)
        let head = db.head
        out.family("prometheus_tsdb_head_max_time_seconds", .gauge, "Maximum timestamp of the head block.")
        out.sample("prometheus_tsdb_head_max_time_seconds", value: head.maxTime == .min ? -9.223372036854776e+15 : Double(head.maxTime / 1000))
        out.family("prometheus_tsdb_head_min_time_seconds", .gauge, "Minimum time bound of the head block.")
        out.sample("prometheus_tsdb_head_min_time_seconds", value: head.minTime == .max ? 9.223372036854776e+15 : Double(head.minTime / 1000))
        out.single("prometheus_tsdb_head_series_removed_total", .counter, "Total number of series removed in the head",
            m.headSeriesRemoved.current)
        out.single("prometheus_tsdb_head_truncations_total", .counter, "Total number of head truncations attempted.",
            m.headTruncations.current)
        let lowest = db.minTime
        out.family("prometheus_tsdb_lowest_timestamp", .gauge, "Lowest timestamp value stored in the database. The unit is decided by the library consumer.")
        out.sample("prometheus_tsdb_lowest_timestamp", value: lowest == .max ? "9.223372036854776e+18" : "\(lowest)")
        out.family("prometheus_tsdb_lowest_timestamp_seconds", .gauge, "Lowest timestamp value stored in the database.")
        out.sample("prometheus_tsdb_lowest_timestamp_seconds", value: lowest == .max ? 9.223372036854776e+15 : Double(lowest / 1000))
        out.single("prometheus_tsdb_retention_limit_bytes", .gauge, "Max number of bytes to be retained in the tsdb blocks, configured 0 means disabled",
            Int(db.retentionBytes))
        out.single("prometheus_tsdb_wal_truncations_failed_total", .counter, "Total number of write log truncations that failed.",
            m.walTruncationsFailed.current)
        if let segment = db.walSegmentCurrent {
            out.single("prometheus_tsdb_wal_segment_current", .gauge, "Write log segment index that TSDB is currently writing to.", segment)
        }
        headAndStorageFamilies(m, into: &out)
        compactionFamilies(m, into: &out)
        walFamilies(m, into: &out)
        return out.text
    }

    /// Head chunks, replay, retention and the loaded blocks (tsdb/head.go, tsdb/db.go).
    static func headAndStorageFamilies(_ m: TSDBMetrics, into out: inout MetricsText) {
        out.single("prometheus_tsdb_data_replay_duration_seconds", .gauge, "Time taken to replay the data on disk.",
            m.dataReplayDuration.current)
        out.single("prometheus_tsdb_head_chunks_created_total", .counter, "Total number of chunks created in the head",
            m.headChunksCreated.current)
        out.single("prometheus_tsdb_head_chunks_removed_total", .counter, "Total number of chunks removed in the head",
            m.headChunksRemoved.current)
        out.single("prometheus_tsdb_mmap_chunk_corruptions_total", .counter, "Total number of memory-mapped chunk corruptions.",
            m.mmapChunkCorruptions.current)
        out.single("prometheus_tsdb_size_retentions_total", .counter,
            "The number of times that blocks were deleted because the maximum number of bytes was exceeded.", m.sizeRetentions.current)
        out.single("prometheus_tsdb_storage_blocks_bytes", .gauge,
            "The number of bytes that are currently used for local storage by all blocks.", m.storageBlocksBytes.current)
        out.single("prometheus_tsdb_symbol_table_size_bytes", .gauge, "Size of symbol table in memory for loaded blocks",
            m.symbolTableSizeBytes.current)
        out.single("prometheus_tsdb_time_retentions_total", .counter,
            "The number of times that blocks were deleted because the maximum time limit was exceeded.", m.timeRetentions.current)
        histogram("prometheus_tsdb_tombstone_cleanup_seconds", "The time taken to recompact blocks to remove tombstones.",
            m.tombstoneCleanupDuration, into: &out)
    }

    /// The compactor's families (tsdb/compact.go).
    static func compactionFamilies(_ m: TSDBMetrics, into out: inout MetricsText) {
        histogram("prometheus_tsdb_compaction_chunk_range_seconds", "Final time range of chunks on their first compaction",
            m.compactionChunkRange, into: &out)
        histogram("prometheus_tsdb_compaction_chunk_samples", "Final number of samples on their first compaction",
            m.compactionChunkSamples, into: &out)
        histogram("prometheus_tsdb_compaction_chunk_size_bytes", "Final size of chunks on their first compaction",
            m.compactionChunkSize, into: &out)
        out.single("prometheus_tsdb_compaction_populating_block", .gauge, "Set to 1 when a block is currently being written to the disk.",
            m.compactionPopulatingBlock.current)
        out.single("prometheus_tsdb_vertical_compactions_total", .counter, "Total number of compactions done on overlapping blocks.",
            m.verticalCompactions.current)
    }

    /// The write log's page and fsync families (tsdb/wlog/wlog.go) and its truncation time (tsdb/head.go).
    static func walFamilies(_ m: TSDBMetrics, into out: inout MetricsText) {
        out.single("prometheus_tsdb_wal_completed_pages_total", .counter, "Total number of completed pages.", m.walCompletedPages.current)
        let fsync = "prometheus_tsdb_wal_fsync_duration_seconds"
        out.family(fsync, .summary, "Duration of write log fsync.")
        out.summary(fsync, "", m.walFsyncDuration.snapshot)
        out.single("prometheus_tsdb_wal_page_flushes_total", .counter, "Total number of page flushes.", m.walPageFlushes.current)
        let truncate = "prometheus_tsdb_wal_truncate_duration_seconds"
        out.family(truncate, .summary, "Duration of WAL truncation.")
        out.summary(truncate, "", m.walTruncateDuration.snapshot)
    }

    /// A histogram family with the histogram's own bounds.
    private static func histogram(_ name: String, _ help: String, _ histogram: FixedBucketHistogram, into out: inout MetricsText) {
        out.family(name, .histogram, help)
        out.histogram(name, "", histogram.snapshot, bounds: histogram.bounds)
    }
}
