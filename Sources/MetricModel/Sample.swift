// Timestamps, samples, series references and Prometheus's special NaN values.

/// Milliseconds since the Unix epoch, as everywhere in Prometheus.
package typealias Timestamp = Int64

/// One float sample.
package struct Sample: Sendable, Equatable {
    package var timestamp: Timestamp
    package var value: Double

    package init(_ timestamp: Timestamp, _ value: Double) {
        self.timestamp = timestamp
        self.value = value
    }

    /// Equality by value bits, so NaN payloads (stale markers) compare exactly.
    package static func == (lhs: Sample, rhs: Sample) -> Bool {
        lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
    }
}

/// Prometheus's special float values (`model/value/value.go`).
package enum StaleNaN {
    /// The staleness marker's bit pattern, a signalling NaN.
    package static let bits: UInt64 = 0x7FF0_0000_0000_0002
    /// The ordinary NaN Prometheus produces.
    package static let normalNaNBits: UInt64 = 0x7FF8_0000_0000_0001
    /// The staleness marker as a Double.
    package static let value = Double(bitPattern: bits)

    /// True when `v` is exactly the staleness marker.
    @inlinable
    package static func isStale(_ v: Double) -> Bool { v.bitPattern == bits }
}

/// A reference to a series in a storage's head, valid for the storage's lifetime.
package struct SeriesRef: Hashable, Sendable, CustomStringConvertible {
    package var rawValue: UInt64
    package init(_ rawValue: UInt64) { self.rawValue = rawValue }
    package var description: String { String(rawValue) }
}
