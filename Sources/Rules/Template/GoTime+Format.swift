// Go's `Time.Format(layout)`: the layout is the reference time Mon Jan 2 15:04:05 MST 2006
// written the way the result should look. Times here are UTC, so zones print as "UTC",
// "+0000" or "Z".

extension GoTime {
    /// The elements a layout can name (Go's `std*` constants).
    private enum Element {
        case longMonth, month, numMonth, zeroMonth
        case longWeekday, weekday
        case day, underDay, zeroDay, underYearDay, zeroYearDay
        case hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond
        case longYear, year, pm, lowerPM, zone
        /// A numeric zone: `text` for UTC ("+0000", "Z", …).
        case offset(String)
        /// Fractional seconds: `digits` wide, trailing zeros trimmed when `trim`.
        case fraction(separator: Character, digits: Int, trim: Bool)
    }

    /// Go's `Time.Format`.
    package func format(_ layout: String) -> String {
        let c = civil
        var out = ""
        var rest = Substring(layout)
        while !rest.isEmpty {
            guard let (prefix, element, suffix) = Self.nextElement(rest) else {
                out += rest
                break
            }
            out += prefix
            rest = suffix
            out += text(of: element, c)
        }
        return out
    }

    private func text(of element: Element, _ c: Civil) -> String {
        func padded(_ v: Int64, _ width: Int, _ pad: Character = "0") -> String {
            let s = String(v.magnitude)
            return (v < 0 ? "-" : "") + String(repeating: pad, count: max(0, width - s.count)) + s
        }
        switch element {
        case .longMonth: return Self.monthNames[c.month - 1]
        case .month: return String(Self.monthNames[c.month - 1].prefix(3))
        case .numMonth: return String(c.month)
        case .zeroMonth: return padded(Int64(c.month), 2)
        case .longWeekday: return Self.weekdayNames[c.weekday]
        case .weekday: return String(Self.weekdayNames[c.weekday].prefix(3))
        case .day: return String(c.day)
        case .underDay: return padded(Int64(c.day), 2, " ")
        case .zeroDay: return padded(Int64(c.day), 2)
        case .underYearDay: return padded(Int64(c.yearDay), 3, " ")
        case .zeroYearDay: return padded(Int64(c.yearDay), 3)
        case .hour: return padded(Int64(c.hour), 2)
        case .hour12: return String(c.hour % 12 == 0 ? 12 : c.hour % 12)
        case .zeroHour12: return padded(Int64(c.hour % 12 == 0 ? 12 : c.hour % 12), 2)
        case .minute: return String(c.minute)
        case .zeroMinute: return padded(Int64(c.minute), 2)
        case .second: return String(c.second)
        case .zeroSecond: return padded(Int64(c.second), 2)
        case .longYear: return padded(c.year, 4)
        case .year: return padded((c.year % 100 + 100) % 100, 2)
        case .pm: return c.hour >= 12 ? "PM" : "AM"
        case .lowerPM: return c.hour >= 12 ? "pm" : "am"
        case .zone: return "UTC"
        case .offset(let text): return text
        case .fraction(let separator, let digits, let trim):
            var s = padded(nanoseconds, 9)
            s = String(s.prefix(digits))
            if trim {
                while s.hasSuffix("0") { s.removeLast() }
                if s.isEmpty { return "" }
            }
            return String(separator) + s
        }
    }

    /// Go's `nextStdChunk`: the text before the first layout element, the element, and the rest.
    private static func nextElement(_ layout: Substring) -> (Substring, Element, Substring)? {
        let bytes = Array(layout.utf8)
        func has(_ s: String, at i: Int) -> Bool {
            let p = Array(s.utf8)
            return i + p.count <= bytes.count && bytes[i..<(i + p.count)].elementsEqual(p)
        }
        func lowerAt(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= UInt8(ascii: "a") && bytes[i] <= UInt8(ascii: "z") }
        func split(_ i: Int, _ length: Int, _ element: Element) -> (Substring, Element, Substring) {
            let u = layout.utf8
            let start = u.index(u.startIndex, offsetBy: i)
            let end = u.index(start, offsetBy: length)
            return (layout[..<start], element, layout[end...])
        }
        for i in bytes.indices {
            switch bytes[i] {
            case UInt8(ascii: "J") where has("Jan", at: i):
                if has("January", at: i) { return split(i, 7, .longMonth) }
                if !lowerAt(i + 3) { return split(i, 3, .month) }
            case UInt8(ascii: "M"):
                if has("Mon", at: i) {
                    if has("Monday", at: i) { return split(i, 6, .longWeekday) }
                    if !lowerAt(i + 3) { return split(i, 3, .weekday) }
                }
                if has("MST", at: i) { return split(i, 3, .zone) }
            case UInt8(ascii: "0"):
                if i + 1 < bytes.count, bytes[i + 1] >= UInt8(ascii: "1"), bytes[i + 1] <= UInt8(ascii: "6") {
                    let elements: [Element] = [.zeroMonth, .zeroDay, .zeroHour12, .zeroMinute, .zeroSecond, .year]
                    return split(i, 2, elements[Int(bytes[i + 1] - UInt8(ascii: "1"))])
                }
                if has("002", at: i) { return split(i, 3, .zeroYearDay) }
            case UInt8(ascii: "1"):
                return has("15", at: i) ? split(i, 2, .hour) : split(i, 1, .numMonth)
            case UInt8(ascii: "2"):
                return has("2006", at: i) ? split(i, 4, .longYear) : split(i, 1, .day)
            case UInt8(ascii: "_"):
                if has("_2", at: i) {
                    if has("_2006", at: i) { return split(i + 1, 4, .longYear) }
                    return split(i, 2, .underDay)
                }
                if has("__2", at: i) { return split(i, 3, .underYearDay) }
            case UInt8(ascii: "3"): return split(i, 1, .hour12)
            case UInt8(ascii: "4"): return split(i, 1, .minute)
            case UInt8(ascii: "5"): return split(i, 1, .second)
            case UInt8(ascii: "P") where has("PM", at: i): return split(i, 2, .pm)
            case UInt8(ascii: "p") where has("pm", at: i): return split(i, 2, .lowerPM)
            case UInt8(ascii: "-"), UInt8(ascii: "Z"):
                let z = bytes[i] == UInt8(ascii: "Z")
                let zones: [(String, String)] = [
                    ("070000", "+000000"), ("07:00:00", "+00:00:00"), ("0700", "+0000"), ("07:00", "+00:00"), ("07", "+00"),
                ]
                for (pattern, utc) in zones where has(String(UnicodeScalar(bytes[i])) + pattern, at: i) {
                    return split(i, pattern.utf8.count + 1, .offset(z ? "Z" : utc))
                }
            case UInt8(ascii: "."), UInt8(ascii: ","):
                guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "0") || bytes[i + 1] == UInt8(ascii: "9") else { continue }
                var j = i + 1
                while j < bytes.count, bytes[j] == bytes[i + 1] { j += 1 }
                if j < bytes.count, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9") { continue }
                let element = Element.fraction(
                    separator: Character(UnicodeScalar(bytes[i])), digits: min(9, j - i - 1),
                    trim: bytes[i + 1] == UInt8(ascii: "9"))
                return split(i, j - i, element)
            default:
                continue
            }
        }
        return nil
    }
}
