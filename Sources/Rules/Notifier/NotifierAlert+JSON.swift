// The body of `POST /api/v2/alerts`: Alertmanager's `models.PostableAlerts` exactly as Prometheus
// writes it with Go's encoding/json, byte for byte.
//
// go-swagger marshals a `PostableAlert` in two parts joined into one object: first
// `annotations` (left out when empty), `endsAt`, `startsAt` (`strfmt.DateTime`, a struct, so
// `omitempty` never leaves it out: the zero time is written), then `generatorURL` (left out when
// empty) and `labels` (always). Maps have their keys sorted by bytes; times are RFC 3339 with
// milliseconds (`strfmt.RFC3339Millis`), in UTC here.

import MetricModel

extension NotifierAlert {
    /// The JSON array Alertmanager's API v2 takes, as Prometheus 3 sends it.
    ///
    /// ```swift
    /// String(decoding: NotifierAlert.alertmanagerV2Body([alert]), as: UTF8.self)
    /// // [{"annotations":{"summary":"x"},"endsAt":"2023-11-14T22:17:20.000Z",
    /// //   "startsAt":"2023-11-14T22:13:20.000Z","generatorURL":"http://…","labels":{"alertname":"A"}}]
    /// ```
    package static func alertmanagerV2Body(_ alerts: [NotifierAlert]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(alerts.count * 256)
        out.append(UInt8(ascii: "["))
        for (index, alert) in alerts.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            alert.appendJSON(to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    private func appendJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if !annotations.isEmpty {
            out += Array(#""annotations":"#.utf8)
            GoJSON.appendObject(annotations, to: &out)
            out.append(UInt8(ascii: ","))
        }
        out += Array(#""endsAt":""#.utf8)
        out += Array((endsAt.map(RFC3339Millis.format) ?? RFC3339Millis.goZeroTime).utf8)
        out += Array(#"","startsAt":""#.utf8)
        out += Array(RFC3339Millis.format(startsAt).utf8)
        out.append(UInt8(ascii: "\""))
        if !generatorURL.isEmpty {
            out += Array(#","generatorURL":"#.utf8)
            GoJSON.appendString(generatorURL, to: &out)
        }
        out += Array(#","labels":"#.utf8)
        GoJSON.appendObject(labels, to: &out)
        out.append(UInt8(ascii: "}"))
    }
}

/// What Go's encoding/json (Go 1.22 and later) writes for strings and string maps.
enum GoJSON {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A label set as a JSON object: Go sorts map keys by bytes, the order `Labels` keeps.
    static func appendObject(_ labels: Labels, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        labels.forEach { name, value in
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            appendString(value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A quoted string: `"` and `\` escaped, `\b \f \n \r \t` as such, other control
    /// characters and `<`, `>`, `&`, U+2028, U+2029 as `\u00XX` (Go's HTML-safe default).
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case 0x5C: out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x00..<0x20, 0x3C, 0x3E, 0x26, 0x2028, 0x2029:
                out += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
                for shift in stride(from: 12, through: 0, by: -4) {
                    out.append(hexDigits[Int((scalar.value >> UInt32(shift)) & 0xF)])
                }
            default: out += Array(String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Times as go-openapi's `strfmt.DateTime` writes them: `2006-01-02T15:04:05.000Z07:00`.
enum RFC3339Millis {
    /// Go's zero `time.Time`, what an unset `endsAt` is sent as.
    static let goZeroTime = "0001-01-01T00:00:00.000Z"

    /// `ms` since the epoch in UTC, e.g. `2023-11-14T22:13:20.123Z`. Years past 9999 get more
    /// digits and years before 1 a sign, as Go writes them.
    static func format(_ ms: Int64) -> String {
        let (days, msOfDay) = ms.quotientAndRemainder(dividingBy: 86_400_000)
        let (day, time) = msOfDay < 0 ? (days - 1, msOfDay + 86_400_000) : (days, msOfDay)
        let (year, month, dayOfMonth) = civilDate(daysSinceEpoch: day)
        var text = year < 0 ? "-" + padded(-year, 4) : padded(year, 4)
        text += "-" + padded(month, 2) + "-" + padded(dayOfMonth, 2)
        text += "T" + padded(time / 3_600_000, 2) + ":" + padded(time / 60_000 % 60, 2) + ":" + padded(time / 1000 % 60, 2)
        return text + "." + padded(time % 1000, 3) + "Z"
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
