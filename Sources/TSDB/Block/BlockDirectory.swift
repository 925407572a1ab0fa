// BlockDirectory: which entries of a data directory are blocks, and startup cleanup of half-written
// or half-deleted ones (spec/tsdb-format.md §1.1).

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// Block discovery in a data directory, as Prometheus's `tsdb.Open` does it.
///
/// ```swift
/// try BlockDirectory.removeTemporary(in: dataDirectory)       // at startup, before opening blocks
/// for url in try BlockDirectory.blocks(in: dataDirectory) { _ = try BlockReader(directory: url) }
/// ```
package enum BlockDirectory {
    /// Suffix of a block being written (`BlockWriter` renames it away when done).
    package static let creationSuffix = ".tmp-for-creation"
    /// Suffix of a block being deleted.
    package static let deletionSuffix = ".tmp-for-deletion"
    /// Suffix Prometheus used before 2.21 for both.
    package static let legacySuffix = ".tmp"

    /// The block directories of `dataDirectory`: subdirectories whose name is a strict ULID, in ULID
    /// order. Everything else — `wal/`, `chunks_head/`, `<ULID>.tmp-for-creation/`, files — is not a block.
    ///
    /// - Throws: `TSDBError.block(.io)` if the directory cannot be listed.
    package static func blocks(in dataDirectory: URL) throws(TSDBError) -> [URL] {
        var found: [(ULID, URL)] = []
        for name in try list(dataDirectory) {
            guard let ulid = ULID(name), isDirectory(dataDirectory.appendingPathComponent(name)) else { continue }
            found.append((ulid, dataDirectory.appendingPathComponent(name)))
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Whether `name` marks a temporary directory Prometheus deletes at startup: a ULID (or a
    /// `checkpoint.`/`chunk_snapshot.` name) followed by one of the temporary suffixes.
    package static func isTemporary(_ name: String) -> Bool {
        for suffix in [creationSuffix, deletionSuffix, legacySuffix] where name.hasSuffix(suffix) {
            let stem = String(name.dropLast(suffix.count))
            if stem.hasPrefix("checkpoint.") || stem.hasPrefix("chunk_snapshot.") || ULID(stem) != nil { return true }
        }
        return false
    }

    /// Deletes every temporary directory (``isTemporary(_:)``) in `dataDirectory`; returns their URLs.
    ///
    /// - Throws: `TSDBError.block(.io)` if the directory cannot be listed or an entry cannot be removed.
    @discardableResult
    package static func removeTemporary(in dataDirectory: URL) throws(TSDBError) -> [URL] {
        var removed: [URL] = []
        for name in try list(dataDirectory) where isTemporary(name) {
            let url = dataDirectory.appendingPathComponent(name)
            guard isDirectory(url) else { continue }
            do {
                try FileManager.default.removeItem(at: url)
            } catch {
                throw TSDBError.block(.io, "remove temporary directory: \(error)", path: url.path)
            }
            removed.append(url)
        }
        return removed
    }

    private static func list(_ directory: URL) throws(TSDBError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            throw TSDBError.block(.io, "list directory: \(error)", path: directory.path)
        }
    }

    private static func isDirectory(_ url: URL) -> Bool {
        POSIXIO.isDirectory(url.path)
    }
}
