// OTLP units (UCUM, "By", "ms", "1/s") as Prometheus metric-name suffixes and metadata units,
// after the rules of github.com/prometheus/otlptranslator v1.0.0 (unit_namer.go), which
// Prometheus 3's OTLP receiver uses.

/// Turns an OTLP unit into the words Prometheus puts at the end of a metric name.
///
/// ```swift
/// OTLPUnit.promName("By/s")   // "bytes_per_second"
/// OTLPUnit.promName("ms")     // "milliseconds"
/// OTLPUnit.promName("1")      // "" (dimensionless)
/// OTLPUnit.promName("{req}")  // "" (annotations in braces are dropped)
/// ```
package enum OTLPUnit {
    /// UCUM units with a Prometheus base-unit name; others are kept as written.
    static let mainUnits: [String: String] = [
        // time
        "d": "days", "h": "hours", "min": "minutes", "s": "seconds", "ms": "milliseconds",
        "us": "microseconds", "ns": "nanoseconds",
        // bytes
        "By": "bytes", "KiBy": "kibibytes", "MiBy": "mebibytes", "GiBy": "gibibytes", "TiBy": "tibibytes",
        "KBy": "kilobytes", "MBy": "megabytes", "GBy": "gigabytes", "TBy": "terabytes",
        // SI
        "m": "meters", "V": "volts", "A": "amperes", "J": "joules", "W": "watts", "g": "grams",
        // other
        "Cel": "celsius", "Hz": "hertz", "1": "", "%": "percent",
    ]

    /// The unit after `/`, in the singular.
    static let perUnits: [String: String] = [
        "s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week", "mo": "month", "y": "year",
    ]

    /// The unit as a metadata unit (Prometheus's `UnitNamer` without UTF-8): main and per parts
    /// cleaned and joined with `_`, without leading or trailing `_`.
    package static func promName(_ unit: String) -> String {
        let (main, per) = suffixes(unit)
        let cleanMain = cleanUp(main)
        let cleanPer = cleanUp(per)
        var u: Substring
        if !cleanMain.isEmpty && !cleanPer.isEmpty {
            u = Substring(cleanMain + "_" + cleanPer)
        } else {
            u = Substring(cleanMain.isEmpty ? cleanPer : cleanMain)
        }
        if u.first == "_" { u = u.dropFirst() }
        if u.last == "_" { u = u.dropLast() }
        return String(u)
    }

    /// The main and per parts of `unit`, mapped but not cleaned: `"By/s"` → (`bytes`, `per_second`).
    /// A part that is blank or holds `{` or `}` is empty.
    static func suffixes(_ unit: String) -> (main: String, per: String) {
        let parts = unit.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        var main = ""
        var per = ""
        let mainPart = trimmingSpaces(parts[0])
        if !mainPart.isEmpty && !hasBraces(mainPart) {
            main = mainUnits[mainPart] ?? mainPart
        }
        if parts.count > 1, !parts[1].isEmpty {
            let perPart = trimmingSpaces(parts[1])
            if !perPart.isEmpty && !hasBraces(perPart) {
                per = "per_" + (perUnits[perPart] ?? perPart)
            }
        }
        return (main, per)
    }

    /// A unit part as metric-name characters: each character outside `[a-zA-Z0-9:]` becomes
    /// `_`, runs of `_` collapse to one, and a leading `_` is dropped.
    static func cleanUp(_ unit: String) -> String {
        var out = ""
        var lastWasUnderscore = false
        for scalar in unit.unicodeScalars {
            let c: Character = OTLPMetricNamer.isMetricNameCharacter(scalar) ? Character(scalar) : "_"
            if c == "_" {
                if lastWasUnderscore { continue }
                lastWasUnderscore = true
            } else {
                lastWasUnderscore = false
            }
            out.append(c)
        }
        if out.first == "_" { out.removeFirst() }
        return out
    }

    private static func hasBraces(_ s: String) -> Bool { s.contains("{") || s.contains("}") }

    /// Go's `strings.TrimSpace`: white space (Unicode's White_Space, as Go's `unicode.IsSpace`) off both ends.
    private static func trimmingSpaces(_ s: Substring) -> String {
        var t = s.unicodeScalars[...]
        while let c = t.first, c.properties.isWhitespace { t = t.dropFirst() }
        while let c = t.last, c.properties.isWhitespace { t = t.dropLast() }
        return String(Substring(t))
    }
}
