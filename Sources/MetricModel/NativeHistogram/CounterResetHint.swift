// CounterResetHint: what a native-histogram sample says about counter resets.

/// What is known about a counter reset at a histogram sample (Prometheus's
/// `histogram.CounterResetHint`; the raw values are those of its chunk and WAL encodings).
///
/// ```swift
/// var h = Histogram()
/// h.counterResetHint = .gauge   // a gauge histogram: resets do not apply
/// ```
package enum CounterResetHint: UInt8, Sendable, Hashable {
    /// Unknown whether this sample follows a reset; a reader compares it with the previous one.
    case unknown = 0
    /// There was definitely a counter reset at this sample.
    case counterReset = 1
    /// There was definitely no counter reset at this sample.
    case notCounterReset = 2
    /// A gauge histogram, where counter resets do not happen.
    case gauge = 3
}
