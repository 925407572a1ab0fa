// Gauge: the atomic settable value behind the server's self-metric gauges.

internal import Synchronization

/// A value that goes up and down, safe to set and read from any thread (lock-free).
///
/// ```swift
/// let populating = Gauge()
/// populating.set(1)
/// populating.current  // 1.0
/// ```
package final class Gauge: Sendable {
    private let bits = Atomic<UInt64>(0.0.bitPattern)
    package init() {}
    @inline(__always)
    package func set(_ value: Double) { bits.store(value.bitPattern, ordering: .relaxed) }
    @inline(__always)
    package func set(_ value: Int) { set(Double(value)) }
    package var current: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }
}
