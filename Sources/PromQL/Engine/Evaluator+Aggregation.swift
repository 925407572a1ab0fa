// Aggregation operators (`promql/engine.go`: rangeEvalAgg, aggregation, aggregationK,
// aggregationCountValues). Input series are mapped to groups once; values are then
// aggregated step by step.

import MetricModel

/// A parameter of topk/quantile/…: a constant or a value per step (`fParams`).
struct AggregationParameter {
    var values: [Double]
    var minValue = Double.greatestFiniteMagnitude
    var maxValue = -Double.greatestFiniteMagnitude
    var hasNaN = false

    init(values: [Double]) {
        self.values = values
        for v in values {
            minValue = goMin(minValue, v)
            maxValue = goMax(maxValue, v)
            if v.isNaN { hasNaN = true }
        }
    }
}

/// Go's sort order for `vectorByValueHeap`: NaN first, then ascending.
@inline(__always)
func lessByValue(_ a: Double, _ b: Double) -> Bool { a.isNaN ? true : a < b }

/// Go's `vectorByReverseValueHeap`: NaN first, then descending.
@inline(__always)
func lessByReverseValue(_ a: Double, _ b: Double) -> Bool { a.isNaN ? true : a > b }

/// A binary heap with Go's `container/heap` algorithm, so ties resolve as in Prometheus.
struct GoHeap<Element> {
    var items: [Element] = []
    let less: (Element, Element) -> Bool

    init(less: @escaping (Element, Element) -> Bool) { self.less = less }

    var count: Int { items.count }

    mutating func push(_ x: Element) {
        items.append(x)
        up(items.count - 1)
    }

    /// Replaces the top element and restores the heap (`h[0] = x; heap.Fix(h, 0)`).
    mutating func replaceTop(_ x: Element) {
        items[0] = x
        if !down(0, items.count) { up(0) }
    }

    private mutating func up(_ j0: Int) {
        var j = j0
        while true {
            let i = (j - 1) / 2
            if i == j || j == 0 || !less(items[j], items[i]) { break }
            items.swapAt(i, j)
            j = i
        }
    }

    private mutating func down(_ i0: Int, _ n: Int) -> Bool {
        var i = i0
        while true {
            let j1 = 2 * i + 1
            if j1 >= n { break }
            var j = j1
            let j2 = j1 + 1
            if j2 < n && less(items[j2], items[j1]) { j = j2 }
            if !less(items[j], items[i]) { break }
            items.swapAt(i, j)
            i = j
        }
        return i > i0
    }
}

/// Sorts like Go's `sort.Sort`, which uses insertion sort for short inputs (stable);
/// longer inputs use Swift's (stable) sort.
func goSort<T>(_ a: inout [T], by less: (T, T) -> Bool) {
    if a.count <= 12 {
        if a.count < 2 { return }
        for i in 1..<a.count {
            var j = i
            while j > 0 && less(a[j], a[j - 1]) {
                a.swapAt(j, j - 1)
                j -= 1
            }
        }
    } else {
        a.sort(by: less)
    }
}

/// `quantile`: the φ-quantile of `values` with linear interpolation between ranks.
func quantileOf(_ q: Double, _ values: inout [Double]) -> Double {
    if values.isEmpty || q.isNaN { return .nan }
    if q < 0 { return -.infinity }
    if q > 1 { return .infinity }
    goSort(&values, by: lessByValue)
    let n = Double(values.count)
    let rank = q * (n - 1)
    let lower = Swift.max(0, rank.rounded(.down))
    let upper = Swift.min(n - 1, lower + 1)
    let weight = rank - rank.rounded(.down)
    return values[Int(lower)] * (1 - weight) + values[Int(upper)] * weight
}

/// Kahan–Neumaier summation step (`kahansum.Inc`).
@inline(__always)
func kahanInc(_ inc: Double, _ sum: Double, _ c: Double) -> (Double, Double) {
    let t = sum + inc
    var c = c
    if t.isInfinite {
        c = 0
    } else if sum.magnitude >= inc.magnitude {
        c += (sum - t) + inc
    } else {
        c += (inc - t) + sum
    }
    return (t, c)
}

/// One step of avg's float mean: the Kahan sum while it does not overflow, then an incremental
/// mean (`count` already includes `f`).
@inline(__always)
func kahanMeanInc(
    _ f: Double, count: Double, sum: inout Double, mean: inout Double, compensation: inout Double, incremental: inout Bool
) {
    if !incremental {
        let (newV, newC) = kahanInc(f, sum, compensation)
        if !newV.isInfinite {
            sum = newV
            compensation = newC
            return
        }
        incremental = true
        mean = sum / (count - 1)
        compensation /= count - 1
    }
    let q = (count - 1) / count
    (mean, compensation) = kahanInc(f / count, q * mean, q * compensation)
}

private struct Group {
    var seen = false
    var value = 0.0
    var mean = 0.0
    var kahanC = 0.0
    var count = 0.0
    var incrementalMean = false
    var dropName = false
    var values: [Double] = []
}

extension Evaluator {
    func evalAggregate(_ a: AggregateExpr) throws(QueryError) -> [EvalSeries] {
        let grouping = a.grouping.sorted()
        if a.op == .countValues {
            return try countValues(a, grouping)
        }
        var param: AggregationParameter?
        if let p = a.param {
            param = AggregationParameter(values: try scalarValues(unwrapParens(p)))
        }
        let input = try evalSeries(a.expr)

        // Map input series to groups.
        var groupIndex: [Labels: Int] = [:]
        var groupLabels: [Labels] = []
        var seriesGroup = [Int](repeating: 0, count: input.count)
        for (i, s) in input.enumerated() {
            let key = a.without
                ? s.labels.removingNameAnd(grouping)
                : s.labels.keeping(grouping)
            if let g = groupIndex[key] {
                seriesGroup[i] = g
            } else {
                seriesGroup[i] = groupLabels.count
                groupIndex[key] = groupLabels.count
                groupLabels.append(key)
            }
        }

        switch a.op {
        case .topk, .bottomk, .limitk, .limitRatio:
            return try aggregateK(a, input, seriesGroup, groupLabels.count, param ?? AggregationParameter(values: []))
        case .quantile:
            if let p = param, let position = a.param?.positionRange {
                if p.hasNaN { context.annotations.warn(invalidQuantile(.nan), at: position) }
                if p.maxValue > 1 { context.annotations.warn(invalidQuantile(p.maxValue), at: position) }
                if p.minValue < 0 { context.annotations.warn(invalidQuantile(p.minValue), at: position) }
            }
        default:
            break
        }

        switch a.op {
        case .sum, .avg, .count, .min, .max, .group, .stddev, .stdvar, .quantile:
            if input.contains(where: { !$0.histograms.isEmpty }) {
                return try aggregateWithHistograms(a, input, seriesGroup, groupLabels, param)
            }
        default:
            break
        }

        switch a.op {
        case .sum, .avg, .count, .min, .max, .group, .stddev, .stdvar:
            if groupLabels.count * numSteps <= options.maxFlatAggregationCells {
                return try aggregateSeriesBySeries(a.op, input, seriesGroup, groupLabels)
            }
        default:
            break
        }

        var output = groupLabels.map { EvalSeries(labels: $0) }
        var groups = [Group](repeating: Group(), count: groupLabels.count)
        var cursor = StepCursor(count: input.count)
        let op = a.op
        for step in 0..<numSteps {
            let t = stepTime(step)
            for g in groups.indices { groups[g].seen = false }
            for si in input.indices {
                guard let f = cursor.value(input, si, at: t) else { continue }
                let gi = seriesGroup[si]
                if !groups[gi].seen {
                    var g = Group(seen: true, value: f, mean: f, count: 1, dropName: input[si].dropName)
                    switch op {
                    case .stddev, .stdvar: g.value = (f.isNaN || f.isInfinite) ? .nan : 0
                    case .quantile: g.values = [f]
                    case .group: g.value = 1
                    default: break
                    }
                    groups[gi] = g
                    continue
                }
                if input[si].dropName { groups[gi].dropName = true }
                switch op {
                case .sum:
                    (groups[gi].value, groups[gi].kahanC) = kahanInc(f, groups[gi].value, groups[gi].kahanC)
                case .avg:
                    groups[gi].count += 1
                    var g = groups[gi]
                    kahanMeanInc(f, count: g.count, sum: &g.value, mean: &g.mean, compensation: &g.kahanC, incremental: &g.incrementalMean)
                    groups[gi] = g
                case .group:
                    break
                case .max:
                    if groups[gi].value < f || groups[gi].value.isNaN { groups[gi].value = f }
                case .min:
                    if groups[gi].value > f || groups[gi].value.isNaN { groups[gi].value = f }
                case .count:
                    groups[gi].count += 1
                case .stddev, .stdvar:
                    groups[gi].count += 1
                    let delta = f - groups[gi].mean
                    groups[gi].mean += delta / groups[gi].count
                    groups[gi].value += delta * (f - groups[gi].mean)
                case .quantile:
                    groups[gi].values.append(f)
                default:
                    break
                }
            }
            for gi in groups.indices where groups[gi].seen {
                var g = groups[gi]
                let value: Double
                switch op {
                case .avg:
                    value = g.incrementalMean ? g.mean + g.kahanC : g.value / g.count + g.kahanC / g.count
                case .count: value = g.count
                case .stdvar: value = g.value / g.count
                case .stddev: value = (g.value / g.count).squareRoot()
                case .quantile: value = quantileOf(param?.values[step] ?? .nan, &g.values)
                case .sum: value = g.value.isInfinite ? g.value : g.value + g.kahanC
                default: value = g.value
                }
                output[gi].points.append(Sample(t, value))
                output[gi].dropName = g.dropName
            }
        }
        let result = output.filter { !$0.points.isEmpty }
        try context.addSamples(result.reduce(0) { $0 + $1.points.count })
        return result
    }

    /// sum, avg, count, min, max, group, stddev, stdvar with one accumulator per group and step,
    /// filled series by series: each series' points are read once, in order, and the group key
    /// is looked up once per series instead of once per step.
    ///
    /// Same answer as the step-by-step loop (and Prometheus): every accumulator still sees the
    /// series of its group in input order, with the same arithmetic.
    private func aggregateSeriesBySeries(
        _ op: AggregationOperator, _ input: [EvalSeries], _ seriesGroup: [Int], _ groupLabels: [Labels]
    ) throws(QueryError) -> [EvalSeries] {
        let n = numSteps
        let cells = groupLabels.count * n
        var seen = [Bool](repeating: false, count: cells)
        var dropName = [Bool](repeating: false, count: cells)
        var value = [Double](repeating: 0, count: cells)
        // Kahan compensation (sum, avg); running mean (avg, stddev, stdvar); count (avg, count, stddev, stdvar).
        let needsC = op == .sum || op == .avg
        let needsMean = op == .avg || op == .stddev || op == .stdvar
        let needsCount = op == .avg || op == .count || op == .stddev || op == .stdvar
        var kahanC = [Double](repeating: 0, count: needsC ? cells : 0)
        var mean = [Double](repeating: 0, count: needsMean ? cells : 0)
        var count = [Double](repeating: 0, count: needsCount ? cells : 0)
        var incrementalMean = [Bool](repeating: false, count: op == .avg ? cells : 0)

        for si in input.indices {
            let base = seriesGroup[si] * n
            let seriesDropName = input[si].dropName
            let points = input[si].points
            for p in points {
                let k = stepIndex(p.timestamp)
                guard k >= 0 && k < n && stepTime(k) == p.timestamp else { continue }
                let c = base + k
                let f = p.value
                if !seen[c] {
                    seen[c] = true
                    dropName[c] = seriesDropName
                    switch op {
                    case .stddev, .stdvar: value[c] = (f.isNaN || f.isInfinite) ? .nan : 0
                    case .group: value[c] = 1
                    default: value[c] = f
                    }
                    if needsMean { mean[c] = f }
                    if needsCount { count[c] = 1 }
                    continue
                }
                if seriesDropName { dropName[c] = true }
                switch op {
                case .sum:
                    (value[c], kahanC[c]) = kahanInc(f, value[c], kahanC[c])
                case .avg:
                    count[c] += 1
                    let cnt = count[c]
                    if !incrementalMean[c] {
                        let (newV, newC) = kahanInc(f, value[c], kahanC[c])
                        if !newV.isInfinite {
                            value[c] = newV
                            kahanC[c] = newC
                            break
                        }
                        incrementalMean[c] = true
                        mean[c] = value[c] / (cnt - 1)
                        kahanC[c] /= cnt - 1
                    }
                    let q = (cnt - 1) / cnt
                    (mean[c], kahanC[c]) = kahanInc(f / cnt, q * mean[c], q * kahanC[c])
                case .max:
                    if value[c] < f || value[c].isNaN { value[c] = f }
                case .min:
                    if value[c] > f || value[c].isNaN { value[c] = f }
                case .count:
                    count[c] += 1
                case .stddev, .stdvar:
                    count[c] += 1
                    let delta = f - mean[c]
                    mean[c] += delta / count[c]
                    value[c] += delta * (f - mean[c])
                default:  // group
                    break
                }
            }
        }

        var result: [EvalSeries] = []
        var total = 0
        for gi in groupLabels.indices {
            let base = gi * n
            var points: [Sample] = []
            var lastDropName = false
            for k in 0..<n where seen[base + k] {
                let c = base + k
                let v: Double
                switch op {
                case .avg:
                    v = incrementalMean[c] ? mean[c] + kahanC[c] : value[c] / count[c] + kahanC[c] / count[c]
                case .count: v = count[c]
                case .stdvar: v = value[c] / count[c]
                case .stddev: v = (value[c] / count[c]).squareRoot()
                case .sum: v = value[c].isInfinite ? value[c] : value[c] + kahanC[c]
                default: v = value[c]
                }
                if points.isEmpty { points.reserveCapacity(n - k) }
                points.append(Sample(stepTime(k), v))
                lastDropName = dropName[c]
            }
            if !points.isEmpty {
                total += points.count
                result.append(EvalSeries(labels: groupLabels[gi], points: points, dropName: lastDropName))
            }
        }
        try context.addSamples(total)
        return result
    }

    /// topk, bottomk, limitk, limit_ratio: output keeps the input series' labels.
    private func aggregateK(
        _ a: AggregateExpr, _ input: [EvalSeries], _ seriesGroup: [Int], _ groupCount: Int, _ param: AggregationParameter
    ) throws(QueryError) -> [EvalSeries] {
        let op = a.op
        switch op {
        case .limitRatio:
            if param.maxValue == 0 && param.minValue == 0 { return [] }
            if param.hasNaN { throw QueryError(.execution, "Ratio value is NaN") }
            let position = a.param?.positionRange
            if param.maxValue > 1 {
                context.annotations.warn("ratio value should be between -1 and 1, got \(goFormatG(param.maxValue)), capping to 1", at: position)
            }
            if param.minValue < -1 {
                context.annotations.warn("ratio value should be between -1 and 1, got \(goFormatG(param.minValue)), capping to -1", at: position)
            }
        default:
            if param.maxValue < 1 { return [] }
            if param.hasNaN { throw QueryError(.execution, "Parameter value is NaN") }
            if param.minValue <= -9.223372036854775808e18 {
                throw QueryError(.execution, "Scalar value \(goFormatG(param.minValue)) underflows int64")
            }
            if param.maxValue >= 9.223372036854775808e18 {
                throw QueryError(.execution, "Scalar value \(goFormatG(param.maxValue)) overflows int64")
            }
        }
        // A histogram sample is an item with value 0 and the index of its histogram (-1: a float).
        typealias Item = (series: Int, value: Double, histogram: Int)
        var builder = SeriesBuilder()
        var cursor = StepCursor(count: input.count)
        let withHistograms = input.contains { !$0.histograms.isEmpty }
        var histogramCursor = HistogramStepCursor(count: withHistograms ? input.count : 0)
        for step in 0..<numSteps {
            let t = stepTime(step)
            let fParam = param.values.isEmpty ? 0 : param.values[step]
            var heaps: [GoHeap<Item>?] = Array(repeating: nil, count: groupCount)
            let k = Int(Swift.min(Double(input.count), fParam.rounded(.towardZero)))
            let ratio = Swift.max(-1, Swift.min(1, fParam))
            for si in input.indices {
                let value = cursor.value(input, si, at: t)
                let histogram = value == nil && withHistograms ? histogramCursor.index(input, si, at: t) ?? -1 : -1
                guard value != nil || histogram >= 0 else { continue }
                let f = value ?? 0
                if op != .limitRatio && k < 1 { continue }
                if op == .limitRatio && fParam == 0 { continue }
                let gi = seriesGroup[si]
                // topk and bottomk order by value: they leave histograms out, with Prometheus's info.
                if histogram >= 0 && (op == .topk || op == .bottomk) {
                    context.annotations.info(HistogramAnnotations.ignoredInAggregation(op.rawValue), at: a.positionRange)
                    continue
                }
                switch op {
                case .topk:
                    var h = heaps[gi] ?? GoHeap<Item>(less: { lessByValue($0.value, $1.value) })
                    if h.count < k {
                        h.push((si, f, histogram))
                    } else if h.items[0].value < f || (h.items[0].value.isNaN && !f.isNaN) {
                        h.replaceTop((si, f, histogram))
                    }
                    heaps[gi] = h
                case .bottomk:
                    var h = heaps[gi] ?? GoHeap<Item>(less: { lessByReverseValue($0.value, $1.value) })
                    if h.count < k {
                        h.push((si, f, histogram))
                    } else if h.items[0].value > f || (h.items[0].value.isNaN && !f.isNaN) {
                        h.replaceTop((si, f, histogram))
                    }
                    heaps[gi] = h
                case .limitk:
                    var h = heaps[gi] ?? GoHeap<Item>(less: { lessByValue($0.value, $1.value) })
                    if h.count < k { h.push((si, f, histogram)) }
                    heaps[gi] = h
                default:  // limit_ratio
                    var h = heaps[gi] ?? GoHeap<Item>(less: { lessByValue($0.value, $1.value) })
                    let offset = Double(input[si].labels.prometheusHash) / Double(UInt64.max)
                    if (ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1 + ratio) { h.push((si, f, histogram)) }
                    heaps[gi] = h
                }
            }
            for h in heaps {
                guard var items = h?.items else { continue }
                switch op {
                case .topk: goSort(&items) { lessByValue($1.value, $0.value) }
                case .bottomk: goSort(&items) { lessByReverseValue($1.value, $0.value) }
                default: break
                }
                for item in items {
                    let s = input[item.series]
                    if item.histogram >= 0 {
                        try builder.add(s.labels, t, s.histograms[item.histogram].histogram, dropName: s.dropName)
                    } else {
                        try builder.add(s.labels, t, item.value, dropName: s.dropName)
                    }
                }
            }
        }
        return builder.series
    }

    /// count_values: one output series per distinct value (a float printed as Go's `%f` shortest,
    /// a native histogram as Prometheus's `FloatHistogram.String()`).
    private func countValues(_ a: AggregateExpr, _ grouping: [String]) throws(QueryError) -> [EvalSeries] {
        guard let p = a.param, case .stringLiteral(let lit) = unwrapParens(p) else {
            throw QueryError(.execution, "count_values needs a string parameter")
        }
        let valueLabel = lit.value
        if lit.invalidUTF8 != nil || !isValidLabelName(valueLabel) {
            throw QueryError(.execution, "invalid label name \(lit.goQuoted)")
        }
        var grouping = grouping
        if !a.without {
            grouping.append(valueLabel)
            grouping.sort()
        }
        let input = try evalSeries(a.expr)
        var cursor = StepCursor(count: input.count)
        var histogramCursor = HistogramStepCursor(count: input.count)
        var builder = SeriesBuilder()
        for step in 0..<numSteps {
            let t = stepTime(step)
            var counts: [Labels: Int] = [:]
            var order: [Labels] = []
            for si in input.indices {
                let value: String
                if let f = cursor.value(input, si, at: t) {
                    value = goFormatShortest(f, exponent: false)
                } else if let h = histogramCursor.index(input, si, at: t) {
                    value = input[si].histograms[h].histogram.description
                } else {
                    continue
                }
                let metric = input[si].labels.setting(valueLabel, value)
                let key = a.without
                    ? metric.removingNameAnd(grouping)
                    : metric.keeping(grouping)
                if let c = counts[key] {
                    counts[key] = c + 1
                } else {
                    counts[key] = 1
                    order.append(key)
                }
            }
            for key in order { try builder.add(key, t, Double(counts[key]!), dropName: false) }
        }
        return builder.series
    }
}

/// `InvalidQuantileWarning` text.
func invalidQuantile(_ q: Double) -> String {
    "quantile value should be between 0 and 1, got \(goFormatG(q))"
}

/// Prometheus 3's label name rule (UTF-8 validation): any non-empty valid UTF-8 string.
func isValidLabelName(_ name: String) -> Bool {
    !name.isEmpty && !name.unicodeScalars.contains("\u{FFFD}")
}

/// Strips parentheses, as Prometheus does for function and aggregation arguments.
func unwrapParens(_ e: Expr) -> Expr {
    var e = e
    while case .paren(let p) = e { e = p.expr }
    return e
}
