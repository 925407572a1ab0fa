// Head compaction: the oldest block range of the head becomes a persisted block, then the head
// and the WAL are truncated (spec/tsdb-format.md §1, §6.4).

internal import MetricModel
internal import Logging
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

extension DB {
    /// Whether the head spans more than 1.5 block ranges (Prometheus's `compactable`).
    var headCompactable: Bool {
        let minT = head.minTime
        let maxT = head.maxTime
        guard minT != .max, maxT != .min else { return false }
        let (span, overflow) = maxT.subtractingReportingOverflow(minT)
        return !overflow && span > options.minBlockDurationMs / 2 * 3
    }

    /// Persists head ranges as blocks while the head is compactable; returns the blocks written.
    ///
    /// Crash safety, step by step: the block is built in `<ULID>.tmp-for-creation` and renamed
    /// (a crash before the rename leaves a temporary directory that the next start deletes, and
    /// the WAL still holds every sample); after the rename the block is loaded and the head
    /// truncated (a crash now replays the WAL on top of the block: samples older than the
    /// newest block are skipped at replay, so nothing is duplicated); then the WAL is
    /// checkpointed and its old segments deleted (a crash in between keeps extra segments,
    /// which replay again skips).
    @discardableResult
    package func compactHead() throws -> [BlockMeta] {
        var written: [BlockMeta] = []
        try compactionLock.withLock {
            while headCompactable {
                let minT = head.minTime
                let maxT = MemSeries.rangeEnd(minT, options.minBlockDurationMs)
                written.append(try persistHeadRange(minTime: minT, maxTime: maxT))
            }
        }
        return written
    }

    private func persistHeadRange(minTime: Timestamp, maxTime: Timestamp) throws -> BlockMeta {
        let started = Date()
        // Appenders opened before the head became compactable may still add samples inside
        // the range: wait for them, or their acknowledged samples would be truncated away.
        head.appenders.waitForAppenders(before: maxTime)
        let ulid = ULID(timestampMs: Int64(Date().timeIntervalSince1970 * 1000), random: SystemRandomNumberGenerator())
        let meta = try metrics.populatingBlock {
            let all = [try LabelMatcher(.regexMatch, Labels.metricNameLabel, ".*")]
            let series = try head.select(matchers: all, minTime: minTime, maxTime: maxTime - 1, sorted: true)
                .map { SeriesData(labels: $0.labels, chunks: $0.chunks.filter { $0.minTime < maxTime }) }
                .filter { !$0.chunks.isEmpty }
            let meta = try BlockWriter.write(series: series, minTime: minTime, maxTime: maxTime, into: directory, ulid: ulid)
            // A level-1 block: Prometheus records its chunks in the compaction chunk histograms.
            metrics.observeFirstCompaction(of: series)
            return meta
        }
        let block = try BlockReader(directory: directory.appendingPathComponent(ulid.string))
        changeBlocks { $0.append(block) }
        let gcStarted = ContinuousClock.now
        let removed = head.truncate(before: maxTime)
        metrics.headGCDuration.observe(TSDBMetrics.seconds(since: gcStarted))
        metrics.headTruncations.add()
        metrics.headSeriesRemoved.add(removed.seriesRemoved)
        metrics.headChunksRemoved.add(removed.chunksRemoved)
        try head.chunkMapper?.truncate(before: maxTime)
        do {
            metrics.walTruncations.add()
            try truncateWAL(before: maxTime)
        } catch {
            metrics.walTruncationsFailed.add()
            throw error
        }
        metrics.compactionsTotal.add()
        metrics.compactionDuration.observe(Int(Date().timeIntervalSince(started) * 1e9))
        logger.info(
            "head compacted",
            metadata: [
                "tsdb.block.id": "\(ulid)", "tsdb.block.min_time": "\(minTime)", "tsdb.block.max_time": "\(maxTime)",
                "tsdb.block.series": "\(meta.stats.numSeries)", "tsdb.block.samples": "\(meta.stats.numSamples)",
                "tsdb.head.series_removed": "\(removed.seriesRemoved)", "duration": "\(Date().timeIntervalSince(started))s",
            ])
        return meta
    }
}
