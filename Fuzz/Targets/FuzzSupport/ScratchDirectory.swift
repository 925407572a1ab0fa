// A scratch directory for fuzz targets whose reader takes a path (WAL segments, block indexes):
// each input is written over the same files, and the directory is removed when the process exits.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What to remove at exit, children before parents. Written only from the fuzzing thread.
nonisolated(unsafe) private var created: [(path: String, isDirectory: Bool)] = []

/// A directory under /tmp made once per process, with files rewritten per input.
///
/// ```swift
/// let scratch = ScratchDirectory(prefix: "FuzzWALRecord")
/// scratch.write(input, to: "00000000")
/// ```
public struct ScratchDirectory: Sendable {
    public let path: String

    /// Makes `/tmp/<prefix>.XXXXXX`; traps when it cannot (the fuzzer cannot run without it).
    public init(prefix: String) {
        var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { fatalError("mkdtemp: errno \(errno)") }
        path = String(cString: made)
        if created.isEmpty { atexit { removeCreated() } }
        created.append((path, true))
    }

    /// Makes the subdirectory `name`.
    public func makeDirectory(_ name: String) {
        let full = path + "/" + name
        guard mkdir(full, 0o700) == 0 else { fatalError("mkdir \(full): errno \(errno)") }
        created.append((full, true))
    }

    /// Replaces the file `name` with `bytes`; returns its path.
    @discardableResult
    public func write(_ bytes: some Collection<UInt8>, to name: String) -> String {
        let full = path + "/" + name
        let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { fatalError("open \(full): errno \(errno)") }
        defer { close(fd) }
        let written = Array(bytes).withUnsafeBytes { raw in raw.isEmpty ? 0 : Glibc.write(fd, raw.baseAddress, raw.count) }
        guard written == bytes.count else { fatalError("write \(full): errno \(errno)") }
        if !created.contains(where: { $0.path == full }) { created.append((full, false)) }
        return full
    }
}

private func removeCreated() {
    for entry in created.reversed() {
        _ = entry.isDirectory ? rmdir(entry.path) : unlink(entry.path)
    }
}
