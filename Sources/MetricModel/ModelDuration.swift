// Prometheus durations (`prometheus/common` model.ParseDuration and model.Duration.String):
// integer amounts with units y w d h m s ms, biggest unit first, each unit at most once. Used by
// PromQL, prometheus.yml and target labels (`__scrape_interval__`).

/// Prometheus's `model.Duration`: parsing and printing.
///
/// ```swift
/// try ModelDuration.parse("1h30m")       // 5_400_000 (ms)
/// ModelDuration.format(milliseconds: 604_800_000)  // "1w"
/// ```
package enum ModelDuration {
    /// Nanoseconds per unit, as in `model.unitMap`; the order is the required order of units.
    private static let units: [(unit: String, nanoseconds: UInt64)] = [
        ("y", 365 * 24 * 3_600_000_000_000),
        ("w", 7 * 24 * 3_600_000_000_000),
        ("d", 24 * 3_600_000_000_000),
        ("h", 3_600_000_000_000),
        ("m", 60_000_000_000),
        ("s", 1_000_000_000),
        ("ms", 1_000_000),
    ]

    /// Parses a duration such as `5m`, `1h30m` or `2w`, returning milliseconds.
    ///
    /// Rules (`model.ParseDuration`): `0` needs no unit; otherwise one or more
    /// `<digits><unit>` groups with units `y`, `w`, `d`, `h`, `m`, `s`, `ms` in that order,
    /// each at most once (`1m1d` is rejected). No sign, no fractions (`1.5s` is rejected).
    /// The total must fit in Go's `time.Duration` (about 292 years).
    ///
    /// - Throws: `ModelDurationError` with Prometheus's message: `empty duration string`,
    ///   `not a valid duration string: "…"`, `unknown unit "…" in duration "…"` or
    ///   `duration out of range`.
    package static func parse(_ s: String) throws(ModelDurationError) -> Int64 {
        try parseNanoseconds(s) / 1_000_000
    }

    /// `model.ParseDuration` in Go's unit, nanoseconds.
    package static func parseNanoseconds(_ s: String) throws(ModelDurationError) -> Int64 {
        if s == "0" { return 0 }
        if s.isEmpty { throw ModelDurationError("empty duration string") }
        let bytes = Array(s.utf8)
        let invalid = ModelDurationError("not a valid duration string: \(goQuote(s))")
        var total: UInt64 = 0
        var lastUnitIndex = -1
        var i = 0
        while i < bytes.count {
            guard isASCIIDigit(bytes[i]) else { throw invalid }
            var amount: UInt64 = 0
            var tooLong = false
            while i < bytes.count, isASCIIDigit(bytes[i]) {
                let (m, o1) = amount.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(bytes[i] - UInt8(ascii: "0")))
                if o1 || o2 { tooLong = true }
                amount = a
                i += 1
            }
            if tooLong { throw invalid }
            let unitStart = i
            while i < bytes.count, !isASCIIDigit(bytes[i]) { i += 1 }
            if i == unitStart { throw invalid }
            let unit = String(decoding: bytes[unitStart..<i], as: UTF8.self)
            guard let index = units.firstIndex(where: { $0.unit == unit }) else {
                throw ModelDurationError("unknown unit \(goQuote(unit)) in duration \(goQuote(s))")
            }
            if index <= lastUnitIndex { throw invalid }
            lastUnitIndex = index
            let multiplier = units[index].nanoseconds
            if amount > (UInt64(1) << 63) / multiplier { throw ModelDurationError("duration out of range") }
            total += amount * multiplier
            if total > UInt64(Int64.max) { throw ModelDurationError("duration out of range") }
        }
        return Int64(total)
    }

    @inline(__always)
    private static func isASCIIDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// Formats milliseconds as Prometheus prints durations (`model.Duration.String`):
    /// `1h30m`, `90d` (weeks and years only when exact), `0s` for zero, `-` for negative.
    package static func format(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var ms = milliseconds.magnitude
        var out = milliseconds < 0 ? "-" : ""
        let units: [(String, UInt64, Bool)] = [
            ("y", 1000 * 60 * 60 * 24 * 365, true), ("w", 1000 * 60 * 60 * 24 * 7, true),
            ("d", 1000 * 60 * 60 * 24, false), ("h", 1000 * 60 * 60, false), ("m", 1000 * 60, false),
            ("s", 1000, false), ("ms", 1, false),
        ]
        for (unit, size, exactOnly) in units {
            if exactOnly && ms % size != 0 { continue }
            let v = ms / size
            if v > 0 {
                out += "\(v)\(unit)"
                ms -= v * size
            }
        }
        return out
    }
}

/// A duration string Prometheus would not accept, with its message.
package struct ModelDurationError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
