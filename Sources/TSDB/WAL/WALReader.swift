// Reading a whole WAL in replay order: the newest checkpoint's segments, then the WAL segments
// after it (spec/tsdb-format.md §6.4), stopping at the first corruption.

/// Where a record was read from.
package struct WALRecordLocation: Sendable, Equatable {
    /// The WAL directory or a checkpoint directory in it.
    package var directory: String
    package var segment: Int
    /// Offset of the record's first fragment header.
    package var offset: Int
    /// Offset just past its last fragment.
    package var endOffset: Int
    package var isCheckpoint: Bool

    package init(directory: String, segment: Int, offset: Int, endOffset: Int, isCheckpoint: Bool) {
        self.directory = directory
        self.segment = segment
        self.offset = offset
        self.endOffset = endOffset
        self.isCheckpoint = isCheckpoint
    }
}

/// Iterates the raw records of a WAL directory in replay order.
///
/// ```swift
/// let reader = try WALReader(directory: "/data/wal")
/// while try reader.next() {
///     handle(reader.record, at: reader.location)
/// }
/// if let corruption = reader.corruption { … }   // stopped early; everything before is good
/// ```
///
/// Order: the segments of the newest `checkpoint.N` folder (`.tmp` folders are skipped), then
/// WAL segments numbered above N (all of them when there is no checkpoint). Segments at or below
/// N are leftovers of an interrupted truncation and are skipped. Segment numbers must be
/// contiguous: a gap stops reading there and is reported as a corruption of the segment before
/// it, so that repair deletes what follows, as for any other corruption.
///
/// Thread-safety: a reader belongs to one thread at a time.
package final class WALReader {
    private struct Source {
        var directory: String
        var segment: Int
        var isCheckpoint: Bool
    }

    /// The WAL directory (or the plain segment folder) being read.
    package let directory: String
    /// The checkpoint read first, if any.
    package let checkpoint: Int?
    /// WAL segments that will be read (after the checkpoint, up to any gap).
    package let segments: [Int]
    /// Oddities that did not stop reading (for example segments missing right after the checkpoint).
    package private(set) var warnings: [String] = []
    /// The current record, valid after `next()` returned true.
    package private(set) var record: [UInt8] = []
    /// Where the current record was read from.
    package private(set) var location = WALRecordLocation(directory: "", segment: 0, offset: 0, endOffset: 0, isCheckpoint: false)
    /// Set when reading stopped before the end because of corruption.
    package private(set) var corruption: WALCorruption?
    /// Records returned so far.
    package private(set) var recordsRead = 0

    private var sources: [Source] = []
    private var nextSource = 0
    private var gap: WALCorruption?
    private var current: WALSegmentReader?
    private var currentSource: Source?

    /// Plans the replay of the WAL in `directory`. A missing directory reads as empty.
    /// - Throws: `TSDBError` when a directory cannot be listed.
    package init(directory: String) throws(TSDBError) {
        self.directory = directory
        var walSegments = try WALDirectory.segments(in: directory)
        if let last = try WALDirectory.lastCheckpoint(in: directory) {
            checkpoint = last.index
            let checkpointSegments = try WALDirectory.segments(in: last.path)
            let run = Self.contiguousRun(checkpointSegments, directory: last.path, isCheckpoint: true, gap: &gap)
            sources = run.map { Source(directory: last.path, segment: $0, isCheckpoint: true) }
            walSegments.removeAll { $0 <= last.index }
            if let first = walSegments.first, first != last.index + 1 {
                warnings.append("segments \(WALFormat.segmentName(last.index + 1))..\(WALFormat.segmentName(first - 1)) after checkpoint \(last.index) are missing")
            }
        } else {
            checkpoint = nil
        }
        if gap == nil {
            segments = Self.contiguousRun(walSegments, directory: directory, isCheckpoint: false, gap: &gap)
            sources += segments.map { Source(directory: directory, segment: $0, isCheckpoint: false) }
        } else {
            segments = []
        }
    }

    /// Plans reading only the segments of one folder (a checkpoint or a bare segment folder).
    package init(segmentsIn directory: String, isCheckpoint: Bool = false) throws(TSDBError) {
        self.directory = directory
        checkpoint = nil
        let run = Self.contiguousRun(try WALDirectory.segments(in: directory), directory: directory, isCheckpoint: isCheckpoint, gap: &gap)
        segments = run
        sources = run.map { Source(directory: directory, segment: $0, isCheckpoint: isCheckpoint) }
    }

    /// The leading contiguous run of `segments`; a gap becomes a corruption at the end of the
    /// segment before it.
    private static func contiguousRun(_ segments: [Int], directory: String, isCheckpoint: Bool, gap: inout WALCorruption?) -> [Int] {
        for i in segments.indices.dropFirst() where segments[i] != segments[i - 1] + 1 {
            let before = segments[i - 1]
            let path = WALFormat.segmentPath(directory, before)
            let size = (try? WALFile.openForReading(path: path)).map { file in
                defer { try? file.close() }
                return (try? file.size()) ?? 0
            } ?? 0
            gap = WALCorruption(
                directory: directory, segment: before, offset: size, detectedAt: size,
                reason: "segments are not sequential: \(WALFormat.segmentName(segments[i])) follows \(WALFormat.segmentName(before))",
                isCheckpoint: isCheckpoint
            )
            return Array(segments[..<i])
        }
        return segments
    }

    /// Advances to the next record.
    /// - Returns: false at the end or at a corruption (then ``corruption`` is set); stays false after.
    /// - Throws: `TSDBError` for I/O failures only.
    package func next() throws(TSDBError) -> Bool {
        guard corruption == nil else { return false }
        while true {
            guard let reader = current, let source = currentSource else {
                guard nextSource < sources.count else {
                    if let gap {
                        corruption = gap
                        self.gap = nil
                    }
                    return false
                }
                let source = sources[nextSource]
                nextSource += 1
                current = try WALSegmentReader(path: WALFormat.segmentPath(source.directory, source.segment))
                currentSource = source
                continue
            }
            switch try reader.next() {
            case .record(let start, let end):
                record = reader.record
                location = WALRecordLocation(
                    directory: source.directory, segment: source.segment, offset: start, endOffset: end,
                    isCheckpoint: source.isCheckpoint
                )
                recordsRead += 1
                return true
            case .end:
                current = nil
                currentSource = nil
            case .corrupt(let offset, let detectedAt, let reason):
                corruption = WALCorruption(
                    directory: source.directory, segment: source.segment, offset: offset, detectedAt: detectedAt,
                    reason: reason, isCheckpoint: source.isCheckpoint
                )
                current = nil
                currentSource = nil
                return false
            }
        }
    }

    /// Marks the current record as unusable (e.g. it failed to decode): reading stops, and the
    /// corruption points at the record's start so that repair drops it and everything after.
    package func reportCorruptRecord(_ reason: String) {
        guard corruption == nil, recordsRead > 0 else { return }
        corruption = WALCorruption(
            directory: location.directory, segment: location.segment, offset: location.offset,
            detectedAt: location.offset, reason: reason, isCheckpoint: location.isCheckpoint
        )
        current = nil
        currentSource = nil
    }
}
