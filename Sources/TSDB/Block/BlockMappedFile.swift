// BlockMappedFile: a read-only mmap(2) of one block file (index or chunk segment), unmapped explicitly or in deinit.

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A whole file mapped read-only into memory.
///
/// Thread-safety: reading `bytes` from several threads is safe while the mapping is alive. `unmap()`
/// must not run while anyone reads; ``BlockReader`` guarantees that by counting readers.
final class BlockMappedFile: @unchecked Sendable {
    // Safety: `base` changes only in `unmap()`, which BlockReader calls when no reader is active
    // (its lock orders that against every read); before that the mapping is immutable.
    /// The file's path, for error messages.
    let path: String
    /// The file length in bytes.
    let count: Int
    private var base: UnsafeRawPointer?

    /// Maps `path` read-only.
    ///
    /// - Parameter code: the error code to use when the file is missing (`.badIndex`, `.badChunks`, …).
    /// - Throws: `TSDBError` with `code` if the file does not exist, `.io` for other failures.
    init(path: String, missingCode code: TSDBError.Code, name: String) throws(TSDBError) {
        self.path = path
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT { throw TSDBError.block(code, "\(name): file does not exist", path: path, errnoCode: e) }
            throw TSDBError.block(.io, "\(name): open", path: path, errnoCode: e)
        }
        defer { _ = close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw TSDBError.block(.io, "\(name): stat", path: path, errnoCode: errno) }
        count = Int(st.st_size)
        guard count > 0 else {
            base = nil
            return
        }
        let injected = POSIXIO.mapFault(path)
        if injected != 0 { throw TSDBError.block(.io, "\(name): mmap", path: path, errnoCode: injected) }
        let mapped = mmap(nil, count, PROT_READ, MAP_SHARED, fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw TSDBError.block(.io, "\(name): mmap", path: path, errnoCode: errno)
        }
        base = UnsafeRawPointer(mapped)
    }

    deinit { unmap() }

    /// The mapped bytes; empty for an empty or unmapped file.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: base == nil ? 0 : count)
    }

    /// Releases the mapping. Idempotent.
    func unmap() {
        guard let base else { return }
        _ = munmap(UnsafeMutableRawPointer(mutating: base), count)
        self.base = nil
    }
}
