// Directory operations that checkpointing needs: listing checkpoint folders (complete and
// temporary), renaming a folder into place and removing a folder tree (spec/tsdb-format.md §6.4).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension WALDirectory {
    /// Suffix of a checkpoint folder still being written (`checkpoint.00000012.tmp`), as in Prometheus.
    static let temporarySuffix = ".tmp"

    /// The complete `checkpoint.NNNNNNNN` folders in `path`, ascending by number (`.tmp` folders and
    /// plain files are skipped).
    static func checkpoints(in path: String) throws(TSDBError) -> [(index: Int, path: String)] {
        var found: [(index: Int, path: String)] = []
        for name in try entries(path) {
            guard let index = WALFormat.checkpointIndex(name), isDirectory(path + "/" + name) else { continue }
            found.append((index, path + "/" + name))
        }
        return found.sorted { $0.index < $1.index }
    }

    /// Paths of leftover temporary checkpoints in `path`: names `checkpoint.*.tmp` (Prometheus's
    /// `isTempDir` rule: prefix and suffix only).
    static func temporaryCheckpoints(in path: String) throws(TSDBError) -> [String] {
        try entries(path)
            .filter { $0.hasPrefix(WALFormat.checkpointPrefix) && $0.hasSuffix(temporarySuffix) }
            .sorted()
            .map { path + "/" + $0 }
    }

    /// `rename(2)`: atomically gives `source` the name `destination` (same file system).
    static func rename(_ source: String, to destination: String) throws(TSDBError) {
        #if canImport(Glibc)
        let result = Glibc.rename(source, destination)
        #else
        let result = Darwin.rename(source, destination)
        #endif
        if result != 0 {
            throw TSDBError.wal(.io, "rename to \(destination)", path: source, errnoCode: errno)
        }
    }

    /// `rm -r`: removes `path` and, for a directory, everything below it. Symbolic links are
    /// removed, never followed. A missing path is not an error.
    static func removeTree(_ path: String) throws(TSDBError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let e = errno
            if e == ENOENT { return }
            throw TSDBError.wal(.io, "stat", path: path, errnoCode: e)
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            try removeFile(path)
            return
        }
        for name in try entries(path) {
            try removeTree(path + "/" + name)
        }
        if rmdir(path) != 0, errno != ENOENT {
            throw TSDBError.wal(.io, "remove directory", path: path, errnoCode: errno)
        }
    }
}
