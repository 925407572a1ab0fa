// Range-vector functions over series that hold native histograms (`promql/functions.go`): each
// window has float samples and histogram samples apart, as Prometheus's `Series` does. Series of
// floats only never come here; they take the float path of `evalRangeFunction`.

import MetricModel

/// One step's window of a series with histograms: floats `samples[lo..<hi]` and histograms
/// `histograms[hlo..<hhi]`.
struct MixedWindow {
    let series: DecodedSeries
    let lo: Int
    let hi: Int
    let hlo: Int
    let hhi: Int
    let context: WindowContext

    var floatCount: Int { hi - lo }
    var histogramCount: Int { hhi - hlo }
    var floats: ArraySlice<Sample> { series.samples[lo..<hi] }
    var histograms: ArraySlice<HistogramSample> { series.histograms[hlo..<hhi] }
    var metricName: String { series.labels.metricName ?? "" }
}

/// What a function makes of one window: nothing, a float or a histogram; also one sample of a
/// window, whichever kind it is.
enum WindowResult {
    case float(Double)
    case histogram(FloatHistogram)
}

typealias WindowValue = WindowResult

extension MixedWindow {
    /// The start timestamp of float sample `i` of the series (0: none).
    func floatStart(_ i: Int) -> Timestamp { series.startTimes?[i] ?? 0 }

    /// The start timestamp of histogram sample `i` of the series (0: none).
    func histogramStart(_ i: Int) -> Timestamp { series.histogramStartTimes?[i] ?? 0 }

    /// Whether the start timestamps say the counter restarted between histogram samples `i - 1`
    /// and `i` (never when the series has none).
    func isHistogramStartReset(_ i: Int) -> Bool {
        guard let starts = series.histogramStartTimes else { return false }
        return RangeFunctions.isStartTimestampReset(
            previousStart: starts[i - 1], previous: series.histograms[i - 1].timestamp,
            currentStart: starts[i], current: series.histograms[i].timestamp)
    }

    /// The window's samples, floats and histograms, in time order, with their start timestamps.
    var inTimeOrder: [(time: Timestamp, start: Timestamp, value: WindowValue)] {
        var out: [(time: Timestamp, start: Timestamp, value: WindowValue)] = []
        out.reserveCapacity(floatCount + histogramCount)
        var f = lo
        var h = hlo
        while f < hi || h < hhi {
            if h >= hhi || (f < hi && series.samples[f].timestamp < series.histograms[h].timestamp) {
                out.append((series.samples[f].timestamp, floatStart(f), .float(series.samples[f].value)))
                f += 1
            } else {
                out.append((series.histograms[h].timestamp, histogramStart(h), .histogram(series.histograms[h].histogram)))
                h += 1
            }
        }
        return out
    }
}

extension Evaluator {
    /// The range functions that read histogram samples; every other one reads floats only and
    /// ignores histograms (with an info annotation when a window holds both).
    static let histogramRangeFunctions: Set<String> = [
        "count_over_time", "present_over_time", "last_over_time", "first_over_time",
        "ts_of_last_over_time", "ts_of_first_over_time", "absent_over_time", "rate", "increase", "delta",
        "sum_over_time", "avg_over_time", "irate", "idelta", "resets", "changes",
    ]

    /// Slides the windows of series that hold histograms, calling `body` for every non-empty window.
    func slideMixedWindows(
        _ input: RangeInput, dropName: Bool, _ body: (MixedWindow) throws(QueryError) -> WindowResult?
    ) throws(QueryError) -> [EvalSeries] {
        var result: [EvalSeries] = []
        for s in input.series {
            var lo = 0
            var hi = 0
            var hlo = 0
            var hhi = 0
            var out = EvalSeries(labels: s.labels, dropName: dropName || s.dropName)
            for i in 0..<numSteps {
                let t = stepTime(i)
                let windowEnd = input.windowEnd(at: t)
                let windowStart = windowEnd &- input.rangeMs &- input.extraBefore
                let last = windowEnd &+ input.extraAfter
                while hi < s.samples.count && s.samples[hi].timestamp <= last { hi += 1 }
                while lo < hi && s.samples[lo].timestamp <= windowStart { lo += 1 }
                while hhi < s.histograms.count && s.histograms[hhi].timestamp <= last { hhi += 1 }
                while hlo < hhi && s.histograms[hlo].timestamp <= windowStart { hlo += 1 }
                if lo >= hi && hlo >= hhi { continue }
                context.queryableSamples += (hi - lo) + (hhi - hlo)
                let ctx = WindowContext(stepTime: t, windowEnd: windowEnd, rangeMs: input.rangeMs, step: i)
                switch try body(MixedWindow(series: s, lo: lo, hi: hi, hlo: hlo, hhi: hhi, context: ctx)) {
                case .float(let v)?: out.points.append(Sample(t, v))
                case .histogram(let h)?: out.histograms.append(HistogramSample(t, h))
                case nil: break
                }
            }
            if !out.isEmpty {
                try context.addSamples(out.points.count + out.histograms.count)
                result.append(out)
            }
        }
        return result
    }

    /// Float-only range functions on series with histograms: the histograms are dropped, with
    /// Prometheus's info annotation for each series whose windows hold both kinds.
    func droppingHistograms(_ input: RangeInput, argPosition: PositionRange) -> RangeInput {
        var input = input
        for i in input.series.indices where !input.series[i].histograms.isEmpty {
            if !input.series[i].samples.isEmpty {
                let mixed = (try? slideMixedWindows(
                    RangeInput(series: [input.series[i]], rangeMs: input.rangeMs, offsetMs: input.offsetMs, atTime: input.atTime,
                        selector: input.selector, positionRange: input.positionRange),
                    dropName: false
                ) { w in w.floatCount > 0 && w.histogramCount > 0 ? .float(1) : nil }) ?? []
                if !mixed.isEmpty {
                    context.annotations.info(
                        HistogramAnnotations.ignoredInMixedRange(metricName: input.series[i].labels.metricName ?? ""),
                        at: argPosition)
                }
            }
            input.series[i].histograms = []
        }
        return input
    }

    /// A range function that reads histograms, over series of which some hold histograms.
    func histogramRangeFunction(
        _ name: String, _ input: RangeInput, dropName: Bool, argPosition: PositionRange
    ) throws(QueryError) -> [EvalSeries]? {
        switch name {
        case "count_over_time":
            return try slideMixedWindows(input, dropName: dropName) { w in .float(Double(w.floatCount + w.histogramCount)) }
        case "present_over_time", "absent_over_time":
            return try slideMixedWindows(input, dropName: dropName) { _ in .float(1) }
        case "last_over_time", "ts_of_last_over_time":
            return try slideMixedWindows(input, dropName: dropName) { w in
                let f = w.floatCount > 0 ? w.series.samples[w.hi - 1] : nil
                let h = w.histogramCount > 0 ? w.series.histograms[w.hhi - 1] : nil
                if let h, f.map({ h.timestamp >= $0.timestamp }) ?? true {
                    return name == "last_over_time" ? .histogram(h.histogram) : .float(Double(h.timestamp) / 1000)
                }
                guard let f else { return nil }
                return name == "last_over_time" ? .float(f.value) : .float(Double(f.timestamp) / 1000)
            }
        case "first_over_time", "ts_of_first_over_time":
            return try slideMixedWindows(input, dropName: dropName) { w in
                let f = w.floatCount > 0 ? w.series.samples[w.lo] : nil
                let h = w.histogramCount > 0 ? w.series.histograms[w.hlo] : nil
                if let f, h.map({ f.timestamp < $0.timestamp }) ?? true {
                    return name == "first_over_time" ? .float(f.value) : .float(Double(f.timestamp) / 1000)
                }
                guard let h else { return nil }
                return name == "first_over_time" ? .histogram(h.histogram) : .float(Double(h.timestamp) / 1000)
            }
        case "irate", "idelta":
            let isRate = name == "irate"
            return try slideMixedWindows(input, dropName: dropName) { w in
                instantValue(w, isRate: isRate, position: argPosition)
            }
        case "resets", "changes":
            let isResets = name == "resets"
            let anchored = input.anchored
            return try slideMixedWindows(input, dropName: dropName) { window in
                guard let w = anchored ? anchoredWindow(window) : window else { return nil }
                var count = 0
                var previous: (time: Timestamp, start: Timestamp, value: WindowValue)? = nil
                for current in w.inTimeOrder {
                    defer { previous = current }
                    guard let previous else { continue }
                    // resets also counts the restarts that start timestamps show (always 0 when none).
                    let startReset = isResets && RangeFunctions.isStartTimestampReset(
                        previousStart: previous.start, previous: previous.time, currentStart: current.start, current: current.time)
                    switch (previous.value, current.value) {
                    case (.float(let a), .float(let b)):
                        if isResets ? b < a || startReset : (a != b && !(a.isNaN && b.isNaN)) { count += 1 }
                    case (.histogram(let a), .histogram(let b)):
                        if isResets ? startReset || b.detectReset(previous: a) : a != b { count += 1 }
                    default:
                        count += 1
                    }
                }
                return .float(Double(count))
            }
        case "sum_over_time", "avg_over_time":
            let isSum = name == "sum_over_time"
            return try slideMixedWindows(input, dropName: dropName) { w in
                if w.histogramCount == 0 {
                    return .float(isSum ? RangeFunctions.sum(w.series.samples, w.lo, w.hi) : RangeFunctions.avg(w.series.samples, w.lo, w.hi))
                }
                if w.floatCount > 0 {
                    context.annotations.warn(HistogramAnnotations.mixedFloatsHistograms(metricName: w.metricName), at: argPosition)
                    return nil
                }
                let histograms = w.histograms
                var accumulator = HistogramAccumulator(histograms[histograms.startIndex].histogram)
                do throws(HistogramError) {
                    for p in histograms.dropFirst() {
                        if isSum { try accumulator.add(p.histogram) } else { try accumulator.addToMean(p.histogram) }
                    }
                } catch {
                    if error.kind == .incompatibleSchema {
                        context.annotations.warn(
                            HistogramAnnotations.mixedExponentialCustom(metricName: w.metricName), at: argPosition)
                        return nil
                    }
                }
                if accumulator.counterResetCollision {
                    context.annotations.warn(HistogramAnnotations.counterResetCollision(.aggregation), at: argPosition)
                }
                if accumulator.customBoundsReconciled {
                    context.annotations.info(HistogramAnnotations.mismatchedCustomBuckets(.aggregation), at: argPosition)
                }
                return .histogram(isSum ? accumulator.total() : accumulator.average())
            }
        case "rate", "increase", "delta":
            let isCounter = name != "delta"
            let isRate = name == "rate"
            if input.anchored || input.smoothed {
                // extrapolatedRate hands these to extendedRate and extendedHistogramRate.
                let smoothed = input.smoothed
                return try slideMixedWindows(input, dropName: dropName) { w in
                    if w.histogramCount == 0 {
                        return ExtendedRange.rate(w.floats, w.context, smoothed: smoothed, isCounter: isCounter, isRate: isRate)
                            .map { .float($0) }
                    }
                    if w.floatCount > 0 {
                        context.annotations.warn(HistogramAnnotations.mixedFloatsHistograms(metricName: w.metricName), at: argPosition)
                        return nil
                    }
                    return extendedHistogramRate(
                        w.histograms, w.context, smoothed: smoothed, isCounter: isCounter, isRate: isRate,
                        metricName: w.metricName, position: argPosition
                    ).map { .histogram($0) }
                }
            }
            let result = try slideMixedWindows(input, dropName: dropName) { w in
                if w.histogramCount == 0 {
                    return RangeFunctions.extrapolatedRate(w.series.samples, w.lo, w.hi, w.context, isCounter: isCounter, isRate: isRate)
                        .map { .float($0) }
                }
                if w.floatCount > 0 {
                    context.annotations.warn(HistogramAnnotations.mixedFloatsHistograms(metricName: w.metricName), at: argPosition)
                    return nil
                }
                return histogramRate(w, isCounter: isCounter, isRate: isRate, position: argPosition).map { .histogram($0) }
            }
            if isCounter { notePossibleNonCounters(result, at: argPosition) }
            return result
        default:
            return nil
        }
    }

    /// irate and idelta (`instantValue`): from the window's last two samples, of either kind.
    func instantValue(_ w: MixedWindow, isRate: Bool, position: PositionRange) -> WindowResult? {
        guard w.floatCount + w.histogramCount >= 2 else { return nil }
        // The last two samples in time order.
        var last: [(time: Timestamp, start: Timestamp, value: WindowValue)] = []
        var f = w.hi - 1
        var h = w.hhi - 1
        while last.count < 2 {
            let ft = f >= w.lo ? w.series.samples[f].timestamp : .min
            let ht = h >= w.hlo ? w.series.histograms[h].timestamp : .min
            if ft >= ht {
                last.append((ft, w.floatStart(f), .float(w.series.samples[f].value)))
                f -= 1
            } else {
                last.append((ht, w.histogramStart(h), .histogram(w.series.histograms[h].histogram)))
                h -= 1
            }
        }
        let (t1, start1, v1) = last[0]
        let (t0, start0, v0) = last[1]
        let interval = t1 - t0
        if interval == 0 { return nil }
        let seconds = Double(interval) / 1000
        let startReset = RangeFunctions.isStartTimestampReset(previousStart: start0, previous: t0, currentStart: start1, current: t1)
        switch (v0, v1) {
        case (.float(let a), .float(let b)):
            var result = b
            if !isRate || !(b < a || startReset) { result = b - a }
            return .float(isRate ? result / seconds : result)
        case (.histogram(let a), .histogram(let b)):
            let metricName = w.metricName
            if isRate && (b.counterResetHint == .gauge || a.counterResetHint == .gauge) {
                context.annotations.warn(HistogramAnnotations.notCounter(metricName: metricName), at: position)
            }
            if !isRate && (b.counterResetHint != .gauge || a.counterResetHint != .gauge) {
                context.annotations.warn(HistogramAnnotations.notGauge(metricName: metricName), at: position)
            }
            var result = b
            if !isRate || !(startReset || b.detectReset(previous: a)) {
                do {
                    if try result.subtract(a).customBoundsReconciled {
                        context.annotations.info(HistogramAnnotations.mismatchedCustomBuckets(.subtraction), at: position)
                    }
                } catch {
                    if error.kind == .incompatibleSchema {
                        context.annotations.warn(HistogramAnnotations.mixedExponentialCustom(metricName: metricName), at: position)
                        return nil
                    }
                }
            }
            result.counterResetHint = .gauge
            result.compact(maxEmptyBuckets: 0)
            if isRate { result.divide(by: seconds) }
            return .histogram(result)
        default:
            context.annotations.warn(HistogramAnnotations.mixedFloatsHistograms(metricName: w.metricName), at: position)
            return nil
        }
    }

    /// rate, increase and delta of a window of histograms (`extrapolatedRate` on histograms); nil,
    /// with Prometheus's warning, when the histograms do not combine. With start timestamps, a
    /// counter's first start time inside the window stands for a zero sample there: no
    /// extrapolation to the left, and one sample is enough.
    func histogramRate(_ w: MixedWindow, isCounter: Bool, isRate: Bool, position: PositionRange) -> FloatHistogram? {
        let points = w.histograms
        guard let firstPoint = points.first else { return nil }
        let c = w.context
        let first = firstPoint.histogram
        let firstT = firstPoint.timestamp
        let lastT = points[points.endIndex - 1].timestamp
        let firstStart = w.histogramStart(w.hlo)
        let zeroAtStart = isCounter && firstStart != 0 && firstStart > c.windowStart && firstStart < firstT
        var h: FloatHistogram
        if points.count >= 2 {
            guard let difference = histogramIncrease(w, isCounter: isCounter, position: position) else { return nil }
            h = difference
        } else if zeroAtStart {
            h = first
        } else {
            return nil
        }

        // The extrapolation of extrapolatedRate, with the histogram's count for the zero point.
        var durationToStart = Double(firstT - c.windowStart) / 1000
        var durationToEnd = Double(c.windowEnd - lastT) / 1000
        var sampledInterval = Double(lastT - firstT) / 1000
        let averageDurationBetweenSamples = points.count > 1 ? sampledInterval / Double(points.count - 1) : 0
        let threshold = averageDurationBetweenSamples * 1.1
        if zeroAtStart {
            if points.count >= 2 {
                do {
                    if try h.add(first).customBoundsReconciled {
                        context.annotations.info(HistogramAnnotations.mismatchedCustomBuckets(.addition), at: position)
                    }
                } catch {
                    if error.kind == .incompatibleSchema {
                        context.annotations.warn(HistogramAnnotations.mixedExponentialCustom(metricName: w.metricName), at: position)
                    }
                    return nil
                }
            }
            durationToStart = 0
            sampledInterval = Double(lastT - firstStart) / 1000
        } else {
            if durationToStart >= threshold { durationToStart = averageDurationBetweenSamples / 2 }
            if isCounter {
                var durationToZero = durationToStart
                if h.count > 0 && first.count >= 0 { durationToZero = sampledInterval * (first.count / h.count) }
                if durationToZero < durationToStart { durationToStart = durationToZero }
            }
        }
        if durationToEnd >= threshold { durationToEnd = averageDurationBetweenSamples / 2 }
        var factor = 1.0
        if sampledInterval != 0 { factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval }
        if isRate { factor /= Double(c.rangeMs) / 1000 }
        h.multiply(by: factor)
        return h
    }

    /// The difference between a window's last and first histogram (`histogramRate`), a counter's
    /// resets (by its values or its start timestamps) added back; at least two histograms.
    private func histogramIncrease(_ w: MixedWindow, isCounter: Bool, position: PositionRange) -> FloatHistogram? {
        let points = w.histograms
        let first = points[points.startIndex].histogram
        let last = points[points.endIndex - 1].histogram
        let metricName = w.metricName
        var previous = first
        if isCounter && (first.counterResetHint == .gauge || last.counterResetHint == .gauge) {
            context.annotations.warn(HistogramAnnotations.notCounter(metricName: metricName), at: position)
        }
        // A reset between the first two samples: the first one's layout does not matter.
        if isCounter {
            let second = points[points.startIndex + 1].histogram
            if w.isHistogramStartReset(w.hlo + 1) || second.detectReset(previous: previous) {
                previous = FloatHistogram(schema: second.schema, customValues: second.customValues)
            }
        }
        let usesCustomBuckets = previous.usesCustomBuckets
        if last.usesCustomBuckets != usesCustomBuckets {
            context.annotations.warn(HistogramAnnotations.mixedExponentialCustom(metricName: metricName), at: position)
            return nil
        }
        var minSchema = Swift.min(last.schema, previous.schema)
        for p in points.dropFirst().dropLast() where isCounter {
            if p.histogram.counterResetHint == .gauge {
                context.annotations.warn(HistogramAnnotations.notCounter(metricName: metricName), at: position)
            }
            minSchema = Swift.min(minSchema, p.histogram.schema)
            if p.histogram.usesCustomBuckets != usesCustomBuckets {
                context.annotations.warn(HistogramAnnotations.mixedExponentialCustom(metricName: metricName), at: position)
                return nil
            }
        }
        var h = last.copy(toSchema: minSchema)
        do {
            if try h.subtract(previous).customBoundsReconciled {
                context.annotations.info(HistogramAnnotations.mismatchedCustomBuckets(.subtraction), at: position)
            }
        } catch {
            if error.kind == .incompatibleSchema {
                context.annotations.warn(HistogramAnnotations.mixedExponentialCustom(metricName: metricName), at: position)
                return nil
            }
        }
        if isCounter {
            let starts = w.series.histogramStartTimes
            var prev = previous
            for i in (w.hlo + 1)..<w.hhi {
                let p = w.series.histograms[i]
                if let starts, RangeFunctions.startTimeOverlaps(
                    previousStart: starts[i - 1], previous: w.series.histograms[i - 1].timestamp, currentStart: starts[i])
                {
                    context.annotations.warn(RangeFunctions.startTimeOverlapWarning(metricName: metricName), at: position)
                }
                if w.isHistogramStartReset(i) || p.histogram.detectReset(previous: prev) {
                    do {
                        if try h.add(prev).customBoundsReconciled {
                            context.annotations.info(HistogramAnnotations.mismatchedCustomBuckets(.addition), at: position)
                        }
                    } catch {
                        if error.kind == .incompatibleSchema {
                            context.annotations.warn(HistogramAnnotations.mixedExponentialCustom(metricName: metricName), at: position)
                            return nil
                        }
                    }
                }
                prev = p.histogram
            }
        } else if first.counterResetHint != .gauge || last.counterResetHint != .gauge {
            context.annotations.warn(HistogramAnnotations.notGauge(metricName: metricName), at: position)
        }
        h.counterResetHint = .gauge
        h.compact(maxEmptyBuckets: 0)
        return h
    }
}
