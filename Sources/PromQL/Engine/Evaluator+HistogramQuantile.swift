// histogram_quantile over classic `le` buckets (`promql/quantile.go`: BucketQuantile,
// coalesceBuckets, ensureMonotonicAndIgnoreSmallDeltas). Native histograms come later.

import MetricModel

struct Bucket {
    var upperBound: Double
    var count: Double
}

/// Relative tolerance under which bucket count differences are float noise.
private let smallDeltaTolerance = 1e-12

/// `almost.Equal`.
func almostEqual(_ a: Double, _ b: Double, _ epsilon: Double) -> Bool {
    if a.isNaN && b.isNaN { return true }
    if a == b { return true }
    let minNormal = 2.2250738585072014e-308
    let absSum = a.magnitude + b.magnitude
    let diff = (a - b).magnitude
    if a == 0 || b == 0 || absSum < minNormal { return diff < epsilon * minNormal }
    return diff / Swift.min(absSum, .greatestFiniteMagnitude) < epsilon
}

/// Buckets sorted by upper bound with equal bounds merged (`coalesceBuckets`); nil unless
/// the highest bound is +Inf.
private func sortedCoalesced(_ input: [Bucket]) -> [Bucket]? {
    let sorted = input.sorted { $0.upperBound < $1.upperBound }
    guard let last = sorted.last, last.upperBound == .infinity else { return nil }
    var buckets: [Bucket] = []
    for b in sorted {
        if let l = buckets.last, l.upperBound == b.upperBound {
            buckets[buckets.count - 1].count += b.count
        } else {
            buckets.append(b)
        }
    }
    return buckets
}

/// The result of `bucketQuantile` and whether monotonicity had to be forced.
struct BucketQuantileResult {
    var value: Double
    var forcedMonotonic = false
    var minBucket = Double.infinity
    var maxBucket = -Double.infinity
    var maxDiff = 0.0
}

/// The φ-quantile of classic buckets, interpolated linearly within a bucket.
func bucketQuantile(_ q: Double, _ bucketsIn: [Bucket]) -> BucketQuantileResult {
    if q.isNaN { return BucketQuantileResult(value: .nan) }
    if q < 0 { return BucketQuantileResult(value: -.infinity) }
    if q > 1 { return BucketQuantileResult(value: .infinity) }
    guard var buckets = sortedCoalesced(bucketsIn) else { return BucketQuantileResult(value: .nan) }

    var result = BucketQuantileResult(value: .nan)
    var prev = buckets[0].count
    for i in 1..<buckets.count {
        let curr = buckets[i].count
        if curr == prev { continue }
        if almostEqual(prev, curr, smallDeltaTolerance) {
            buckets[i].count = prev
            continue
        }
        if curr < prev {
            buckets[i].count = prev
            result.forcedMonotonic = true
            result.minBucket = Swift.min(result.minBucket, buckets[i].upperBound)
            result.maxBucket = Swift.max(result.maxBucket, buckets[i].upperBound)
            result.maxDiff = Swift.max(result.maxDiff, prev - curr)
            continue
        }
        prev = curr
    }

    if buckets.count < 2 { return result }
    let observations = buckets[buckets.count - 1].count
    if observations == 0 { return result }
    var rank = q * observations
    // First bucket (among all but the last) whose count reaches the rank.
    var b = buckets.count - 1
    var lo = 0
    var hi = buckets.count - 1
    while lo < hi {
        let mid = (lo + hi) / 2
        if buckets[mid].count >= rank { hi = mid } else { lo = mid + 1 }
    }
    b = lo
    if b == buckets.count - 1 {
        result.value = buckets[buckets.count - 2].upperBound
    } else if b == 0 && buckets[0].upperBound <= 0 {
        result.value = buckets[0].upperBound
    } else {
        var bucketStart = 0.0
        let bucketEnd = buckets[b].upperBound
        var count = buckets[b].count
        if b > 0 {
            bucketStart = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        result.value = bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }
    return result
}

/// `BucketFraction`: the fraction of observations between `lower` and `upper`, interpolated
/// linearly within buckets.
func bucketFraction(_ lower: Double, _ upper: Double, _ bucketsIn: [Bucket]) -> Double {
    guard let buckets = sortedCoalesced(bucketsIn) else { return .nan }
    let count = buckets[buckets.count - 1].count
    if count == 0 || lower.isNaN || upper.isNaN { return .nan }
    if lower >= upper { return 0 }
    var rank = 0.0, lowerRank = 0.0, upperRank = 0.0
    var lowerSet = false, upperSet = false
    var lowerBound = buckets[0].upperBound <= 0 ? -Double.infinity : 0
    for (i, b) in buckets.enumerated() {
        if i > 0 { lowerBound = buckets[i - 1].upperBound }
        let upperBound = b.upperBound
        func interpolate(_ v: Double) -> Double {
            if lowerBound == -.infinity { return b.count }
            return rank + (b.count - rank) * (v - lowerBound) / (upperBound - lowerBound)
        }
        if !lowerSet && lowerBound >= lower {
            lowerRank = rank
            lowerSet = true
        }
        if !upperSet && lowerBound >= upper {
            upperRank = rank
            upperSet = true
        }
        if lowerSet && upperSet { break }
        if !lowerSet && lowerBound < lower && upperBound > lower {
            lowerRank = interpolate(lower)
            lowerSet = true
        }
        if !upperSet && lowerBound < upper && upperBound > upper {
            upperRank = interpolate(upper)
            upperSet = true
        }
        if lowerSet && upperSet { break }
        rank = b.count
    }
    if !lowerSet || lowerRank > count { lowerRank = count }
    if !upperSet || upperRank > count { upperRank = count }
    return (upperRank - lowerRank) / count
}

/// `labels.FormatOpenMetricsFloat`: `%g` digits, with `.0` on integers.
func formatOpenMetricsFloat(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
    let s = goFormatG(v)
    if v == v.rounded(.down) && !s.contains("e") && !s.contains(".") { return s + ".0" }
    return s
}

/// Classic histograms grouped once (labels without `le`); buckets gathered step by step.
private struct ClassicHistograms {
    var groupLabels: [Labels] = []
    var seriesGroup: [Int] = []
    var seriesBound: [Double] = []
    /// Series with native histograms whose labels are those of a group of classic buckets:
    /// (series index, group index).
    var nativeInGroup: [(series: Int, group: Int)] = []
}

extension Evaluator {
    private func groupBuckets(_ input: [EvalSeries]) -> ClassicHistograms {
        var h = ClassicHistograms()
        var groupIndex: [Labels: Int] = [:]
        h.seriesGroup = [Int](repeating: -1, count: input.count)
        h.seriesBound = [Double](repeating: .nan, count: input.count)
        for (i, s) in input.enumerated() {
            guard case .success(let bound) = goParseFloat(s.labels.value("le")) else { continue }
            h.seriesBound[i] = bound
            let key = s.labels.removing(["le"])
            if let g = groupIndex[key] {
                h.seriesGroup[i] = g
            } else {
                h.seriesGroup[i] = h.groupLabels.count
                groupIndex[key] = h.groupLabels.count
                h.groupLabels.append(key)
            }
        }
        for (i, s) in input.enumerated() where !s.histograms.isEmpty {
            if let g = groupIndex[s.labels] { h.nativeInGroup.append((i, g)) }
        }
        return h
    }

    /// Calls `body` at every step with the buckets of each group present at that step;
    /// warns about series with a missing or malformed `le`. Where a native histogram meets
    /// classic buckets of the same labels at a step, neither is evaluated: the buckets are
    /// left out of `body`, the histogram is removed from `input`, and Prometheus warns
    /// (`resetHistograms`).
    private func forEachStepBuckets(
        _ input: inout [EvalSeries], _ h: ClassicHistograms, position: PositionRange,
        _ body: (_ step: Int, _ t: Timestamp, _ buckets: [[Bucket]]) throws(QueryError) -> Void
    ) throws(QueryError) {
        var buckets = [[Bucket]](repeating: [], count: h.groupLabels.count)
        var cursor = StepCursor(count: input.count)
        var histogramCursor = HistogramStepCursor(count: input.count)
        var conflicts: [(series: Int, timestamp: Timestamp)] = []
        for step in 0..<numSteps {
            let t = stepTime(step)
            for g in buckets.indices { buckets[g].removeAll(keepingCapacity: true) }
            for si in input.indices {
                guard let v = cursor.value(input, si, at: t) else { continue }
                let g = h.seriesGroup[si]
                if g < 0 {
                    let labels = input[si].labels
                    var text = "bucket label \"le\" is missing or has a malformed value of \(goQuote(labels.value("le")))"
                    if let name = labels.metricName { text += " for metric name \(goQuote(name))" }
                    context.annotations.warn(text, at: position)
                    continue
                }
                buckets[g].append(Bucket(upperBound: h.seriesBound[si], count: v))
            }
            for (si, g) in h.nativeInGroup where histogramCursor.index(input, si, at: t) != nil && !buckets[g].isEmpty {
                context.annotations.warn(
                    HistogramAnnotations.mixedClassicNative(metricName: input[si].labels.metricName ?? ""), at: position)
                buckets[g].removeAll(keepingCapacity: true)
                conflicts.append((si, t))
            }
            try body(step, t, buckets)
        }
        for (si, t) in conflicts {
            input[si].histograms.removeAll { $0.timestamp == t }
        }
    }

    private func noteMonotonicity(_ r: BucketQuantileResult, _ labels: Labels, _ t: Timestamp, _ position: PositionRange) {
        guard r.forcedMonotonic else { return }
        var text = "PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)"
        if let name = labels.metricName { text += " for metric name \(goQuote(name))" }
        context.annotations.add(
            AnnotationSet.Entry(
                kind: .info, text: text, position: position,
                monotonicity: .init(
                    minTime: t, maxTime: t, minBucket: r.minBucket, maxBucket: r.maxBucket, maxDiff: r.maxDiff, count: 0)))
    }

    /// histogram_quantile(φ, buckets).
    func histogramQuantile(_ c: Call, _ args: [Expr]) throws(QueryError) -> [EvalSeries] {
        let qs = try scalarValues(args[0])
        var input = try evalSeries(args[1])
        let qPosition = c.args[0].positionRange
        let position = c.args[1].positionRange
        let h = groupBuckets(input)
        var output = h.groupLabels.map { EvalSeries(labels: $0, dropName: true) }
        try forEachStepBuckets(&input, h, position: position) { (step, t, buckets) throws(QueryError) in
            let q = qs[step]
            if q.isNaN || q < 0 || q > 1 { context.annotations.warn(invalidQuantile(q), at: qPosition) }
            for g in buckets.indices where !buckets[g].isEmpty {
                let r = bucketQuantile(q, buckets[g])
                noteMonotonicity(r, h.groupLabels[g], t, position)
                output[g].points.append(Sample(t, r.value))
            }
        }
        let native = nativeHistogramStatistic(input, position: position) { step, histogram in
            let q = qs[step]
            if q.isNaN || q < 0 || q > 1 { context.annotations.warn(invalidQuantile(q), at: qPosition) }
            return histogram.quantile(q)
        }
        return output.filter { !$0.points.isEmpty } + native
    }

    /// A statistic of every native-histogram sample of the input, one output series per input
    /// series with histograms (its labels, name dropped later), with the statistic's info.
    func nativeHistogramStatistic(
        _ input: [EvalSeries], position: PositionRange,
        _ statistic: (_ step: Int, FloatHistogram) -> (value: Double, info: HistogramStatisticInfo?)
    ) -> [EvalSeries] {
        var result: [EvalSeries] = []
        for s in input where !s.histograms.isEmpty {
            var out = EvalSeries(labels: s.labels, dropName: true)
            let metricName = s.labels.metricName ?? ""
            for p in s.histograms {
                let (value, info) = statistic(stepIndex(p.timestamp), p.histogram)
                switch info {
                case .quantileNaNResult?:
                    context.annotations.info(HistogramAnnotations.quantileNaNResult(metricName: metricName), at: position)
                case .quantileNaNSkew?:
                    context.annotations.info(HistogramAnnotations.quantileNaNSkew(metricName: metricName), at: position)
                case .fractionNaNs?:
                    context.annotations.info(HistogramAnnotations.fractionNaNs(metricName: metricName), at: position)
                case nil:
                    break
                }
                out.points.append(Sample(p.timestamp, value))
            }
            result.append(out)
        }
        return result
    }

    /// histogram_quantiles(buckets, "label", φ…): one series per φ, labelled with it.
    func histogramQuantiles(_ c: Call, _ args: [Expr]) throws(QueryError) -> [EvalSeries] {
        var input = try evalSeries(args[0])
        guard case .stringLiteral(let label) = args[1] else { return [] }
        var qs: [[Double]] = []
        for a in args.dropFirst(2) { qs.append(try scalarValues(a)) }
        let position = c.args[0].positionRange
        let h = groupBuckets(input)
        var builder = SeriesBuilder()
        try forEachStepBuckets(&input, h, position: position) { (step, t, buckets) throws(QueryError) in
            for (k, values) in qs.enumerated() {
                let q = values[step]
                if q.isNaN || q < 0 || q > 1 { context.annotations.warn(invalidQuantile(q), at: c.args[k + 2].positionRange) }
            }
            for values in qs {
                let q = values[step]
                for g in buckets.indices where !buckets[g].isEmpty {
                    let r = bucketQuantile(q, buckets[g])
                    noteMonotonicity(r, h.groupLabels[g], t, position)
                    let labels = h.groupLabels[g].setting(label.value, formatOpenMetricsFloat(q))
                    try builder.add(labels, t, r.value, dropName: true)
                }
            }
        }
        // Native histograms: one series per input series and φ.
        for values in qs {
            for s in nativeHistogramStatistic(input, position: position, { step, histogram in histogram.quantile(values[step]) }) {
                for p in s.points {
                    let labels = s.labels.setting(label.value, formatOpenMetricsFloat(values[stepIndex(p.timestamp)]))
                    try builder.add(labels, p.timestamp, p.value, dropName: true)
                }
            }
        }
        return builder.series
    }

    /// histogram_fraction(lower, upper, buckets).
    func histogramFraction(_ c: Call, _ args: [Expr]) throws(QueryError) -> [EvalSeries] {
        let lower = try scalarValues(args[0])
        let upper = try scalarValues(args[1])
        var input = try evalSeries(args[2])
        let h = groupBuckets(input)
        var output = h.groupLabels.map { EvalSeries(labels: $0, dropName: true) }
        try forEachStepBuckets(&input, h, position: c.args[2].positionRange) { (step, t, buckets) throws(QueryError) in
            for g in buckets.indices where !buckets[g].isEmpty {
                output[g].points.append(Sample(t, bucketFraction(lower[step], upper[step], buckets[g])))
            }
        }
        let native = nativeHistogramStatistic(input, position: c.args[2].positionRange) { step, histogram in
            histogram.fraction(lower: lower[step], upper: upper[step])
        }
        return output.filter { !$0.points.isEmpty } + native
    }
}
