// Errors of the ChunkDiskMapper (`<data>/chunks_head/`, spec/tsdb-format.md §7), and the record of a
// repair it made to the files it found at startup.

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A `ChunkDiskMapper` operation failed.
///
/// Corrupt files never trap: every bounds, length and checksum problem surfaces as `.corruption`.
///
/// ```swift
/// do { _ = try mapper.chunk(ref) } catch let error as ChunkDiskMapperError where error.code == .invalidReference {
///     // the file was truncated away
/// }
/// ```
package struct ChunkDiskMapperError: Error, Sendable, CustomStringConvertible {
    /// A stable code for the kind of failure.
    package enum Code: String, Sendable {
        /// A system call failed; `errnoCode` says why.
        case io
        /// An argument was out of range (`maxFileBytes`, an entry that could never be read back).
        case invalidArgument
        /// A head chunk file is corrupt: bad header, gap in the numbering, torn or mismatching entry.
        case corruption
        /// A reference names no file this mapper holds, or an offset outside its file.
        case invalidReference
        /// The mapper was used after `close()`.
        case closed
    }

    /// The kind of failure.
    package var code: Code
    /// What went wrong, worded like Prometheus where it has an equivalent.
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
        var text = "head chunks \(code.rawValue): \(message)"
        if let path { text += " (\(path))" }
        if let errnoCode {
            if let cText = strerror(errnoCode) {
                text += ": \(String(cString: cText)) (errno \(errnoCode))"
            } else {
                text += ": errno \(errnoCode)"
            }
        }
        return text
    }
}

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
