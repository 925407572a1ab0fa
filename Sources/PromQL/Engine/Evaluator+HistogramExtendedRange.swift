// `anchored` and `smoothed` over native histograms (`promql/functions.go`: extendedHistogramRate,
// interpolateHistograms, correctForCounterResetsHistogram, pickFirstSampleIndices; `engine.go`:
// smoothSeries). The float versions are `ExtendedRange` and `evalSmoothedSelector`.

import MetricModel

extension Evaluator {
    /// `base += other`, or `base -= other` with `subtract`, with Prometheus's annotations
    /// (`addHistogramWithAnnotations`, `subHistogramWithAnnotations`): false, with a warning when
    /// the schemas do not mix, if the two do not combine.
    func combine(
        _ base: inout FloatHistogram, _ other: FloatHistogram, subtract: Bool, metricName: String, at position: PositionRange
    ) -> Bool {
        do {
            let outcome = subtract ? try base.subtract(other) : try base.add(other)
            if outcome.customBoundsReconciled {
                context.annotations.info(
                    HistogramAnnotations.mismatchedCustomBuckets(subtract ? .subtraction : .addition), at: position)
            }
            return true
        } catch {
            if error.kind == .incompatibleSchema {
                context.annotations.warn(HistogramAnnotations.mixedExponentialCustom(metricName: metricName), at: position)
            }
            return false
        }
    }

    /// The histogram at `t` on the straight line from `p1` to `p2` (`interpolateHistograms`);
    /// for a counter that resets between them, `p2` scaled as if it had started from zero at
    /// `p1`. Nil, with a warning, when the two do not combine.
    func interpolate(
        _ p1: HistogramSample, _ p2: HistogramSample, at t: Timestamp, isCounter: Bool, metricName: String,
        position: PositionRange
    ) -> FloatHistogram? {
        if t == p1.timestamp { return p1.histogram }
        if t == p2.timestamp { return p2.histogram }
        let fraction = Double(t - p1.timestamp) / Double(p2.timestamp - p1.timestamp)
        var result = p2.histogram
        if isCounter && p2.histogram.detectReset(previous: p1.histogram) {
            result.multiply(by: fraction)
            return result
        }
        guard combine(&result, p1.histogram, subtract: true, metricName: metricName, at: position) else { return nil }
        result.multiply(by: fraction)
        guard combine(&result, p1.histogram, subtract: false, metricName: metricName, at: position) else { return nil }
        return result
    }

    /// rate, increase and delta of histograms over an anchored or smoothed window
    /// (`extendedHistogramRate`): the difference of the histograms at the range's edges (taken
    /// or, smoothed, interpolated), plus for counters what resets in between lost. `h` holds the
    /// window's samples, the lookback on either side included.
    func extendedHistogramRate(
        _ h: ArraySlice<HistogramSample>, _ c: WindowContext, smoothed: Bool, isCounter: Bool, isRate: Bool,
        metricName: String, position: PositionRange
    ) -> FloatHistogram? {
        let b = h.startIndex
        let rangeStart = c.windowStart
        let rangeEnd = c.windowEnd
        guard let (first, last) = ExtendedRange.edges(h, c, smoothed: smoothed, timestamp: \.timestamp) else { return nil }

        // validateHistogramRange
        let usesCustomBuckets = h[b + first].histogram.usesCustomBuckets
        for p in h[(b + first)...(b + last)] {
            if p.histogram.usesCustomBuckets != usesCustomBuckets {
                context.annotations.warn(HistogramAnnotations.mixedExponentialCustom(metricName: metricName), at: position)
                return nil
            }
            if isCounter && p.histogram.counterResetHint == .gauge {
                context.annotations.warn(HistogramAnnotations.notCounter(metricName: metricName), at: position)
            }
        }

        let left: FloatHistogram
        if smoothed && h[b + first].timestamp < rangeStart {
            guard let l = interpolate(
                h[b + first], h[b + first + 1], at: rangeStart, isCounter: isCounter, metricName: metricName, position: position)
            else { return nil }
            left = l
        } else {
            left = h[b + first].histogram
        }
        let right: FloatHistogram
        if smoothed && last > 0 && h[b + last].timestamp > rangeEnd {
            guard let r = interpolate(
                h[b + last - 1], h[b + last], at: rangeEnd, isCounter: isCounter, metricName: metricName, position: position)
            else { return nil }
            right = r
        } else {
            right = h[b + last].histogram
        }
        if !isCounter && (left.counterResetHint != .gauge || right.counterResetHint != .gauge) {
            context.annotations.warn(HistogramAnnotations.notGauge(metricName: metricName), at: position)
        }

        var result = right
        guard combine(&result, left, subtract: true, metricName: metricName, at: position) else { return nil }
        if isCounter {
            guard let correction = resetCorrection(
                h, first: first, last: last, left: left, right: right, rangeStart: rangeStart, smoothed: smoothed,
                metricName: metricName, position: position)
            else { return nil }
            if let correction, !combine(&result, correction, subtract: false, metricName: metricName, at: position) {
                return nil
            }
        }
        if isRate { result.divide(by: Double(c.rangeMs) / 1000) }
        result.counterResetHint = .gauge
        result.compact(maxEmptyBuckets: 0)
        return result
    }

    /// What counter resets strictly between the window's edge samples `first` and `last` lost
    /// (`correctForCounterResetsHistogram`): the sum of the histograms before each reset, `.some(nil)`
    /// when there was none, nil when they do not combine. A reset the left interpolation spanned is
    /// already in `left`; `last` is never compared with itself (`right` carries its hint).
    private func resetCorrection(
        _ h: ArraySlice<HistogramSample>, first: Int, last: Int, left: FloatHistogram, right: FloatHistogram,
        rangeStart: Timestamp, smoothed: Bool, metricName: String, position: PositionRange
    ) -> FloatHistogram?? {
        let b = h.startIndex
        var from = first + 1
        var previous = left
        if smoothed && h[b + first].timestamp < rangeStart
            && h[b + first + 1].histogram.detectReset(previous: h[b + first].histogram)
        {
            previous = h[b + first + 1].histogram
            from += 1
        }
        let through = last - 1
        if from > through + 1 { return .some(nil) }
        var correction: FloatHistogram? = nil
        func add(_ lost: FloatHistogram) -> Bool {
            guard var sum = correction else {
                correction = lost
                return true
            }
            defer { correction = sum }
            return combine(&sum, lost, subtract: false, metricName: metricName, at: position)
        }
        if from <= through {
            for p in h[(b + from)...(b + through)] {
                if p.histogram.detectReset(previous: previous) && !add(previous) { return nil }
                previous = p.histogram
            }
        }
        if right.detectReset(previous: previous) && !add(previous) { return nil }
        return .some(correction)
    }

    /// The window of anchored `resets`/`changes` (`pickFirstSampleIndices`): from the newest sample,
    /// float or histogram, at or before the range start, on; nil when no sample follows it.
    func anchoredWindow(_ w: MixedWindow) -> MixedWindow? {
        let rangeStart = w.context.windowStart
        let floatAnchor = w.lo + firstIndex(w.floats, upTo: w.floatCount) { $0.timestamp > rangeStart } - 1
        let histogramAnchor = w.hlo + firstIndex(w.histograms, upTo: w.histogramCount) { $0.timestamp > rangeStart } - 1
        if floatAnchor + 1 >= w.hi && histogramAnchor + 1 >= w.hhi { return nil }
        var lo = w.lo
        var hlo = w.hlo
        if floatAnchor >= w.lo || histogramAnchor >= w.hlo {
            let anchorIsFloat = histogramAnchor < w.hlo
                || (floatAnchor >= w.lo
                    && w.series.samples[floatAnchor].timestamp >= w.series.histograms[histogramAnchor].timestamp)
            lo = anchorIsFloat ? floatAnchor : floatAnchor + 1
            hlo = anchorIsFloat ? histogramAnchor + 1 : histogramAnchor
        }
        return MixedWindow(series: w.series, lo: lo, hi: w.hi, hlo: hlo, hhi: w.hhi, context: w.context)
    }

    /// A `smoothed` instant selector over a series with histograms (`smoothSeries`): at each step
    /// the histogram at the step interpolated between the samples around it within the lookback
    /// delta; nothing, with a warning, where that lookback holds floats and histograms both.
    func smoothedHistogramSelection(
        _ s: DecodedSeries, at: Timestamp?, offset: Int64, position: PositionRange
    ) -> EvalSeries? {
        let metricName = s.labels.metricName ?? ""
        let samples = s.samples
        let hs = s.histograms
        let lb = lookbackDelta
        var out = EvalSeries(labels: s.labels)
        var lo = 0, hi = 0, hlo = 0, hhi = 0
        for i in 0..<numSteps {
            let t = stepTime(i)
            let dataT = (at ?? t) &- offset
            while hi < samples.count && samples[hi].timestamp <= dataT &+ lb { hi += 1 }
            while lo < hi && samples[lo].timestamp <= dataT &- lb { lo += 1 }
            while hhi < hs.count && hs[hhi].timestamp <= dataT &+ lb { hhi += 1 }
            while hlo < hhi && hs[hlo].timestamp <= dataT &- lb { hlo += 1 }
            if lo >= hi && hlo >= hhi { continue }
            if lo < hi && hlo < hhi {
                context.annotations.warn(HistogramAnnotations.mixedFloatsHistograms(metricName: metricName), at: position)
                continue
            }
            if lo < hi {
                if let v = smoothedValue(samples[lo..<hi], at: dataT) { out.points.append(Sample(t, v)) }
                continue
            }
            let w = hs[hlo..<hhi]
            let k = w.startIndex + firstIndex(w, upTo: w.count) { $0.timestamp >= dataT }
            if k < w.endIndex && w[k].timestamp == dataT {
                out.histograms.append(HistogramSample(t, w[k].histogram))
            } else if k > w.startIndex && k < w.endIndex {
                let previous = w[k - 1]
                let next = w[k]
                if previous.histogram.usesCustomBuckets != next.histogram.usesCustomBuckets {
                    context.annotations.warn(HistogramAnnotations.mixedExponentialCustom(metricName: metricName), at: position)
                    continue
                }
                let isCounter = previous.histogram.counterResetHint != .gauge || next.histogram.counterResetHint != .gauge
                if let h = interpolate(previous, next, at: dataT, isCounter: isCounter, metricName: metricName, position: position) {
                    out.histograms.append(HistogramSample(t, h))
                }
            } else if k > w.startIndex {
                // The hint says how a sample follows the one before; a value carried forward has none.
                var h = w[k - 1].histogram
                h.counterResetHint = .unknown
                out.histograms.append(HistogramSample(t, h))
            }
        }
        return out.isEmpty ? nil : out
    }
}

/// The smoothed value at `t` of floats within the lookback around it: the sample at `t`, else
/// the interpolation of the two around it, else the last one before it carried forward.
func smoothedValue(_ w: ArraySlice<Sample>, at t: Timestamp) -> Double? {
    let k = w.startIndex + firstIndex(w, upTo: w.count) { $0.timestamp >= t }
    if k < w.endIndex && w[k].timestamp == t { return w[k].value }
    if k > w.startIndex && k < w.endIndex { return ExtendedRange.interpolate(w[k - 1], w[k], t, isCounter: false) }
    if k > w.startIndex { return w[k - 1].value }
    return nil
}
