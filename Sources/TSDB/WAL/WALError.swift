// Errors of the WAL, and the description of a corrupt spot found while reading one (spec/tsdb-format.md §6.2).

/// A WAL operation failed: an I/O error, a bad option, use after `close()`, or corrupt input to a checkpoint.
///
/// Corruption found while *reading* a WAL is not an error: ``WALReader`` and ``WAL/replay(directory:_:)``
/// report it as a ``WALCorruption`` value, and ``WAL/repair(_:)`` fixes it.
package struct WALError: Error, Sendable, CustomStringConvertible {
    /// A stable code for the kind of failure.
    package enum Code: String, Sendable {
        /// A system call failed; `errnoCode` says why.
        case io
        /// An option or argument was out of range.
        case invalidArgument
        /// The WAL was used after `close()`.
        case closed
        /// Data that must be read whole (a checkpoint's input) is torn, corrupt or has missing
        /// segments. Unlike at replay, nothing can be repaired there: the operation is refused.
        case corruption
    }

    /// The kind of failure.
    package var code: Code
    /// What was being done.
    package var message: String
    /// The file or directory involved, if any.
    package var path: String?
    /// The `errno` of the failed system call, if any (the cause).
    package var errnoCode: Int32?

    package init(_ code: Code, _ message: String, path: String? = nil, errnoCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.errnoCode = errnoCode
    }

    package var description: String {
        var text = "wal \(code.rawValue): \(message)"
        if let path { text += " (\(path))" }
        if let errnoCode { text += ": \(WALFile.describe(errno: errnoCode))" }
        return text
    }
}

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
