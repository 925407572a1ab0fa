// Counter functions over samples that carry start timestamps (OpenTelemetry's start time,
// Prometheus's "created timestamp"), as Prometheus evaluates them with `use-start-timestamps`
// (`promql/functions.go`: extrapolatedRate, instantValue, funcResets). A start timestamp
// after the previous sample says the counter restarted in between; one inside the window
// stands for a zero sample at that time, used instead of extrapolating to the window's start.
// `starts[i]` belongs to `samples[i]`; 0 means none.

import MetricModel

extension RangeFunctions {
    /// `isStartTimestampReset`: whether the sample at `current` restarted the counter since the
    /// one at `previous`, judged by its start timestamp.
    static func isStartTimestampReset(
        previousStart: Timestamp, previous: Timestamp, currentStart: Timestamp, current: Timestamp
    ) -> Bool {
        // Unset, clearly invalid (after its sample), or OpenTelemetry's "unknown start" (equal to it).
        if currentStart == 0 || currentStart >= current { return false }
        if currentStart < previous { return false }
        if currentStart > previous { return true }
        // The start points at the previous sample: a delta sample (a reset) unless the previous
        // sample is a cumulative one with an unknown start (none, equal to its time, or invalid).
        if previousStart > previous { return false }
        return previousStart != 0 && previousStart != previous
    }

    /// `checkStartTimeOverlap`: the start time reaches back before the previous sample without
    /// being the previous sample's own start (neither a delta nor the same cumulative run).
    static func startTimeOverlaps(previousStart: Timestamp, previous: Timestamp, currentStart: Timestamp) -> Bool {
        currentStart != 0 && currentStart < previous && currentStart != previousStart
    }

    /// Prometheus's warning for a start time that overlaps the previous sample.
    static func startTimeOverlapWarning(metricName: String) -> String {
        "sample has start time that overlaps with previous sample timestamp for metric \(goQuote(metricName))"
    }

    /// Whether pair `(j - 1, j)` is a counter reset: the value fell or the start timestamp says so.
    @inline(__always)
    static func isCounterReset(_ samples: [Sample], _ starts: [Timestamp], _ j: Int) -> Bool {
        samples[j].value < samples[j - 1].value
            || isStartTimestampReset(
                previousStart: starts[j - 1], previous: samples[j - 1].timestamp,
                currentStart: starts[j], current: samples[j].timestamp)
    }

    /// rate and increase over `samples[lo..<hi]` with start timestamps. One sample is enough when
    /// its start timestamp lies inside the window. Sets `overlap` when a start time overlaps the
    /// previous sample (the caller warns once per series).
    static func extrapolatedRate(
        _ samples: [Sample], starts: [Timestamp], _ lo: Int, _ hi: Int, _ c: WindowContext, isRate: Bool,
        overlap: inout Bool
    ) -> Double? {
        let count = hi - lo
        guard count >= 1 else { return nil }
        let first = samples[lo]
        let last = samples[hi - 1]
        var result = last.value - first.value
        if count >= 2 {
            for j in (lo + 1)..<hi {
                if !overlap
                    && startTimeOverlaps(
                        previousStart: starts[j - 1], previous: samples[j - 1].timestamp, currentStart: starts[j])
                {
                    overlap = true
                }
                if isCounterReset(samples, starts, j) { result += samples[j - 1].value }
            }
        }
        let firstStart = starts[lo]
        guard firstStart != 0 && firstStart > c.windowStart && firstStart < first.timestamp else {
            if count == 1 { return nil }
            return extrapolate(result, first: first, last: last, count: count, c, isCounter: true, isRate: isRate)
        }
        // A zero sample at the start time, inside the (left-open) window: no extrapolation to the
        // left. With one sample there is no average spacing, so none to the right either.
        let averageDurationBetweenSamples = count > 1 ? Double(last.timestamp - first.timestamp) / 1000 / Double(count - 1) : 0
        return (result + first.value) * extrapolationFactor(
            sampledInterval: Double(last.timestamp - firstStart) / 1000, durationToStart: 0, last: last,
            averageDurationBetweenSamples: averageDurationBetweenSamples, c, isRate: isRate)
    }

    /// irate with start timestamps: the last two samples, a start-timestamp reset counting as a
    /// counter reset.
    static func instantRate(_ samples: [Sample], starts: [Timestamp], _ lo: Int, _ hi: Int) -> Double? {
        guard hi - lo >= 2 else { return nil }
        let s1 = samples[hi - 1]
        let s0 = samples[hi - 2]
        let interval = s1.timestamp - s0.timestamp
        if interval == 0 { return nil }
        var result = s1.value
        if !isCounterReset(samples, starts, hi - 1) { result = s1.value - s0.value }
        return result / (Double(interval) / 1000)
    }
}
