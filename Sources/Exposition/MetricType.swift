// MetricType: the metric family types of the Prometheus text and OpenMetrics formats.

/// The type a `# TYPE` line gives a metric family, spelled as Prometheus's `model.MetricType`.
///
/// Prometheus text 0.0.4 knows `counter`, `gauge`, `histogram`, `summary` and `untyped`
/// (read as `.unknown`, as Prometheus does); OpenMetrics 1.0 adds `gaugehistogram`, `info`,
/// `stateset` and spells the untyped case `unknown`.
///
/// ```swift
/// MetricType(openMetricsName: "gaugehistogram")  // .gaugeHistogram
/// MetricType.gaugeHistogram.rawValue             // "gaugehistogram"
/// ```
package enum MetricType: String, Sendable, Hashable, CaseIterable {
    /// A monotonic counter (`_total`, `_created` samples in OpenMetrics).
    case counter
    /// A value that can go up and down.
    case gauge
    /// Cumulative buckets (`_bucket{le=…}`), `_sum`, `_count`.
    case histogram
    /// OpenMetrics gauge histogram (`_bucket`, `_gsum`, `_gcount`).
    case gaugeHistogram = "gaugehistogram"
    /// Quantiles (`{quantile=…}`), `_sum`, `_count`.
    case summary
    /// OpenMetrics info (`_info`, value 1).
    case info
    /// OpenMetrics state set (one 0/1 sample per state).
    case stateset
    /// No `# TYPE` line, `untyped` (0.0.4) or `unknown` (OpenMetrics).
    case unknown

    /// The type named in a Prometheus text 0.0.4 `# TYPE` line, or nil for any other word.
    package init?(promTextName bytes: some Collection<UInt8>) {
        switch String(decoding: bytes, as: UTF8.self) {
        case "counter": self = .counter
        case "gauge": self = .gauge
        case "histogram": self = .histogram
        case "summary": self = .summary
        case "untyped": self = .unknown
        default: return nil
        }
    }

    /// The type named in an OpenMetrics `# TYPE` line, or nil for any other word.
    package init?(openMetricsName bytes: some Collection<UInt8>) {
        switch String(decoding: bytes, as: UTF8.self) {
        case "counter": self = .counter
        case "gauge": self = .gauge
        case "histogram": self = .histogram
        case "gaugehistogram": self = .gaugeHistogram
        case "summary": self = .summary
        case "info": self = .info
        case "stateset": self = .stateset
        case "unknown": self = .unknown
        default: return nil
        }
    }
}
