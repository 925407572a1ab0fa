// IOFaults: the fault injector behind the engine's I/O seam (issue #10). Every WAL, block and
// head-chunk file read, write and fsync asks it first whether to fail, tear or slow down, so tests
// (and operators rehearsing failure, through the admin endpoint) can show that a failing disk loses
// nothing acknowledged and stops nothing else.

internal import Synchronization
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

    /// One registered fault.
    package struct Fault: Sendable {
        package var directory: String
        package var operations: Set<Operation>
        package var effect: Effect
        /// Operations it still applies to; nil: until cleared or expired.
        package var remaining: Int?
        /// When it stops applying; nil: until cleared.
        package var expires: ContinuousClock.Instant?
    }

    /// What a write must do instead of (or before) its real work.
    enum WriteFault: Equatable {
        case none
        case fail(Int32)
        /// Write only the first `keep` bytes, then fail with the errno.
        case torn(keep: Int, Int32)
    }

    // Safety: `faults` is only read and written under `lock`.
    private nonisolated(unsafe) static var faults: [Fault] = []
    /// Operations struck by faults, by fault directory (kept after a fault expires, until cleared).
    // Safety: only read and written under `lock`.
    private nonisolated(unsafe) static var hitCounts: [String: Int] = [:]
    private static let lock = Lock()
    /// How many faults are registered: the I/O paths read only this (no lock) while none are.
    private static let count = Atomic<Int>(0)

    /// From now on, `operations` on files under `directory` get `effect` — for `times`
    /// operations, or until `duration` has passed, or until ``clear(under:)``.
    package static func inject(
        _ effect: Effect, on operations: Set<Operation>, under directory: String,
        times: Int? = nil, for duration: Duration? = nil
    ) {
        let fault = Fault(
            directory: prefix(directory), operations: operations, effect: effect, remaining: times,
            expires: duration.map { ContinuousClock.now + $0 })
        lock.withLock {
            faults.append(fault)
            count.store(faults.count, ordering: .releasing)
        }
    }

    /// From now on, every block, WAL and head-chunk write to a file under `directory` fails with `errno`.
    package static func failWrites(under directory: String, errno: Int32) {
        inject(.fail(errno: errno), on: [.write], under: directory)
    }

    /// Removes the faults registered for `directory`.
    package static func clear(under directory: String) {
        let prefix = prefix(directory)
        lock.withLock {
            faults.removeAll { $0.directory == prefix }
            hitCounts[prefix] = nil
            count.store(faults.count, ordering: .releasing)
        }
    }

    /// The faults in force (expired ones are dropped first).
    package static var active: [Fault] {
        lock.withLock {
            dropExpired(now: ContinuousClock.now)
            return faults
        }
    }

    /// How many operations the faults registered for `directory` have struck since it was last cleared.
    package static func hits(under directory: String) -> Int {
        let prefix = prefix(directory)
        return lock.withLock { hitCounts[prefix] ?? 0 }
    }

    private static func prefix(_ directory: String) -> String {
        directory.hasSuffix("/") ? directory : directory + "/"
    }

    private static func dropExpired(now: ContinuousClock.Instant) {
        faults.removeAll { fault in
            if let expires = fault.expires, expires <= now { return true }
            if let remaining = fault.remaining, remaining <= 0 { return true }
            return false
        }
        count.store(faults.count, ordering: .releasing)
    }

    /// The effect `operation` on `path` must have, or nil. Counts the hit and uses up one of the
    /// fault's `times`.
    private static func effect(_ operation: Operation, _ path: String) -> Effect? {
        if count.load(ordering: .acquiring) == 0 { return nil }
        return lock.withLock {
            dropExpired(now: ContinuousClock.now)
            guard let index = faults.firstIndex(where: { path.hasPrefix($0.directory) && $0.operations.contains(operation) }) else {
                return nil
            }
            hitCounts[faults[index].directory, default: 0] += 1
            if let remaining = faults[index].remaining { faults[index].remaining = remaining - 1 }
            return faults[index].effect
        }
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
