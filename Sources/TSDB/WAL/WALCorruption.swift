// The description of a corrupt spot found while reading a WAL (spec/tsdb-format.md §6.2).

/// Where and why reading a WAL stopped early: a torn or corrupt record, or missing segments.
///
/// Everything before `offset` in `segment` (and every earlier segment) was read and is intact.
/// ``WAL/repair(_:)`` truncates `segment` at `offset` and deletes the later segments of the same
/// directory, as Prometheus's `wlog.Repair` does.
package struct WALCorruption: Sendable, Equatable, CustomStringConvertible {
    /// The folder holding the segment: the WAL directory or one of its `checkpoint.NNNNNNNN` folders.
    package var directory: String
    /// The segment number (its file name, 8 digits).
    package var segment: Int
    /// Start of the first record that could not be read: the end of the last good record (plus any
    /// page padding after it). Repair truncates here.
    package var offset: Int
    /// Byte offset at which the problem was detected (`>= offset`).
    package var detectedAt: Int
    /// A short reason, worded like Prometheus's (`"last record is torn"`, `"unexpected checksum …"`).
    package var reason: String
    /// True when the segment belongs to a checkpoint rather than to the WAL itself.
    package var isCheckpoint: Bool

    package init(directory: String, segment: Int, offset: Int, detectedAt: Int, reason: String, isCheckpoint: Bool) {
        self.directory = directory
        self.segment = segment
        self.offset = offset
        self.detectedAt = detectedAt
        self.reason = reason
        self.isCheckpoint = isCheckpoint
    }

    /// The corrupt segment's file path.
    package var path: String { WALFormat.segmentPath(directory, segment) }

    package var description: String {
        "corruption in segment \(path) at offset \(offset) (detected at \(detectedAt)): \(reason)"
    }
}
