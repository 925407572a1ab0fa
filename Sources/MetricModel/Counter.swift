// Counter: the atomic counter behind the server's self-metrics.

internal import Synchronization

/// A monotonically increasing counter, safe to bump from any thread.
///
/// ```swift
/// let appended = Counter()
/// appended.add(120)
/// appended.current  // 120
/// ```
package final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    package init() {}
    @inline(__always)
    package func add(_ n: Int = 1) { value.add(n, ordering: .relaxed) }
    package var current: Int { value.load(ordering: .relaxed) }
}
