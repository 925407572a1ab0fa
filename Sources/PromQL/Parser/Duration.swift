// Prometheus durations (`prometheus/common` model.ParseDuration and model.Duration.String),
// MetricModel's `PrometheusDuration` with the PromQL parser's error texts.

import MetricModel

/// Parses a Prometheus duration such as `5m`, `1h30m` or `2w`, returning milliseconds.
///
/// Rules (`model.ParseDuration`): `0` needs no unit; otherwise one or more
/// `<digits><unit>` groups with units `y`, `w`, `d`, `h`, `m`, `s`, `ms` in that order,
/// each at most once (`1m1d` is rejected). No sign, no fractions (`1.5s` is rejected).
/// The total must fit in Go's `time.Duration` (about 292 years).
///
/// ```swift
/// try parseDuration("1h30m")  // 5_400_000
/// try parseDuration("90s")    // 90_000
/// ```
///
/// - Throws: `ParseError` with code `.badDuration` and Prometheus's message:
///   `empty duration string`, `not a valid duration string: "…"`,
///   `unknown unit "…" in duration "…"` or `duration out of range`.
package func parseDuration(_ s: String) throws(ParseError) -> Int64 {
    try parseDurationNanoseconds(s) / 1_000_000
}

/// `model.ParseDuration` in Go's unit, nanoseconds.
func parseDurationNanoseconds(_ s: String) throws(ParseError) -> Int64 {
    do {
        return try PrometheusDuration.nanoseconds(s)
    } catch {
        switch error {
        case .empty: throw ParseError(.badDuration, "empty duration string")
        case .invalid: throw ParseError(.badDuration, "not a valid duration string: \(goQuote(s))")
        case .unknownUnit(let unit): throw ParseError(.badDuration, "unknown unit \(goQuote(unit)) in duration \(goQuote(s))")
        case .outOfRange: throw ParseError(.badDuration, "duration out of range")
        }
    }
}

/// Formats milliseconds as Prometheus prints durations (`model.Duration.String`):
/// `1h30m`, `90d` (weeks and years only when exact), `0s` for zero, `-` for negative.
///
/// ```swift
/// formatDuration(5_400_000)   // "1h30m"
/// formatDuration(604_800_000) // "1w"
/// ```
package func formatDuration(_ milliseconds: Int64) -> String {
    PrometheusDuration.format(milliseconds: milliseconds)
}
