// Prometheus durations in PromQL: `ModelDuration` (MetricModel) with PromQL's error type.

import MetricModel

/// Parses a Prometheus duration such as `5m`, `1h30m` or `2w`, returning milliseconds
/// (``ModelDuration/parse(_:)``).
///
/// ```swift
/// try parseDuration("1h30m")  // 5_400_000
/// try parseDuration("90s")    // 90_000
/// ```
///
/// - Throws: `ParseError` with code `.badDuration` and Prometheus's message.
package func parseDuration(_ s: String) throws(ParseError) -> Int64 {
    try parseDurationNanoseconds(s) / 1_000_000
}

/// `model.ParseDuration` in Go's unit, nanoseconds.
func parseDurationNanoseconds(_ s: String) throws(ParseError) -> Int64 {
    do { return try ModelDuration.parseNanoseconds(s) } catch { throw ParseError(.badDuration, error.message) }
}

/// Formats milliseconds as Prometheus prints durations (``ModelDuration/format(milliseconds:)``):
/// `1h30m`, `90d` (weeks and years only when exact), `0s` for zero, `-` for negative.
///
/// ```swift
/// formatDuration(5_400_000)   // "1h30m"
/// formatDuration(604_800_000) // "1w"
/// ```
package func formatDuration(_ milliseconds: Int64) -> String {
    ModelDuration.format(milliseconds: milliseconds)
}
