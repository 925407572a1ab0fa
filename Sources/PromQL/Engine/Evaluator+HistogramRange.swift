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

/// What a function makes of one window: nothing, a float or a histogram.
enum WindowResult {
    case float(Double)
    case histogram(FloatHistogram)
}

extension Evaluator {
    /// The range functions that read histogram samples; every other one reads floats only and
    /// ignores histograms (with an info annotation when a window holds both).
    static let histogramRangeFunctions: Set<String> = [
        "count_over_time", "present_over_time", "last_over_time", "first_over_time",
        "ts_of_last_over_time", "ts_of_first_over_time", "absent_over_time",
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
        default:
            return nil
        }
    }
}
