// The date functions (minute, hour, day_of_week, …) on Unix seconds in UTC, like Go's
// `time.Unix(int64(v), 0).UTC()`, with a proleptic Gregorian calendar.

package enum DateFunctions {
    /// Civil date and time of `seconds` since the epoch, UTC.
    package struct Civil {
        package var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
        package var weekday: Int  // 0 = Sunday
        package var dayOfYear: Int  // 1-based
    }

    package static func civil(_ seconds: Int64) -> Civil {
        var days = seconds / 86_400
        var rem = seconds % 86_400
        if rem < 0 {
            rem += 86_400
            days -= 1
        }
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        var y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        if m <= 2 { y += 1 }
        var weekday = (days + 4) % 7
        if weekday < 0 { weekday += 7 }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let yday = cumulative[Int(m) - 1] + Int(d) + (leap && m > 2 ? 1 : 0)
        return Civil(
            year: Int(y), month: Int(m), day: Int(d), hour: Int(rem / 3600), minute: Int(rem % 3600 / 60),
            second: Int(rem % 60), weekday: Int(weekday), dayOfYear: yday)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The functions by name, each from a value in Unix seconds.
    static let byName: [String: @Sendable (Double) -> Double] = [
        "minute": { Double(civil(goInt64($0)).minute) },
        "hour": { Double(civil(goInt64($0)).hour) },
        "day_of_week": { Double(civil(goInt64($0)).weekday) },
        "day_of_month": { Double(civil(goInt64($0)).day) },
        "day_of_year": { Double(civil(goInt64($0)).dayOfYear) },
        "days_in_month": {
            let c = civil(goInt64($0))
            return Double(daysInMonth(year: c.year, month: c.month))
        },
        "month": { Double(civil(goInt64($0)).month) },
        "year": { Double(civil(goInt64($0)).year) },
    ]
}

/// `time.Unix(seconds, 0).UTC().Format(time.RFC3339)`, e.g. `1970-01-01T00:00:00Z`.
package func formatRFC3339Seconds(_ seconds: Int64) -> String {
    let c = DateFunctions.civil(seconds)
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    var year = String(c.year)
    while year.count < 4 { year = "0" + year }
    return "\(year)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))Z"
}
