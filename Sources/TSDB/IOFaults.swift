// IOFaults: injected write failures for tests — the first cut of the I/O seam of issue #10.
// Writes to files under a registered directory fail with a chosen errno (ENOSPC: a full disk),
// so tests can show that a failed compaction or WAL write loses nothing and stops nothing.

internal import Synchronization

/// Write faults by directory. Scoped by path so that tests running in parallel, each in its own
/// temporary directory, do not see each other's faults.
///
/// ```swift
/// IOFaults.failWrites(under: dataDir.path, errno: ENOSPC)
/// defer { IOFaults.clear(under: dataDir.path) }
/// #expect(throws: (any Error).self) { try db.compact() }
/// ```
package enum IOFaults {
    // Safety: `faults` is only read and written under `lock`.
    private nonisolated(unsafe) static var faults: [(directory: String, errno: Int32)] = []
    private static let lock = Lock()
    /// How many faults are registered: the write path reads only this (no lock) while none are.
    private static let count = Atomic<Int>(0)

    /// From now on, every block, WAL and head-chunk write to a file under `directory` fails with `errno`.
    package static func failWrites(under directory: String, errno: Int32) {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        lock.withLock {
            faults.append((prefix, errno))
            count.store(faults.count, ordering: .releasing)
        }
    }

    /// Removes the faults registered for `directory`.
    package static func clear(under directory: String) {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        lock.withLock {
            faults.removeAll { $0.directory == prefix }
            count.store(faults.count, ordering: .releasing)
        }
    }

    /// The errno a write to `path` must fail with, or 0.
    static func writeFault(_ path: String) -> Int32 {
        if count.load(ordering: .acquiring) == 0 { return 0 }
        return lock.withLock { faults.first { path.hasPrefix($0.directory) }?.errno ?? 0 }
    }
}
