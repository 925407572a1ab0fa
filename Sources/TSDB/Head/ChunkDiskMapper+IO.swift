// POSIX plumbing of the ChunkDiskMapper: its lock, read-only mmaps of closed head chunk files, and
// file/directory calls with EINTR retries and errno in every error.

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A pthread mutex (STYLE.md "Locks"); private to the mapper because `Lock` lives elsewhere in TSDB.
final class ChunkDiskMapperLock: @unchecked Sendable {
    // Safety: the mutex is allocated once, never moved, and destroyed only in deinit.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// A head chunk file mapped read-only; unmapped when the last reference goes away.
///
/// Readers take a reference under the mapper's lock and read outside it, so deleting a file in
/// `truncate(before:)` never pulls the mapping from under a reader.
final class ChunkDiskMapperMapping: @unchecked Sendable {
    // Safety: every stored property is immutable; the region is only unmapped in deinit, when no
    // reader holds the object any more.
    let fileNumber: Int
    let path: String
    /// The whole file (a closed one), or the file's largest size (the one being written: only
    /// its flushed bytes may be read, a page past its end would fault); empty for a zero length.
    let bytes: UnsafeRawBufferPointer

    /// Maps `path` read-only at its current length.
    convenience init(path: String, fileNumber: Int) throws(TSDBError) {
        let fd = try ChunkDiskMapperIO.open(path, O_RDONLY | O_CLOEXEC)
        defer { _ = close(fd) }
        let size = try ChunkDiskMapperIO.size(fd, path: path)
        try self.init(descriptor: fd, path: path, fileNumber: fileNumber, length: size)
    }

    /// Maps `length` bytes of the open file `descriptor`, which may be shorter for now (the file
    /// being written, mapped at its largest size as Prometheus does).
    init(descriptor: Int32, path: String, fileNumber: Int, length: Int) throws(TSDBError) {
        self.path = path
        self.fileNumber = fileNumber
        guard length > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let injected = POSIXIO.mapFault(path)
        if injected != 0 { throw TSDBError.headChunks(.io, "mmap", path: path, errnoCode: injected) }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, 0), mapped != MAP_FAILED else {
            throw TSDBError.headChunks(.io, "mmap", path: path, errnoCode: errno)
        }
        bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(mapped), count: length)
    }

    deinit {
        if let base = bytes.baseAddress { _ = munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}

/// File and directory system calls.
enum ChunkDiskMapperIO {
    static func open(_ path: String, _ flags: Int32) throws(TSDBError) -> Int32 {
        while true {
            #if canImport(Glibc)
            let fd = Glibc.open(path, flags, 0o666)
            #else
            let fd = Darwin.open(path, flags, 0o666)
            #endif
            if fd >= 0 { return fd }
            let e = errno
            if e != EINTR { throw TSDBError.headChunks(.io, "open", path: path, errnoCode: e) }
        }
    }

    /// Writes all of `bytes` at `offset` with `pwrite(2)`.
    static func write(_ fd: Int32, _ bytes: [UInt8], at offset: Int, path: String) throws(TSDBError) {
        let (failure, _) = bytes.withUnsafeBytes { POSIXIO.pwriteAll(fd, $0, at: offset, path: path) }
        if failure != 0 { throw TSDBError.headChunks(.io, "write", path: path, errnoCode: failure) }
    }

    /// Reads `count` bytes at `offset`; fewer only at the end of the file.
    static func read(_ fd: Int32, count: Int, at offset: Int, path: String) throws(TSDBError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let (done, failure) = buffer.withUnsafeMutableBytes { POSIXIO.preadFull(fd, into: $0, count: count, at: offset, path: path) }
        if failure != 0 { throw TSDBError.headChunks(.io, "read", path: path, errnoCode: failure) }
        buffer.removeLast(count - done)
        return buffer
    }

    static func size(_ fd: Int32, path: String) throws(TSDBError) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw TSDBError.headChunks(.io, "stat", path: path, errnoCode: errno) }
        return Int(info.st_size)
    }

    static func sync(_ fd: Int32, path: String) throws(TSDBError) {
        let failure = POSIXIO.fsyncRetrying(fd, path: path)
        if failure != 0 { throw TSDBError.headChunks(.io, "fsync", path: path, errnoCode: failure) }
    }

    static func truncate(_ fd: Int32, to length: Int, path: String) throws(TSDBError) {
        while ftruncate(fd, off_t(length)) != 0 {
            let e = errno
            if e != EINTR { throw TSDBError.headChunks(.io, "truncate", path: path, errnoCode: e) }
        }
    }

    static func close(_ fd: Int32, path: String) throws(TSDBError) {
        #if canImport(Glibc)
        let result = Glibc.close(fd)
        #else
        let result = Darwin.close(fd)
        #endif
        if result != 0, errno != EINTR { throw TSDBError.headChunks(.io, "close", path: path, errnoCode: errno) }
    }

    static func remove(_ path: String) throws(TSDBError) {
        if unlink(path) != 0, errno != ENOENT {
            throw TSDBError.headChunks(.io, "remove", path: path, errnoCode: errno)
        }
    }

    /// `mkdir -p`.
    static func createDirectory(_ path: String) throws(TSDBError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o777) != 0, errno != EEXIST {
                throw TSDBError.headChunks(.io, "create directory", path: prefix, errnoCode: errno)
            }
        }
    }

    /// Numbers of the regular files in `path` whose names are all digits, ascending.
    static func fileNumbers(in path: String) throws(TSDBError) -> [Int] {
        let (names, failure) = POSIXIO.directoryEntries(path)
        if failure != 0 { throw TSDBError.headChunks(.io, "list directory", path: path, errnoCode: failure) }
        var numbers: [Int] = []
        for name in names {
            guard let number = ChunkDiskMapperFormat.fileNumber(name) else { continue }
            var info = stat()
            guard stat(path + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            numbers.append(number)
        }
        return numbers.sorted()
    }

    /// `fsync(2)` on a directory so created and removed names are durable; EINVAL (unsupported) is ignored.
    static func syncDirectory(_ path: String) throws(TSDBError) {
        let fd = try open(path, O_RDONLY | O_CLOEXEC)
        defer { _ = Self.closeQuietly(fd) }
        do throws(TSDBError) {
            try sync(fd, path: path)
        } catch {
            if error.errnoCode != EINVAL { throw error }
        }
    }

    private static func closeQuietly(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(fd)
        #else
        Darwin.close(fd)
        #endif
    }
}
