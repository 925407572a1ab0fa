// Go's `time.Time` (in UTC, as Prometheus's `toTime` and `humanizeTimestamp` make them) and
// `time.Duration` as templates print them: `Time.String()`, `Time.Format(layout)` with Go's
// reference-time layouts ("2006-01-02 15:04:05"), and `Duration.String()` ("1h2m3.5s").

/// An instant in UTC, to the nanosecond.
package struct GoTime: Sendable, Equatable, Comparable {
    /// Seconds since the Unix epoch.
    package var seconds: Int64
    /// Nanoseconds within the second, 0..<1e9.
    package var nanoseconds: Int64

    package init(seconds: Int64, nanoseconds: Int64) {
        let (carry, rest) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        self.seconds = seconds &+ carry
        self.nanoseconds = rest
        if self.nanoseconds < 0 {
            self.nanoseconds += 1_000_000_000
            self.seconds &-= 1
        }
    }

    package static func < (a: GoTime, b: GoTime) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// The civil date and time of day.
    struct Civil {
        var year: Int64
        var month: Int  // 1...12
        var day: Int
        var hour: Int
        var minute: Int
        var second: Int
        var weekday: Int  // 0 = Sunday
        var yearDay: Int  // 1...366
    }

    var civil: Civil {
        let (days, secondOfDay) = Self.floorDivision(seconds, 86_400)
        // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = Self.floorDivision(z, 146_097).0
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let yearDay = cumulative[month - 1] + day + (leap && month > 2 ? 1 : 0)
        let weekday = Int(Self.floorDivision(days + 4, 7).1)
        return Civil(
            year: year, month: month, day: day, hour: Int(secondOfDay / 3600), minute: Int(secondOfDay / 60 % 60),
            second: Int(secondOfDay % 60), weekday: weekday, yearDay: yearDay)
    }

    private static func floorDivision(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var (q, r) = a.quotientAndRemainder(dividingBy: b)
        if r < 0 {
            q -= 1
            r += b
        }
        return (q, r)
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Go's `Time.String()` for a UTC time: `2015-06-23 13:19:44.128 +0000 UTC`.
    package var description: String { format("2006-01-02 15:04:05.999999999 -0700 MST") }
}

/// Go's `time.Duration.String()`: `1h2m3.5s`, `1.5ms`, `100µs`, `0s`.
func goDurationString(_ nanoseconds: Int64) -> String {
    var u = nanoseconds.magnitude
    var out = ""
    if u < 1_000_000_000 {
        if u == 0 { return "0s" }
        let (unit, precision): (String, Int) = u < 1_000 ? ("ns", 0) : u < 1_000_000 ? ("µs", 3) : ("ms", 6)
        out = fraction(&u, precision) + unit
        out = String(u) + out
    } else {
        out = fraction(&u, 9) + "s"
        out = String(u % 60) + out
        u /= 60
        if u > 0 {
            out = String(u % 60) + "m" + out
            u /= 60
            if u > 0 { out = String(u) + "h" + out }
        }
    }
    return (nanoseconds < 0 ? "-" : "") + out
}

/// Go's `fmtFrac`: divides `v` by 10^precision and returns the fraction as ".123", trailing
/// zeros and a zero fraction left out.
private func fraction(_ v: inout UInt64, _ precision: Int) -> String {
    var digits: [Character] = []
    var significant = false
    for _ in 0..<precision {
        let digit = v % 10
        significant = significant || digit != 0
        if significant { digits.append(Character(String(digit))) }
        v /= 10
    }
    return digits.isEmpty ? "" : "." + String(digits.reversed())
}
