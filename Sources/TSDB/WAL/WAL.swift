// The WAL writer: opening, segment management, sync and close (spec/tsdb-format.md §6.1).
// Framing of records into pages is in WAL+Log.swift; repair in WAL+Repair.swift.

internal import MetricModel

/// A write-ahead log in Prometheus 2.42's format: numbered segment files of 32 KiB pages holding
/// CRC-checked record fragments.
///
/// Opening starts a **new** segment (last existing + 1), as Prometheus does; nothing is ever
/// appended to an older segment. `log(_:)` frames records and writes them with one
/// `pwrite(2)` per segment touched before it returns, so the data survives `kill -9` of the
/// process; ``sync()`` adds `fsync(2)` for power loss.
///
/// ```swift
/// let wal = try WAL(directory: "/data/wal")
/// var buffer: [UInt8] = []
/// WALRecord.encodeSamples(samples, into: &buffer)
/// try wal.log(buffer)
/// buffer.removeAll(keepingCapacity: true)
/// try wal.close()
/// ```
///
/// At startup, either open, then ``replay(directory:_:)``, then ``repair(_:)`` if replay reported
/// a corruption (Prometheus's order); or replay, then the static `WAL.repair(_:)`, then open.
///
/// Thread-safety: none inside. The owner must serialize every call (for example under the head's
/// WAL lock); the class is deliberately not `Sendable`. Calls block on I/O: run them off the
/// cooperative pool.
package final class WAL {
    /// How a WAL writes.
    package struct Options: Sendable {
        /// Maximum segment size; a multiple of 32 KiB. A record larger than a whole segment still
        /// gets written, into a segment of its own that grows past this size (as in Prometheus).
        package var segmentSizeBytes: Int
        /// Snappy-compress each record when that makes it smaller (Prometheus 2.42's default: on).
        package var compress: Bool
        /// `fsync(2)` a segment when moving on to the next one.
        package var syncOnSegmentClose: Bool

        package init(
            segmentSizeBytes: Int = WALFormat.defaultSegmentSizeBytes,
            compress: Bool = true,
            syncOnSegmentClose: Bool = true
        ) {
            self.segmentSizeBytes = segmentSizeBytes
            self.compress = compress
            self.syncOnSegmentClose = syncOnSegmentClose
        }
    }

    /// The WAL directory.
    package let directory: String
    /// The options it was opened with.
    package let options: Options
    /// Number of the segment being written.
    package internal(set) var currentSegment: Int
    /// Bytes written to segment files, including headers and page padding.
    package internal(set) var bytesWritten = 0
    /// Records logged.
    package internal(set) var recordsWritten = 0
    /// Segment files created, including the one made at open.
    package internal(set) var segmentsCreated = 0
    /// Pages written to their end, filled or padded (Prometheus `prometheus_tsdb_wal_completed_pages_total`).
    package internal(set) var pagesCompleted = 0
    /// `pwrite(2)` calls made.
    package internal(set) var writeCalls = 0
    /// `fsync(2)` calls made on segments.
    package internal(set) var syncCalls = 0
    /// Corruptions repaired through ``repair(_:)``.
    package internal(set) var repairs = 0
    /// Problems found at open that did not stop it, e.g. segment numbers with a gap (replay
    /// reports the gap as a corruption and ``repair(_:)`` deletes the segments after it).
    package let openWarnings: [String]
    /// Where page writes and fsync durations are counted (`prometheus_tsdb_wal_*`); nil: nowhere.
    let metrics: TSDBMetrics?

    /// The open segment; nil after `close()`.
    var file: WALFile?
    /// Bytes already written to the current segment file.
    var segmentLength = 0
    /// Framed bytes not yet written; they go to the current segment at offset `segmentLength`.
    var pending: [UInt8] = []
    /// Scratch space for snappy-compressing one record.
    var compressBuffer: [UInt8] = []

    /// Opens (creating it if needed) the WAL in `directory` and starts a new segment.
    ///
    /// Does not refuse to start on segment numbers that are not contiguous (Prometheus does); it
    /// records a warning in ``openWarnings`` and starts after the highest segment.
    /// - Parameter metrics: receives the page flushes, completed pages and fsync durations.
    /// - Throws: `TSDBError` with `.invalidArgument` for a bad segment size, `.io` when the
    ///   directory or the segment cannot be created.
    package init(directory: String, options: Options = Options(), metrics: TSDBMetrics? = nil) throws(TSDBError) {
        let page = WALFormat.pageSize
        guard options.segmentSizeBytes >= page, options.segmentSizeBytes % page == 0 else {
            throw TSDBError.wal(.invalidArgument, "segment size \(options.segmentSizeBytes) is not a positive multiple of \(page)")
        }
        self.directory = directory
        self.options = options
        self.metrics = metrics
        try WALDirectory.create(directory)
        let checkpoint = try WALDirectory.lastCheckpoint(in: directory)?.index ?? -1
        // Segments at or below the checkpoint are leftovers that replay skips: gaps there are harmless.
        let segments = try WALDirectory.segments(in: directory).filter { $0 > checkpoint }
        var warnings: [String] = []
        for (previous, next) in zip(segments, segments.dropFirst()) where next != previous + 1 {
            warnings.append("segments are not sequential: \(WALFormat.segmentName(next)) follows \(WALFormat.segmentName(previous))")
        }
        // Never write at or below a checkpoint: replay would skip that segment.
        let next = max((segments.last ?? -1) + 1, checkpoint + 1)
        openWarnings = warnings
        currentSegment = next
        pending.reserveCapacity(WALFormat.pageSize)
        try createSegment(next)
    }

    deinit {
        if let file { try? file.close() }
    }

    /// Bytes in the current segment, written or framed.
    var position: Int { segmentLength + pending.count }

    /// Whether the WAL is closed.
    package var isClosed: Bool { file == nil }

    /// Makes `index` the current segment: creates its file, empty, and syncs the directory. When
    /// only the directory sync fails, the segment is current all the same (the state always
    /// matches the file written to), and the error is thrown.
    func createSegment(_ index: Int) throws(TSDBError) {
        file = try WALFile.create(path: WALFormat.segmentPath(directory, index))
        currentSegment = index
        segmentLength = 0
        pending.removeAll(keepingCapacity: true)
        segmentsCreated += 1
        try WALDirectory.sync(directory)
    }

    /// Writes the pending bytes at the end of the current segment.
    ///
    /// Counts what Prometheus's page-at-a-time writer would: a page flush for each page the bytes
    /// touch (attempted, as Prometheus counts them), and a completed page for each page they
    /// end (once written). Ingest hot path: integer arithmetic and relaxed atomic adds only.
    func flushPending() throws(TSDBError) {
        guard !pending.isEmpty else { return }
        guard let file else { throw TSDBError.wal(.closed, "write after close") }
        let page = WALFormat.pageSize
        let start = segmentLength
        let end = segmentLength + pending.count
        metrics?.walPageFlushes.add((end - 1) / page - start / page + 1)
        do {
            writeCalls += try file.write(pending, at: segmentLength)
        } catch {
            // Drop whatever part did reach the file, so a retry or the next log starts clean.
            try? file.truncate(to: segmentLength)
            throw error
        }
        segmentLength += pending.count
        bytesWritten += pending.count
        pending.removeAll(keepingCapacity: true)
        let completed = end / page - start / page
        pagesCompleted += completed
        metrics?.walCompletedPages.add(completed)
    }

    /// Zero-fills the rest of the current page (nothing when at a page boundary).
    func padPage() {
        let used = position % WALFormat.pageSize
        guard used != 0 else { return }
        pending.append(contentsOf: repeatElement(0, count: WALFormat.pageSize - used))
    }

    /// Pads and finishes the current segment and starts the next one (Prometheus `NextSegment`, used
    /// before a checkpoint so that all earlier segments are complete).
    /// - Returns: the new segment's number.
    @discardableResult
    package func nextSegment() throws(TSDBError) -> Int {
        guard let file else { throw TSDBError.wal(.closed, "next segment after close") }
        padPage()
        try flushPending()
        if options.syncOnSegmentClose {
            try sync(file)
        }
        self.file = nil
        try file.close()
        try createSegment(currentSegment + 1)
        return currentSegment
    }

    /// `fsync(2)` on the current segment: everything logged so far survives a power loss.
    package func sync() throws(TSDBError) {
        guard let file else { throw TSDBError.wal(.closed, "sync after close") }
        try flushPending()
        try sync(file)
    }

    /// `fsync(2)` on `file`, timed (Prometheus observes the duration whether or not it fails).
    private func sync(_ file: WALFile) throws(TSDBError) {
        let started = ContinuousClock.now
        defer { metrics?.walFsyncDuration.observe(TSDBMetrics.seconds(since: started)) }
        try file.sync()
        syncCalls += 1
    }

    /// Pads the last page with zeros (so a cleanly closed segment is whole pages, as Prometheus
    /// leaves it), syncs and closes. Later calls other than `close()` throw `.closed`.
    package func close() throws(TSDBError) {
        guard let file else { return }
        padPage()
        try flushPending()
        try sync(file)
        self.file = nil
        try file.close()
    }
}
