// Function calls (`promql/functions.go`, the `FunctionCalls` table): range-vector functions
// slide windows series by series; element-wise instant functions map series by series;
// the rest (scalar, absent, sort, histogram_quantile, …) work step by step.

import MetricModel

extension Evaluator {
    func evalCall(_ c: Call) throws(QueryError) -> [EvalSeries] {
        let name = c.function.name
        let args = c.args.map(unwrapParens)

        switch name {
        case "label_replace": return try labelReplace(args)
        case "label_join": return try labelJoin(args)
        case "time": return [series { Double($0) / 1000 }]
        case "pi": return [constantSeries(.pi)]
        case "start": return [constantSeries(Double(context.queryStart) / 1000)]
        case "end": return [constantSeries(Double(context.queryEnd) / 1000)]
        case "range": return [constantSeries(Double(context.queryEnd - context.queryStart) / 1000)]
        case "step": return [constantSeries(Double(context.queryStep) / 1000)]
        case "timestamp":
            if case .vectorSelector(let vs) = args[0] {
                var result = try evalVectorSelector(vs, yielding: .sampleTime)
                for i in result.indices { result[i].dropName = true }
                return result
            }
        case "start_timestamp":
            // Start timestamps come from storage: only a selector written directly as the argument
            // has them (not an expression, nor one in parentheses), and only when they are used.
            guard options.useStartTimestamps, case .vectorSelector(let vs) = c.args[0] else {
                _ = try eval(c.args[0])
                return []
            }
            var result = try evalVectorSelector(vs, yielding: .startTime)
            for i in result.indices { result[i].dropName = true }
            return result
        case "info":
            return try evalInfo(args)
        default:
            break
        }

        if let index = args.firstIndex(where: { if case .matrixSelector = $0 { true } else if case .subquery = $0 { true } else { false } }) {
            return try evalRangeFunction(c, args, matrixIndex: index)
        }
        return try evalInstantFunction(c, args)
    }

    /// A series without labels whose value at each step is `value(stepTime)`.
    func series(_ value: (Timestamp) -> Double) -> EvalSeries {
        var points: [Sample] = []
        points.reserveCapacity(numSteps)
        for i in 0..<numSteps {
            let t = stepTime(i)
            points.append(Sample(t, value(t)))
        }
        return EvalSeries(labels: .empty, points: points)
    }

    // MARK: - Range-vector functions

    private static let anchoredSafe = ["changes", "delta", "increase", "rate", "resets"]
    /// The range functions that read start timestamps (`use-start-timestamps`).
    private static let startTimestampFunctions: Set<String> = ["rate", "increase", "irate", "resets"]
    private static let smoothedSafe = ["delta", "increase", "rate"]

    private func evalRangeFunction(_ c: Call, _ args: [Expr], matrixIndex: Int) throws(QueryError) -> [EvalSeries] {
        let name = c.function.name
        // Scalar arguments, per step.
        var scalarValuesByArg: [[Double]] = []
        for (i, a) in args.enumerated() where i != matrixIndex {
            scalarValuesByArg.append(try scalarValues(a))
        }
        let scalarArgs = scalarValuesByArg
        var input: RangeInput
        switch args[matrixIndex] {
        case .matrixSelector(let ms):
            let vs = ms.vectorSelector
            if vs.anchored && !Self.anchoredSafe.contains(name) {
                throw QueryError(.execution, "anchored modifier can only be used with: \(Self.anchoredSafe.joined(separator: ", ")) - not with \(name)")
            }
            if vs.smoothed && !Self.smoothedSafe.contains(name) {
                throw QueryError(.execution, "smoothed modifier can only be used with: \(Self.smoothedSafe.joined(separator: ", ")) - not with \(name)")
            }
            input = try rangeInput(ms, startTimes: options.useStartTimestamps && Self.startTimestampFunctions.contains(name))
        case .subquery(let sq):
            input = try subqueryInput(sq)
        default:
            throw QueryError(.execution, "expected a range vector argument to \(name)")
        }
        let argPosition = c.args[matrixIndex].positionRange
        let dropName = name != "last_over_time" && name != "first_over_time"
        if input.series.contains(where: { !$0.histograms.isEmpty }) {
            if name == "absent_over_time" {
                let present = try histogramRangeFunction("present_over_time", input, dropName: true, argPosition: argPosition) ?? []
                return absentOverTime(present, args[matrixIndex])
            }
            if let result = try histogramRangeFunction(name, input, dropName: dropName, argPosition: argPosition) {
                return result
            }
            input = droppingHistograms(input, argPosition: argPosition)
        }

        // Inlined, as is `slideWindows`, so that each function's body below is compiled into its
        // own window loop (no closure calls or reference counting per step).
        @inline(__always)
        func run(
            beginSeries: (DecodedSeries) -> Void = { _ in },
            _ body: (_ samples: [Sample], _ lo: Int, _ hi: Int, WindowContext) throws(QueryError) -> Double?
        ) throws(QueryError) -> [EvalSeries] {
            try slideWindows(input, dropName: dropName, beginSeries: beginSeries) {
                (samples, lo, hi, step, windowEnd, _) throws(QueryError) -> Double? in
                let ctx = WindowContext(stepTime: stepTime(step), windowEnd: windowEnd, rangeMs: input.rangeMs, step: step)
                return try body(samples, lo, hi, ctx)
            }
        }

        /// For the functions that take the window as a slice.
        @inline(__always)
        func runOnSlices(
            _ body: (RangeFunctions.Window, WindowContext) throws(QueryError) -> Double?
        ) throws(QueryError) -> [EvalSeries] {
            try run { (s, lo, hi, ctx) throws(QueryError) -> Double? in try body(s[lo..<hi], ctx) }
        }

        if input.anchored || input.smoothed {
            let smoothed = input.smoothed
            switch name {
            case "rate", "increase", "delta":
                return try runOnSlices { w, ctx in
                    ExtendedRange.rate(w, ctx, smoothed: smoothed, isCounter: name != "delta", isRate: name == "rate")
                }
            case "changes":
                return try runOnSlices { w, ctx in ExtendedRange.anchoredStart(w, ctx).map(RangeFunctions.changes) }
            default:
                return try runOnSlices { w, ctx in ExtendedRange.anchoredStart(w, ctx).map(RangeFunctions.resets) }
            }
        }
        switch name {
        case "rate", "increase":
            // Counter resets are rare: count them per series once, and skip the per-window reset
            // scan when the window has none (the common case makes the whole query O(samples)).
            var resets = RangeFunctions.PairCounts()
            let isRate = name == "rate"
            // Series with start timestamps take the slower path that reads them.
            var starts: [Timestamp]? = nil
            var metricName = ""
            var overlap = false
            let result = try run(beginSeries: {
                starts = $0.startTimes
                if let starts {
                    let samples = $0.samples
                    resets = RangeFunctions.PairCounts(count: samples.count) { RangeFunctions.isCounterReset(samples, starts, $0) }
                    metricName = $0.labels.metricName ?? ""
                    overlap = false
                } else {
                    resets = RangeFunctions.PairCounts($0.samples) { $1 < $0 }
                }
            }) { s, lo, hi, ctx in
                if let starts {
                    let warned = overlap
                    let value = RangeFunctions.extrapolatedRate(s, starts: starts, lo, hi, ctx, isRate: isRate, overlap: &overlap)
                    if overlap && !warned {
                        context.annotations.warn(RangeFunctions.startTimeOverlapWarning(metricName: metricName), at: argPosition)
                    }
                    return value
                }
                return RangeFunctions.extrapolatedRate(
                    s, lo, hi, ctx, isCounter: true, isRate: isRate, mayHaveResets: resets.any(lo, hi))
            }
            notePossibleNonCounters(result, at: argPosition)
            return result
        case "delta":
            return try run { s, lo, hi, ctx in RangeFunctions.extrapolatedRate(s, lo, hi, ctx, isCounter: false, isRate: false) }
        case "irate":
            var starts: [Timestamp]? = nil
            return try run(beginSeries: { starts = $0.startTimes }) { s, lo, hi, _ in
                if let starts { return RangeFunctions.instantRate(s, starts: starts, lo, hi) }
                return RangeFunctions.instantValue(s, lo, hi, isRate: true)
            }
        case "idelta": return try run { s, lo, hi, _ in RangeFunctions.instantValue(s, lo, hi, isRate: false) }
        case "avg_over_time": return try run { s, lo, hi, _ in RangeFunctions.avg(s, lo, hi) }
        case "sum_over_time": return try run { s, lo, hi, _ in RangeFunctions.sum(s, lo, hi) }
        case "count_over_time": return try run { _, lo, hi, _ in Double(hi - lo) }
        case "max_over_time":
            var extremes = RangeFunctions.SlidingExtreme(keepsMaximum: true)
            return try run(beginSeries: { _ in extremes.reset() }) { s, lo, hi, _ in extremes.value(s, lo, hi) }
        case "min_over_time":
            var extremes = RangeFunctions.SlidingExtreme(keepsMaximum: false)
            return try run(beginSeries: { _ in extremes.reset() }) { s, lo, hi, _ in extremes.value(s, lo, hi) }
        case "ts_of_max_over_time":
            return try runOnSlices { w, _ in RangeFunctions.compare(w, returnTimestamp: true) { $0 >= $1 || $1.isNaN } }
        case "ts_of_min_over_time":
            return try runOnSlices { w, _ in RangeFunctions.compare(w, returnTimestamp: true) { $0 <= $1 || $1.isNaN } }
        case "ts_of_first_over_time": return try run { s, lo, _, _ in Double(s[lo].timestamp) / 1000 }
        case "ts_of_last_over_time": return try run { s, _, hi, _ in Double(s[hi - 1].timestamp) / 1000 }
        case "first_over_time": return try run { s, lo, _, _ in s[lo].value }
        case "last_over_time": return try run { s, _, hi, _ in s[hi - 1].value }
        case "present_over_time": return try run { _, _, _, _ in 1 }
        case "stddev_over_time": return try run { s, lo, hi, _ in RangeFunctions.variance(s, lo, hi).squareRoot() }
        case "stdvar_over_time": return try run { s, lo, hi, _ in RangeFunctions.variance(s, lo, hi) }
        case "mad_over_time": return try runOnSlices { w, _ in RangeFunctions.mad(w) }
        case "changes":
            var changes = RangeFunctions.PairCounts()
            return try run(beginSeries: { changes = RangeFunctions.PairCounts($0.samples, RangeFunctions.isChange) }) {
                _, lo, hi, _ in Double(changes.count(lo, hi))
            }
        case "resets":
            var resets = RangeFunctions.PairCounts()
            return try run(beginSeries: {
                if let starts = $0.startTimes {
                    let samples = $0.samples
                    resets = RangeFunctions.PairCounts(count: samples.count) { RangeFunctions.isCounterReset(samples, starts, $0) }
                } else {
                    resets = RangeFunctions.PairCounts($0.samples) { $1 < $0 }
                }
            }) { _, lo, hi, _ in
                Double(resets.count(lo, hi))
            }
        case "quantile_over_time":
            let qPosition = c.args[0].positionRange
            return try runOnSlices { w, ctx in
                let q = scalarArgs[0][ctx.step]
                if q.isNaN || q < 0 || q > 1 { context.annotations.warn(invalidQuantile(q), at: qPosition) }
                return RangeFunctions.quantile(q, w)
            }
        case "deriv":
            return try run { s, lo, hi, _ in
                hi - lo < 2 ? nil : RangeFunctions.linearRegression(s, lo, hi, interceptTime: s[lo].timestamp).slope
            }
        case "predict_linear":
            return try run { s, lo, hi, ctx in
                guard hi - lo >= 2 else { return nil }
                let (slope, intercept) = RangeFunctions.linearRegression(s, lo, hi, interceptTime: ctx.stepTime)
                return slope * scalarArgs[0][ctx.step] + intercept
            }
        case "double_exponential_smoothing", "holt_winters":
            return try runOnSlices { (w, ctx) throws(QueryError) -> Double? in
                try RangeFunctions.doubleExponentialSmoothing(w, sf: scalarArgs[0][ctx.step], tf: scalarArgs[1][ctx.step])
            }
        case "absent_over_time":
            return absentOverTime(try run { _, _, _, _ in 1 }, args[matrixIndex])
        default:
            // Native-histogram functions and unknown names yield nothing on float data.
            return []
        }
    }

    /// rate and increase: an info for each result series with float points whose name does not
    /// end as a counter's does.
    func notePossibleNonCounters(_ result: [EvalSeries], at position: PositionRange) {
        for s in result where !s.points.isEmpty {
            guard let metricName = s.labels.metricName else { continue }
            if !(metricName.hasSuffix("_total") || metricName.hasSuffix("_sum") || metricName.hasSuffix("_count")
                || metricName.hasSuffix("_bucket"))
            {
                context.annotations.info(
                    "metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \(goQuote(metricName))",
                    at: position)
            }
        }
    }

    /// `absent_over_time` from `present_over_time`'s result: 1 at the steps where nothing was present.
    private func absentOverTime(_ present: [EvalSeries], _ arg: Expr) -> [EvalSeries] {
        var found = Set<Timestamp>()
        for s in present { for p in s.points { found.insert(p.timestamp) } }
        if found.count == numSteps { return [] }
        var out = EvalSeries(labels: absentLabels(arg), dropName: true)
        for i in 0..<numSteps where !found.contains(stepTime(i)) { out.points.append(Sample(stepTime(i), 1)) }
        return [out]
    }

    // MARK: - Instant-vector functions

    private func evalInstantFunction(_ c: Call, _ args: [Expr]) throws(QueryError) -> [EvalSeries] {
        let name = c.function.name
        if let f = Self.elementwise[name] {
            return try mapSeries(args[0]) { v, _ in f(v) }
        }
        switch name {
        case "round":
            let toNearest = args.count > 1 ? try scalarValues(args[1]) : [Double](repeating: 1, count: numSteps)
            return try mapSeries(args[0]) { v, step in
                let inverse = 1.0 / toNearest[step]
                return (v * inverse + 0.5).rounded(.down) / inverse
            }
        case "clamp", "clamp_min", "clamp_max":
            let lower: [Double]
            let upper: [Double]
            switch name {
            case "clamp":
                lower = try scalarValues(args[1])
                upper = try scalarValues(args[2])
            case "clamp_min":
                lower = try scalarValues(args[1])
                upper = [Double](repeating: .infinity, count: numSteps)
            default:
                lower = [Double](repeating: -.infinity, count: numSteps)
                upper = try scalarValues(args[1])
            }
            return try mapSeries(args[0]) { v, step in
                upper[step] < lower[step] ? nil : goMax(lower[step], goMin(upper[step], v))
            }
        case "timestamp":
            // Every sample, float or histogram, gives its time.
            var input = try evalSeries(args[0])
            for i in input.indices {
                input[i].dropName = true
                input[i].points = (input[i].points.map(\.timestamp) + input[i].histograms.map(\.timestamp)).sorted()
                    .map { Sample($0, Double($0) / 1000) }
                input[i].histograms = []
            }
            return input.filter { !$0.points.isEmpty }
        case "histogram_count":
            return try mapHistograms(args[0]) { $0.count }
        case "histogram_sum":
            return try mapHistograms(args[0]) { $0.sum }
        case "histogram_avg":
            return try mapHistograms(args[0]) { $0.average }
        case "histogram_stddev":
            return try mapHistograms(args[0]) { $0.standardDeviation }
        case "histogram_stdvar":
            return try mapHistograms(args[0]) { $0.variance }
        case "vector":
            let values = try scalarValues(args[0])
            return [series { values[stepIndex($0)] }]
        case "scalar":
            return [try scalarOf(args[0])]
        case "max_of", "min_of":
            let a = try scalarValues(args[0])
            let b = try scalarValues(args[1])
            return [series { name == "max_of" ? goMax(a[stepIndex($0)], b[stepIndex($0)]) : goMin(a[stepIndex($0)], b[stepIndex($0)]) }]
        case "absent":
            let input = try evalSeries(args[0])
            var present = [Bool](repeating: false, count: numSteps)
            for s in input {
                for p in s.points { present[stepIndex(p.timestamp)] = true }
                for p in s.histograms { present[stepIndex(p.timestamp)] = true }
            }
            var out = EvalSeries(labels: absentLabels(args[0]))
            for i in 0..<numSteps where !present[i] { out.points.append(Sample(stepTime(i), 1)) }
            return out.points.isEmpty ? [] : [out]
        case "sort", "sort_desc", "sort_by_label", "sort_by_label_desc":
            return try sortFunction(c, args)
        case "histogram_quantile":
            return try histogramQuantile(c, args)
        case "histogram_quantiles":
            return try histogramQuantiles(c, args)
        case "histogram_fraction":
            return try histogramFraction(c, args)
        default:
            if let f = DateFunctions.byName[name] {
                if args.isEmpty {
                    return [series { f(Double($0) / 1000) }]
                }
                return try mapSeries(args[0]) { v, _ in f(v) }
            }
            // Native-histogram functions see no histograms in float data.
            return []
        }
    }

    /// Functions applied to each float value on its own; the result drops the metric name.
    private static let elementwise: [String: @Sendable (Double) -> Double] = [
        "abs": { $0.magnitude },
        "ceil": { $0.rounded(.up) },
        "floor": { $0.rounded(.down) },
        "exp": GoMath.exp,
        "sqrt": { $0.squareRoot() },
        "ln": GoMath.log,
        "log2": GoMath.log2,
        "log10": GoMath.log10,
        "sin": GoMath.sin, "cos": GoMath.cos, "tan": GoMath.tan,
        "asin": GoMath.asin, "acos": GoMath.acos, "atan": GoMath.atan,
        "sinh": GoMath.sinh, "cosh": GoMath.cosh, "tanh": GoMath.tanh,
        "asinh": GoMath.asinh, "acosh": GoMath.acosh, "atanh": GoMath.atanh,
        "rad": { $0 * Double.pi / 180 },
        "deg": { $0 * 180 / Double.pi },
        "sgn": { $0 < 0 ? -1 : ($0 > 0 ? 1 : $0) },
    ]

    /// Maps every point of every series of `arg`; `nil` drops the point.
    /// Applies `f` to every float point (`simpleFloatFunc`): histogram points are dropped.
    private func mapSeries(_ arg: Expr, _ f: (Double, Int) -> Double?) throws(QueryError) -> [EvalSeries] {
        var input = try evalSeries(arg)
        for i in input.indices {
            input[i].dropName = true
            input[i].histograms = []
            var out: [Sample] = []
            out.reserveCapacity(input[i].points.count)
            for p in input[i].points {
                if let v = f(p.value, stepIndex(p.timestamp)) { out.append(Sample(p.timestamp, v)) }
            }
            input[i].points = out
        }
        return input.filter { !$0.points.isEmpty }
    }

    /// Applies `f` to every histogram point (`simpleHistogramFunc`): float points are dropped.
    func mapHistograms(_ arg: Expr, _ f: (FloatHistogram) -> Double) throws(QueryError) -> [EvalSeries] {
        var result: [EvalSeries] = []
        for s in try evalSeries(arg) where !s.histograms.isEmpty {
            result.append(EvalSeries(
                labels: s.labels, points: s.histograms.map { Sample($0.timestamp, f($0.histogram)) }, dropName: true))
        }
        return result
    }

    /// `scalar(v)`: the single sample's value, or NaN.
    private func scalarOf(_ arg: Expr) throws(QueryError) -> EvalSeries {
        let input = try evalSeries(arg)
        var count = [Int](repeating: 0, count: numSteps)
        var value = [Double](repeating: .nan, count: numSteps)
        for s in input {
            for p in s.points {
                let i = stepIndex(p.timestamp)
                count[i] += 1
                value[i] = p.value
            }
        }
        return series { t in
            let i = stepIndex(t)
            return count[i] == 1 ? value[i] : .nan
        }
    }

    /// The labels `absent` gives its result: the selector's equality matchers, except
    /// names matched more than once.
    func absentLabels(_ arg: Expr) -> Labels {
        let matchers: [LabelMatcher]
        switch arg {
        case .vectorSelector(let vs): matchers = vs.matchers
        case .matrixSelector(let ms): matchers = ms.vectorSelector.matchers
        default: return .empty
        }
        var builder = LabelsBuilder()
        var has = Set<String>()
        for m in matchers where m.name != Labels.metricNameLabel {
            if m.type == .equal && !has.contains(m.name) {
                builder.set(m.name, m.value)
                has.insert(m.name)
            } else {
                builder.remove(m.name)
            }
        }
        return builder.labels()
    }

    // MARK: - Sorting

    private func sortFunction(_ c: Call, _ args: [Expr]) throws(QueryError) -> [EvalSeries] {
        var input = try evalSeries(args[0])
        // sort and sort_desc order by value: histograms are left out (`filterFloats`), in range
        // queries too; sort_by_label keeps them.
        if c.function.name == "sort" || c.function.name == "sort_desc" {
            for i in input.indices { input[i].histograms = [] }
            input.removeAll { $0.isEmpty }
        }
        if !isInstant {
            context.annotations.warn(
                "sort is ineffective for range queries since results are always ordered by labels", at: c.positionRange)
            return input
        }
        func value(_ s: EvalSeries) -> Double { s.points.first?.value ?? .nan }
        switch c.function.name {
        case "sort":
            goSort(&input) { a, b in lessByReverseValue(value(b), value(a)) }
        case "sort_desc":
            goSort(&input) { a, b in lessByValue(value(b), value(a)) }
        default:
            let names = args.dropFirst().compactMap { arg -> String? in
                if case .stringLiteral(let s) = arg { return s.value }
                return nil
            }
            let descending = c.function.name == "sort_by_label_desc"
            input.sort { a, b in
                for name in names {
                    let va = a.labels.value(name)
                    let vb = b.labels.value(name)
                    if va == vb { continue }
                    return naturalLess(va, vb) != descending
                }
                return descending ? b.labels < a.labels : a.labels < b.labels
            }
        }
        return input
    }
}

/// `natsort.Compare` (github.com/facette/natsort): digit runs compare as numbers.
func naturalLess(_ a: String, _ b: String) -> Bool {
    func chunks(_ s: String) -> [Substring] {
        var result: [Substring] = []
        var start = s.startIndex
        var i = s.startIndex
        while i < s.endIndex {
            let digit = s[i].isASCII && s[i].isNumber
            var j = s.index(after: i)
            while j < s.endIndex && (s[j].isASCII && s[j].isNumber) == digit { j = s.index(after: j) }
            result.append(s[start..<j])
            i = j
            start = j
        }
        return result
    }
    let ca = chunks(a)
    let cb = chunks(b)
    for i in ca.indices {
        if i >= cb.count { return false }
        if let x = Int(ca[i]), let y = Int(cb[i]) {
            if x == y {
                if i == ca.count - 1 { return true } else if i == cb.count - 1 { return false }
                continue
            }
            return x < y
        }
        if ca[i] == cb[i] {
            if i == ca.count - 1 { return true } else if i == cb.count - 1 { return false }
            continue
        }
        return ca[i].utf8.lexicographicallyPrecedes(cb[i].utf8)
    }
    return false
}
