// POSIXIO: the I/O seam of the storage engine. Every file read, write and fsync of WAL segments,
// head chunk files and block files goes through these retrying system-call loops, and each asks
// `IOFaults` first (one atomic load when no fault is registered). They return errno (0 for
// success); each caller wraps that in its own error with its own path and operation name.
// The data directory's lock file (DirLocker) is opened, locked and removed here as well; it is
// never read or written, so no fault applies to it.

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

package enum POSIXIO {
    /// Writes all of `bytes` at `offset` of `path` (open as `fd`) with `pwrite(2)`, retrying on
    /// EINTR and short writes.
    /// - Returns: errno (0 on success) and the number of system calls made.
    static func pwriteAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String) -> (errno: Int32, calls: Int) {
        switch IOFaults.writeFault(path) {
        case .none:
            return pwriteAll(fd, bytes, at: offset)
        case .fail(let code):
            return (code, 0)
        case .torn(let keep, let code):
            let (failure, calls) = pwriteAll(fd, UnsafeRawBufferPointer(rebasing: bytes.prefix(keep)), at: offset)
            return (failure != 0 ? failure : code, calls)
        }
    }

    private static func pwriteAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> (errno: Int32, calls: Int) {
        guard let base = bytes.baseAddress else { return (0, 0) }
        var done = 0
        var calls = 0
        while done < bytes.count {
            // Safety: done < bytes.count, so base + done and the remaining length stay inside `bytes`.
            let n = pwrite(fd, base + done, bytes.count - done, off_t(offset + done))
            calls += 1
            if n > 0 {
                done += n
            } else if n == 0 {
                return (EIO, calls)
            } else if errno != EINTR {
                return (errno, calls)
            }
        }
        return (0, calls)
    }

    /// Appends all of `bytes` to `path` (open as `fd`) with `write(2)`, retrying on EINTR and
    /// short writes; returns errno or 0.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) -> Int32 {
        switch IOFaults.writeFault(path) {
        case .none:
            return writeAll(fd, bytes)
        case .fail(let code):
            return code
        case .torn(let keep, let code):
            let failure = writeAll(fd, UnsafeRawBufferPointer(rebasing: bytes.prefix(keep)))
            return failure != 0 ? failure : code
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let base = bytes.baseAddress else { return 0 }
        var done = 0
        while done < bytes.count {
            // Safety: done < bytes.count, so base + done and the remaining length stay inside `bytes`.
            let n = write(fd, base + done, bytes.count - done)
            if n > 0 {
                done += n
            } else if n == 0 {
                return EIO
            } else if errno != EINTR {
                return errno
            }
        }
        return 0
    }

    /// Reads up to `count` bytes at `offset` into `buffer` with `pread(2)`; fewer only at end of file.
    /// - Returns: the bytes read and errno (0 on success).
    static func preadFull(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, count: Int, at offset: Int, path: String
    ) -> (done: Int, errno: Int32) {
        let injected = IOFaults.failure(.read, path)
        if injected != 0 { return (0, injected) }
        guard let base = buffer.baseAddress else { return (0, 0) }
        var done = 0
        while done < count {
            // Safety: done < count <= buffer.count.
            let n = pread(fd, base + done, count - done, off_t(offset + done))
            if n > 0 {
                done += n
            } else if n == 0 {
                return (done, 0)
            } else if errno != EINTR {
                return (done, errno)
            }
        }
        return (done, 0)
    }

    /// `fsync(2)` of `path` (open as `fd`), retried on EINTR; returns errno or 0.
    static func fsyncRetrying(_ fd: Int32, path: String) -> Int32 {
        let injected = IOFaults.failure(.sync, path)
        if injected != 0 { return injected }
        while fsync(fd) != 0 {
            if errno != EINTR { return errno }
        }
        return 0
    }

    /// The whole regular file at `path` (small ones: `meta.json`), through the seam; errno on failure.
    static func readFile(_ path: String) -> (bytes: [UInt8], errno: Int32) {
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { return ([], errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return ([], errno) }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        let (done, failure) = bytes.withUnsafeMutableBytes { preadFull(fd, into: $0, count: size, at: 0, path: path) }
        if failure != 0 { return ([], failure) }
        bytes.removeLast(size - done)
        return (bytes, 0)
    }

    /// The errno with which mapping `path` to read it must fail, or 0: `mmap(2)` is how block and
    /// closed head-chunk files are read, so the seam's read faults apply there.
    static func mapFault(_ path: String) -> Int32 {
        IOFaults.failure(.read, path)
    }

    /// Whether `path` names a directory (following symlinks, as `stat(2)` does).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The size of the regular file at `path`, or nil when it is missing or not a regular file.
    package static func regularFileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// Whether anything (a file, a directory, …) is at `path`, following symlinks: Go's `os.Stat` succeeding.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Opens `path` read-write, creating it with mode 0666 (less the umask) if missing, and takes
    /// an exclusive flock(2) on it without waiting: Prometheus's `fileutil.Flock` on Linux.
    /// Close-on-exec, as Go opens every file: a child process must not keep the lock alive.
    /// - Returns: the descriptor, or -1 with errno and the system call that failed (`open`, `flock`).
    static func openAndLock(_ path: String) -> (fd: Int32, errno: Int32, call: String) {
        var fd: Int32
        repeat { fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { return (-1, errno, "open") }
        var result: Int32
        repeat { result = flock(fd, LOCK_EX | LOCK_NB) } while result != 0 && errno == EINTR
        guard result == 0 else {
            let failure = errno
            close(fd)
            return (-1, failure, "flock")
        }
        return (fd, 0, "")
    }

    /// `close(2)`; the kernel drops the descriptor's flock with it. Not retried on EINTR (Linux has
    /// closed the descriptor by then).
    static func closeDescriptor(_ fd: Int32) {
        _ = close(fd)
    }

    /// `unlink(2)` of `path`; errno or 0.
    static func removeFile(_ path: String) -> Int32 {
        unlink(path) == 0 ? 0 : errno
    }

    /// An errno as Go's `syscall.Errno` prints it on Linux (`resource temporarily unavailable`):
    /// the C library's text with its first letter in lower case, which is how Go's table reads.
    static func goErrorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        let message = String(cString: text)
        return message.prefix(1).lowercased() + message.dropFirst()
    }

    /// The names in directory `path` except `.` and `..`, and errno (0, or that of `opendir(3)`).
    static func directoryEntries(_ path: String) -> (names: [String], errno: Int32) {
        guard let dir = opendir(path) else { return ([], errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                // Safety: d_name is a NUL-terminated C string stored inline in the dirent.
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return (names, 0)
    }
}
