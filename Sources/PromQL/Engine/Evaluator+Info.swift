// info(): enriches series with the data labels of matching info metrics (`promql/info.go`;
// docs/querying/functions.md, `info()`). The info series are selected and decoded once for the
// whole query range; the join on the identifying labels then walks the steps with one cursor
// per info series.

import MetricModel

extension Evaluator {
    /// The info metric read when the data-label selector names none.
    static let defaultInfoMetric = "target_info"
    /// The labels an info series is joined on (hard coded in Prometheus too).
    static let infoIdentifyingLabels = ["instance", "job"]

    /// `info(v [, data-label-selector])`: every series of `v`, at every step, gets the data
    /// labels of the info series that share its `instance` and `job` values at that time.
    ///
    /// Per info metric name the newest info series wins (an info series whose data labels
    /// changed without a stale marker); two equally new ones are an error, and so are two info
    /// metrics that disagree on a label. Series of `v` that are themselves info series pass
    /// through unchanged. Without a match, a series is kept as is unless a data-label matcher
    /// rejects the empty string. The info series are read at the `@` time and offset of the
    /// first selector in `v`, so `info(v offset 1h)` joins with the info series of an hour ago.
    ///
    /// - Complexity: O(steps × (info series + series of `v`)), plus one label-set build per
    ///   series of `v` each time the info series it joins with change.
    func evalInfo(_ args: [Expr]) throws(QueryError) -> [EvalSeries] {
        let reference = infoReferenceTime(args[0])
        let base = try evalSeries(args[0])
        let selector = try InfoSelector(args.count > 1 ? args[1] : nil)

        let ignored = base.map { selector.isInfoSeries($0.labels) }
        let infoSeries = try loadInfoSeries(for: base, ignoring: ignored, selector, reference)
        if infoSeries.isEmpty {
            // Fast path: nothing to join with.
            return base.indices.filter { ignored[$0] || !selector.requiresMatch }.map { base[$0] }
        }
        try rejectHistogramInfoSamples(infoSeries, base, reference)
        var join = InfoJoin(infoSeries, base: base, ignored: ignored)
        return try join.run(self, selector, reference)
    }

    /// Fails as Prometheus's `combineWithInfoVector` does when, at a step where `base` has
    /// samples, an info series' sample is a native histogram.
    private func rejectHistogramInfoSamples(
        _ infoSeries: [DecodedSeries], _ base: [EvalSeries], _ reference: (at: Timestamp?, offset: Int64)
    ) throws(QueryError) {
        guard infoSeries.contains(where: { !$0.histograms.isEmpty }) else { return }
        var baseSteps = Set<Timestamp>()
        for s in base {
            for p in s.points { baseSteps.insert(p.timestamp) }
            for p in s.histograms { baseSteps.insert(p.timestamp) }
        }
        for s in infoSeries where !s.histograms.isEmpty {
            let selected = try mixedVectorSelection(s, at: reference.at, offset: reference.offset, yielding: .value)
            if let selected, selected.histograms.contains(where: { baseSteps.contains($0.timestamp) }) {
                throw QueryError(.execution, "info sample should be float")
            }
        }
    }

    /// The `@` time (nil: each step's own time) and offset at which the info series are read:
    /// those of the first vector selector in `expr`, where the innermost `@` of the selector and
    /// the subqueries around it anchors the time and the offsets up to that anchor add up
    /// (`infoSelectTimestampAndOffset`).
    func infoReferenceTime(_ expr: Expr) -> (at: Timestamp?, offset: Int64) {
        var subqueries: [SubqueryExpr] = []
        guard let vs = firstVectorSelector(expr, enclosedBy: &subqueries) else { return (nil, 0) }
        var at = atTime(vs.atModifier)
        var offset = offset(of: vs)
        for sq in subqueries.reversed() where at == nil {
            offset &+= self.offset(of: sq)
            at = atTime(sq.atModifier)
        }
        return (at, offset)
    }

    /// The info series that may join with `base` (the series not `ignored`), over every sample
    /// the steps' lookups need, stale markers kept. None when no series has an identifying label.
    private func loadInfoSeries(
        for base: [EvalSeries], ignoring ignored: [Bool], _ selector: InfoSelector, _ reference: (at: Timestamp?, offset: Int64)
    ) throws(QueryError) -> [DecodedSeries] {
        var matchers: [LabelMatcher] = []
        for name in Self.infoIdentifyingLabels {
            var values = Set<String>()
            for (i, s) in base.enumerated() where !ignored[i] {
                if let v = s.labels[name], !v.isEmpty { values.insert(v) }
            }
            if values.isEmpty { continue }
            let pattern = values.sorted().map(quoteRegexMeta).joined(separator: "|")
            do {
                matchers.append(try LabelMatcher(.regexMatch, name, pattern))
            } catch {
                throw QueryError(.execution, error.description)
            }
        }
        if matchers.isEmpty { return [] }
        matchers += selector.dataMatchers + selector.nameMatchers
        let firstRef = (reference.at ?? start) &- reference.offset
        let lastRef = (reference.at ?? end) &- reference.offset
        return try loadSeries(
            matching: matchers, minTime: windowStart(firstRef, lookbackDelta), maxTime: lastRef, keepStale: true)
    }
}

/// The first vector selector of `expr` in Prometheus's walk order (`parser.Inspect`), with the
/// subqueries it sits in, outermost first.
func firstVectorSelector(_ expr: Expr, enclosedBy subqueries: inout [SubqueryExpr]) -> VectorSelector? {
    switch expr {
    case .vectorSelector(let vs): return vs
    case .matrixSelector(let ms): return ms.vectorSelector
    case .numberLiteral, .stringLiteral: return nil
    case .paren(let p): return firstVectorSelector(p.expr, enclosedBy: &subqueries)
    case .unary(let u): return firstVectorSelector(u.expr, enclosedBy: &subqueries)
    case .binary(let b):
        return firstVectorSelector(b.lhs, enclosedBy: &subqueries) ?? firstVectorSelector(b.rhs, enclosedBy: &subqueries)
    case .call(let c):
        for arg in c.args {
            if let vs = firstVectorSelector(arg, enclosedBy: &subqueries) { return vs }
        }
        return nil
    case .aggregate(let a):
        if let vs = firstVectorSelector(a.expr, enclosedBy: &subqueries) { return vs }
        return a.param.flatMap { firstVectorSelector($0, enclosedBy: &subqueries) }
    case .subquery(let sq):
        subqueries.append(sq)
        if let vs = firstVectorSelector(sq.expr, enclosedBy: &subqueries) { return vs }
        subqueries.removeLast()
        return nil
    }
}

/// Go's `regexp.QuoteMeta`: `s` as a regular expression that matches exactly `s`.
func quoteRegexMeta(_ s: String) -> String {
    var out = ""
    out.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
    for ch in s.unicodeScalars {
        if #"\.+*?()|[]{}^$"#.unicodeScalars.contains(ch) { out.unicodeScalars.append("\\") }
        out.unicodeScalars.append(ch)
    }
    return out
}

/// info()'s second argument, split the way `promql/info.go` uses it.
struct InfoSelector {
    /// The `__name__` matchers that pick info metrics (`effectiveInfoNameMatchers`): as written
    /// when one is positive, after `__name__=~".+_info"` when all are negative, and
    /// `__name__="target_info"` when there are none.
    let nameMatchers: [LabelMatcher]
    /// The matchers on other labels: they select info series and name the data labels added.
    let dataMatchers: [LabelMatcher]
    /// The labels `dataMatchers` name; empty means every data label is added.
    let dataLabelNames: Set<String>
    /// Some data matcher rejects the empty string, so a series without a match is dropped.
    let requiresMatch: Bool

    init(_ arg: Expr?) throws(QueryError) {
        var written: [LabelMatcher] = []
        if let arg {
            guard case .vectorSelector(let vs) = arg else { throw QueryError(.badData, "expected label selectors only") }
            written = vs.matchers
        }
        let names = written.filter { $0.name == Labels.metricNameLabel }
        dataMatchers = written.filter { $0.name != Labels.metricNameLabel }
        dataLabelNames = Set(dataMatchers.map(\.name))
        requiresMatch = dataMatchers.contains { !$0.matchesEmpty }
        if names.isEmpty {
            nameMatchers = [Self.defaultNameMatcher]
        } else if names.contains(where: { $0.type == .equal || $0.type == .regexMatch }) {
            nameMatchers = names
        } else {
            nameMatchers = [Self.anyInfoNameMatcher] + names
        }
    }

    // Constant, valid patterns: these cannot throw.
    private static let defaultNameMatcher = try! LabelMatcher(.equal, Labels.metricNameLabel, Evaluator.defaultInfoMetric)
    private static let anyInfoNameMatcher = try! LabelMatcher(.regexMatch, Labels.metricNameLabel, ".+_info")

    /// Whether a series of info()'s first argument is an info series itself, left unenriched.
    func isInfoSeries(_ labels: Labels) -> Bool {
        let name = labels.value(Labels.metricNameLabel)
        return nameMatchers.allSatisfy { $0.matches(name) }
    }
}
