// IOFaults: the fault injector behind the engine's I/O seam (issue #10). Every WAL, block and
// head-chunk file read, write and fsync asks it first whether to fail, tear or slow down, so tests
// (and operators rehearsing failure, through the admin endpoint) can show that a failing disk loses
// nothing acknowledged and stops nothing else.

internal import MetricModel
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Injected I/O faults by directory. Scoped by path so that tests running in parallel, each in its
/// own temporary directory, do not see each other's faults.
///
/// ```swift
/// IOFaults.inject(.fail(errno: EIO), on: [.read], under: dataDir.path)
/// defer { IOFaults.clear(under: dataDir.path) }
/// #expect(throws: TSDBError.self) { try DB(directory: dataDir.path) }
/// ```
///
/// Block files and closed head-chunk files are read through `mmap(2)`: a read fault fails their
/// mapping (at open), not a page touched later — an I/O error there is a `SIGBUS`, which no
/// process survives (Prometheus neither).
package enum IOFaults {
    /// What a fault applies to.
    package enum Operation: String, Sendable, Hashable, CaseIterable {
        /// `pread(2)`, and mapping a file to read it.
        case read
        /// `write(2)` / `pwrite(2)`.
        case write
        /// `fsync(2)` of a file.
        case sync
    }

    /// What happens to an operation a fault applies to.
    package enum Effect: Sendable, Equatable {
        /// The call fails with `errno` and does nothing.
        case fail(errno: Int32)
        /// A torn write: the first `keep` bytes reach the file, then the call fails with `errno`
        /// (a crash or power cut in the middle of a page). Reads and syncs just fail.
        case torn(keep: Int, errno: Int32)
        /// Slow I/O: the call waits this long, then goes ahead.
        case delay(milliseconds: Int)
    }

    /// What a fault strikes: these operations on files under this directory (with a final "/").
    struct Target: Sendable {
        var directory: String
        var operations: Set<Operation>
    }

    /// What a write must do instead of (or before) its real work.
    enum WriteFault: Equatable {
        case none
        case fail(Int32)
        /// Write only the first `keep` bytes, then fail with the errno.
        case torn(keep: Int, Int32)
    }

    private static let faults = FaultTable<Target, Effect>()
    /// Operations struck by faults, by fault directory (kept after a fault expires, until cleared).
    // Safety: only read and written under `lock`.
    private nonisolated(unsafe) static var hitCounts: [String: Int] = [:]
    private static let lock = Lock()

    /// From now on, `operations` on files under `directory` get `effect` — for `times`
    /// operations, or until `duration` has passed, or until ``clear(under:)``.
    package static func inject(
        _ effect: Effect, on operations: Set<Operation>, under directory: String,
        times: Int? = nil, for duration: Duration? = nil
    ) {
        faults.inject(effect, on: Target(directory: prefix(directory), operations: operations), times: times, for: duration)
    }

    /// From now on, every block, WAL and head-chunk write to a file under `directory` fails with `errno`.
    package static func failWrites(under directory: String, errno: Int32) {
        inject(.fail(errno: errno), on: [.write], under: directory)
    }

    /// Removes the faults registered for `directory`.
    package static func clear(under directory: String) {
        let prefix = prefix(directory)
        faults.clear { $0.directory == prefix }
        lock.withLock { hitCounts[prefix] = nil }
    }

    /// How many operations the faults registered for `directory` have struck since it was last cleared.
    package static func hits(under directory: String) -> Int {
        let prefix = prefix(directory)
        return lock.withLock { hitCounts[prefix] ?? 0 }
    }

    private static func prefix(_ directory: String) -> String {
        directory.hasSuffix("/") ? directory : directory + "/"
    }

    /// The effect `operation` on `path` must have, or nil. Counts the hit and uses up one of the
    /// fault's `times`.
    private static func effect(_ operation: Operation, _ path: String) -> Effect? {
        guard let (target, effect) = faults.strike({ path.hasPrefix($0.directory) && $0.operations.contains(operation) }) else {
            return nil
        }
        lock.withLock { hitCounts[target.directory, default: 0] += 1 }
        return effect
    }

    /// For a read or fsync of `path`: the errno it must fail with, or 0 (after waiting out a delay).
    static func failure(_ operation: Operation, _ path: String) -> Int32 {
        switch effect(operation, path) {
        case nil: return 0
        case .fail(let code), .torn(_, let code): return code
        case .delay(let milliseconds):
            pause(milliseconds)
            return 0
        }
    }

    /// For a write to `path`: what to do instead (after waiting out a delay).
    static func writeFault(_ path: String) -> WriteFault {
        switch effect(.write, path) {
        case nil: return .none
        case .fail(let code): return .fail(code)
        case .torn(let keep, let code): return .torn(keep: keep, code)
        case .delay(let milliseconds):
            pause(milliseconds)
            return .none
        }
    }

    /// Blocks the calling thread: I/O calls block anyway, and are made off the cooperative pool.
    private static func pause(_ milliseconds: Int) {
        var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var left = timespec()
        while nanosleep(&request, &left) != 0 && errno == EINTR { request = left }
    }
}
