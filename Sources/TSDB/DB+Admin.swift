// The TSDB admin operations behind `--web.enable-admin-api`: deleting series (tombstones) and
// cleaning tombstones (Prometheus's DB.Delete, Head.Delete, Block.Delete and DB.CleanTombstones in
// tsdb/db.go, tsdb/head.go and tsdb/block.go; spec/tsdb-format.md §5 and §6.3).

package import MetricModel
internal import Logging
internal import ChunkEncoding
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

extension DB {
    /// Deletes the samples of the series matching `matchers` in `[minTime, maxTime]` (both inclusive).
    ///
    /// As in Prometheus, nothing is removed right away: each block overlapping the interval gets its
    /// deleted intervals added to its `tombstones` file (written to `tombstones.tmp`, fsynced, renamed,
    /// and the block reopened), and the head logs one Tombstones record to the WAL and then hides the
    /// intervals at query time (``HeadTombstones``). Intervals are clamped to the data of each series.
    /// Head compaction and ``cleanTombstones()`` drop the deleted samples for good.
    ///
    /// ```swift
    /// try db.delete(matchers: [LabelMatcher(.equal, "__name__", "up")], minTime: .min, maxTime: .max)
    /// ```
    ///
    /// - Throws: `TSDBError` when a block cannot be read or its tombstones written; a WAL error;
    ///   `TSDBError.closed` after ``close()`` or for a read-only database.
    /// - Complexity: reads the index series of every matching series of every overlapping block.
    ///   Blocking I/O: call it off the cooperative pool.
    package func delete(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws {
        guard minTime <= maxTime else { return }
        if options.readOnly { throw TSDBError.closed }
        try compactionLock.withLock {
            for block in blocks where block.meta.minTime <= maxTime && minTime < block.meta.maxTime {
                try deleteInBlock(block, matchers: matchers, minTime: minTime, maxTime: maxTime)
            }
            if head.minTime <= maxTime && minTime <= head.maxTime {
                try deleteInHead(matchers: matchers, minTime: minTime, maxTime: maxTime)
            }
        }
    }

    /// Rewrites every block that has tombstones without the deleted samples, then deletes the old
    /// block (Prometheus's `CleanTombstones`). A block whose every sample is deleted just goes.
    ///
    /// The new block is written by ``Compactor/compact(_:into:ulid:)`` and then given the meta
    /// Prometheus's `LeveledCompactor.Write` gives it: level 1, `sources` = itself, `parents` = the
    /// old block (so a crash before the old block is deleted is finished by the next start).
    /// Head tombstones are left alone, as in Prometheus: head compaction applies them.
    ///
    /// - Throws: `TSDBError` when reading, writing or deleting a block fails.
    package func cleanTombstones() throws {
        if options.readOnly { throw TSDBError.closed }
        // Observed however the run ends, as Prometheus does.
        let started = ContinuousClock.now
        defer { metrics.tombstoneCleanupDuration.observe(TSDBMetrics.nanoseconds(since: started)) }
        try compactionLock.withLock {
            let compactor = Compactor(ranges: compactionRanges, metrics: metrics)
            for block in blocks where block.tombstones.values.contains(where: { !$0.isEmpty }) {
                let ulid = ULID(timestampMs: Int64(Date().timeIntervalSince1970 * 1000), random: SystemRandomNumberGenerator())
                if let meta = try compactor.compact([block], into: directory, ulid: ulid, firstCompaction: true) {
                    let blockDirectory = directory.appendingPathComponent(meta.ulid.string)
                    try Compactor.updateMeta(ofBlock: blockDirectory) {
                        $0.compaction.level = 1
                        $0.compaction.sources = [meta.ulid]
                    }
                    let reader = try BlockReader(directory: blockDirectory)
                    changeBlocks { blocks in
                        blocks.append(reader)
                        blocks.sort { ($0.meta.minTime, $0.meta.maxTime) < ($1.meta.minTime, $1.meta.maxTime) }
                    }
                }
                try deleteBlocks([block.meta.ulid])
                logger.info("tombstones cleaned", metadata: ["tsdb.block.id": "\(block.meta.ulid)"])
            }
        }
    }

    /// Adds the block's new deleted intervals to its tombstones file and reopens it.
    private func deleteInBlock(_ block: BlockReader, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws {
        let stones = try block.tombstones(deleting: matchers, minTime: minTime, maxTime: maxTime)
        guard stones != block.tombstones else { return }
        try BlockReader.writeTombstones(stones, into: block.directory)
        let reopened = try BlockReader(directory: block.directory)
        let replaced: Bool = changeBlocks { blocks in
            guard let i = blocks.firstIndex(where: { $0 === block }) else { return false }
            blocks[i] = reopened
            return true
        }
        if replaced { block.close() } else { reopened.close() }
    }

    /// Logs one Tombstones record for the matching head series, then records the intervals.
    private func deleteInHead(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws {
        let lo = max(minTime, head.minTime)
        let hi = min(maxTime, head.maxTime)
        guard lo <= hi else { return }
        var stones: [WALTombstone] = []
        for raw in head.postings.refs(matching: matchers) {
            let ref = SeriesRef(raw)
            let stripe = head.refStripe(ref)
            let range: ClosedRange<Int64>? = stripe.lock.withLock {
                guard let s = stripe.series[raw] else { return nil }
                guard let first = s.firstTimestamp, s.lastTimestamp != .min else { return nil }
                let t0 = max(lo, first)
                let t1 = min(hi, s.lastTimestamp)
                return t0 <= t1 ? t0...t1 : nil
            }
            if let range { stones.append(WALTombstone(ref: ref, minTime: range.lowerBound, maxTime: range.upperBound)) }
        }
        guard !stones.isEmpty else { return }
        var record: [UInt8] = []
        WALRecord.encodeTombstones(stones, into: &record)
        try logToWAL(record)
        for stone in stones { head.tombstones.add(ref: stone.ref.rawValue, stone.minTime...stone.maxTime) }
    }
}
