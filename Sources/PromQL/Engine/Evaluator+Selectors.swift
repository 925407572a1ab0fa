// Vector and matrix selectors: each selected series is decoded once for the whole query
// range, then instant lookups (lookback, stale markers) and left-open windows `(t-range, t]`
// walk over the decoded samples with cursors that only move forward.

internal import ChunkEncoding
import MetricModel

/// The samples of one series over a time range, decoded once.
struct DecodedSeries {
    var labels: Labels
    var samples: [Sample]
    /// Native-histogram samples, in time order (none at a float sample's time).
    var histograms: [HistogramSample] = []
    var dropName: Bool = false
    /// The start timestamp of each sample (0: none), when asked for and the series has any.
    var startTimes: [Timestamp]? = nil
    /// The start timestamp of each histogram sample, set along with `startTimes`.
    var histogramStartTimes: [Timestamp]? = nil
}

/// A range-vector argument, ready for windowing: the series with their samples (stale markers
/// removed) and how a step time maps to a window.
struct RangeInput {
    var series: [DecodedSeries]
    var rangeMs: Int64
    var offsetMs: Int64
    /// The `@` time; nil when the window follows the step time.
    var atTime: Timestamp?
    /// The selector, when the range comes from one (absent_over_time labels, modifiers).
    var selector: VectorSelector?
    var positionRange: PositionRange
    /// Extended range selectors: `anchored` also loads the lookback before the window,
    /// `smoothed` the lookback on both sides.
    var anchored = false
    var smoothed = false
    var lookbackMs: Int64 = 0

    /// How far before the window start and after its end samples are handed to functions.
    var extraBefore: Int64 { anchored || smoothed ? lookbackMs : 0 }
    var extraAfter: Int64 { smoothed ? lookbackMs : 0 }

    /// The end of the window at step time `t`: `(end - range, end]`.
    @inline(__always)
    func windowEnd(at t: Timestamp) -> Timestamp { (atTime ?? t) &- offsetMs }
}

/// The stretches of time a selector reads in a range query: at step `k`, `[end(k) - width, end(k)]`
/// with `end(k) = firstEnd + k * step` (closed at both ends: a superset of Prometheus's
/// left-open windows).
struct StepWindows {
    let firstEnd: Timestamp
    let step: Int64
    let count: Int
    let width: Int64

    /// Whether time between windows goes unread (steps further apart than a window is wide).
    var hasGaps: Bool { count > 1 && step > width }

    /// nil when `t` lies in a window; else where the next window starts (`.max` when none is left).
    func nextStart(outside t: Timestamp) -> Timestamp? {
        switch firstWindow(endingNotBefore: t) {
        case .none: .max
        case .unknown: nil
        case .starting(let start): t >= start ? nil : start
        }
    }

    /// Whether some window overlaps `[minTime, maxTime]`.
    func touch(_ minTime: Timestamp, _ maxTime: Timestamp) -> Bool {
        switch firstWindow(endingNotBefore: minTime) {
        case .none: false
        case .unknown: true
        case .starting(let start): start <= maxTime
        }
    }

    private enum Window {
        case starting(Timestamp)
        case none
        /// Arithmetic overflowed: callers assume a window is there.
        case unknown
    }

    /// The first window that ends at or after `t`.
    private func firstWindow(endingNotBefore t: Timestamp) -> Window {
        guard count > 0, step > 0 else { return .unknown }
        var k: Int64 = 0
        if t > firstEnd {
            let (distance, overflow) = t.subtractingReportingOverflow(firstEnd)
            if overflow { return .unknown }
            k = distance / step + (distance % step == 0 ? 0 : 1)
        }
        guard k < Int64(count) else { return .none }
        let (offset, o1) = k.multipliedReportingOverflow(by: step)
        let (end, o2) = firstEnd.addingReportingOverflow(offset)
        let (start, o3) = end.subtractingReportingOverflow(width)
        return o1 || o2 || o3 ? .unknown : .starting(start)
    }
}

extension Evaluator {
    /// Selects and decodes series matching `vs` with samples in `[minTime, maxTime]`. Under
    /// `histogram_count` and the like (``HistogramStatsMode``), native histograms come as count
    /// and sum only, their counter resets detected as Prometheus does when it reads `reads`.
    func loadSeries(
        _ vs: VectorSelector, minTime: Timestamp, maxTime: Timestamp, keepStale: Bool, startTimes: Bool = false,
        windows: StepWindows? = nil, reads: @autoclosure () -> StepWindows? = nil
    ) throws(QueryError) -> [DecodedSeries] {
        try loadSeries(
            matching: vs.matchers, minTime: minTime, maxTime: maxTime, keepStale: keepStale, startTimes: startTimes,
            windows: windows, histogramStatsReads: histogramStats == .stats ? windows ?? reads() : nil)
    }

    /// Selects and decodes series matching every matcher with samples in `[minTime, maxTime]`,
    /// sorted by labels; with `startTimes`, also the samples' start timestamps where the storage
    /// has any. With `windows` (a range query whose steps are further apart than what each step
    /// reads), chunks that no step's window touches are not decoded: their samples would never be
    /// looked at, as Prometheus's iterators skip them by seeking.
    func loadSeries(
        matching matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, keepStale: Bool,
        startTimes: Bool = false, windows: StepWindows? = nil, histogramStatsReads: StepWindows? = nil
    ) throws(QueryError) -> [DecodedSeries] {
        let data: [SeriesData]
        do {
            data = try querier.select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: true)
        } catch {
            throw QueryError(.internal, "expanding series: \(error)")
        }
        if options.inlineBudget != nil { try context.selected(chunks: data.reduce(0) { $0 + $1.chunks.count }) }
        try context.fetched(series: data.count)
        var result: [DecodedSeries] = []
        result.reserveCapacity(data.count)
        var iterator = SeriesSampleIterator([])
        // Decoded into one reused buffer, then copied out at their exact size (no regrowth per series).
        var scratch: [Sample] = []
        // Read once: StaleNaN.isStale is not inlined across modules (a call per sample).
        let staleBits = StaleNaN.bits
        let sparse = windows.map { $0.hasGaps } ?? false
        for s in data {
            scratch.removeAll(keepingCapacity: true)
            if s.chunks.contains(where: { $0.encoding != XORChunk.encoding }) {
                // Histogram chunks: decoded chunk by chunk, floats and histograms apart.
                var decoded = try decodeMixed(s, minTime: minTime, maxTime: maxTime, keepStale: keepStale || histogramStatsReads != nil)
                if let reads = histogramStatsReads { decoded.decodeHistogramStats(reads: reads, keepStale: keepStale) }
                try context.addSamples(decoded.samples.count + decoded.histograms.count)
                if startTimes, let starts = s.startTimestamps {
                    decoded.startTimes = decoded.samples.map { starts[$0.timestamp] ?? 0 }
                    decoded.histogramStartTimes = decoded.histograms.map { starts[$0.timestamp] ?? 0 }
                }
                result.append(decoded)
                continue
            }
            if sparse, let windows {
                // Between windows, seek: the rest of a chunk no window reaches is not decoded.
                iterator.reset(s.chunks.filter { windows.touch($0.minTime, $0.maxTime) }, minTime: minTime, maxTime: maxTime)
                var more = iterator.seek(to: minTime)
                while more {
                    let t = iterator.timestamp
                    if t > maxTime { break }
                    if let start = windows.nextStart(outside: t) {
                        more = start == .max ? false : iterator.seek(to: start)
                        continue
                    }
                    let v = iterator.value
                    if keepStale || v.bitPattern != staleBits { scratch.append(Sample(t, v)) }
                    more = iterator.next()
                }
            } else {
                iterator.reset(s.chunks, minTime: minTime, maxTime: maxTime)
                if iterator.seek(to: minTime) {
                    repeat {
                        let t = iterator.timestamp
                        if t > maxTime { break }
                        let v = iterator.value
                        if keepStale || v.bitPattern != staleBits { scratch.append(Sample(t, v)) }
                    } while iterator.next()
                }
            }
            if let error = iterator.error { throw QueryError(.internal, error.description) }
            try context.addSamples(scratch.count)
            var decoded = DecodedSeries(labels: s.labels, samples: scratch.isEmpty ? [] : Array(scratch))
            if startTimes, let starts = s.startTimestamps {
                decoded.startTimes = decoded.samples.map { starts[$0.timestamp] ?? 0 }
            }
            result.append(decoded)
        }
        return result
    }

    /// What an instant-vector selector yields at each step for the sample it finds.
    enum SelectedValue {
        case value
        /// The sample's own timestamp in seconds (`timestamp()`).
        case sampleTime
        /// The sample's start timestamp in seconds, 0 when it has none (`start_timestamp()`).
        case startTime
    }

    /// An instant-vector selector at every step: the newest sample in `(t - lookback, t]`
    /// unless it is a stale marker.
    func evalVectorSelector(_ vs: VectorSelector, yielding selected: SelectedValue = .value) throws(QueryError) -> [EvalSeries] {
        if vs.smoothed { return try evalSmoothedSelector(vs) }
        let offset = offset(of: vs)
        let at = atTime(vs.atModifier)
        let firstRef = (at ?? start) &- offset
        let lastRef = (at ?? end) &- offset
        let minTime = windowStart(firstRef, lookbackDelta)
        let windows = at == nil ? StepWindows(firstEnd: firstRef, step: interval, count: numSteps, width: lookbackDelta) : nil
        let loaded = try loadSeries(
            vs, minTime: minTime, maxTime: lastRef, keepStale: true, startTimes: selected == .startTime, windows: windows,
            reads: StepWindows(firstEnd: firstRef, step: interval, count: 1, width: lookbackDelta))
        var result: [EvalSeries] = []
        result.reserveCapacity(loaded.count)
        let n = numSteps
        for s in loaded {
            if !s.histograms.isEmpty {
                if let series = try mixedVectorSelection(s, at: at, offset: offset, yielding: selected) {
                    result.append(series)
                }
                continue
            }
            var cursor = LookbackCursor(s.samples)
            var points: [Sample] = []
            points.reserveCapacity(n)
            for i in 0..<n {
                let t = stepTime(i)
                guard let sample = cursor.sample(at: (at ?? t) &- offset, lookback: lookbackDelta) else { continue }
                let value = switch selected {
                case .value: sample.value
                case .sampleTime: Double(sample.timestamp) / 1000
                case .startTime: Double(s.startTimes?[cursor.index] ?? 0) / 1000
                }
                points.append(Sample(t, value))
            }
            if !points.isEmpty {
                try context.addSamples(points.count)
                context.queryableSamples += points.count
                result.append(EvalSeries(labels: s.labels, points: points))
            }
        }
        return result
    }

    /// A `smoothed` instant selector (`smoothSeries`): the value at each step interpolated
    /// between the samples around it within the lookback delta on either side.
    private func evalSmoothedSelector(_ vs: VectorSelector) throws(QueryError) -> [EvalSeries] {
        let offset = offset(of: vs)
        let at = atTime(vs.atModifier)
        let lb = lookbackDelta
        let minTime = windowStart((at ?? start) &- offset, lb)
        // Prometheus reads the whole query range and the lookback on both sides at once.
        let loaded = try loadSeries(
            vs, minTime: minTime, maxTime: (at ?? end) &- offset &+ lb, keepStale: false,
            reads: StepWindows(firstEnd: (at ?? start) &- offset &+ lb, step: interval, count: 1, width: end - start + 2 * lb))
        var result: [EvalSeries] = []
        for s in loaded {
            if !s.histograms.isEmpty {
                if let series = smoothedHistogramSelection(s, at: at, offset: offset, position: vs.positionRange) {
                    try context.addSamples(series.points.count + series.histograms.count)
                    context.queryableSamples += series.points.count + series.histograms.count
                    result.append(series)
                }
                continue
            }
            let samples = s.samples
            var points: [Sample] = []
            var lo = 0
            var hi = 0
            for i in 0..<numSteps {
                let t = stepTime(i)
                let dataT = (at ?? t) &- offset
                while hi < samples.count && samples[hi].timestamp <= dataT &+ lb { hi += 1 }
                while lo < hi && samples[lo].timestamp <= dataT &- lb { lo += 1 }
                if lo >= hi { continue }
                if let v = smoothedValue(samples[lo..<hi], at: dataT) { points.append(Sample(t, v)) }
            }
            if !points.isEmpty {
                try context.addSamples(points.count)
                context.queryableSamples += points.count
                result.append(EvalSeries(labels: s.labels, points: points))
            }
        }
        return result
    }

    /// Loads what a range selector needs for all steps (samples in every window), stale
    /// markers dropped; with `startTimes`, their start timestamps too.
    func rangeInput(_ ms: MatrixSelector, startTimes: Bool = false) throws(QueryError) -> RangeInput {
        let vs = ms.vectorSelector
        let offset = offset(of: vs)
        let range = range(of: ms)
        let at = atTime(vs.atModifier)
        let firstEnd = (at ?? start) &- offset
        let lastEnd = (at ?? end) &- offset
        var input = RangeInput(
            series: [], rangeMs: range, offsetMs: offset, atTime: at, selector: vs, positionRange: ms.positionRange,
            anchored: vs.anchored, smoothed: vs.smoothed, lookbackMs: lookbackDelta)
        let minTime = windowStart(firstEnd, range &+ input.extraBefore)
        let windows = at == nil
            ? StepWindows(
                firstEnd: firstEnd &+ input.extraAfter, step: interval, count: numSteps,
                width: range &+ input.extraBefore &+ input.extraAfter)
            : nil
        input.series = try loadSeries(
            vs, minTime: minTime, maxTime: lastEnd &+ input.extraAfter, keepStale: false, startTimes: startTimes,
            windows: windows,
            reads: StepWindows(firstEnd: firstEnd &+ input.extraAfter, step: interval, count: 1, width: range &+ input.extraBefore &+ input.extraAfter))
        return input
    }

    /// A range selector evaluated as a value (instant queries only): the raw samples of
    /// each series in `(t - range, t]`.
    func evalMatrixSelector(_ ms: MatrixSelector) throws(QueryError) -> [EvalSeries] {
        let input = try rangeInput(ms)
        let windowEnd = input.windowEnd(at: start)
        let windowStart = windowEnd &- input.rangeMs
        var result: [EvalSeries] = []
        for s in input.series {
            var points = s.samples.filter {
                $0.timestamp > windowStart &- input.extraBefore && $0.timestamp <= windowEnd &+ input.extraAfter
            }
            if input.anchored || input.smoothed {
                let extended = s.histograms.contains {
                    $0.timestamp > windowStart &- input.extraBefore && $0.timestamp <= windowEnd &+ input.extraAfter
                }
                if extended {
                    throw QueryError(.execution, "\(input.anchored ? "anchored" : "smoothed") modifier is not supported with histograms")
                }
                points = points.isEmpty ? [] : extendFloats(points, windowStart, windowEnd, smoothed: input.smoothed)
            }
            let histograms = s.histograms.filter { $0.timestamp > windowStart && $0.timestamp <= windowEnd }
            context.queryableSamples += points.count + histograms.count
            if !points.isEmpty || !histograms.isEmpty {
                result.append(EvalSeries(labels: s.labels, points: points, histograms: histograms))
            }
        }
        return result
    }

    /// Applies `body` to the window of every series at every step, collecting one output
    /// point per step where `body` returns a value. Windows slide forward with two cursors,
    /// so each sample is visited a bounded number of times per step it belongs to.
    ///
    /// The window is `samples[lo..<hi]` of the series' samples (passed borrowed, with positions
    /// rather than a slice: no reference counting per step), so per-series precomputations (set
    /// up in `beginSeries`) can be indexed.
    func slideWindows(
        _ input: RangeInput, dropName: Bool,
        beginSeries: (DecodedSeries) -> Void = { _ in },
        _ body: (
            _ samples: [Sample], _ lo: Int, _ hi: Int, _ step: Int, _ windowEnd: Timestamp, _ series: DecodedSeries
        ) throws(QueryError) -> Double?
    ) throws(QueryError) -> [EvalSeries] {
        var result: [EvalSeries] = []
        let n = numSteps
        for s in input.series {
            let samples = s.samples
            beginSeries(s)
            var lo = 0
            var hi = 0
            var windowSamples = 0
            var points: [Sample] = []
            points.reserveCapacity(n)
            defer { context.queryableSamples += windowSamples }
            for i in 0..<n {
                let t = stepTime(i)
                let windowEnd = input.windowEnd(at: t)
                let windowStart = windowEnd &- input.rangeMs &- input.extraBefore
                let last = windowEnd &+ input.extraAfter
                while hi < samples.count && samples[hi].timestamp <= last { hi += 1 }
                while lo < hi && samples[lo].timestamp <= windowStart { lo += 1 }
                if lo >= hi { continue }
                windowSamples += hi - lo
                if let v = try body(samples, lo, hi, i, windowEnd, s) {
                    points.append(Sample(t, v))
                }
            }
            if !points.isEmpty {
                try context.addSamples(points.count)
                result.append(EvalSeries(labels: s.labels, points: points, dropName: dropName || s.dropName))
            }
        }
        return result
    }
}

/// The instant-vector lookup (`vectorSelectorSingle`) over samples decoded once, for reference
/// times that only move forward: each sample is passed over once for all steps.
struct LookbackCursor {
    let samples: [Sample]
    /// The newest sample at or before the last reference time; -1 before the first one.
    private(set) var index = -1
    /// The stale marker's bits, read once (StaleNaN.isStale is a call per step across modules).
    private let staleBits = StaleNaN.bits

    init(_ samples: [Sample]) { self.samples = samples }

    /// The sample an instant selector sees at `ref`: the newest in `(ref - lookback, ref]`, or
    /// nil when there is none or it is a stale marker. `ref` must not be before the last one.
    @inline(__always)
    mutating func sample(at ref: Timestamp, lookback: Int64) -> Sample? {
        while index + 1 < samples.count && samples[index + 1].timestamp <= ref { index += 1 }
        guard index >= 0 else { return nil }
        let sample = samples[index]
        if sample.timestamp <= ref &- lookback || sample.value.bitPattern == staleBits { return nil }
        return sample
    }
}

/// `extendFloats`: the samples of an anchored or smoothed window, with points added at its
/// start and end (the value there, picked or interpolated).
func extendFloats(_ floats: [Sample], _ minTime: Timestamp, _ maxTime: Timestamp, smoothed: Bool) -> [Sample] {
    var last = floats.count - 1
    var first = Swift.max(0, firstIndex(floats, upTo: last) { $0.timestamp > minTime } - 1)
    if smoothed { last = firstIndex(floats, upTo: last) { $0.timestamp >= maxTime } }
    if floats[last].timestamp <= minTime { return [] }
    let left = ExtendedRange.pickLeft(floats[...], first, minTime, smoothed: smoothed, isCounter: false)
    let right = ExtendedRange.pickRight(floats[...], last, maxTime, smoothed: smoothed, isCounter: false)
    if floats[first].timestamp <= minTime { first += 1 }
    if floats[last].timestamp >= maxTime { last -= 1 }
    var out = [Sample(minTime, left)]
    if first <= last { out.append(contentsOf: floats[first...last]) }
    out.append(Sample(maxTime, right))
    return out
}

/// Go's `sort.Search(n, f)` over `c[0..<n]`: the first index where `f` holds, or `n`.
func firstIndex<C: RandomAccessCollection>(_ c: C, upTo n: Int, _ f: (C.Element) -> Bool) -> Int where C.Index == Int {
    var lo = 0
    var hi = n
    while lo < hi {
        let mid = (lo + hi) / 2
        if f(c[c.startIndex + mid]) { hi = mid } else { lo = mid + 1 }
    }
    return lo
}

/// `t - range + 1`: the first millisecond of the left-open window `(t - range, t]`, saturating
/// instead of trapping on extreme timestamps.
func windowStart(_ t: Timestamp, _ range: Int64) -> Timestamp {
    let (start, overflow) = t.subtractingReportingOverflow(range)
    if overflow { return .min }
    return start == .max ? start : start + 1
}
