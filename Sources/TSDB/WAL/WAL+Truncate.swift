// Truncating a WAL after a checkpoint: which segments exist, and deleting those the checkpoint
// covers (Prometheus `wlog.Segments` and `WL.Truncate`, spec/tsdb-format.md §6.4).

extension WAL {
    /// The lowest segment number present in the directory and the segment being written.
    ///
    /// Segments at or below the newest checkpoint count too while they exist (they are deleted by
    /// ``deleteSegments(directory:before:)``). After ``close()``, `last` is the segment last written.
    /// Should the directory listing fail, `first` falls back to the current segment.
    package var segmentRange: (first: Int, last: Int) {
        let first = (try? WALDirectory.segments(in: directory))?.first ?? currentSegment
        return (min(first, currentSegment), currentSegment)
    }

    /// The lowest and highest segment numbers in `directory` (files named by 8 decimal digits;
    /// checkpoint folders do not count), or nil when there are none or the directory is missing.
    ///
    /// Gaps are not checked here: replay reports them.
    /// - Throws: `TSDBError` (`.io`) when the directory cannot be listed.
    package static func segmentRange(directory: String) throws(TSDBError) -> (first: Int, last: Int)? {
        let segments = try WALDirectory.segments(in: directory)
        guard let first = segments.first, let last = segments.last else { return nil }
        return (first, last)
    }

    /// Deletes the WAL segments numbered below `segment`, lowest first, then syncs the directory.
    ///
    /// Call it only after ``checkpoint(directory:through:minTime:compress:keepSeries:)`` returned
    /// for `through >= segment - 1`: segments not covered by a checkpoint are simply lost. Deleting
    /// in ascending order means a crash leaves the remaining segments contiguous, which Prometheus
    /// needs to open the WAL (and replay skips any left at or below the checkpoint anyway).
    ///
    /// - Parameters:
    ///   - directory: the WAL directory.
    ///   - segment: the first segment to keep. The newest segment present (the one a `WAL` may be
    ///     writing) is never deleted: a `segment` above it is refused.
    /// - Throws: `TSDBError` with `.invalidArgument` when `segment` is above the newest segment;
    ///   `.io` when listing, deleting or syncing fails (segments deleted before the failure stay
    ///   deleted; the rest are intact).
    package static func deleteSegments(directory: String, before segment: Int) throws(TSDBError) {
        let segments = try WALDirectory.segments(in: directory)
        guard let newest = segments.last else { return }
        guard segment <= newest else {
            throw TSDBError.wal(.invalidArgument, "delete segments before \(segment): would delete the newest segment \(WALFormat.segmentName(newest)), which may be being written", path: directory)
        }
        var deleted = false
        for index in segments where index < segment {
            try WALDirectory.removeFile(WALFormat.segmentPath(directory, index))
            deleted = true
        }
        if deleted { try WALDirectory.sync(directory) }
    }
}
