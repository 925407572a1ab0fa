// The record of a repair the ChunkDiskMapper (`<data>/chunks_head/`, spec/tsdb-format.md §7) made to the
// files it found at startup.

/// A repair the mapper made to a damaged last file: the only file Prometheus or we may have been
/// writing when the process died.
///
/// Prometheus deletes an empty last file at startup and, on a corrupt chunk, deletes the corrupt file
/// and every later one. We delete the empty file the same way, but keep the intact prefix of a torn
/// last file by truncating it at the first bad entry.
package struct ChunkDiskMapperRepair: Sendable, Equatable, CustomStringConvertible {
    /// What was done.
    package enum Action: String, Sendable {
        /// The file was shorter than its header or had a zero magic number, and was deleted.
        case deletedFile
        /// The file was truncated at `offset`, the start of its first unreadable entry.
        case truncatedFile
    }

    package var action: Action
    /// The file number (its name, `%06d`).
    package var fileNumber: Int
    /// Where the file was cut (`truncatedFile`); 0 for `deletedFile`.
    package var offset: Int
    /// The file's size before the repair.
    package var originalSize: Int
    /// Why.
    package var reason: String

    package init(action: Action, fileNumber: Int, offset: Int, originalSize: Int, reason: String) {
        self.action = action
        self.fileNumber = fileNumber
        self.offset = offset
        self.originalSize = originalSize
        self.reason = reason
    }

    package var description: String {
        switch action {
        case .deletedFile:
            "deleted head chunk file \(ChunkDiskMapperFormat.fileName(fileNumber)) (\(originalSize) bytes): \(reason)"
        case .truncatedFile:
            "truncated head chunk file \(ChunkDiskMapperFormat.fileName(fileNumber)) from \(originalSize) to "
                + "\(offset) bytes: \(reason)"
        }
    }
}
