// Parsing the HTTP API's `time`/`start`/`end` and `step`/`timeout` parameters
// (spec/compat-apis.md §1.2) exactly as Prometheus's `web/api/v1/api.go` does
// (`parseTime`, `parseDuration`), including its float-rounding and overflow behaviour.

package import MetricModel

/// Prometheus's `MinTime` formatted as RFC 3339, accepted as a special `start` value.
package let prometheusMinTimeText = "-292273086-05-16T16:47:06Z"
/// Prometheus's `MaxTime` formatted as RFC 3339, accepted as a special `end` value.
package let prometheusMaxTimeText = "292277025-08-18T07:12:54.999999999Z"
/// Prometheus's `MinTime` in milliseconds (the default `start` of metadata queries).
package let prometheusMinTime: Timestamp = -9_223_309_901_257_974_000
/// Prometheus's `MaxTime` in milliseconds (the default `end` of metadata queries).
package let prometheusMaxTime: Timestamp = 9_223_309_901_257_974_999

/// Parses a timestamp parameter into milliseconds since the epoch.
///
/// Accepted, in this order (as Prometheus):
/// 1. Unix seconds as a Go float (`1435781451.781`, `1e9`, `-1.5`, `0x1p3`, `Inf`): the
///    fraction is rounded to whole milliseconds (`math.Round(frac*1000)/1000`), then the
///    value goes through Go's `time.Unix` and `timestamp.FromTime`, overflow included.
/// 2. RFC 3339 with optional fraction (`2015-07-01T20:10:51.781Z`, `…+02:00`); digits past
///    nanoseconds are ignored, and sub-millisecond parts are truncated.
/// 3. The exact texts of Prometheus's `MinTime` and `MaxTime`.
///
/// ```swift
/// try parseTime("1435781451.781")             // 1435781451781
/// try parseTime("2015-07-01T20:10:51.781Z")   // 1435781451781
/// ```
///
/// - Throws: `ParseError` (`.badParameter`): `cannot parse "<s>" to a valid timestamp`.
package func parseTime(_ s: String) throws(ParseError) -> Timestamp {
    if case .success(let t) = goParseFloat(s) {
        let whole = t.rounded(.towardZero)  // math.Modf
        let fraction = ((t - whole) * 1000).rounded() / 1000
        return goUnixMilliseconds(seconds: goInt64(whole), nanoseconds: goInt64(fraction * 1e9))
    }
    if let ms = parseRFC3339Milliseconds(s) { return ms }
    if s == prometheusMinTimeText { return prometheusMinTime }
    if s == prometheusMaxTimeText { return prometheusMaxTime }
    throw ParseError(.badParameter, "cannot parse \(goQuote(s)) to a valid timestamp")
}

/// Parses a duration parameter (`step`, `timeout`, `lookback_delta`) into milliseconds.
///
/// Either Go-float seconds (`15`, `0.5`, `60.000`, `1e3`), truncated to whole nanoseconds
/// and then to milliseconds, or a Prometheus duration (`5m`, `1h30m`; see `parseDuration`).
/// Values beyond ±2⁶³ ns are rejected. As in Prometheus, `NaN` is not rejected here (it
/// yields a large negative duration that callers reject as non-positive).
///
/// ```swift
/// try parseDurationParam("15")     // 15_000
/// try parseDurationParam("1h30m")  // 5_400_000
/// ```
///
/// - Throws: `ParseError` (`.badParameter`): `cannot parse "<s>" to a valid duration`, or
///   `cannot parse "<s>" to a valid duration. It overflows int64`.
package func parseDurationParam(_ s: String) throws(ParseError) -> Int64 {
    if case .success(let seconds) = goParseFloat(s) {
        let nanoseconds = seconds * 1e9
        if nanoseconds > 9_223_372_036_854_775_808.0 || nanoseconds < -9_223_372_036_854_775_808.0 {
            throw ParseError(.badParameter, "cannot parse \(goQuote(s)) to a valid duration. It overflows int64")
        }
        return goInt64(nanoseconds) / 1_000_000
    }
    if let nanoseconds = try? parseDurationNanoseconds(s) { return nanoseconds / 1_000_000 }
    throw ParseError(.badParameter, "cannot parse \(goQuote(s)) to a valid duration")
}

/// Go's `timestamp.FromTime(time.Unix(sec, nsec))` with Go's wrapping int64 arithmetic.
func goUnixMilliseconds(seconds: Int64, nanoseconds: Int64) -> Int64 {
    var sec = seconds
    var nsec = nanoseconds
    if nsec < 0 || nsec >= 1_000_000_000 {
        let n = nsec / 1_000_000_000
        sec &+= n
        nsec &-= n &* 1_000_000_000
        if nsec < 0 {
            nsec &+= 1_000_000_000
            sec &-= 1
        }
    }
    return sec &* 1000 &+ nsec / 1_000_000
}
