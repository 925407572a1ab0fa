// WALWatcher: follows a live WAL from a position, as Prometheus's remote-write `wlog.Watcher` does,
// so that what was appended can be forwarded (remote write) without a second copy of the data.

internal import MetricModel

/// A place in the WAL: a segment and the offset just past a record in it (0: its start).
package struct WALPosition: Sendable, Equatable, Comparable, CustomStringConvertible {
    package var segment: Int
    package var offset: Int

    package init(segment: Int, offset: Int) {
        self.segment = segment
        self.offset = offset
    }

    package static func < (a: WALPosition, b: WALPosition) -> Bool {
        (a.segment, a.offset) < (b.segment, b.offset)
    }

    package var description: String { "\(segment):\(offset)" }
}

/// Reads the records of a WAL that is being written, from a position on.
///
/// ```swift
/// let watcher = try WALWatcher(directory: "data/wal", from: savedPosition) { series in cache(series) }
/// while running {
///     try watcher.pollAll { record, end in forward(record); progress = end }
///     sleep()
/// }
/// ```
///
/// Starting: the series defined before the start position (in the newest checkpoint and the
/// segments before it) are handed to `knownSeries` first, so that every sample read afterwards
/// has its labels. Without a start position, reading starts at the WAL's end as it is now.
///
/// Following: `poll` reads every complete record up to what is written, moving to the next segment
/// once one exists. A torn record at the end of the newest segment is one still being written:
/// `poll` stops before it and reads it next time. A segment deleted before it was read (WAL
/// truncation) is skipped, and counted in `segmentsSkipped`.
///
/// Thread-safety: a watcher belongs to one task at a time.
package final class WALWatcher {
    package let directory: String
    /// Just past the last record read.
    package private(set) var position: WALPosition
    /// Segments that were deleted or unreadable before they were read.
    package private(set) var segmentsSkipped = 0
    /// Corrupt tails of segments that were followed by newer ones, and records that did not decode.
    package private(set) var corruptions = 0

    package init(
        directory: String, from start: WALPosition?, knownSeries: ([WALSeries]) -> Void
    ) throws(TSDBError) {
        self.directory = directory
        let segments = try WALDirectory.segments(in: directory)
        var startPosition: WALPosition
        if let start {
            startPosition = start
        } else if let last = segments.last {
            startPosition = WALPosition(segment: last, offset: 0)
            // The end as it is now: the size of the newest segment up to its last complete record.
            startPosition.offset = try Self.scan(directory: directory, segment: last, from: 0, upTo: nil) { _ in }
        } else {
            startPosition = WALPosition(segment: 0, offset: 0)
        }
        if let first = segments.first, startPosition.segment < first {
            segmentsSkipped += first - startPosition.segment
            startPosition = WALPosition(segment: first, offset: 0)
        }
        position = startPosition
        // Series defined before the start: the checkpoint's, then each earlier segment's.
        if let checkpoint = try WALDirectory.lastCheckpoint(in: directory) {
            for segment in try WALDirectory.segments(in: checkpoint.path) {
                _ = try Self.scan(directory: checkpoint.path, segment: segment, from: 0, upTo: nil) { record in
                    if case .series(let series) = record { knownSeries(series) }
                }
            }
        }
        for segment in segments where segment <= startPosition.segment {
            let limit = segment == startPosition.segment ? startPosition.offset : nil
            if limit == 0 { continue }
            _ = try Self.scan(directory: directory, segment: segment, from: 0, upTo: limit) { record in
                if case .series(let series) = record { knownSeries(series) }
            }
        }
    }

    /// Reads the complete records after ``position``, handing each to `body` with the position just
    /// past it, until `body` returns false or none is left; returns how many were read.
    @discardableResult
    package func poll(while body: (WALRecord, WALPosition) -> Bool) throws(TSDBError) -> Int {
        var read = 0
        var stopped = false
        while !stopped {
            let segments = try WALDirectory.segments(in: directory)
            guard let last = segments.last else { return read }
            if position.segment > last { return read }
            if !segments.contains(position.segment) {
                // Deleted (truncated) before it was read: go on with the next one there is.
                let next = segments.first { $0 > position.segment }!
                segmentsSkipped += next - position.segment
                position = WALPosition(segment: next, offset: 0)
            }
            let segment = position.segment
            var corrupt = false
            do {
                let reader = try WALSegmentReader(path: directory + "/" + WALFormat.segmentName(segment), offset: position.offset)
                reading: while true {
                    switch try reader.next() {
                    case .record(_, let end):
                        let record: WALRecord
                        do { record = try WALRecord(decoding: reader.record) } catch {
                            corruptions += 1
                            position.offset = end
                            continue reading
                        }
                        position.offset = end
                        read += 1
                        if !body(record, position) {
                            stopped = true
                            break reading
                        }
                    case .end:
                        break reading
                    case .corrupt:
                        corrupt = true
                        break reading
                    }
                }
            } catch {
                // The segment vanished between listing and opening: truncated under us.
                if try WALDirectory.segments(in: directory).contains(segment) { throw error }
            }
            // The newest segment may still be written to: wait for more (a torn record there is
            // one being written). An older one is finished: go on with the next.
            if stopped { return read }
            guard segment < last else { return read }
            if corrupt { corruptions += 1 }
            position = WALPosition(segment: segment + 1, offset: 0)
        }
        return read
    }

    /// Reads every complete record after ``position`` (as `poll(while:)` with a body that never stops).
    @discardableResult
    package func pollAll(_ body: (WALRecord, WALPosition) -> Void) throws(TSDBError) -> Int {
        try poll(while: { record, position in
            body(record, position)
            return true
        })
    }

    /// Reads the complete records of one segment from `offset`, up to `limit` if given; returns
    /// the offset just past the last one read.
    private static func scan(
        directory: String, segment: Int, from offset: Int, upTo limit: Int?, _ body: (WALRecord) -> Void
    ) throws(TSDBError) -> Int {
        let reader = try WALSegmentReader(path: directory + "/" + WALFormat.segmentName(segment), offset: offset)
        var end = offset
        while true {
            guard case .record(_, let recordEnd) = try reader.next() else { return end }
            if let limit, recordEnd > limit { return end }
            end = recordEnd
            if let record = try? WALRecord(decoding: reader.record) { body(record) }
        }
    }
}
