// AtomicFile: replacing a small file so that a crash leaves either the old content or the new,
// never a mix (Prometheus's `writeMetaFile` steps) — for block meta.json, the tenants file and
// tenants' rule files.

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Crash-safe replacement of a whole file.
///
/// ```swift
/// try AtomicFile.replace("/etc/sugarmill/tenants.yml", with: Array(text.utf8))
/// ```
package enum AtomicFile {
    /// Replaces the file at `path` with `bytes`: written to `<path>.tmp`, fsynced, renamed over
    /// `path`, then the directory fsynced so the rename is durable. The permission bits of the
    /// file replaced are kept; a symbolic link at `path` is followed (its target is replaced).
    /// Blocks: call from a thread that may block. Not for two writers of one path at once.
    ///
    /// - Throws: `TSDBError` `.io` naming the step and the errno; the temporary file is removed.
    package static func replace(_ path: String, with bytes: [UInt8]) throws(TSDBError) {
        let target = resolvedPath(path)
        let tmpPath = target + ".tmp"
        var info = stat()
        let mode = stat(target, &info) == 0 ? info.st_mode & 0o7777 : nil
        do throws(TSDBError) {
            try BlockFile.write(bytes, to: tmpPath, mode: mode)
            try BlockFile.rename(tmpPath, to: target)
        } catch {
            unlink(tmpPath)
            throw error
        }
        try BlockFile.syncDirectory(directory(of: target))
    }

    /// Removes the file at `path` and fsyncs its directory, so that the removal is durable.
    /// Blocks. A file already absent is not an error.
    ///
    /// - Throws: `TSDBError` `.io` naming the step and the errno.
    package static func remove(_ path: String) throws(TSDBError) {
        if unlink(path) != 0 && errno != ENOENT { throw TSDBError(.db, .io, "remove", path: path, errnoCode: errno) }
        try BlockFile.syncDirectory(directory(of: path))
    }

    /// Creates the directory at `path` (its parent must exist) unless it exists, and fsyncs the
    /// parent so that the new entry is durable. Blocks.
    ///
    /// - Throws: `TSDBError` `.io` naming the step and the errno.
    package static func createDirectory(_ path: String) throws(TSDBError) {
        if mkdir(path, 0o777) != 0 {
            if errno == EEXIST { return }
            throw TSDBError(.db, .io, "create directory", path: path, errnoCode: errno)
        }
        try BlockFile.syncDirectory(directory(of: path))
    }

    /// `path` with symbolic links resolved, or `path` itself when it does not exist yet.
    private static func resolvedPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The directory part of `path` (`.` for a bare name).
    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
