// GraphAxis: tick positions and labels of a graph's value axis (1-2-5 steps, SI suffixes as
// Prometheus's UI writes them) and time axis (round UTC times, dates when the range spans days).

package import MetricModel
internal import PromQL

/// One tick of an axis: where it is (a value, or a time in ms) and its label.
package struct AxisTick: Equatable, Sendable {
    package var position: Double
    package var label: String
}

/// Ticks of the axes of a graph.
package enum GraphAxis {
    /// The value axis over `[minimum, maximum]` with about `count` ticks: the range widened to
    /// whole multiples of a 1-2-5 step (and to a non-empty range when all values are equal).
    ///
    /// - Returns: the axis's ends and its ticks, bottom up.
    package static func valueTicks(minimum: Double, maximum: Double, count: Int) -> (lower: Double, upper: Double, ticks: [AxisTick]) {
        var low = minimum
        var high = maximum
        if !(low.isFinite && high.isFinite) || low > high { (low, high) = (0, 1) }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let step = niceStep((high - low) / Double(max(1, count)))
        let first = (low / step).rounded(.down)
        let last = (high / step).rounded(.up)
        var ticks: [AxisTick] = []
        var i = first
        while i <= last && ticks.count <= 100 {
            let value = i * step
            ticks.append(AxisTick(position: value, label: formatValue(value, step: step)))
            i += 1
        }
        return (first * step, last * step, ticks)
    }

    /// The smallest of 1, 2, 5 × 10ⁿ at least `raw`.
    package static func niceStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        var magnitude = 1.0
        while magnitude > raw { magnitude /= 10 }
        while magnitude * 10 <= raw { magnitude *= 10 }
        for factor in [1.0, 2.0, 5.0, 10.0] where magnitude * factor >= raw * (1 - 1e-9) {
            return magnitude * factor
        }
        return magnitude * 10
    }

    private static let prefixes: [(Double, String)] = [(1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]

    /// A tick label: `2.5k`, `1.5M`, `0.25`, `-3`, with as many decimals as `step` needs.
    package static func formatValue(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        var unit = 1.0
        var suffix = ""
        for (size, name) in prefixes where abs(value) >= size {
            unit = size
            suffix = name
            break
        }
        let relativeStep = step / unit
        var decimals = 0
        var s = relativeStep
        while s < 1 * (1 - 1e-9) && decimals < 12 {
            s *= 10
            decimals += 1
        }
        if abs(value / unit) >= 1e15 || decimals >= 10 { return "\(value)" }
        return fixed(value / unit, decimals: decimals) + suffix
    }

    /// `v` with exactly `decimals` digits after the point, without exponent.
    static func fixed(_ v: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(v) * scale).rounded()
        guard scaled < 9e18 else { return "\(v)" }
        let n = UInt64(scaled)
        let whole = n / UInt64(scale)
        var text = (v < 0 && n != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let fraction = String(n % UInt64(scale))
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    /// Time steps the time axis may use, ms.
    static let timeSteps: [Int64] = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200,
        86_400, 172_800, 604_800, 1_209_600, 2_592_000, 7_776_000, 15_552_000, 31_536_000,
    ].map { $0 * 1000 }

    /// Ticks of the time axis from `start` to `end` (ms) at round UTC times, at most about
    /// `count`: `12:30` (`12:30:15` under a minute's step), `03-14 12:30` when the range spans
    /// days, `03-14` at steps of days, `2024-03-14` when it spans years.
    package static func timeTicks(start: Timestamp, end: Timestamp, count: Int) -> [AxisTick] {
        let span = max(end - start, 1)
        let target = Int64(max(1, count))
        let step = timeSteps.first { span / $0 < target } ?? (span / target + 1)
        let startDate = UTCTime(start)
        let endDate = UTCTime(end)
        let sameDay = startDate.days == endDate.days
        let sameYear = startDate.year == endDate.year
        var ticks: [AxisTick] = []
        // The first multiple of step at or after start (floor division for times before 1970).
        var t = (start / step) * step
        if t < start { t += step }
        while t <= end && ticks.count <= 200 {
            let time = UTCTime(t)
            let label: String
            if step >= 86_400_000 {
                label = sameYear ? time.monthDay : time.yearMonthDay
            } else if sameDay {
                label = step < 60_000 ? time.hourMinuteSecond : time.hourMinute
            } else {
                label = time.monthDay + " " + time.hourMinute
            }
            ticks.append(AxisTick(position: Double(t), label: label))
            t += step
        }
        return ticks
    }
}

/// A time in ms as UTC calendar fields (PromQL's date functions' calendar).
struct UTCTime {
    /// Days since 1970-01-01, to tell days apart.
    var days: Int64
    var civil: DateFunctions.Civil

    init(_ t: Timestamp) {
        let seconds = t >= 0 ? t / 1000 : (t - 999) / 1000
        days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        civil = DateFunctions.civil(seconds)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    var year: Int { civil.year }
    var hourMinute: String { Self.two(civil.hour) + ":" + Self.two(civil.minute) }
    var hourMinuteSecond: String { hourMinute + ":" + Self.two(civil.second) }
    var monthDay: String { Self.two(civil.month) + "-" + Self.two(civil.day) }
    var yearMonthDay: String { "\(civil.year)-" + monthDay }
}
