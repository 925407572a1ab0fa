// DirLocker: `<data>/lock`, held with flock(2) while a database is open, so that a second
// Sugarmill — or a Prometheus — cannot open the same directory and write its WAL as well
// (spec/tsdb-format.md §1.1). After Prometheus 2.42's tsdb/tsdbutil/dir_locker.go and
// tsdb/fileutil/flock_unix.go; the system calls are in POSIXIO.

internal import Logging
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// How a database found `<dir>/lock` when it opened: the value of `prometheus_tsdb_clean_start`.
package enum CleanStart: Int, Sendable {
    /// The lock file is disabled (`--storage.tsdb.no-lockfile`, or opened read-only): none is
    /// created or looked at.
    case disabled = -1
    /// A lock file from an earlier run that did not close — a crash, `kill -9` — was there, not
    /// held by anyone, and was taken over.
    case replaced = 0
    /// There was no lock file: the last run closed cleanly, or there was none.
    case clean = 1
}

/// The exclusive lock on a data directory: the file `<dir>/lock` (created if missing, mode 0666
/// before the umask) with `flock(LOCK_EX|LOCK_NB)` on it, as Prometheus holds it.
///
/// The kernel drops a flock when the last descriptor of its open file closes, so a process that
/// dies, however it dies, leaves the file behind but not the lock: the next open takes it over
/// (``CleanStart/replaced``). A clean ``release()`` deletes the file.
///
/// flock(2) locks belong to an open file, not a process: two `DirLocker`s on one directory in
/// the same process conflict just as two processes do.
///
/// Thread-safety: all methods may be called concurrently.
final class DirLocker: @unchecked Sendable {
    // Safety: `descriptor` is read and written only under `lock`.
    /// The lock file, absolute (Prometheus names it so in its log line and errors).
    let path: String
    /// Whether a lock file was there before this one took it.
    let cleanStart: CleanStart
    private let lock = Lock()
    /// The locked file's descriptor; -1 once released or abandoned.
    private var descriptor: Int32

    /// Takes the lock on `directory` (which must exist).
    ///
    /// - Throws: `TSDBError` `.locked` when another open file holds it — another process, or
    ///   another database of this one — worded as Prometheus words it:
    ///   `lock DB directory: resource temporarily unavailable`; `.io` when the file cannot be
    ///   opened (`lock DB directory: open <path>: permission denied`).
    init(directory: String, logger: Logger) throws(TSDBError) {
        path = directory.hasSuffix("/") ? directory + "lock" : directory + "/lock"
        let existed = POSIXIO.exists(path)
        let (fd, failure, call) = POSIXIO.openAndLock(path)
        guard fd >= 0 else {
            let reason = POSIXIO.goErrorText(failure)
            if call == "flock" {
                throw TSDBError(
                    .db, failure == EWOULDBLOCK ? .locked : .io, "lock DB directory: \(reason)", path: path, errnoCode: failure)
            }
            throw TSDBError(.db, .io, "lock DB directory: \(call) \(path): \(reason)", path: path, errnoCode: failure)
        }
        descriptor = fd
        cleanStart = existed ? .replaced : .clean
        if existed {
            // Logged once the lock is ours (Prometheus logs it before trying, even when it then fails).
            logger.warning(
                "A lockfile from a previous execution already existed. It was replaced", metadata: ["tsdb.lock.file": "\(path)"])
        }
    }

    /// Deletes the lock file, then closes it, which drops the lock (a no-op once released).
    ///
    /// Deleted while still held, unlike Prometheus (unlock, close, delete): in Prometheus's order a
    /// process that opens the file between the unlock and the delete locks a file that is then
    /// deleted, and a third one creates a new file and locks it too. This way whoever opens the
    /// path before the delete fails to lock it, and whoever opens it after creates a new file.
    ///
    /// - Throws: `TSDBError` `.io` when the file cannot be deleted (it is closed and unlocked
    ///   anyway). A file someone else deleted already is not an error.
    func release() throws(TSDBError) {
        let fd = lock.withLock {
            defer { descriptor = -1 }
            return descriptor
        }
        guard fd >= 0 else { return }
        let failure = POSIXIO.removeFile(path)
        POSIXIO.closeDescriptor(fd)
        if failure != 0 && failure != ENOENT {
            throw TSDBError(.db, .io, "remove \(path): \(POSIXIO.goErrorText(failure))", path: path, errnoCode: failure)
        }
    }

    /// Closes the lock file without deleting it, as the kernel does when the process dies:
    /// the lock is free and the file stays for the next open to find (``CleanStart/replaced``).
    func abandon() {
        let fd = lock.withLock {
            defer { descriptor = -1 }
            return descriptor
        }
        if fd >= 0 { POSIXIO.closeDescriptor(fd) }
    }

    /// A locker nobody holds any more (a database dropped without `close()`) lets go of the lock
    /// as an exiting process would, and as Go's finalizer of the `os.File` does in Prometheus; the
    /// file stays.
    deinit {
        if descriptor >= 0 { POSIXIO.closeDescriptor(descriptor) }
    }
}
