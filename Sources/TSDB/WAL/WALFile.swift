// POSIX file and directory I/O for WAL segments: explicit offsets, EINTR retries, errno in every error.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One open segment file: a plain file descriptor. Closing is explicit (`close()`), never implicit.
struct WALFile {
    let descriptor: Int32
    let path: String

    /// Creates (or empties) a segment for writing.
    static func create(path: String) throws(TSDBError) -> WALFile {
        try open(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
    }

    static func openForReading(path: String) throws(TSDBError) -> WALFile {
        try open(path: path, flags: O_RDONLY | O_CLOEXEC)
    }

    static func openForUpdate(path: String) throws(TSDBError) -> WALFile {
        try open(path: path, flags: O_RDWR | O_CLOEXEC)
    }

    private static func open(path: String, flags: Int32) throws(TSDBError) -> WALFile {
        while true {
            #if canImport(Glibc)
            let fd = Glibc.open(path, flags, 0o666)
            #else
            let fd = Darwin.open(path, flags, 0o666)
            #endif
            if fd >= 0 { return WALFile(descriptor: fd, path: path) }
            let e = errno
            if e != EINTR { throw TSDBError.wal(.io, "open", path: path, errnoCode: e) }
        }
    }

    /// Writes all of `bytes` at `offset` with as few `pwrite(2)` calls as the kernel allows (normally one).
    /// - Returns: the number of system calls made.
    @discardableResult
    func write(_ bytes: [UInt8], at offset: Int) throws(TSDBError) -> Int {
        let (failure, calls) = bytes.withUnsafeBytes { POSIXIO.pwriteAll(descriptor, $0, at: offset, path: path) }
        if failure != 0 { throw TSDBError.wal(.io, "write", path: path, errnoCode: failure) }
        return calls
    }

    /// Reads up to `count` bytes at `offset` into the start of `buffer` (which must hold `count`);
    /// returns fewer only at end of file.
    func read(into buffer: inout [UInt8], count: Int, at offset: Int) throws(TSDBError) -> Int {
        precondition(count <= buffer.count, "read buffer too small")
        let (done, failure) = buffer.withUnsafeMutableBytes { POSIXIO.preadFull(descriptor, into: $0, count: count, at: offset, path: path) }
        if failure != 0 { throw TSDBError.wal(.io, "read", path: path, errnoCode: failure) }
        return done
    }

    /// The file's size in bytes.
    func size() throws(TSDBError) -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw TSDBError.wal(.io, "stat", path: path, errnoCode: errno) }
        return Int(info.st_size)
    }

    /// `fsync(2)`.
    func sync() throws(TSDBError) {
        let failure = POSIXIO.fsyncRetrying(descriptor, path: path)
        if failure != 0 { throw TSDBError.wal(.io, "fsync", path: path, errnoCode: failure) }
    }

    /// `ftruncate(2)`: shrinks, or grows with zeros.
    func truncate(to length: Int) throws(TSDBError) {
        while ftruncate(descriptor, off_t(length)) != 0 {
            let e = errno
            if e != EINTR { throw TSDBError.wal(.io, "truncate", path: path, errnoCode: e) }
        }
    }

    /// `close(2)`. The descriptor is gone afterwards even when this throws.
    func close() throws(TSDBError) {
        #if canImport(Glibc)
        let result = Glibc.close(descriptor)
        #else
        let result = Darwin.close(descriptor)
        #endif
        if result != 0, errno != EINTR { throw TSDBError.wal(.io, "close", path: path, errnoCode: errno) }
    }
}

/// Directory helpers: listing segments and checkpoints, creating, removing and syncing.
enum WALDirectory {
    /// True when `path` names a directory.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// True when `path` names a regular file.
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// `mkdir -p`.
    static func create(_ path: String) throws(TSDBError) {
        if isDirectory(path) { return }
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if isDirectory(prefix) { continue }
            if mkdir(prefix, 0o777) != 0, errno != EEXIST {
                throw TSDBError.wal(.io, "create directory", path: prefix, errnoCode: errno)
            }
        }
    }

    /// The names in `path` except `.` and `..`; empty when the directory does not exist.
    static func entries(_ path: String) throws(TSDBError) -> [String] {
        let (names, failure) = POSIXIO.directoryEntries(path)
        if failure == 0 || failure == ENOENT { return names }
        throw TSDBError.wal(.io, "list directory", path: path, errnoCode: failure)
    }

    /// Segment numbers in `path`, ascending: regular files whose names are all digits.
    static func segments(in path: String) throws(TSDBError) -> [Int] {
        try entries(path).compactMap { name in
            guard let index = WALFormat.segmentIndex(name), isRegularFile(path + "/" + name) else { return nil }
            return index
        }.sorted()
    }

    /// The newest `checkpoint.NNNNNNNN` folder in `path` (`.tmp` folders and plain files are skipped).
    static func lastCheckpoint(in path: String) throws(TSDBError) -> (index: Int, path: String)? {
        var best: (index: Int, path: String)?
        for name in try entries(path) {
            guard let index = WALFormat.checkpointIndex(name), isDirectory(path + "/" + name) else { continue }
            if best == nil || index > best!.index { best = (index, path + "/" + name) }
        }
        return best
    }

    /// Deletes a file.
    static func removeFile(_ path: String) throws(TSDBError) {
        if unlink(path) != 0, errno != ENOENT { throw TSDBError.wal(.io, "remove", path: path, errnoCode: errno) }
    }

    /// `fsync(2)` on a directory, so that created and removed names are durable.
    static func sync(_ path: String) throws(TSDBError) {
        let file = try WALFile.openForReading(path: path)
        defer { try? file.close() }
        do {
            try file.sync()
        } catch {
            // Some file systems refuse fsync on directories; nothing more can be done there.
            if error.errnoCode != EINVAL { throw error }
        }
    }
}
