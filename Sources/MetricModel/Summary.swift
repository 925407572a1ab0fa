// Summary: a summary over a bounded window of recent observations, for self-metrics that are
// observed at most a few times a second (scrapes, syncs), with Prometheus's quantiles.

internal import Synchronization

/// Quantiles over the last `window` observations (exact, not estimated), plus the sum and count
/// of every observation since start.
///
/// Prometheus's summaries take their quantiles over the last 10 minutes; ours over a bounded
/// number of observations, so memory does not grow with the observation rate.
///
/// ```swift
/// let intervals = Summary()
/// intervals.observe(15.002)
/// intervals.snapshot.quantiles  // [(0.01, 15.002), (0.05, 15.002), …]
/// ```
/// Thread-safety: everything may be called concurrently (a lock per summary; not for
/// per-sample or per-request paths).
package final class Summary: Sendable {
    /// The quantiles Prometheus's scrape summaries expose.
    package static let prometheusObjectives: [Double] = [0.01, 0.05, 0.5, 0.9, 0.99]

    package let objectives: [Double]
    package let window: Int

    private struct State {
        var count = 0
        var sum = 0.0
        var recent: [Double] = []
        var next = 0
    }

    private let state = Mutex(State())

    package init(objectives: [Double] = Summary.prometheusObjectives, window: Int = 1024) {
        self.objectives = objectives
        self.window = max(1, window)
    }

    package func observe(_ value: Double) {
        state.withLock { s in
            s.count += 1
            s.sum += value
            if s.recent.count < window {
                s.recent.append(value)
            } else {
                s.recent[s.next] = value
                s.next = (s.next + 1) % window
            }
        }
    }

    package struct Snapshot: Sendable {
        /// Per objective, the value at that rank of the window (NaN with no observation, as
        /// client_golang writes an empty summary).
        package var quantiles: [(quantile: Double, value: Double)]
        package var count: Int
        package var sum: Double
    }

    package var snapshot: Snapshot {
        let (recent, count, sum) = state.withLock { ($0.recent, $0.count, $0.sum) }
        let sorted = recent.sorted()
        let quantiles = objectives.map { q -> (quantile: Double, value: Double) in
            guard !sorted.isEmpty else { return (q, .nan) }
            let rank = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
            return (q, sorted[rank])
        }
        return Snapshot(quantiles: quantiles, count: count, sum: sum)
    }
}
