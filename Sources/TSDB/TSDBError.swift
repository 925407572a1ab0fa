// TSDBError: the one error type of the storage engine — WAL, blocks, head chunks and the DB.

package import MetricModel
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A storage operation failed: an I/O error, a corrupt file, a bad argument or use after close.
///
/// `component` says which part of the engine failed and prefixes the description; `code` is stable
/// for callers to branch on; the message names the file and the problem the way Prometheus words it,
/// so a corrupt block reads the same in both systems:
///
/// ```swift
/// do { _ = try BlockReader(directory: url) } catch {
///     print(error)  // "block badIndex: index: TOC checksum mismatch (/data/01M8…/index)"
/// }
/// ```
///
/// Corrupt files never trap: every bounds, length and checksum problem surfaces as one of these.
/// (Corruption found while *replaying* a WAL is not an error but a ``WALCorruption`` report.)
package struct TSDBError: SystemCallFailure, Sendable, CustomStringConvertible {
    /// The part of the engine that failed.
    package enum Component: String, Sendable {
        case db = "tsdb"
        case wal = "wal"
        case block = "block"
        case headChunks = "head chunks"
    }

    /// A stable code for the kind of failure.
    package enum Code: String, Sendable {
        /// A system call failed; `errnoCode` says why.
        case io
        /// An option or argument was out of range.
        case invalidArgument
        /// Used after `close()` (or a read-only database asked to write).
        case closed
        /// The data directory's lock file is held by another process, or by another open
        /// database in this one (`lock DB directory: resource temporarily unavailable`).
        case locked
        /// Data that must be read whole is torn or corrupt, or segments are missing.
        case corruption
        /// A head chunk reference points outside the files.
        case invalidReference
        /// A block has no `meta.json`.
        case missingMeta
        /// `meta.json` is not valid.
        case badMeta
        /// The index file is truncated, has a bad magic number, version or checksum.
        case badIndex
        /// A chunk segment file is truncated, has a bad magic number or a chunk fails its checksum.
        case badChunks
        /// The tombstones file is not valid.
        case badTombstones
    }

    package var component: Component
    package var code: Code
    /// What was being done.
    package var message: String
    /// The file or directory involved, if any.
    package var path: String?
    /// The `errno` of the failed system call, if any (the cause).
    package var errnoCode: Int32?

    package init(_ component: Component, _ code: Code, _ message: String, path: String? = nil, errnoCode: Int32? = nil) {
        self.component = component
        self.code = code
        self.message = message
        self.path = path
        self.errnoCode = errnoCode
    }

    /// A WAL error.
    package static func wal(_ code: Code, _ message: String, path: String? = nil, errnoCode: Int32? = nil) -> TSDBError {
        TSDBError(.wal, code, message, path: path, errnoCode: errnoCode)
    }

    /// A block error.
    package static func block(_ code: Code, _ message: String, path: String? = nil, errnoCode: Int32? = nil) -> TSDBError {
        TSDBError(.block, code, message, path: path, errnoCode: errnoCode)
    }

    /// A `chunks_head/` error.
    package static func headChunks(_ code: Code, _ message: String, path: String? = nil, errnoCode: Int32? = nil)
        -> TSDBError
    {
        TSDBError(.headChunks, code, message, path: path, errnoCode: errnoCode)
    }

    /// The database was closed (or is read-only).
    package static let closed = TSDBError(.db, .closed, "TSDB is closed")

    /// A database-level failure described by `message` alone.
    package static func io(_ message: String) -> TSDBError { TSDBError(.db, .io, message) }

    /// `<component> <code>: <message> (<path>): <strerror> (errno N)`; database-level errors are their message.
    package var description: String {
        if component == .db { return message }
        var text = "\(component.rawValue) \(code.rawValue): \(message)"
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
