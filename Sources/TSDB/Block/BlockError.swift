// BlockError: the one error type of block reading and writing (spec/tsdb-format.md §1–§5).

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Opening, reading or writing a persistent block failed.
///
/// The message names the file and the problem the way Prometheus words it, so a corrupt block reads
/// the same in both systems:
///
/// ```swift
/// do { _ = try BlockReader(directory: url) } catch {
///     print(error)  // "block badIndex: index: TOC checksum mismatch (/data/01M8…/index)"
/// }
/// ```
///
/// Corrupt files never trap: every bounds, length and checksum problem surfaces as one of these.
package struct BlockError: Error, Sendable, CustomStringConvertible {
    /// A stable code for the kind of failure.
    package enum Code: String, Sendable {
        /// `meta.json` does not exist.
        case missingMeta
        /// `meta.json` is unreadable, not JSON, has `version != 1` or a ULID that does not match the directory.
        case badMeta
        /// The `index` file is missing, truncated or corrupt.
        case badIndex
        /// A `chunks/NNNNNN` segment is missing, truncated or corrupt, or a chunk reference points nowhere.
        case badChunks
        /// The `tombstones` file is corrupt.
        case badTombstones
        /// A system call failed; `errnoCode` says why.
        case io
        /// The caller passed data the block format cannot hold (unsorted series, overlapping chunks, …).
        case invalidArgument
        /// The block was used after `close()`.
        case closed
    }

    /// The kind of failure.
    package var code: Code
    /// What went wrong, starting with the file's name inside the block (`"index: invalid magic number"`).
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
        var text = "block \(code.rawValue): \(message)"
        if let path { text += " (\(path))" }
        if let errnoCode { text += ": " + String(cString: strerror(errnoCode)) }
        return text
    }
}
