// FixedBucketHistogram: a fixed-bucket histogram of integer observations (nanoseconds, bytes) for the
// server's self-metrics, lock-free so that request paths can observe it.

internal import Synchronization

/// A histogram with fixed upper bounds, counted in atomics: observing takes no lock and
/// allocates nothing.
///
/// Observations are integers in a base unit (nanoseconds, bytes); `unitScale` converts them to
/// the exposed unit (`1e-9` for seconds from nanoseconds).
///
/// ```swift
/// let latency = FixedBucketHistogram(bounds: [0.1, 0.2, 0.4, 1], unitScale: 1e-9)
/// latency.observe(150_000_000)  // 0.15 s
/// latency.snapshot.cumulativeCounts  // [0, 1, 1, 1]
/// ```
/// Thread-safety: everything may be called concurrently.
package final class FixedBucketHistogram: Sendable {
    /// Upper bounds of the buckets in the exposed unit, ascending (`+Inf` is implied).
    package let bounds: [Double]
    /// What one unit of an observation is in the exposed unit.
    package let unitScale: Double
    /// `bounds` in observation units: an observation `v` falls in the first bucket with `v <= bound`.
    private let integerBounds: [Int]
    /// Per bucket, observations that fell in it (not cumulative); the last is `+Inf`'s own.
    private let counts: [Counter]
    private let sum = Atomic<Int>(0)

    package init(bounds: [Double], unitScale: Double = 1) {
        self.bounds = bounds
        self.unitScale = unitScale
        integerBounds = bounds.map { Int(($0 / unitScale).rounded(.down)) }
        counts = (0...bounds.count).map { _ in Counter() }
    }

    /// Records one observation, in base units. Lock-free, no allocation.
    @inline(__always)
    package func observe(_ value: Int) {
        var bucket = 0
        while bucket < integerBounds.count && value > integerBounds[bucket] { bucket += 1 }
        counts[bucket].add()
        sum.add(value, ordering: .relaxed)
    }

    /// The histogram as it stands, cumulative as the exposition writes it.
    package struct Snapshot: Sendable {
        /// Per bound, observations at most that bound.
        package var cumulativeCounts: [Int]
        /// Every observation (the `+Inf` bucket and `_count`).
        package var count: Int
        /// The sum of the observations, in the exposed unit.
        package var sum: Double
    }

    package var snapshot: Snapshot {
        var running = 0
        var cumulative: [Int] = []
        cumulative.reserveCapacity(bounds.count)
        for (i, counter) in counts.enumerated() {
            running += counter.current
            if i < bounds.count { cumulative.append(running) }
        }
        return Snapshot(cumulativeCounts: cumulative, count: running, sum: Double(sum.load(ordering: .relaxed)) * unitScale)
    }
}
