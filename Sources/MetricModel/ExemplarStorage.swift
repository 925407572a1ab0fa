// ExemplarStorage: the most recent exemplars of all series in one fixed-size ring, as Prometheus's
// `CircularExemplarStorage` (tsdb/exemplar.go) keeps them, for `/api/v1/query_exemplars`.

internal import Synchronization

/// One stored exemplar: its own labels (a trace id, typically), value and time.
package struct StoredExemplar: Sendable, Equatable {
    package var labels: Labels
    package var value: Double
    package var timestamp: Timestamp

    package init(labels: Labels, value: Double, timestamp: Timestamp) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    package static func == (a: StoredExemplar, b: StoredExemplar) -> Bool {
        a.labels == b.labels && a.value.bitPattern == b.value.bitPattern && a.timestamp == b.timestamp
    }
}

/// Why an exemplar was not stored (Prometheus's wording).
package enum ExemplarError: Error, Sendable, Equatable {
    /// Older than the newest exemplar of its series.
    case outOfOrder
    /// Its labels are longer than 128 UTF-8 characters together (names and values).
    case labelsTooLong

    package var message: String {
        switch self {
        case .outOfOrder: "out of order exemplar"
        case .labelsTooLong: "exemplar label set too long"
        }
    }
}

/// The newest `capacity` exemplars across all series: appending to a full ring replaces the oldest.
/// Thread-safety: all methods may be called concurrently.
package final class ExemplarStorage: Sendable {
    /// Prometheus's `ExemplarMaxLabelSetLength`, in UTF-8 characters.
    package static let maxLabelSetLength = 128

    private struct State {
        /// Grows up to `capacity` as exemplars arrive (a server that never receives one holds
        /// none), then wraps.
        var ring: [(series: Labels, exemplar: StoredExemplar)?] = []
        var next = 0
        /// Ring indices of each series' exemplars, oldest first.
        var bySeries: [Labels: [Int]] = [:]
    }

    private let state: Mutex<State>
    package let capacity: Int
    /// `prometheus_tsdb_exemplar_exemplars_appended_total`: exemplars stored (the same again is not).
    package let appended = Counter()
    /// `prometheus_tsdb_exemplar_out_of_order_exemplars_total`
    package let outOfOrder = Counter()

    package init(capacity: Int = 100_000) {
        self.capacity = max(capacity, 1)
        state = Mutex(State())
    }

    /// Stores `exemplar` for `series`. The same exemplar again is accepted and not stored twice.
    package func append(_ exemplar: StoredExemplar, for series: Labels) throws(ExemplarError) {
        var length = 0
        for (name, value) in exemplar.labels.pairs { length += name.count + value.count }
        if length > Self.maxLabelSetLength { throw .labelsTooLong }
        let outcome: ExemplarError? = state.withLock { state in
            if let last = state.bySeries[series]?.last, let newest = state.ring[last]?.exemplar {
                if newest == exemplar { return nil }
                if exemplar.timestamp < newest.timestamp { return .outOfOrder }
            }
            if state.ring.count < capacity {
                if state.ring.count == state.ring.capacity {
                    state.ring.reserveCapacity(min(capacity, max(64, state.ring.count * 2)))
                }
                state.ring.append(nil)
            }
            if let old = state.ring[state.next] {
                // The oldest overall is the oldest of its series: first in its list.
                state.bySeries[old.series]?.removeFirst()
                if state.bySeries[old.series]?.isEmpty == true { state.bySeries[old.series] = nil }
            }
            state.ring[state.next] = (series, exemplar)
            state.bySeries[series, default: []].append(state.next)
            state.next = (state.next + 1) % capacity
            appended.add()
            return nil
        }
        if let outcome {
            if outcome == .outOfOrder { self.outOfOrder.add() }
            throw outcome
        }
    }

    /// For `/metrics`: exemplars held, series that have any, and the timestamp of the oldest
    /// exemplar in the ring (the next one to be replaced; nil with none).
    package var stats: (stored: Int, series: Int, oldestTimestamp: Timestamp?) {
        state.withLock { state in
            let oldest = state.ring.isEmpty ? nil : state.ring[state.ring.count < capacity ? 0 : state.next]?.exemplar.timestamp
            return (state.ring.count { $0 != nil }, state.bySeries.count, oldest)
        }
    }

    /// The exemplars in `[minTime, maxTime]` of the series matching any of `matcherSets`, each
    /// series with its exemplars oldest first; series sorted by labels.
    package func select(minTime: Timestamp, maxTime: Timestamp, matcherSets: [[LabelMatcher]]) -> [(series: Labels, exemplars: [StoredExemplar])] {
        var result: [(series: Labels, exemplars: [StoredExemplar])] = []
        state.withLock { state in
            for (series, indices) in state.bySeries
            where matcherSets.contains(where: { set in set.allSatisfy { $0.matches(series[$0.name] ?? "") } }) {
                let exemplars = indices.compactMap { state.ring[$0]?.exemplar }.filter {
                    $0.timestamp >= minTime && $0.timestamp <= maxTime
                }
                if !exemplars.isEmpty { result.append((series, exemplars)) }
            }
        }
        return result.sorted { $0.series < $1.series }
    }

    /// Exemplars held now.
    package var count: Int { state.withLock { $0.bySeries.values.reduce(0) { $0 + $1.count } } }
}
