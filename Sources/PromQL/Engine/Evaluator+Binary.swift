// Binary operators (`promql/engine.go`: VectorBinop, VectorscalarBinop, VectorAnd/Or/Unless,
// resultMetric). Scalar–vector operations run series by series; vector–vector matching runs
// step by step, with each series' match signature computed once.

import MetricModel

/// Collects output samples into series keyed by label set, failing on two samples for the
/// same label set at the same step (Prometheus's rangeEval check).
struct SeriesBuilder {
    private var index: [Labels: Int] = [:]
    private(set) var series: [EvalSeries] = []

    mutating func add(_ labels: Labels, _ t: Timestamp, _ h: FloatHistogram, dropName: Bool) throws(QueryError) {
        if let i = index[labels] {
            if series[i].histograms.last?.timestamp == t || series[i].points.last?.timestamp == t {
                throw QueryError(.execution, "vector cannot contain metrics with the same labelset")
            }
            series[i].histograms.append(HistogramSample(t, h))
        } else {
            index[labels] = series.count
            series.append(EvalSeries(labels: labels, histograms: [HistogramSample(t, h)], dropName: dropName))
        }
    }

    mutating func add(_ labels: Labels, _ t: Timestamp, _ v: Double, dropName: Bool) throws(QueryError) {
        if let i = index[labels] {
            if series[i].points.last?.timestamp == t || series[i].histograms.last?.timestamp == t {
                throw QueryError(.execution, "vector cannot contain metrics with the same labelset")
            }
            series[i].points.append(Sample(t, v))
        } else {
            index[labels] = series.count
            series.append(EvalSeries(labels: labels, points: [Sample(t, v)], dropName: dropName))
        }
    }
}

/// Walks the points of many series step by step.
struct StepCursor {
    private var positions: [Int]
    init(count: Int) { positions = [Int](repeating: 0, count: count) }

    /// The value of `series[i]` at time `t`, advancing past it.
    @inline(__always)
    mutating func value(_ series: [EvalSeries], _ i: Int, at t: Timestamp) -> Double? {
        let p = positions[i]
        let points = series[i].points
        if p < points.count && points[p].timestamp == t {
            positions[i] = p + 1
            return points[p].value
        }
        return nil
    }

    /// Replaces `out` with `(series index, value)` of every series that has a point at `t`.
    mutating func gather(_ series: [EvalSeries], at t: Timestamp, into out: inout [(Int, Double)]) {
        out.removeAll(keepingCapacity: true)
        for i in series.indices {
            if let v = value(series, i, at: t) { out.append((i, v)) }
        }
    }
}

/// Walks the histogram points of many series step by step, next to a ``StepCursor``.
struct HistogramStepCursor {
    private var positions: [Int]
    init(count: Int) { positions = [Int](repeating: 0, count: count) }

    /// The index in `series[i].histograms` of its point at `t`, advancing past it.
    mutating func index(_ series: [EvalSeries], _ i: Int, at t: Timestamp) -> Int? {
        let p = positions[i]
        let points = series[i].histograms
        if p < points.count && points[p].timestamp == t {
            positions[i] = p + 1
            return p
        }
        return nil
    }

    /// Appends `(series index, 0)` for every series with a histogram at `t` to `out`, and
    /// records which histogram in `histogramAt` (keyed by series index).
    mutating func gather(
        _ series: [EvalSeries], at t: Timestamp, into out: inout [(Int, Double)], histogramAt: inout [Int: Int]
    ) {
        histogramAt.removeAll(keepingCapacity: true)
        for i in series.indices {
            if let h = index(series, i, at: t) {
                out.append((i, 0))
                histogramAt[i] = h
            }
        }
    }
}

extension BinaryOperator {
    /// Arithmetic changes what the metric means: its name is dropped (`changesMetricSchema`).
    var changesMetricSchema: Bool {
        switch self {
        case .add, .sub, .mul, .div, .mod, .pow, .atan2: true
        default: false
        }
    }
}

/// `scalarBinop`: comparisons yield 0 or 1.
func scalarBinop(_ op: BinaryOperator, _ l: Double, _ r: Double) -> Double {
    switch op {
    case .add: l + r
    case .sub: l - r
    case .mul: l * r
    case .div: l / r
    case .pow: goPow(l, r)
    case .mod: goMod(l, r)
    case .eql: l == r ? 1 : 0
    case .neq: l != r ? 1 : 0
    case .gtr: l > r ? 1 : 0
    case .lss: l < r ? 1 : 0
    case .gte: l >= r ? 1 : 0
    case .lte: l <= r ? 1 : 0
    case .atan2: GoMath.atan2(l, r)
    default: .nan
    }
}

/// `vectorElemBinop` for a histogram and a scalar: the result, or nil with the sample types
/// the "incompatible sample types" info names (left, right).
func histogramScalarBinop(
    _ op: BinaryOperator, _ h: FloatHistogram, _ scalar: Double, scalarOnLeft: Bool
) -> (FloatHistogram?, (String, String)?) {
    var result = h
    switch (op, scalarOnLeft) {
    case (.mul, _):
        result.multiply(by: scalar)
        result.compact(maxEmptyBuckets: 0)
    case (.div, false):
        result.divide(by: scalar)
        result.compact(maxEmptyBuckets: 0)
    case (.trimUpper, false), (.trimLower, false):
        result.trimBuckets(scalar, upper: op == .trimUpper)
    default:
        return (nil, scalarOnLeft ? ("float", "histogram") : ("histogram", "float"))
    }
    return (result, nil)
}

/// `vectorElemBinop` for floats: the value and whether to keep the sample.
func vectorElemBinop(_ op: BinaryOperator, _ l: Double, _ r: Double) -> (Double, Bool) {
    switch op {
    case .eql: (l, l == r)
    case .neq: (l, l != r)
    case .gtr: (l, l > r)
    case .lss: (l, l < r)
    case .gte: (l, l >= r)
    case .lte: (l, l <= r)
    case .trimUpper, .trimLower: (0, false)
    default: (scalarBinop(op, l, r), true)
    }
}

extension Evaluator {
    func evalBinary(_ b: BinaryExpr) throws(QueryError) -> [EvalSeries] {
        let lt = b.lhs.type
        let rt = b.rhs.type
        switch (lt, rt) {
        case (.scalar, .scalar):
            let l = try scalarValues(b.lhs)
            let r = try scalarValues(b.rhs)
            var points: [Sample] = []
            points.reserveCapacity(numSteps)
            for i in 0..<numSteps { points.append(Sample(stepTime(i), scalarBinop(b.op, l[i], r[i]))) }
            return [EvalSeries(labels: .empty, points: points)]
        case (.vector, .scalar):
            let l = try evalSeries(b.lhs)
            let r = try scalarValues(b.rhs)
            return vectorScalarBinop(b, vector: l, scalar: r, scalarOnLeft: false)
        case (.scalar, .vector):
            let l = try scalarValues(b.lhs)
            let r = try evalSeries(b.rhs)
            return vectorScalarBinop(b, vector: r, scalar: l, scalarOnLeft: true)
        default:
            let l = try evalSeries(b.lhs)
            let r = try evalSeries(b.rhs)
            let matching = b.matching ?? VectorMatching(cardinality: b.op.isSetOperator ? .manyToMany : .oneToOne)
            if b.op.isSetOperator {
                if l.contains(where: { !$0.histograms.isEmpty }) || r.contains(where: { !$0.histograms.isEmpty }) {
                    return setOperationWithHistograms(b.op, l, r, matching)
                }
                return try setOperation(b.op, l, r, matching)
            }
            return try vectorBinop(b, l, r, matching)
        }
    }

    /// Vector–scalar operations keep each series' labels, so they run series by series.
    private func vectorScalarBinop(_ b: BinaryExpr, vector: [EvalSeries], scalar: [Double], scalarOnLeft: Bool) -> [EvalSeries] {
        var result: [EvalSeries] = []
        result.reserveCapacity(vector.count)
        var incompatible = false
        for s in vector {
            var out = EvalSeries(labels: s.labels, dropName: s.dropName || b.op.changesMetricSchema || b.returnBool)
            out.points.reserveCapacity(s.points.count)
            for p in s.points {
                let sv = scalar[stepIndex(p.timestamp)]
                let (l, r) = scalarOnLeft ? (sv, p.value) : (p.value, sv)
                var (value, keep) = vectorElemBinop(b.op, l, r)
                if b.op == .trimUpper || b.op == .trimLower { incompatible = true }
                if b.op.isComparison && scalarOnLeft { value = r }
                if b.returnBool {
                    value = keep ? 1 : 0
                    keep = true
                }
                if keep { out.points.append(Sample(p.timestamp, value)) }
            }
            for p in s.histograms {
                let sv = scalar[stepIndex(p.timestamp)]
                let (h, incompatible) = histogramScalarBinop(b.op, p.histogram, sv, scalarOnLeft: scalarOnLeft)
                if let h {
                    out.histograms.append(HistogramSample(p.timestamp, h))
                } else if let (lhs, rhs) = incompatible {
                    context.annotations.info(
                        HistogramAnnotations.incompatibleTypes(operator: b.op.rawValue, lhs, rhs), at: Expr.binary(b).positionRange)
                }
            }
            if !out.isEmpty { result.append(out) }
        }
        if incompatible {
            context.annotations.info(
                "incompatible sample types encountered for binary operator \(goQuote(b.op.rawValue)): float \(b.op.rawValue) float",
                at: Expr.binary(b).positionRange)
        }
        return result
    }

    /// Match signatures: series with equal signatures match. Returns each side's signature
    /// ordinals and the number of distinct signatures.
    private func signatures(_ l: [EvalSeries], _ r: [EvalSeries], _ matching: VectorMatching) -> ([Int], [Int], Int) {
        var ordinals: [Labels: Int] = [:]
        func ordinal(_ labels: Labels) -> Int {
            let key = labels.matching(on: matching.on, matching.matchingLabels)
            if let o = ordinals[key] { return o }
            let o = ordinals.count
            ordinals[key] = o
            return o
        }
        let ls = l.map { ordinal($0.labels) }
        let rs = r.map { ordinal($0.labels) }
        return (ls, rs, ordinals.count)
    }

    /// `and`, `or`, `unless`: samples keep their series; only presence of signatures counts.
    private func setOperation(_ op: BinaryOperator, _ l: [EvalSeries], _ r: [EvalSeries], _ matching: VectorMatching) throws(QueryError) -> [EvalSeries] {
        let (lsig, rsig, numSigs) = signatures(l, r, matching)
        var present = [Int](repeating: -1, count: numSigs)  // step index that last saw the signature
        var lcur = StepCursor(count: l.count)
        var rcur = StepCursor(count: r.count)
        var builder = SeriesBuilder()
        var lvals: [(Int, Double)] = []
        var rvals: [(Int, Double)] = []
        for step in 0..<numSteps {
            let t = stepTime(step)
            lcur.gather(l, at: t, into: &lvals)
            rcur.gather(r, at: t, into: &rvals)
            switch op {
            case .and:
                if lvals.isEmpty || rvals.isEmpty { continue }
                for (j, _) in rvals { present[rsig[j]] = step }
                for (i, v) in lvals where present[lsig[i]] == step {
                    try builder.add(l[i].labels, t, v, dropName: l[i].dropName)
                }
            case .or:
                for (i, v) in lvals {
                    present[lsig[i]] = step
                    try builder.add(l[i].labels, t, v, dropName: l[i].dropName)
                }
                for (j, v) in rvals where present[rsig[j]] != step {
                    try builder.add(r[j].labels, t, v, dropName: r[j].dropName)
                }
            default:  // unless
                for (j, _) in rvals { present[rsig[j]] = step }
                for (i, v) in lvals where present[lsig[i]] != step {
                    try builder.add(l[i].labels, t, v, dropName: l[i].dropName)
                }
            }
        }
        return builder.series
    }

    /// `and`, `or`, `unless` when some series hold histograms: samples of either kind keep
    /// their series, and a step's signature counts as present on a side when any series of that
    /// side with the signature has a sample (float or histogram) there.
    private func setOperationWithHistograms(
        _ op: BinaryOperator, _ l: [EvalSeries], _ r: [EvalSeries], _ matching: VectorMatching
    ) -> [EvalSeries] {
        let (lsig, rsig, numSigs) = signatures(l, r, matching)
        /// The steps at which each signature has a sample on `side`.
        func presence(_ side: [EvalSeries], _ sig: [Int]) -> [Set<Timestamp>] {
            var present = [Set<Timestamp>](repeating: [], count: numSigs)
            for (i, s) in side.enumerated() {
                for p in s.points { present[sig[i]].insert(p.timestamp) }
                for p in s.histograms { present[sig[i]].insert(p.timestamp) }
            }
            return present
        }
        func filtered(_ s: EvalSeries, _ keep: (Timestamp) -> Bool) -> EvalSeries {
            var out = s
            out.points = s.points.filter { keep($0.timestamp) }
            out.histograms = s.histograms.filter { keep($0.timestamp) }
            return out
        }
        var result: [EvalSeries] = []
        switch op {
        case .and:
            let right = presence(r, rsig)
            for (i, s) in l.enumerated() { result.append(filtered(s) { right[lsig[i]].contains($0) }) }
        case .unless:
            let right = presence(r, rsig)
            for (i, s) in l.enumerated() { result.append(filtered(s) { !right[lsig[i]].contains($0) }) }
        default:  // or
            let left = presence(l, lsig)
            result = l
            for (j, s) in r.enumerated() { result.append(filtered(s) { !left[rsig[j]].contains($0) }) }
        }
        return result.filter { !$0.isEmpty }
    }

    /// Arithmetic and comparison between two vectors with one-to-one, many-to-one or
    /// one-to-many matching, and the experimental fill values.
    private func vectorBinop(_ b: BinaryExpr, _ lhsIn: [EvalSeries], _ rhsIn: [EvalSeries], _ matching: VectorMatching) throws(QueryError) -> [EvalSeries] {
        let op = b.op
        let (lsigIn, rsigIn, numSigs) = signatures(lhsIn, rhsIn, matching)
        // One-to-many: swap sides so the right is always the "one" side.
        let swapped = matching.cardinality == .oneToMany
        let lhs = swapped ? rhsIn : lhsIn
        let rhs = swapped ? lhsIn : rhsIn
        let lsig = swapped ? rsigIn : lsigIn
        let rsig = swapped ? lsigIn : rsigIn
        // Like Prometheus, the fill values apply to the sides after the swap: the right fill
        // stands in for a missing "one" side, the left fill for a missing "many" side.
        let fillOne = matching.fillRight
        let fillMany = matching.fillLeft
        let oneToOne = matching.cardinality == .oneToOne

        var lcur = StepCursor(count: lhs.count)
        var rcur = StepCursor(count: rhs.count)
        // Histograms: gathered only when some series has any; a side's histogram at this step is
        // looked up by series index.
        let withHistograms = lhs.contains { !$0.histograms.isEmpty } || rhs.contains { !$0.histograms.isEmpty }
        var lhcur = HistogramStepCursor(count: withHistograms ? lhs.count : 0)
        var rhcur = HistogramStepCursor(count: withHistograms ? rhs.count : 0)
        var leftHistogramAt: [Int: Int] = [:]
        var rightHistogramAt: [Int: Int] = [:]
        var rightAt = [Int](repeating: -1, count: numSigs)  // step that last filled the signature
        var rightSeries = [Int](repeating: -1, count: numSigs)
        var rightValue = [Double](repeating: 0, count: numSigs)
        var matchedAt = [Int](repeating: -1, count: numSigs)
        var matchedSets: [Int: Set<Labels>] = [:]
        var metricCache: [Int64: Labels] = [:]
        var builder = SeriesBuilder()
        var lvals: [(Int, Double)] = []
        var rvals: [(Int, Double)] = []
        var incompatible = false

        // Result labels for a pair of series; -1 stands for a fill sample derived from the other side.
        func resultLabels(_ li: Int, _ ri: Int) -> Labels {
            let key = Int64(li + 1) << 32 | Int64(ri + 1)
            if let cached = metricCache[key] { return cached }
            let l = li >= 0 ? lhs[li].labels : rhs[ri].labels.matching(on: matching.on, matching.matchingLabels)
            let r = ri >= 0 ? rhs[ri].labels : lhs[li].labels.matching(on: matching.on, matching.matchingLabels)
            var result = l
            if op.changesMetricSchema { result = result.droppingMetadata() }
            if oneToOne {
                result = matching.on ? result.keeping(matching.matchingLabels) : result.removing(matching.matchingLabels)
            }
            if !matching.include.isEmpty {
                var builder = LabelsBuilder(result)
                for name in matching.include {
                    if let v = r[name], !v.isEmpty { builder.set(name, v) } else { builder.remove(name) }
                }
                result = builder.labels()
            }
            metricCache[key] = result
            return result
        }

        for step in 0..<numSteps {
            let t = stepTime(step)
            lcur.gather(lhs, at: t, into: &lvals)
            rcur.gather(rhs, at: t, into: &rvals)
            if withHistograms {
                lhcur.gather(lhs, at: t, into: &lvals, histogramAt: &leftHistogramAt)
                rhcur.gather(rhs, at: t, into: &rvals, histogramAt: &rightHistogramAt)
            }
            if lvals.isEmpty && rvals.isEmpty { continue }
            if (lvals.isEmpty || rvals.isEmpty) && matching.fillLeft == nil && matching.fillRight == nil { continue }

            for (j, v) in rvals {
                let sig = rsig[j]
                if rightAt[sig] == step {
                    let other = rhs[rightSeries[sig]].labels
                    let group = rhs[j].labels.matching(on: matching.on, matching.matchingLabels)
                    var d1 = rhs[j].labels.description
                    var d2 = other.description
                    if d1 > d2 { swap(&d1, &d2) }
                    throw QueryError(
                        .execution,
                        "found duplicate series for the match group \(group) on the \(swapped ? "left" : "right") hand-side of the operation: [\(d1), \(d2)];many-to-many matching not allowed: matching labels must be unique on one side"
                    )
                }
                rightAt[sig] = step
                rightSeries[sig] = j
                rightValue[sig] = v
            }
            if !oneToOne { matchedSets.removeAll(keepingCapacity: true) }

            func apply(_ li: Int, _ lv: Double, _ ri: Int, _ rv: Double, _ sig: Int) throws(QueryError) {
                let (fl, fr) = swapped ? (rv, lv) : (lv, rv)
                let lh = li >= 0 ? leftHistogramAt[li].map { lhs[li].histograms[$0].histogram } : nil
                let rh = ri >= 0 ? rightHistogramAt[ri].map { rhs[ri].histograms[$0].histogram } : nil
                var value: Double
                var keep: Bool
                var histogram: FloatHistogram? = nil
                if lh != nil || rh != nil {
                    let (hl, hr) = swapped ? (rh, lh) : (lh, rh)
                    guard let r = histogramElemBinop(b, fl, fr, hl, hr) else { return }
                    (value, histogram, keep) = r
                } else {
                    (value, keep) = vectorElemBinop(op, fl, fr)
                    if op == .trimUpper || op == .trimLower { incompatible = true }
                }
                if b.returnBool {
                    value = keep ? 1 : 0
                    histogram = nil
                }
                let metric = resultLabels(li, ri)
                if oneToOne {
                    if matchedAt[sig] == step {
                        throw QueryError(.execution, "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                    }
                    matchedAt[sig] = step
                } else {
                    matchedAt[sig] = step
                    if matchedSets[sig, default: []].insert(metric).inserted == false {
                        throw QueryError(.execution, "multiple matches for labels: grouping labels must ensure unique matches")
                    }
                }
                if !keep && !b.returnBool { return }
                if let histogram {
                    try builder.add(metric, t, histogram, dropName: b.returnBool)
                } else {
                    try builder.add(metric, t, value, dropName: b.returnBool)
                }
            }

            for (i, v) in lvals {
                let sig = lsig[i]
                if rightAt[sig] == step {
                    try apply(i, v, rightSeries[sig], rightValue[sig], sig)
                } else if let fill = fillOne {
                    try apply(i, v, -1, fill, sig)
                }
            }
            if let fill = fillMany {
                for (j, v) in rvals {
                    let sig = rsig[j]
                    if matchedAt[sig] == step { continue }
                    try apply(-1, fill, j, v, sig)
                }
            }
        }
        if incompatible {
            context.annotations.info(
                "incompatible sample types encountered for binary operator \(goQuote(op.rawValue)): float \(op.rawValue) float",
                at: Expr.binary(b).positionRange)
        }
        return builder.series
    }
}

extension Evaluator {
    /// `vectorElemBinop` when either side is a histogram, with its annotations: the float value,
    /// the histogram result and whether to keep the sample; nil when the operation failed and the
    /// sample is dropped before matching is checked (Prometheus's `err` path).
    func histogramElemBinop(
        _ b: BinaryExpr, _ lf: Double, _ rf: Double, _ lh: FloatHistogram?, _ rh: FloatHistogram?
    ) -> (Double, FloatHistogram?, Bool)? {
        let op = b.op
        let position = Expr.binary(b).positionRange
        func incompatible(_ lhs: String, _ rhs: String) -> (Double, FloatHistogram?, Bool)? {
            context.annotations.info(HistogramAnnotations.incompatibleTypes(operator: op.rawValue, lhs, rhs), at: position)
            return nil
        }
        switch (lh, rh) {
        case (nil, let h?):
            guard op == .mul else { return incompatible("float", "histogram") }
            return (0, histogramScalarBinop(op, h, lf, scalarOnLeft: true).0, true)
        case (let h?, nil):
            guard let result = histogramScalarBinop(op, h, rf, scalarOnLeft: false).0 else {
                return incompatible("histogram", "float")
            }
            return (0, result, true)
        case (var l?, let r?):
            switch op {
            case .add, .sub:
                let combination: HistogramCombination
                do {
                    combination = op == .add ? try l.add(r) : try l.subtract(r)
                } catch {
                    if error.kind == .incompatibleSchema {
                        context.annotations.warn(HistogramAnnotations.incompatibleBucketLayout(operator: op.rawValue), at: position)
                    }
                    return nil
                }
                if op == .sub { l.counterResetHint = .gauge }
                let operation: HistogramAnnotations.Operation = op == .add ? .addition : .subtraction
                if combination.counterResetCollision {
                    context.annotations.warn(HistogramAnnotations.counterResetCollision(operation), at: position)
                    return nil
                }
                if combination.customBoundsReconciled {
                    context.annotations.info(HistogramAnnotations.mismatchedCustomBuckets(operation), at: position)
                }
                l.compact(maxEmptyBuckets: 0)
                return (0, l, true)
            case .eql:
                return (0, l, l == r)
            case .neq:
                return (0, l, l != r)
            default:
                return incompatible("histogram", "histogram")
            }
        case (nil, nil):
            let (value, keep) = vectorElemBinop(op, lf, rf)
            return (value, nil, keep)
        }
    }
}
