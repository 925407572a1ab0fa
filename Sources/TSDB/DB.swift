// DB: one tenant's database — the head, its WAL, and the storage protocols over them.

package import MetricModel
package import Logging
internal import Synchronization
#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// Options of a database, named after Prometheus's flags.
package struct DBOptions: Sendable {
    /// `--storage.tsdb.min-block-duration`: chunks never span a multiple of it.
    package var minBlockDurationMs: Int64 = 2 * 3600 * 1000
    /// `--storage.tsdb.max-block-duration`; nil: 10 % of the retention time, at most 31 days.
    package var maxBlockDurationMs: Int64?
    /// `--storage.tsdb.retention.time` (Prometheus's default: 15d); nil keeps everything.
    package var retentionMs: Int64? = 15 * 24 * 3600 * 1000
    /// `--storage.tsdb.retention.size`; nil or 0 = no size limit.
    package var retentionBytes: Int64?
    /// `--storage.tsdb.wal-segment-size`
    package var walSegmentSizeBytes: Int = 128 * 1024 * 1024
    /// `--storage.tsdb.wal-compression` (snappy)
    package var walCompression: Bool = true
    /// Open without writing anything (tools such as `sugarmill tsdb dump`): the WAL is replayed
    /// but neither repaired nor appended to, and appenders fail at commit.
    package var readOnly: Bool = false
    /// `--storage.tsdb.no-lockfile`: do not create, take or look at `<dir>/lock`
    /// (`prometheus_tsdb_clean_start` -1). A read-only database never takes the lock (promtool's
    /// `OpenDBReadOnly` neither), so that tools can read a directory a server has open.
    package var noLockfile: Bool = false
    /// `--storage.tsdb.creation-grace-period` (ours; 0 = none, as Prometheus): samples further
    /// ahead of the wall clock are refused as out of bounds. Without it one sample stamped in
    /// the far future moves the head's end there, and every present-day sample after it is out
    /// of bounds (Prometheus's appendable window) — for everyone, until the head is cut.
    package var creationGracePeriodMs: Int64 = 0

    package init() {}
}

/// A database in a Prometheus-layout data directory: `wal/` and, later, blocks.
///
/// While open (and not read-only) it holds `<dir>/lock` as Prometheus does (``DirLocker``): a
/// second database on the same directory, in this process or another, fails to open.
///
/// "Acknowledged means durable": `commit` returns only after the batch was written to the
/// WAL file with write(2), so it survives `kill -9` of the process (fsync happens on segment
/// cut and close, as in Prometheus).
/// Thread-safety: all methods may be called concurrently.
package final class DB: Storage, @unchecked Sendable {
    // Safety: `walLog` and `recordBuffer` are used only under `walLock`; `closed` likewise.
    package let directory: URL
    package let head: Head
    package let metrics = TSDBMetrics()
    /// `prometheus_tsdb_clean_start`: how `<dir>/lock` was found at open.
    package let cleanStart: CleanStart
    /// `<dir>/lock`, held until `close()`; nil when disabled or read-only.
    private let dirLocker: DirLocker?
    let logger: Logger
    let options: DBOptions
    /// A retention set while the database is open (a tenant's `retention_period`); 0: none.
    private let retentionOverrideMs = Atomic<Int64>(0)
    private let walLock = Lock()
    private var walLog: WAL?
    private var recordBuffer: [UInt8] = []
    private var seriesBuffer: [UInt8] = []
    private var closed = false
    /// Persisted blocks, sorted by time. Guarded by `blocksLock`; changed only through `changeBlocks`.
    var blockReaders: [BlockReader] = []
    let blocksLock = Lock()
    /// Serialises head compaction.
    let compactionLock = Lock()
    /// Called (on the committing thread) after a commit that leaves the head compactable, so
    /// the server can compact now instead of at its next tick, as Prometheus does.
    package nonisolated(unsafe) var onCompactable: (@Sendable () -> Void)?
    /// How long blocks are kept: the retention set with ``setRetention(ms:)``, else the one
    /// opened with (`--storage.tsdb.retention.time`).
    package var retentionMs: Int64? {
        let override = retentionOverrideMs.load(ordering: .relaxed)
        return override > 0 ? override : options.retentionMs
    }

    /// Keeps blocks for `ms` from the next compaction on; 0 goes back to the opening retention.
    package func setRetention(ms: Int64) {
        retentionOverrideMs.store(max(0, ms), ordering: .relaxed)
    }

    /// WAL segments replayed at open (`/api/v1/status/walreplay`); set once, during `init`.
    package internal(set) var walReplayStatus = WALReplayStatus()

    /// Opens (creating if needed) the database at `directory`, replaying its WAL.
    /// A torn or corrupt WAL tail is truncated with a warning, never a reason to fail.
    ///
    /// - Throws: `TSDBError` `.locked` (`lock DB directory: resource temporarily unavailable`)
    ///   when another database holds the directory's lock file; the I/O error of a WAL or
    ///   directory that cannot be read. A failed open lets go of the lock and deletes the file.
    package init(directory: URL, options: DBOptions = DBOptions(), logger: Logger) throws {
        self.directory = directory
        self.options = options
        self.logger = logger
        self.head = Head(chunkRange: options.minBlockDurationMs)
        if !options.readOnly {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        // Taken before anything in the directory is read, deleted or written (Prometheus takes it
        // only after removing leftover temporary directories, which may be a running server's).
        let locker =
            options.readOnly || options.noLockfile
            ? nil : try DirLocker(directory: directory.absoluteURL.standardizedFileURL.path, logger: logger)
        dirLocker = locker
        cleanStart = locker?.cleanStart ?? .disabled
        var succeeded = false
        // As Prometheus's failed open closes the DB: the lock and its file go.
        defer { if !succeeded { try? locker?.release() } }
        let opened = Self.openBlocks(in: directory, logger: logger, metrics: metrics)
        changeBlocks { $0 = opened }
        // Blocks compacted into another one before a crash, or marked deletable, go now.
        if !options.readOnly {
            try deleteBlocks(Compactor.blocksToDelete(blockReaders.map(\.meta)))
        }
        if let newest = blockReaders.map(\.meta.maxTime).max() {
            // Samples older than the newest block are in blocks already (Prometheus's minValidTime).
            head.raiseMinValidTime(to: newest)
        }
        // Prometheus's `prometheus_tsdb_data_replay_duration_seconds` spans the memory-mapped chunks and the WAL.
        let replayStarted = ContinuousClock.now
        var mapped: [UInt64: [HeadChunk]] = [:]
        if !options.readOnly {
            // Completed head chunks in chunks_head/ are attached to their series as they are
            // created from the WAL, and the WAL's samples they already hold are skipped (Prometheus's
            // loadMmappedChunks). Files that cannot be read are dropped: the WAL holds every head
            // sample, so the head is then rebuilt from it alone.
            let chunksHead = directory.appendingPathComponent("chunks_head")
            do {
                let mapper = try ChunkDiskMapper(directory: chunksHead)
                let (chunks, overlapping) = try Self.loadMappedChunks(mapper, minValidTime: head.minValidTime.load(ordering: .relaxed))
                mapped = chunks
                // A torn tail cut off, or chunks out of sequence: Prometheus fails the load on either and counts it.
                if overlapping || mapper.repairs.contains(where: { $0.action == .truncatedFile }) {
                    metrics.mmapChunkCorruptions.add()
                }
                head.chunkMapper = mapper
            } catch {
                if let error = error as? TSDBError, error.code == .corruption { metrics.mmapChunkCorruptions.add() }
                logger.warning(
                    "head chunks unreadable, rebuilding them from the WAL",
                    metadata: ["tsdb.chunks_head.error": "\(error)"])
                mapped = [:]
                try? FileManager.default.removeItem(at: chunksHead)
                head.chunkMapper = try ChunkDiskMapper(directory: chunksHead)
            }
        }
        let walDirectory = directory.appendingPathComponent("wal")
        try replayWAL(walDirectory, mappedChunks: mapped)
        metrics.dataReplayDuration.set(TSDBMetrics.seconds(since: replayStarted))
        if options.readOnly { return }
        walLog = try WAL(
            directory: walDirectory.path,
            options: WAL.Options(segmentSizeBytes: options.walSegmentSizeBytes, compress: options.walCompression),
            metrics: metrics)
        succeeded = true
    }

    /// A new appender; commit or roll it back.
    package func appender() -> any Appender {
        HeadAppender(db: self, head: head)
    }

    /// Writes a batch to the WAL, then applies it to the head. Called by `HeadAppender.commit`.
    func commit(
        _ samples: [HeadAppender.PendingSample], _ histograms: [HeadAppender.PendingHistogram], inAppendOrder: Bool,
        minTime: Timestamp, maxTime: Timestamp, owner: PendingOwner
    ) throws {
        try walLock.withLock {
            guard let walLog, !closed else { throw TSDBError.closed }
            seriesBuffer.removeAll(keepingCapacity: true)
            var newSeries: [MemSeries] = []
            // `loggedToWAL` is guarded by the WAL lock: mark now, undo if the write fails.
            for sample in samples where sample.withSeries({ !$0.loggedToWAL }) {
                sample.series.loggedToWAL = true
                newSeries.append(sample.series)
            }
            // By index, here and below: a histogram element copied out of the array is a retain of
            // each of its arrays.
            for i in histograms.indices where !histograms[i].series.loggedToWAL {
                histograms[i].series.loggedToWAL = true
                newSeries.append(histograms[i].series)
            }
            if !newSeries.isEmpty {
                WALRecord.encodeSeries(newSeries.count, into: &seriesBuffer) { i in (newSeries[i].ref.rawValue, newSeries[i].labels) }
            }
            recordBuffer.removeAll(keepingCapacity: true)
            var records: [[UInt8]] = seriesBuffer.isEmpty ? [] : [seriesBuffer]
            if histograms.isEmpty {
                encodeSamples(samples[...], into: &recordBuffer)
                records.append(recordBuffer)
            } else {
                records += Self.records(samples, histograms, inAppendOrder: inAppendOrder)
            }
            do {
                try walLog.log(records)
            } catch {
                metrics.walWritesFailed.add()
                for s in newSeries { s.loggedToWAL = false }
                for series in samples.lazy.map(\.series) + histograms.lazy.map(\.series) {
                    let stripe = head.refStripe(series.ref)
                    stripe.lock.withLock { if series.pendingOwner == owner { series.pendingOwner = .nobody } }
                }
                throw error
            }
            metrics.walBytesWritten.add(records.reduce(0) { $0 + $1.count })
            metrics.seriesCreated.add(newSeries.count)
            // Apply under the WAL lock so memory order equals WAL order.
            var applied = 0
            var chunksCreated = 0
            let chunkRange = head.chunkRange
            let mapper = head.chunkMapper
            let head = self.head
            /// Applies the float samples `range` of the batch.
            func applySamples(_ range: Range<Int>) {
                for sample in samples[range] {
                    head.withRefStripe(SeriesRef(sample.ref)) { stripe in
                        stripe.lock.lock()
                        sample.withSeries { series in
                            let (appended, chunkCreated) = series.append(sample.timestamp, sample.value, chunkRange: chunkRange, mapper: mapper)
                            if appended { applied += 1 }
                            if chunkCreated { chunksCreated += 1 }
                            if series.pendingOwner == owner { series.pendingOwner = .nobody }
                        }
                        stripe.lock.unlock()
                    }
                }
            }
            // Both lists in the order of the appends (the order of the WAL for a series).
            var floatsApplied = 0
            var histogramsApplied = 0
            for i in histograms.indices {
                applySamples(floatsApplied..<histograms[i].floatsBefore)
                floatsApplied = histograms[i].floatsBefore
                let series = histograms[i].series
                let stripe = head.refStripe(series.ref)
                stripe.lock.withLock {
                    let (appended, chunkCreated) = series.append(
                        histograms[i].timestamp, histograms[i].sample, chunkRange: chunkRange, mapper: mapper)
                    if appended { histogramsApplied += 1 }
                    if chunkCreated { chunksCreated += 1 }
                    if series.pendingOwner == owner { series.pendingOwner = .nobody }
                }
            }
            applySamples(floatsApplied..<samples.count)
            metrics.samplesAppended.add(applied)
            if histogramsApplied > 0 { metrics.histogramsAppended.add(histogramsApplied) }
            metrics.headChunksCreated.add(chunksCreated)
            head.updateTimeRange(minTime: minTime, maxTime: maxTime)
        }
        if let onCompactable, headCompactable { onCompactable() }
    }

    /// A Samples record of `samples`, appended to `buffer`.
    private func encodeSamples(_ samples: ArraySlice<HeadAppender.PendingSample>, into buffer: inout [UInt8]) {
        WALRecord.encodeSamples(samples.count, into: &buffer) { i in
            let s = samples[samples.startIndex + i]
            return (s.ref, s.timestamp, s.value)
        }
    }

    /// The WAL records of a batch with native histograms: one per kind (samples, then histograms by
    /// record type), or, when a series has samples of several kinds in the batch, one per run of
    /// same-kind samples in the order of the appends, so that replay applies them in that order.
    static func records(
        _ samples: [HeadAppender.PendingSample], _ histograms: [HeadAppender.PendingHistogram], inAppendOrder: Bool
    ) -> [[UInt8]] {
        var records: [[UInt8]] = []
        func samplesRecord(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            var buffer: [UInt8] = []
            WALRecord.encodeSamples(range.count, into: &buffer) { i in
                let s = samples[range.lowerBound + i]
                return (s.ref, s.timestamp, s.value)
            }
            records.append(buffer)
        }
        func histogramRecord(_ run: some Collection<HeadAppender.PendingHistogram>, _ kind: WALRecordType) {
            guard !run.isEmpty else { return }
            var buffer: [UInt8] = []
            switch kind {
            case .histogramSamples, .customBucketsHistogramSamples:
                let list = run.lazy.compactMap { p -> WALHistogramSample? in
                    guard case .integer(let h) = p.sample else { return nil }
                    return WALHistogramSample(ref: SeriesRef(p.ref), timestamp: p.timestamp, histogram: h)
                }
                WALRecord.encodeHistogramSamples(list, customBuckets: kind == .customBucketsHistogramSamples, into: &buffer)
            default:
                let list = run.lazy.compactMap { p -> WALFloatHistogramSample? in
                    guard case .float(let h) = p.sample else { return nil }
                    return WALFloatHistogramSample(ref: SeriesRef(p.ref), timestamp: p.timestamp, histogram: h)
                }
                WALRecord.encodeFloatHistogramSamples(list, customBuckets: kind == .customBucketsFloatHistogramSamples, into: &buffer)
            }
            records.append(buffer)
        }
        guard inAppendOrder else {
            samplesRecord(0..<samples.count)
            let kinds: [WALRecordType] = [
                .histogramSamples, .floatHistogramSamples, .customBucketsHistogramSamples, .customBucketsFloatHistogramSamples,
            ]
            for kind in kinds { histogramRecord(histograms.lazy.filter { $0.sample.walKind == kind }, kind) }
            return records
        }
        var floatsLogged = 0
        var runStart = histograms.startIndex
        while runStart < histograms.endIndex {
            let first = histograms[runStart]
            samplesRecord(floatsLogged..<first.floatsBefore)
            floatsLogged = first.floatsBefore
            // A run: same kind, no float sample appended in between.
            var runEnd = runStart + 1
            while runEnd < histograms.endIndex, histograms[runEnd].floatsBefore == first.floatsBefore,
                histograms[runEnd].sample.walKind == first.sample.walKind
            {
                runEnd += 1
            }
            histogramRecord(histograms[runStart..<runEnd], first.sample.walKind)
            runStart = runEnd
        }
        samplesRecord(floatsLogged..<samples.count)
        return records
    }

    /// Writes one record (the admin API's Tombstones record, `DB+Admin.swift`) to the WAL.
    func logToWAL(_ record: [UInt8]) throws {
        try walLock.withLock {
            guard let walLog, !closed else { throw TSDBError.closed }
            try walLog.log(record)
        }
    }

    /// Flushes and closes the WAL and the blocks, then deletes and lets go of `<dir>/lock`
    /// (even when closing the rest failed, as Prometheus does). Later commits fail with
    /// `TSDBError.closed`.
    package func close() throws {
        var failure: (any Error)?
        do {
            try walLock.withLock {
                guard !closed else { return }
                closed = true
                try walLog?.close()
                walLog = nil
            }
            blocksLock.withLock {
                blockReaders.forEach { $0.close() }
            }
            try head.chunkMapper?.close()
        } catch {
            failure = error
        }
        // Last: another process may open the directory as soon as the lock is free.
        do { try dirLocker?.release() } catch { failure = failure ?? error }
        if let failure { throw failure }
    }

    /// Leaves the database the way `kill -9` leaves it, for tests that simulate a crash in this
    /// process and then open the directory again: commits fail from now on (`TSDBError.closed`),
    /// nothing is flushed or closed, and the lock file stays where it is but is no longer held —
    /// what the kernel does with the flock of a process that died. The next open takes the file
    /// over (``CleanStart/replaced``). Do not call ``close()`` after it.
    package func simulateCrash() {
        walLock.withLock { closed = true }
        dirLocker?.abandon()
    }

    /// The opened blocks, oldest first.
    package var blocks: [BlockReader] { blocksLock.withLock { blockReaders } }

    /// The oldest time this database holds data for (ms): its first block's start, else the
    /// head's; `Timestamp.max` while empty. Remote read without `read_recent` asks only before it.
    package var minTime: Timestamp {
        Swift.min(blocks.first?.meta.minTime ?? .max, head.minTime)
    }

    /// Checkpoints the WAL after head truncation: series still in the head and samples at or
    /// after `minTime` are kept, older segments deleted (Prometheus's `truncateWAL`).
    func truncateWAL(before minTime: Timestamp) throws {
        let started = ContinuousClock.now
        let walDirectory = directory.appendingPathComponent("wal").path
        // Start a new segment so that every closed one can be folded into the checkpoint.
        let through: Int? = try walLock.withLock {
            guard let walLog, !closed else { return nil }
            let current = walLog.segmentRange.last
            try walLog.nextSegment()
            return current
        }
        guard let through else { return }
        let head = self.head
        let stats: WALCheckpointStats
        do {
            stats = try WAL.checkpoint(
                directory: walDirectory, through: through, minTime: minTime, compress: options.walCompression
            ) { ref in head.series(ref: ref) != nil }
        } catch {
            metrics.checkpointCreationsFailed.add()
            throw error
        }
        metrics.checkpointCreations.add()
        metrics.checkpointDeletions.add(stats.deletedCheckpoints.count)
        try WAL.deleteSegments(directory: walDirectory, before: through + 1)
        for warning in stats.warnings { logger.warning("WAL checkpoint warning", metadata: ["tsdb.wal.warning": "\(warning)"]) }
        metrics.walTruncateDuration.observe(TSDBMetrics.seconds(since: started))
    }

    /// `prometheus_tsdb_wal_segment_current`: the segment appends go to; nil once closed.
    package var walSegmentCurrent: Int? { walLock.withLock { closed ? nil : walLog?.currentSegment } }

    /// `--storage.tsdb.retention.size` in bytes; 0: no size limit.
    package var retentionBytes: Int64 { options.retentionBytes ?? 0 }

    /// `prometheus_tsdb_head_active_appenders`
    package var activeAppenders: Int { head.appenders.count }

    // MARK: Querier

    /// Blocks (oldest first) and then the head, as one querier. For reading only: the head's open
    /// chunks are shared, not copied (``HeadQuerier``).
    var querier: FanoutQuerier {
        let blocks: [any Querier] = blocksLock.withLock { blockReaders }
        return FanoutQuerier(blocks + [HeadQuerier(head: head)])
    }

    package func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData] {
        try reading { try $0.select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: sorted) }
    }

    package func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        try reading { try $0.labelNames(matchers: matchers, minTime: minTime, maxTime: maxTime) }
    }

    package func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        try reading { try $0.labelValues(name: name, matchers: matchers, minTime: minTime, maxTime: maxTime) }
    }

    /// Runs `body` on the blocks and head as they are now. Compaction and retention close blocks
    /// they replace or delete, and a query that took the list just before finds one closed: it is
    /// then run again on the new list, where the replacement holds the same samples (a deleted
    /// block's are gone for every query after it). Gives up after a few rounds: the database itself
    /// may be closing.
    func reading<T>(_ body: (FanoutQuerier) throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try body(querier)
            } catch let error as TSDBError where error.component == .block && error.code == .closed && attempt < 5 {
                attempt += 1
            }
        }
    }
}
