// The methods templates call on the values Prometheus's functions return: `time.Time` (from
// `toTime`), `time.Duration` (from `toDuration`), `time.Month` and `time.Weekday`, e.g.
// `{{ (now | toTime).Format "2006-01-02" }}` or `{{ ($d | toDuration).Hours }}`.

enum TemplateMethods {
    /// The method `name` bound to `receiver` (already dereferenced), or nil.
    static func method(_ name: String, of receiver: TemplateValue) -> TemplateFunction? {
        switch receiver {
        case .time(let t): timeMethod(name, t)
        case .int(let d, .duration): durationMethod(name, d)
        case .int(let m, .month) where name == "String": TemplateFunction([]) { _ in .text(GoFormat.stringMethod(.int(m, .month))!) }
        case .int(let d, .weekday) where name == "String": TemplateFunction([]) { _ in .text(GoFormat.stringMethod(.int(d, .weekday))!) }
        default: nil
        }
    }

    private static func timeMethod(_ name: String, _ t: GoTime) -> TemplateFunction? {
        func constant(_ value: TemplateValue) -> TemplateFunction { TemplateFunction([]) { _ in value } }
        let c = t.civil
        switch name {
        case "String": return constant(.text(t.description))
        case "Format": return TemplateFunction([.string]) { a in .text(t.format(a[0].stringValue)) }
        case "Unix": return constant(.int(t.seconds, .int64))
        case "UnixMilli": return constant(.int(t.seconds &* 1000 &+ t.nanoseconds / 1_000_000, .int64))
        case "UnixMicro": return constant(.int(t.seconds &* 1_000_000 &+ t.nanoseconds / 1000, .int64))
        case "UnixNano": return constant(.int(t.seconds &* 1_000_000_000 &+ t.nanoseconds, .int64))
        case "UTC", "Local": return constant(.time(t))
        case "Year": return constant(.integer(Int(c.year)))
        case "Month": return constant(.int(Int64(c.month), .month))
        case "Day": return constant(.integer(c.day))
        case "Hour": return constant(.integer(c.hour))
        case "Minute": return constant(.integer(c.minute))
        case "Second": return constant(.integer(c.second))
        case "Nanosecond": return constant(.integer(Int(t.nanoseconds)))
        case "YearDay": return constant(.integer(c.yearDay))
        case "Weekday": return constant(.int(Int64(c.weekday), .weekday))
        case "IsZero": return constant(.bool(t == GoTime(seconds: -62_135_596_800, nanoseconds: 0)))
        case "Add":
            return TemplateFunction([.duration]) { a in
                guard case .int(let d, _) = a[0] else { return .time(t) }
                return .time(GoTime(seconds: t.seconds, nanoseconds: t.nanoseconds &+ d))
            }
        case "Sub":
            return TemplateFunction([.time]) { a in
                guard case .time(let u) = a[0] else { return .int(0, .duration) }
                let seconds = t.seconds.subtractingReportingOverflow(u.seconds)
                let product = seconds.partialValue.multipliedReportingOverflow(by: 1_000_000_000)
                let sum = product.partialValue.addingReportingOverflow(t.nanoseconds - u.nanoseconds)
                if seconds.overflow || product.overflow || sum.overflow {
                    return .int(t < u ? Int64.min : Int64.max, .duration)
                }
                return .int(sum.partialValue, .duration)
            }
        case "Before", "After", "Equal":
            return TemplateFunction([.time]) { a in
                guard case .time(let u) = a[0] else { return .bool(false) }
                return .bool(name == "Before" ? t < u : name == "After" ? u < t : t == u)
            }
        default: return nil
        }
    }

    private static func durationMethod(_ name: String, _ d: Int64) -> TemplateFunction? {
        func constant(_ value: TemplateValue) -> TemplateFunction { TemplateFunction([]) { _ in value } }
        switch name {
        case "String": return constant(.text(goDurationString(d)))
        case "Hours": return constant(.float(Double(d / 3_600_000_000_000) + Double(d % 3_600_000_000_000) / 3.6e12))
        case "Minutes": return constant(.float(Double(d / 60_000_000_000) + Double(d % 60_000_000_000) / 6e10))
        case "Seconds": return constant(.float(Double(d / 1_000_000_000) + Double(d % 1_000_000_000) / 1e9))
        case "Milliseconds": return constant(.int(d / 1_000_000, .int64))
        case "Microseconds": return constant(.int(d / 1000, .int64))
        case "Nanoseconds": return constant(.int(d, .int64))
        case "Abs": return constant(.int(d == Int64.min ? Int64.max : abs(d), .duration))
        default: return nil
        }
    }
}
