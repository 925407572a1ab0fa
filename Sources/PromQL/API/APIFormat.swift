// How the HTTP API writes sample values and timestamps (spec/compat-apis.md §1.3), byte for
// byte as Prometheus's `util/jsonutil` (MarshalFloat, MarshalTimestamp) does.

/// A sample value as Prometheus writes it inside JSON strings.
///
/// Go's `strconv.FormatFloat(v, fmt, -1, 64)` with the shortest round-trip digits, where
/// `fmt` is `'e'` when `0 < |v| < 1e-6` or `|v| >= 1e21` and `'f'` otherwise; the exponent
/// has a sign and at least two digits. Special values are `NaN`, `+Inf`, `-Inf`; negative
/// zero is `-0`. Every NaN (including the stale marker) prints as `NaN`.
///
/// ```swift
/// formatValue(1)          // "1"
/// formatValue(0.1)        // "0.1"
/// formatValue(1.2345678e-6) // "0.0000012345678"
/// formatValue(1e-7)       // "1e-07"
/// formatValue(1e21)       // "1e+21"
/// formatValue(.infinity)  // "+Inf"
/// ```
package func formatValue(_ v: Double) -> String {
    let magnitude = v.magnitude
    let exponent = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
    return goFormatShortest(v, exponent: exponent)
}

/// A timestamp in milliseconds as Prometheus writes it into JSON: a number of seconds.
///
/// The integer seconds, then — only when the milliseconds are not a whole second — a dot
/// and exactly three digits. Prometheus keeps trailing zeros there (`1.500`, `0.010`), so
/// we do too; JSON readers see the same number either way.
///
/// ```swift
/// formatTimestamp(1_435_781_451_781)  // "1435781451.781"
/// formatTimestamp(1_435_781_430_000)  // "1435781430"
/// formatTimestamp(-1_500)             // "-1.500"
/// formatTimestamp(1)                  // "0.001"
/// ```
package func formatTimestamp(_ milliseconds: Int64) -> String {
    let magnitude = milliseconds.magnitude
    var out = milliseconds < 0 ? "-" : ""
    out += String(magnitude / 1000)
    let fraction = magnitude % 1000
    if fraction != 0 {
        out += fraction < 10 ? ".00" : (fraction < 100 ? ".0" : ".")
        out += String(fraction)
    }
    return out
}
