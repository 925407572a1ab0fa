// Prometheus's duration syntax (prometheus/common `model.ParseDuration` and `Duration.String`):
// integer amounts with units y w d h m s ms, biggest unit first, each at most once; `0` alone
// needs no unit. Shared by PromQL (range selectors, offsets, API parameters) and the config.

/// Parsing and printing Prometheus durations.
///
/// ```swift
/// try PrometheusDuration.milliseconds("1h30m")      // 5_400_000
/// PrometheusDuration.format(milliseconds: 604_800_000)  // "1w"
/// ```
package enum PrometheusDuration {
    /// Why a text is not a duration; callers word it (Prometheus quotes with Go's `%q`).
    package enum SyntaxError: Error, Equatable {
        /// `empty duration string`
        case empty
        /// `not a valid duration string: "text"`
        case invalid
        /// `unknown unit "unit" in duration "text"`
        case unknownUnit(String)
        /// `duration out of range`
        case outOfRange
    }

    /// Nanoseconds per unit, as in `model.unitMap`; the order is the required order of units.
    private static let units: [(name: String, nanoseconds: UInt64)] = [
        ("y", 365 * 24 * 3_600_000_000_000), ("w", 7 * 24 * 3_600_000_000_000), ("d", 24 * 3_600_000_000_000),
        ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000),
    ]

    /// The duration in milliseconds.
    package static func milliseconds(_ text: String) throws(SyntaxError) -> Int64 {
        try nanoseconds(text) / 1_000_000
    }

    /// The duration in Go's unit, nanoseconds; at most `Int64.max` (about 292 years).
    package static func nanoseconds(_ text: String) throws(SyntaxError) -> Int64 {
        if text == "0" { return 0 }
        if text.isEmpty { throw .empty }
        let bytes = Array(text.utf8)
        var total: UInt64 = 0
        var lastUnitIndex = -1
        var i = 0
        while i < bytes.count {
            guard isDigit(bytes[i]) else { throw .invalid }
            var amount: UInt64 = 0
            var tooLong = false
            while i < bytes.count, isDigit(bytes[i]) {
                let (m, o1) = amount.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(bytes[i] - UInt8(ascii: "0")))
                if o1 || o2 { tooLong = true }
                amount = a
                i += 1
            }
            if tooLong { throw .invalid }
            let unitStart = i
            while i < bytes.count, !isDigit(bytes[i]) { i += 1 }
            if i == unitStart { throw .invalid }
            let unit = String(decoding: bytes[unitStart..<i], as: UTF8.self)
            guard let index = units.firstIndex(where: { $0.name == unit }) else { throw .unknownUnit(unit) }
            if index <= lastUnitIndex { throw .invalid }
            lastUnitIndex = index
            let multiplier = units[index].nanoseconds
            if amount > (UInt64(1) << 63) / multiplier { throw .outOfRange }
            total += amount * multiplier
            if total > UInt64(Int64.max) { throw .outOfRange }
        }
        return Int64(total)
    }

    /// `model.Duration.String()` of milliseconds: `1h30m`, `90d` (weeks and years only when
    /// exact), `0s` for zero, `-` for negative.
    package static func format(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var remaining = milliseconds.magnitude
        var out = milliseconds < 0 ? "-" : ""
        for (name, nanoseconds) in units {
            let size = nanoseconds / 1_000_000
            if (name == "y" || name == "w") && remaining % size != 0 { continue }
            let count = remaining / size
            if count > 0 {
                out += "\(count)\(name)"
                remaining -= count * size
            }
        }
        return out
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
