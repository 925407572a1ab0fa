// BlockFile: the POSIX calls the block writer needs — create, write, fsync, rename, mkdir — with EINTR
// retries and errno in every error. All of them block: call from a thread that may block.

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

// Top-level forwarders: inside the types below, `close` and `rename` name their own methods.
private func posixClose(_ fd: Int32) -> Int32 { close(fd) }
private func posixRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }

/// A file being written: a plain descriptor, appended to with `write(2)`. Closing is explicit.
struct BlockOutputFile {
    let descriptor: Int32
    let path: String

    /// Creates (or empties) `path` for writing, mode 0666 before the umask, as Go's `os.Create`.
    static func create(path: String) throws(TSDBError) -> BlockOutputFile {
        while true {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            if fd >= 0 { return BlockOutputFile(descriptor: fd, path: path) }
            let e = errno
            if e != EINTR { throw TSDBError.block(.io, "create file", path: path, errnoCode: e) }
        }
    }

    /// Appends all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(TSDBError) {
        let failure = POSIXIO.writeAll(descriptor, bytes, path: path)
        if failure != 0 { throw TSDBError.block(.io, "write", path: path, errnoCode: failure) }
    }

    func write(_ bytes: [UInt8]) throws(TSDBError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(TSDBError) in try write(raw) } }.get()
    }

    /// `fsync(2)`.
    func sync() throws(TSDBError) {
        let failure = POSIXIO.fsyncRetrying(descriptor, path: path)
        if failure != 0 { throw TSDBError.block(.io, "fsync", path: path, errnoCode: failure) }
    }

    /// `close(2)`; the descriptor is released even when close reports an error.
    func close() throws(TSDBError) {
        if posixClose(descriptor) != 0 && errno != EINTR {
            throw TSDBError.block(.io, "close", path: path, errnoCode: errno)
        }
    }
}

/// Whole-file and directory operations of the block writer.
enum BlockFile {
    /// Writes `bytes` to a new file at `path` (with permission bits `mode`, if given), fsyncs and closes it.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t? = nil) throws(TSDBError) {
        let file = try BlockOutputFile.create(path: path)
        do throws(TSDBError) {
            if let mode, fchmod(file.descriptor, mode) != 0 { throw TSDBError.block(.io, "chmod", path: path, errnoCode: errno) }
            try file.write(bytes)
            try file.sync()
        } catch {
            try? file.close()
            throw error
        }
        try file.close()
    }

    /// `mkdir(2)` with mode 0777 before the umask, as Go's `os.MkdirAll`.
    static func makeDirectory(_ path: String) throws(TSDBError) {
        guard mkdir(path, 0o777) == 0 else { throw TSDBError.block(.io, "create directory", path: path, errnoCode: errno) }
    }

    /// Opens a directory and fsyncs it, so entries created or renamed in it are durable.
    static func syncDirectory(_ path: String) throws(TSDBError) {
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw TSDBError.block(.io, "open directory", path: path, errnoCode: errno) }
        let directory = BlockOutputFile(descriptor: fd, path: path)
        do {
            try directory.sync()
        } catch {
            try? directory.close()
            throw error
        }
        try directory.close()
    }

    /// `rename(2)`.
    static func rename(_ from: String, to: String) throws(TSDBError) {
        guard posixRename(from, to) == 0 else { throw TSDBError.block(.io, "rename to \(to)", path: from, errnoCode: errno) }
    }

    /// Whether anything exists at `path` (`lstat(2)`).
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }
}
