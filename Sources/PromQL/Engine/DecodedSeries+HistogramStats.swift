// Count-and-sum decoding of a series' native histograms for selectors under `histogram_count`,
// `histogram_sum` and `histogram_avg` (``HistogramStatsMode``), with counter resets detected as
// Prometheus's HistogramStatsIterator detects them while the engine's iterators walk the series.

import MetricModel

extension DecodedSeries {
    /// Replaces every histogram with its count-and-sum view (``HistogramStatsDecoder``), stale
    /// markers then removed unless `keepStale`.
    ///
    /// A sample whose hint is unknown (the first of each chunk) gets one from comparing it with the
    /// sample before, but only when the iterator reached it by stepping from that sample: where it
    /// landed by seeking, the previous sample is forgotten. Prometheus's buffered and memoized
    /// iterators seek to each step's end (`reads`) and step forward from where they are unless the
    /// window `[end - width, end]` starts past it, then they seek to the window's start.
    ///
    /// - Parameters:
    ///   - reads: the windows the selector reads, one per step, as in ``StepWindows``.
    ///   - keepStale: whether stale markers (which the series must still hold) stay.
    /// - Complexity: O(samples + steps).
    mutating func decodeHistogramStats(reads: StepWindows, keepStale: Bool) {
        if !histograms.isEmpty {
            let restarts = seekLandings(reads)
            var decoder = HistogramStatsDecoder()
            var r = 0
            for i in histograms.indices {
                let t = histograms[i].timestamp
                var landed = false
                while r < restarts.count && restarts[r] <= t {
                    landed = true
                    r += 1
                }
                if landed { decoder.reset() }
                histograms[i].histogram = decoder.next(histograms[i].histogram)
            }
        }
        if !keepStale {
            histograms.removeAll { $0.isStale }
            samples.removeAll { StaleNaN.isStale($0.value) }
        }
    }

    /// The times of the samples (floats and histograms) where an iterator reading `reads` in
    /// order lands by seeking, ascending.
    private func seekLandings(_ reads: StepWindows) -> [Timestamp] {
        // Every sample's time in order: the iterator seeks and steps over floats too.
        var times: [Timestamp] = []
        times.reserveCapacity(samples.count + histograms.count)
        var f = 0
        var h = 0
        while f < samples.count || h < histograms.count {
            if h >= histograms.count || (f < samples.count && samples[f].timestamp < histograms[h].timestamp) {
                times.append(samples[f].timestamp)
                f += 1
            } else {
                times.append(histograms[h].timestamp)
                h += 1
            }
        }
        var landings: [Timestamp] = []
        var position = 0
        for k in 0..<reads.count {
            let end = reads.firstEnd &+ Int64(k) &* reads.step
            let windowStart = end &- reads.width
            if k == 0 || windowStart > times[position] {
                while position < times.count && times[position] < windowStart { position += 1 }
                if position == times.count { break }
                landings.append(times[position])
            }
            while position < times.count && times[position] < end { position += 1 }
            if position == times.count { break }
        }
        return landings
    }
}
