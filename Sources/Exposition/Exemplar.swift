// Exemplar: the `# {labels} value [timestamp]` tail of an OpenMetrics sample line.

package import MetricModel

/// An OpenMetrics exemplar attached to a sample.
///
/// ```swift
/// // foo_total 17 # {trace_id="abc"} 5 1520879607.789
/// let e = try parser.exemplar()  // labels {trace_id="abc"}, value 5, timestamp 1520879607789
/// ```
package struct Exemplar: Sendable, Hashable {
    /// The exemplar's labels, sorted, escapes resolved (Prometheus keeps them escaped).
    package var labels: Labels
    /// The exemplar value; NaN is Prometheus's normal NaN.
    package var value: Double
    /// Milliseconds since the epoch, converted from OpenMetrics seconds as Prometheus does
    /// (`int64(seconds * 1000)`); nil when the exemplar has none.
    package var timestamp: Timestamp?

    /// An exemplar with these parts.
    package init(labels: Labels, value: Double, timestamp: Timestamp?) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    /// Equality by value bits, so NaN exemplars compare equal to themselves.
    package static func == (lhs: Exemplar, rhs: Exemplar) -> Bool {
        lhs.labels == rhs.labels && lhs.value.bitPattern == rhs.value.bitPattern
            && lhs.timestamp == rhs.timestamp
    }

    /// Hashes the value by bit pattern, consistently with `==`.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        hasher.combine(value.bitPattern)
        hasher.combine(timestamp)
    }
}
