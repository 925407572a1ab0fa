// Block compaction, deletion of compacted and expired blocks, and retention.

internal import MetricModel
internal import Logging
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

extension DB {
    /// The compaction ranges: min block duration ×3 per level, up to the max block duration
    /// (default 10 % of retention, at most 31 days), as Prometheus computes them.
    var compactionRanges: [Int64] {
        let maxBlock = options.maxBlockDurationMs ?? Compactor.defaultMaxBlockDuration(retentionMs: options.retentionMs)
        return Compactor.blockRanges(minBlockDuration: options.minBlockDurationMs, maxBlockDuration: maxBlock)
    }

    /// One round of maintenance, as Prometheus's `Compact` + `reloadBlocks`: head compaction,
    /// then levelled/vertical block compaction until the planner has nothing left, then
    /// deletion of blocks that are compacted away, marked deletable or beyond retention.
    /// A failure is thrown after the data is left consistent; the server retries next time.
    package func compact() throws {
        do {
            try compactHeadAndBlocks()
        } catch {
            // A failed compaction (disk full, I/O error) leaves the head, the WAL and the blocks
            // as they were: the next attempt starts over. It never stops the server.
            metrics.compactionsFailed.add()
            throw error
        }
    }

    private func compactHeadAndBlocks() throws {
        try compactHead()
        try compactionLock.withLock {
            let compactor = Compactor(ranges: compactionRanges, metrics: metrics)
            while true {
                let metas = blocks.map(\.meta)
                let plan = compactor.plan(metas)
                if plan.isEmpty { break }
                let chosen = blocks.filter { plan.contains($0.meta.ulid) }
                let ulid = ULID(timestampMs: Int64(Date().timeIntervalSince1970 * 1000), random: SystemRandomNumberGenerator())
                let started = ContinuousClock.now
                let meta = try compactor.compact(chosen, into: directory, ulid: ulid)
                if let meta {
                    metrics.compactionDuration.observe(TSDBMetrics.nanoseconds(since: started))
                    let block = try BlockReader(directory: directory.appendingPathComponent(meta.ulid.string))
                    changeBlocks { $0.append(block) }
                    metrics.compactionsTotal.add()
                    logger.info(
                        "blocks compacted",
                        metadata: [
                            "tsdb.block.id": "\(meta.ulid)", "tsdb.block.level": "\(meta.compaction.level)",
                            "tsdb.block.sources": "\(plan.map(\.string))",
                        ])
                } else {
                    // Nothing left (everything deleted by tombstones): the inputs just go.
                    try deleteBlocks(Set(plan))
                }
                try deleteBlocks(Compactor.blocksToDelete(blocks.map(\.meta)))
            }
            try applyRetention()
        }
    }

    /// Deletes blocks beyond `--storage.tsdb.retention.time` / `.size`, counting each rule that
    /// found blocks (`prometheus_tsdb_time_retentions_total`, `…_size_retentions_total`).
    func applyRetention() throws {
        let current = blocks
        var sizes: [ULID: Int64] = [:]
        for block in current { sizes[block.meta.ulid] = (try? Compactor.blockSizeBytes(block.directory)) ?? 0 }
        let metas = current.map(\.meta)
        let byTime = Compactor.beyondTimeRetention(metas, retentionMs: retentionMs)
        let bySize = Compactor.beyondSizeRetention(metas, retentionBytes: options.retentionBytes, sizes: sizes)
        if !byTime.isEmpty { metrics.timeRetentions.add() }
        if !bySize.isEmpty { metrics.sizeRetentions.add() }
        let expired = byTime.union(bySize)
        if !expired.isEmpty {
            logger.info("deleting blocks beyond retention", metadata: ["tsdb.blocks": "\(expired.map(\.string).sorted())"])
        }
        try deleteBlocks(expired)
    }

    /// Removes blocks from the querier set and from disk (rename to `.tmp-for-deletion`, then delete).
    func deleteBlocks(_ ids: Set<ULID>) throws {
        guard !ids.isEmpty else { return }
        let doomed: [BlockReader] = changeBlocks { blocks in
            let doomed = blocks.filter { ids.contains($0.meta.ulid) }
            blocks.removeAll { ids.contains($0.meta.ulid) }
            return doomed
        }
        for block in doomed {
            block.close()
            let target = directory.appendingPathComponent(block.meta.ulid.string + ".tmp-for-deletion")
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.moveItem(at: block.directory, to: target)
            try FileManager.default.removeItem(at: target)
        }
    }
}
