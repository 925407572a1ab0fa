// RFC 3339 timestamps as Go's `time.Parse(time.RFC3339Nano, s)` accepts them (its strict
// fast path plus the general layout parser it falls back to), converted to milliseconds.

/// Milliseconds since the epoch for `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, or nil.
///
/// Go's leniencies are kept: the hour may have one digit, the fraction may follow `.` or
/// `,` and have any number of digits (only nanoseconds count), and the zone offset may be
/// up to `24:60`. Dates are checked (`2015-02-29` is rejected); there are no leap seconds.
/// Sub-millisecond digits are truncated, as `timestamp.FromTime` does.
func parseRFC3339Milliseconds(_ text: String) -> Int64? {
    let s = Array(text.utf8)
    var i = 0
    func number(_ count: Int) -> Int? {
        guard i + count <= s.count else { return nil }
        var v = 0
        for k in i..<(i + count) {
            guard s[k] >= UInt8(ascii: "0"), s[k] <= UInt8(ascii: "9") else { return nil }
            v = v * 10 + Int(s[k] - UInt8(ascii: "0"))
        }
        i += count
        return v
    }
    func expect(_ c: Character) -> Bool {
        guard i < s.count, s[i] == c.asciiValue else { return false }
        i += 1
        return true
    }
    func isDigitAt(_ k: Int) -> Bool { k < s.count && s[k] >= UInt8(ascii: "0") && s[k] <= UInt8(ascii: "9") }

    guard let year = number(4), expect("-"), let month = number(2), (1...12).contains(month), expect("-"),
        let day = number(2), day >= 1, day <= daysIn(month: month, year: year), expect("T")
    else { return nil }
    guard let hour = number(isDigitAt(i + 1) ? 2 : 1), hour < 24, expect(":"),
        let minute = number(2), minute < 60, expect(":"), let second = number(2), second < 60
    else { return nil }
    var nanoseconds = 0
    if i + 1 < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ","), isDigitAt(i + 1) {
        i += 1
        var digits = 0
        while isDigitAt(i) {
            if digits < 9 {
                nanoseconds = nanoseconds * 10 + Int(s[i] - UInt8(ascii: "0"))
                digits += 1
            }
            i += 1
        }
        for _ in digits..<9 { nanoseconds *= 10 }
    }
    var offsetSeconds = 0
    if expect("Z") {
        // UTC.
    } else if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
        let negative = s[i] == UInt8(ascii: "-")
        i += 1
        guard let hh = number(2), hh <= 24, expect(":"), let mm = number(2), mm <= 60 else { return nil }
        offsetSeconds = (hh * 60 + mm) * 60 * (negative ? -1 : 1)
    } else {
        return nil
    }
    guard i == s.count else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
    return seconds * 1000 + Int64(nanoseconds / 1_000_000)
}

/// Days in `month` of `year` in the proleptic Gregorian calendar.
private func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
private func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}
