// The evaluator: walks an expression tree once for the whole query range (`promql/engine.go`,
// `evaluator.eval`). Every node evaluates to a list of series whose points sit at the step
// timestamps, so an instant query is a range query with one step. Selectors load each series'
// samples once for the whole range; functions over ranges then slide windows over them.

internal import ChunkEncoding
import MetricModel

/// One series of an evaluated expression: points at step timestamps (instant vectors and
/// scalars), or raw sample times (a range vector from an instant query or a subquery).
///
/// Float points and native-histogram points are kept apart, as Prometheus's `Series` does
/// (`Floats`, `Histograms`): code that only knows floats reads `points` as before, and a step
/// holds at most one of the two.
struct EvalSeries {
    var labels: Labels
    var points: [Sample]
    var histograms: [HistogramSample]
    /// Delayed `__name__` removal: drop the metric name when the query finishes.
    var dropName: Bool

    init(labels: Labels, points: [Sample] = [], histograms: [HistogramSample] = [], dropName: Bool = false) {
        self.labels = labels
        self.points = points
        self.histograms = histograms
        self.dropName = dropName
    }

    /// Whether the series has no point at all.
    var isEmpty: Bool { points.isEmpty && histograms.isEmpty }
}

/// What a node evaluates to.
enum EvalValue {
    /// Instant vectors, scalars (one series without labels, a point at every step) and matrices.
    case series([EvalSeries])
    case string(String)

    var series: [EvalSeries] {
        if case .series(let s) = self { return s }
        return []
    }
}

/// State shared by an evaluator and the evaluators of its subqueries.
final class EvalContext {
    let options: EngineOptions
    /// The query's own start and end, for `@ start()` and `@ end()`.
    let queryStart: Timestamp
    let queryEnd: Timestamp
    /// The query's step (0 for instant queries), for `step()` in duration expressions.
    let queryStep: Int64
    var annotations = AnnotationSet()
    /// Samples held in memory (`--query.max-samples`).
    var currentSamples = 0
    /// Samples the selectors handed to the query (`totalQueryableSamples` of `stats`).
    var queryableSamples = 0

    var sampleStats: QuerySampleStats {
        QuerySampleStats(totalQueryableSamples: queryableSamples, peakSamples: currentSamples)
    }
    /// When the query must stop (`--query.timeout`).
    let deadline: ContinuousClock.Instant?
    /// When the query gives up for being over its inline budget (``EngineOptions/inlineBudget``).
    let budgetDeadline: ContinuousClock.Instant?
    /// Chunks selected so far, counted against the inline budget.
    private var chunksSelected = 0
    /// Series fetched so far (``EngineOptions/maxFetchedSeries``).
    private var seriesFetched = 0
    /// Whether the query gave up for its inline budget.
    private(set) var overInlineBudget = false

    init(options: EngineOptions, queryStart: Timestamp, queryEnd: Timestamp, queryStep: Int64) {
        self.options = options
        self.queryStart = queryStart
        self.queryEnd = queryEnd
        self.queryStep = queryStep
        let now = ContinuousClock.now
        deadline = options.timeout.map { now.advanced(by: $0) }
        budgetDeadline = options.inlineBudget.map { now.advanced(by: $0.maxDuration) }
    }

    /// Counts chunks selected from storage, failing once they pass the inline budget (before
    /// they are decoded).
    func selected(chunks: Int) throws(QueryError) {
        guard let budget = options.inlineBudget else { return }
        chunksSelected += chunks
        if chunksSelected > budget.maxChunks { throw giveUp() }
    }

    /// Counts series fetched from storage, failing past ``EngineOptions/maxFetchedSeries`` with
    /// Mimir's error.
    func fetched(series: Int) throws(QueryError) {
        guard options.maxFetchedSeries > 0 else { return }
        seriesFetched += series
        if seriesFetched > options.maxFetchedSeries {
            throw QueryError(
                .execution,
                "the query exceeded the maximum number of series (limit: \(options.maxFetchedSeries) series) "
                    + "(err-mimir-max-series-per-query). Consider reducing the time range and/or number of series selected "
                    + "by the query. One way to reduce the number of selected series is to add more label matchers to "
                    + "the query. Otherwise, to adjust the related per-tenant limit, configure max_fetched_series_per_query")
        }
    }

    private func giveUp() -> QueryError {
        overInlineBudget = true
        return Self.overBudget
    }

    static let overBudget = QueryError(.overInlineBudget, "query outgrew its inline budget")

    /// Calls of ``addSamples(_:)`` and samples since the clock was last read.
    private var callsSinceClock = 0
    private var samplesSinceClock = 0

    /// Counts `n` more samples in memory, failing past the limit or after the deadline. Called per
    /// series, it reads the clock only every 32 calls or 65,536 samples (a clock read costs more
    /// than a small series' evaluation); every evaluated node reads it too.
    func addSamples(_ n: Int) throws(QueryError) {
        currentSamples += n
        if currentSamples > options.maxSamples {
            throw QueryError(.execution, "query processing would load too many samples into memory in query execution")
        }
        callsSinceClock += 1
        samplesSinceClock += n
        if callsSinceClock >= 32 || samplesSinceClock >= 65_536 {
            callsSinceClock = 0
            samplesSinceClock = 0
            try checkDeadline()
        }
    }

    /// Fails with Prometheus's timeout error once the deadline has passed.
    func checkDeadline() throws(QueryError) {
        if deadline == nil && budgetDeadline == nil { return }
        let now = ContinuousClock.now
        if let budgetDeadline, now > budgetDeadline { throw giveUp() }
        if let deadline, now > deadline {
            throw QueryError(.timeout, "query timed out in expression evaluation")
        }
    }
}

/// Evaluates expressions at the steps `start, start+interval, …, end`.
struct Evaluator {
    let querier: any Querier
    let context: EvalContext
    let start: Timestamp
    let end: Timestamp
    /// Step in ms; 1 for instant evaluation, as in Prometheus.
    let interval: Int64
    /// Whether selectors below decode native histograms as count and sum only
    /// (``HistogramStatsMode``).
    var histogramStats: HistogramStatsMode = .none

    var options: EngineOptions { context.options }
    var lookbackDelta: Int64 { context.options.lookbackDeltaMs }
    var isInstant: Bool { start == end }

    var numSteps: Int { end < start ? 0 : Int((end - start) / interval) + 1 }

    /// The timestamp of step `i`.
    @inline(__always)
    func stepTime(_ i: Int) -> Timestamp { start + Int64(i) * interval }

    /// The step index of timestamp `t`, which must be a step time.
    @inline(__always)
    func stepIndex(_ t: Timestamp) -> Int { Int((t - start) / interval) }

    /// The evaluator of a subquery: its selectors decode histograms whole (a subquery's own
    /// counter-reset detection needs the buckets).
    func child(start: Timestamp, end: Timestamp, interval: Int64) -> Evaluator {
        Evaluator(querier: querier, context: context, start: start, end: end, interval: interval, histogramStats: .blocked)
    }

    /// This evaluator with the histogram decoding that `expr`'s operands get.
    @inline(__always)
    private func forOperands(of expr: Expr) -> Evaluator? {
        let mode = histogramStats.below(expr)
        if mode == histogramStats { return nil }
        var copy = self
        copy.histogramStats = mode
        return copy
    }

    // MARK: - Dispatch

    func eval(_ expr: Expr) throws(QueryError) -> EvalValue {
        if end < start { return .series([]) }
        try context.checkDeadline()
        switch expr {
        case .numberLiteral(let n):
            return .series([constantSeries(n.value)])
        case .stringLiteral(let s):
            return .string(s.value)
        case .paren(let p):
            return try eval(p.expr)
        case .unary(let u):
            var result = try eval(u.expr).series
            if u.op == .sub {
                for i in result.indices {
                    result[i].dropName = true
                    for j in result[i].points.indices { result[i].points[j].value = -result[i].points[j].value }
                    for j in result[i].histograms.indices { result[i].histograms[j].histogram.multiply(by: -1) }
                }
            }
            return .series(result)
        case .vectorSelector(let vs):
            return .series(try evalVectorSelector(vs))
        case .matrixSelector(let ms):
            return .series(try evalMatrixSelector(ms))
        case .subquery(let sq):
            return .series(try evalSubquery(sq).series)
        case .binary(let b):
            if let e = forOperands(of: expr) { return .series(try e.evalBinary(b)) }
            return .series(try evalBinary(b))
        case .aggregate(let a):
            return .series(try evalAggregate(a))
        case .call(let c):
            if let e = forOperands(of: expr) { return .series(try e.evalCall(c)) }
            return .series(try evalCall(c))
        }
    }

    /// Evaluates an expression that must produce series (not a string).
    func evalSeries(_ expr: Expr) throws(QueryError) -> [EvalSeries] {
        try eval(expr).series
    }

    /// A series without labels holding `value` at every step (how scalars travel).
    func constantSeries(_ value: Double) -> EvalSeries {
        var points: [Sample] = []
        points.reserveCapacity(numSteps)
        for i in 0..<numSteps { points.append(Sample(stepTime(i), value)) }
        return EvalSeries(labels: .empty, points: points)
    }

    /// A scalar expression's value at each step (NaN where it has none).
    func scalarValues(_ expr: Expr) throws(QueryError) -> [Double] {
        let series = try evalSeries(expr)
        var values = [Double](repeating: .nan, count: numSteps)
        if let s = series.first {
            for p in s.points { values[stepIndex(p.timestamp)] = p.value }
        }
        return values
    }

    // MARK: - Time helpers

    /// Resolves an `@` modifier to a timestamp.
    func atTime(_ at: AtModifier?) -> Timestamp? {
        switch at {
        case .timestamp(let t): t
        case .start: context.queryStart
        case .end: context.queryEnd
        case nil: nil
        }
    }

    /// The offset of a selector, evaluating its duration expression if it has one.
    func offset(of vs: VectorSelector) -> Int64 {
        if let e = vs.offsetExpression { return evaluateDuration(e) }
        return vs.offsetMilliseconds
    }

    /// The offset of a subquery, evaluating its duration expression if it has one.
    func offset(of sq: SubqueryExpr) -> Int64 {
        if let e = sq.offsetExpression { return evaluateDuration(e) }
        return sq.offsetMilliseconds
    }

    func range(of ms: MatrixSelector) -> Int64 {
        if let e = ms.rangeExpression { return evaluateDuration(e) }
        return ms.rangeMilliseconds
    }

    /// Evaluates a duration expression with this query's `step()` and `range()`, as Prometheus does
    /// before running a query (`DurationExpr.milliseconds`). An invalid result (not finite, out of
    /// range) counts as 0: no samples selected.
    func evaluateDuration(_ e: DurationExpr) -> Int64 {
        (try? e.milliseconds(
            stepMilliseconds: context.queryStep, rangeMilliseconds: context.queryEnd - context.queryStart,
            allowNegative: true)) ?? 0
    }
}

/// Go's `math.Mod`: the result has the sign of `x`.
@inline(__always)
func goMod(_ x: Double, _ y: Double) -> Double { x.truncatingRemainder(dividingBy: y) }

/// Go's `math.Pow` (same special cases as C's `pow`).
@inline(__always)
func goPow(_ x: Double, _ y: Double) -> Double {
    if y == 0 { return 1 }
    if x == 1 { return 1 }
    return GoMath.pow(x, y)
}

/// Go's `math.Max`: NaN wins, and +0 beats -0.
@inline(__always)
func goMax(_ a: Double, _ b: Double) -> Double {
    if a.isNaN || b.isNaN { return .nan }
    if a == 0 && b == 0 { return a.sign == .minus ? b : a }
    return a > b ? a : b
}

/// Go's `math.Min`: NaN wins, and -0 beats +0.
@inline(__always)
func goMin(_ a: Double, _ b: Double) -> Double {
    if a.isNaN || b.isNaN { return .nan }
    if a == 0 && b == 0 { return a.sign == .minus ? a : b }
    return a < b ? a : b
}
