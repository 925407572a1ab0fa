// Prometheus's duration syntax (`model.Duration` in prometheus/common): `30s`, `1m30s`, `1h`,
// `1d`, `1w`, `1y`, `0`; units biggest first, no sign, no fractions.

/// Parsing and printing `model.Duration` values, in milliseconds.
package enum ModelDuration {
    private static let units: [(name: String, milliseconds: UInt64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000),
        ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// `model.ParseDuration`, in milliseconds.
    ///
    /// ```swift
    /// try ModelDuration.parse("1m30s")  // 90_000
    /// ```
    /// - Throws: `ConfigError` with Prometheus's text: `not a valid duration string: "1.5h"`,
    ///   `unknown unit "x" in duration "3x"`, `empty duration string`, `duration out of range`.
    package static func parse(_ text: String) throws(ConfigError) -> Int64 {
        if text == "0" { return 0 }
        if text.isEmpty { throw ConfigError("empty duration string") }
        let invalid = ConfigError("not a valid duration string: \(GoString.quote(text))")
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        var rest = Substring(text).utf8[...]
        var total: UInt64 = 0
        var lastUnit = -1
        // Go counts in nanoseconds and caps at 1<<63-1 ns.
        let maxNanoseconds: UInt64 = 1 << 63 - 1
        while let first = rest.first {
            guard isDigit(first) else { throw invalid }
            let digits = rest.prefix(while: isDigit)
            rest = rest.dropFirst(digits.count)
            guard let value = UInt64(String(decoding: digits, as: UTF8.self)) else { throw invalid }
            let unitText = rest.prefix { !isDigit($0) }
            rest = rest.dropFirst(unitText.count)
            guard !unitText.isEmpty else { throw invalid }
            let name = String(decoding: unitText, as: UTF8.self)
            guard let unitIndex = units.firstIndex(where: { $0.name == name }) else {
                throw ConfigError("unknown unit \(GoString.quote(name)) in duration \(GoString.quote(text))")
            }
            guard unitIndex > lastUnit else { throw invalid }
            lastUnit = unitIndex
            let nanosecondsPerUnit = units[unitIndex].milliseconds * 1_000_000
            guard value <= (1 << 63) / nanosecondsPerUnit else { throw ConfigError("duration out of range") }
            total += value * units[unitIndex].milliseconds
            guard total <= maxNanoseconds / 1_000_000 else { throw ConfigError("duration out of range") }
        }
        return Int64(total)
    }

    /// `model.Duration.String()`: `1m30s`, `2w`, `0s`.
    package static func format(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var remaining = milliseconds.magnitude
        var out = milliseconds < 0 ? "-" : ""
        for (name, size) in units {
            let exactOnly = name == "y" || name == "w"
            if exactOnly && remaining % size != 0 { continue }
            let count = remaining / size
            if count > 0 {
                out += "\(count)\(name)"
                remaining -= count * size
            }
        }
        return out
    }
}
