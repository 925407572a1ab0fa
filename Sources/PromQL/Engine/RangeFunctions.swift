// The functions over range vectors (`promql/functions.go`), each computing one value from
// the samples of one window. Windows are in time order and never contain stale markers.

import MetricModel

/// What a window function sees besides the samples.
struct WindowContext {
    /// The evaluation (step) time.
    var stepTime: Timestamp
    /// The window is `(windowEnd - rangeMs, windowEnd]`.
    var windowEnd: Timestamp
    var rangeMs: Int64
    /// The step's index, for the function's scalar arguments (one value per step).
    var step: Int

    var windowStart: Timestamp { windowEnd - rangeMs }
}

/// The hot functions take a window as `samples[lo..<hi]` of the series' samples (index loops over
/// the borrowed array: no slice, so no reference counting per window); the others take a slice.
enum RangeFunctions {
    typealias Window = ArraySlice<Sample>

    /// rate, increase, delta: the change over the window, extrapolated to its edges.
    /// `extrapolatedRate`; with `mayHaveResets` false (the caller knows the window has no counter
    /// reset) the reset scan is skipped: same result, O(1).
    @inline(__always)
    static func extrapolatedRate(
        _ samples: [Sample], _ lo: Int, _ hi: Int, _ c: WindowContext, isCounter: Bool, isRate: Bool,
        mayHaveResets: Bool = true
    ) -> Double? {
        let count = hi - lo
        guard count >= 2 else { return nil }
        let first = samples[lo]
        let last = samples[hi - 1]
        var result = last.value - first.value
        if isCounter && mayHaveResets {
            var prev = first.value
            for i in (lo + 1)..<hi {
                let v = samples[i].value
                if v < prev { result += prev }
                prev = v
            }
        }
        return extrapolate(result, first: first, last: last, count: count, c, isCounter: isCounter, isRate: isRate)
    }

    /// The rest of `extrapolatedRate`: `result`, the change from `first` to `last` over `count`
    /// (at least 2) samples, extrapolated towards the window's edges, and per second for rate.
    @inline(__always)
    static func extrapolate(
        _ result: Double, first: Sample, last: Sample, count: Int, _ c: WindowContext, isCounter: Bool, isRate: Bool
    ) -> Double {
        var durationToStart = Double(first.timestamp - c.windowStart) / 1000
        let sampledInterval = Double(last.timestamp - first.timestamp) / 1000
        let averageDurationBetweenSamples = sampledInterval / Double(count - 1)
        if durationToStart >= averageDurationBetweenSamples * 1.1 { durationToStart = averageDurationBetweenSamples / 2 }
        if isCounter {
            var durationToZero = durationToStart
            if result > 0 && first.value >= 0 { durationToZero = sampledInterval * (first.value / result) }
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        return result * extrapolationFactor(
            sampledInterval: sampledInterval, durationToStart: durationToStart, last: last,
            averageDurationBetweenSamples: averageDurationBetweenSamples, c, isRate: isRate)
    }

    /// The factor from the sampled interval to the extrapolated one (over the range in seconds
    /// for rate), extrapolating to the window's end when the last sample is close enough to it.
    @inline(__always)
    static func extrapolationFactor(
        sampledInterval: Double, durationToStart: Double, last: Sample, averageDurationBetweenSamples: Double,
        _ c: WindowContext, isRate: Bool
    ) -> Double {
        var durationToEnd = Double(c.windowEnd - last.timestamp) / 1000
        if durationToEnd >= averageDurationBetweenSamples * 1.1 { durationToEnd = averageDurationBetweenSamples / 2 }
        var factor = 1.0
        if sampledInterval != 0 { factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval }
        if isRate { factor /= Double(c.rangeMs) / 1000 }
        return factor
    }

    /// irate, idelta: from the last two samples.
    @inline(__always)
    static func instantValue(_ samples: [Sample], _ lo: Int, _ hi: Int, isRate: Bool) -> Double? {
        guard hi - lo >= 2 else { return nil }
        let s1 = samples[hi - 1]
        let s0 = samples[hi - 2]
        let interval = s1.timestamp - s0.timestamp
        if interval == 0 { return nil }
        var result = s1.value
        if !isRate || !(s1.value < s0.value) { result = s1.value - s0.value }
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    static func avg(_ samples: [Sample], _ lo: Int, _ hi: Int) -> Double {
        var sum = samples[lo].value
        var count = 1.0
        var mean = 0.0
        var kahanC = 0.0
        var incremental = false
        for i in (lo + 1)..<hi {
            let s = samples[i]
            count += 1
            if !incremental {
                let (newSum, newC) = kahanInc(s.value, sum, kahanC)
                if !newSum.isInfinite {
                    sum = newSum
                    kahanC = newC
                    continue
                }
                incremental = true
                mean = sum / (count - 1)
                kahanC /= count - 1
            }
            let q = (count - 1) / count
            (mean, kahanC) = kahanInc(s.value / count, q * mean, q * kahanC)
        }
        if incremental { return mean + kahanC }
        return sum / count + kahanC / count
    }

    static func sum(_ samples: [Sample], _ lo: Int, _ hi: Int) -> Double {
        var sum = 0.0
        var c = 0.0
        for i in lo..<hi { (sum, c) = kahanInc(samples[i].value, sum, c) }
        return sum.isInfinite ? sum : sum + c
    }

    /// max/min/ts_of_max/ts_of_min: `better(cur, best)` decides when a sample replaces the best.
    static func compare(_ w: Window, returnTimestamp: Bool, _ better: (Double, Double) -> Bool) -> Double {
        var best = w.first!.value
        var bestT = w.first!.timestamp
        for s in w where better(s.value, best) {
            best = s.value
            bestT = s.timestamp
        }
        return returnTimestamp ? Double(bestT) / 1000 : best
    }

    static func variance(_ samples: [Sample], _ lo: Int, _ hi: Int) -> Double {
        var count = 0.0
        var mean = 0.0, cMean = 0.0
        var aux = 0.0, cAux = 0.0
        for i in lo..<hi {
            let s = samples[i]
            count += 1
            let delta = s.value - (mean + cMean)
            (mean, cMean) = kahanInc(delta / count, mean, cMean)
            (aux, cAux) = kahanInc(delta * (s.value - (mean + cMean)), aux, cAux)
        }
        return (aux + cAux) / count
    }

    static func quantile(_ q: Double, _ w: Window) -> Double {
        var values = w.map(\.value)
        return quantileOf(q, &values)
    }

    static func mad(_ w: Window) -> Double {
        var values: [Double] = []
        values.reserveCapacity(w.count)
        for s in w {
            if s.value.isNaN { return .nan }
            values.append(s.value)
        }
        let median = quantileOf(0.5, &values)
        for i in values.indices { values[i] = (values[i] - median).magnitude }
        return quantileOf(0.5, &values)
    }

    /// Whether `current` differs from `previous` for `changes()` (NaN to NaN is no change).
    static func isChange(_ previous: Double, _ current: Double) -> Bool {
        current != previous && !(current.isNaN && previous.isNaN)
    }

    static func changes(_ w: Window) -> Double {
        var changes = 0
        var prev = w.first!.value
        for s in w.dropFirst() {
            if s.value != prev && !(s.value.isNaN && prev.isNaN) { changes += 1 }
            prev = s.value
        }
        return Double(changes)
    }

    static func resets(_ w: Window) -> Double {
        var resets = 0
        var prev = w.first!.value
        for s in w.dropFirst() {
            if s.value < prev { resets += 1 }
            prev = s.value
        }
        return Double(resets)
    }

    /// Least-squares fit with Kahan sums (`linearRegression`); x is seconds since `interceptTime`.
    static func linearRegression(
        _ samples: [Sample], _ lo: Int, _ hi: Int, interceptTime: Timestamp
    ) -> (slope: Double, intercept: Double) {
        var n = 0.0
        var sumX = 0.0, cX = 0.0
        var sumY = 0.0, cY = 0.0
        var sumXY = 0.0, cXY = 0.0
        var sumX2 = 0.0, cX2 = 0.0
        let initY = samples[lo].value
        var constY = true
        for i in lo..<hi {
            let s = samples[i]
            if constY && i > lo && s.value != initY { constY = false }
            n += 1
            let x = Double(s.timestamp - interceptTime) / 1e3
            (sumX, cX) = kahanInc(x, sumX, cX)
            (sumY, cY) = kahanInc(s.value, sumY, cY)
            (sumXY, cXY) = kahanInc(x * s.value, sumXY, cXY)
            (sumX2, cX2) = kahanInc(x * x, sumX2, cX2)
        }
        if constY {
            if initY.isInfinite { return (.nan, .nan) }
            return (0, initY)
        }
        sumX += cX
        sumY += cY
        sumXY += cXY
        sumX2 += cX2
        let covXY = sumXY - sumX * sumY / n
        let varX = sumX2 - sumX * sumX / n
        let slope = covXY / varX
        let intercept = sumY / n - slope * sumX / n
        return (slope, intercept)
    }

    /// double_exponential_smoothing; throws on factors outside (0, 1).
    static func doubleExponentialSmoothing(_ w: Window, sf: Double, tf: Double) throws(QueryError) -> Double? {
        if sf <= 0 || sf >= 1 {
            throw QueryError(.execution, "invalid smoothing factor. Expected: 0 < sf < 1, got: \(goFormatFixed(sf, precision: 6))")
        }
        if tf <= 0 || tf >= 1 {
            throw QueryError(.execution, "invalid trend factor. Expected: 0 < tf < 1, got: \(goFormatFixed(tf, precision: 6))")
        }
        guard w.count >= 2 else { return nil }
        let values = Array(w)
        var s0 = 0.0
        var s1 = values[0].value
        var b = values[1].value - values[0].value
        for i in 1..<values.count {
            let x = sf * values[i].value
            // The trend at this point (calcTrendValue).
            if i - 1 != 0 { b = tf * (s1 - s0) + (1 - tf) * b }
            let y = (1 - sf) * (s1 + b)
            s0 = s1
            s1 = x + y
        }
        return s1
    }
}

/// Anchored and smoothed range selectors (`extendedRate`, `pickOrInterpolate*`,
/// `pickFirstSampleIndices`): windows include samples up to the lookback delta outside
/// `(rangeStart, rangeEnd]`.
enum ExtendedRange {
    static func interpolate(_ p1: Sample, _ p2: Sample, _ t: Timestamp, isCounter: Bool) -> Double {
        var y1 = p1.value
        let y2 = p2.value
        if isCounter && y2 < y1 { y1 = 0 }
        return y1 + (y2 - y1) * Double(t - p1.timestamp) / Double(p2.timestamp - p1.timestamp)
    }

    static func pickLeft(_ f: ArraySlice<Sample>, _ first: Int, _ rangeStart: Timestamp, smoothed: Bool, isCounter: Bool) -> Double {
        let b = f.startIndex
        if smoothed && f[b + first].timestamp < rangeStart {
            return interpolate(f[b + first], f[b + first + 1], rangeStart, isCounter: isCounter)
        }
        return f[b + first].value
    }

    static func pickRight(_ f: ArraySlice<Sample>, _ last: Int, _ rangeEnd: Timestamp, smoothed: Bool, isCounter: Bool) -> Double {
        let b = f.startIndex
        if smoothed && last > 0 && f[b + last].timestamp > rangeEnd {
            return interpolate(f[b + last - 1], f[b + last], rangeEnd, isCounter: isCounter)
        }
        return f[b + last].value
    }

    /// The positions in a window (from its start) of the samples at the range's edges: the
    /// newest at or before its start (else the first), and the last or, smoothed, the first at or
    /// after its end; nil when no sample is inside the range.
    @inline(__always)
    static func edges<C: RandomAccessCollection>(
        _ w: C, _ c: WindowContext, smoothed: Bool, timestamp: (C.Element) -> Timestamp
    ) -> (first: Int, last: Int)? where C.Index == Int {
        let b = w.startIndex
        var last = w.count - 1
        let first = Swift.max(0, firstIndex(w, upTo: last) { timestamp($0) > c.windowStart } - 1)
        if smoothed { last = firstIndex(w, upTo: last) { timestamp($0) >= c.windowEnd } }
        if timestamp(w[b + last]) <= c.windowStart { return nil }
        if smoothed && timestamp(w[b + first]) > c.windowEnd { return nil }
        return (first, last)
    }

    /// rate/increase/delta over an anchored or smoothed window.
    static func rate(_ w: ArraySlice<Sample>, _ c: WindowContext, smoothed: Bool, isCounter: Bool, isRate: Bool) -> Double? {
        let rangeStart = c.windowStart
        let rangeEnd = c.windowEnd
        let b = w.startIndex
        guard var (first, last) = edges(w, c, smoothed: smoothed, timestamp: \.timestamp) else { return nil }
        let left = pickLeft(w, first, rangeStart, smoothed: smoothed, isCounter: isCounter)
        let right = pickRight(w, last, rangeEnd, smoothed: smoothed, isCounter: isCounter)
        var result = right - left
        if isCounter {
            if w[b + first].timestamp <= rangeStart { first += 1 }
            if w[b + last].timestamp >= rangeEnd { last -= 1 }
            var correction = 0.0
            var prev = left
            if first <= last {
                for s in w[(b + first)...(b + last)] {
                    if s.value < prev { correction += prev }
                    prev = s.value
                }
            }
            if right < prev { correction += prev }
            result += correction
        }
        if isRate { result /= Double(c.rangeMs) / 1000 }
        return result
    }

    /// changes/resets over an anchored window start at the newest sample at or before the
    /// range start; nil when no sample is inside the range.
    static func anchoredStart(_ w: ArraySlice<Sample>, _ c: WindowContext) -> ArraySlice<Sample>? {
        let lastLE = firstIndex(w, upTo: w.count) { $0.timestamp > c.windowStart } - 1
        if lastLE + 1 >= w.count { return nil }
        return lastLE < 0 ? w : w[(w.startIndex + lastLE)...]
    }
}

extension RangeFunctions {
    /// Counts of consecutive sample pairs with a property (a counter reset, a value change), as
    /// prefix sums over one series, so the count inside any window is one subtraction.
    /// Integer counts: the same answer as scanning the window, in O(1).
    struct PairCounts {
        /// `before[i]`: pairs `(j - 1, j)` with the property and `j <= i`.
        private var before: [Int32] = []

        init() {}

        init(_ samples: [Sample], _ property: (_ previous: Double, _ current: Double) -> Bool) {
            self.init(count: samples.count) { property(samples[$0 - 1].value, samples[$0].value) }
        }

        /// Counts over `count` samples where `property(j)` tells whether pair `(j - 1, j)` has it.
        init(count: Int, _ property: (_ j: Int) -> Bool) {
            before.reserveCapacity(count)
            var total: Int32 = 0
            for i in 0..<count {
                if i > 0 && property(i) { total += 1 }
                before.append(total)
            }
        }

        /// Pairs with the property inside the window `lo..<hi` of the series these counts were made from.
        @inline(__always)
        func count(_ lo: Int, _ hi: Int) -> Int {
            guard hi - lo >= 2 else { return 0 }
            return Int(before[hi - 1] - before[lo])
        }

        @inline(__always)
        func any(_ lo: Int, _ hi: Int) -> Bool { count(lo, hi) > 0 }
    }

    /// `max_over_time` / `min_over_time` over windows that only move forward: a monotonic queue of
    /// sample positions (amortized O(1) per step instead of a scan of the window).
    ///
    /// Same answer as Prometheus's scan (`if cur > best || isNaN(best) { best = cur }` from the first
    /// sample): the extreme of the non-NaN values, the earliest of equal ones (so `-0` vs `0` agrees),
    /// NaN when every value is NaN.
    struct SlidingExtreme {
        let keepsMaximum: Bool
        /// Positions in the series, values strictly decreasing (maximum) front to back; `head` is the front.
        private var queue: [Int] = []
        private var head = 0
        /// Next position not yet pushed.
        private var next = 0

        init(keepsMaximum: Bool) {
            self.keepsMaximum = keepsMaximum
        }

        /// Call before the first window of each series.
        mutating func reset() {
            queue.removeAll(keepingCapacity: true)
            head = 0
            next = 0
        }

        /// The extreme of the window `samples[lo..<hi]`; windows of one series must start and end no
        /// earlier than the previous one.
        mutating func value(_ samples: [Sample], _ lo: Int, _ hi: Int) -> Double {
            // Expired positions leave from the front first, so every position left in the queue (and
            // every one compared below) lies inside the window.
            while head < queue.count && queue[head] < lo { head += 1 }
            if next < lo { next = lo }
            while next < hi {
                let v = samples[next].value
                if !v.isNaN {
                    // Drop strictly worse values from the back; equal ones stay (the earliest wins).
                    while queue.count > head, beats(v, samples[queue[queue.count - 1]].value) { queue.removeLast() }
                    queue.append(next)
                }
                next += 1
            }
            if head > 1024 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return head < queue.count ? samples[queue[head]].value : .nan
        }

        @inline(__always)
        private func beats(_ a: Double, _ b: Double) -> Bool { keepsMaximum ? a > b : a < b }
    }
}
