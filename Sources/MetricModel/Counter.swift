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

/// Counters by reason (a label value), e.g. rejected requests by why they were rejected.
/// Thread-safety: all methods may be called concurrently.
package final class ReasonCounters: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    package init() {}

    package func add(_ reason: String, _ n: Int = 1) {
        counts.withLock { $0[reason, default: 0] += n }
    }

    /// Every reason seen, with its count, by reason.
    package var snapshot: [(reason: String, count: Int)] {
        counts.withLock { $0.map { ($0.key, $0.value) } }.sorted { $0.reason < $1.reason }
    }

    package func count(_ reason: String) -> Int { counts.withLock { $0[reason] ?? 0 } }
}
