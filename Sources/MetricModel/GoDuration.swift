// Go's `time.Duration.String()`, which Prometheus's tools print durations with.

/// Go's `time.Duration.String()` for a whole number of milliseconds (`2.001s`, `1h59m45.001s`, `500ms`).
package func goDurationString(milliseconds: Int64) -> String {
    if milliseconds == 0 { return "0s" }
    var ms = milliseconds.magnitude
    let sign = milliseconds < 0 ? "-" : ""
    if ms < 1000 { return "\(sign)\(ms)ms" }
    let hours = ms / 3_600_000
    ms %= 3_600_000
    let minutes = ms / 60_000
    ms %= 60_000
    var seconds = "\(ms / 1000)"
    if ms % 1000 != 0 {
        var fraction = String(ms % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        seconds += "." + fraction
    }
    if hours > 0 { return "\(sign)\(hours)h\(minutes)m\(seconds)s" }
    if minutes > 0 { return "\(sign)\(minutes)m\(seconds)s" }
    return "\(sign)\(seconds)s"
}
