// The one lock type of the storage engine: pthread-backed NIOLock (see STYLE.md, "Locks").

internal import NIOConcurrencyHelpers

/// A mutual-exclusion lock backed by swift-nio's `NIOLock` (pthread_mutex).
///
/// `Synchronization.Mutex` collapses under contention on Linux (STYLE.md), so the engine uses this.
package struct Lock: Sendable {
    private let base = NIOLock()

    package init() {}

    @inlinable
    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    @usableFromInline
    func lock() { base.lock() }

    @usableFromInline
    func unlock() { base.unlock() }
}
