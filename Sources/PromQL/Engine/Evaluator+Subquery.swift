// Subqueries (`promql/engine.go`: subqueryTimeRange, runSubquery, evalSubquery): the inner
// expression is evaluated once, by a child evaluator on the subquery's own step grid, over
// everything the outer steps' windows need.

import MetricModel

extension Evaluator {
    /// Evaluates the subquery's expression for all outer steps and returns it as a range input.
    ///
    /// The inner expression's queryable samples count only with `countInner` (a subquery that is
    /// the query's value); a function over the subquery counts its windows instead, as Prometheus.
    func subqueryInput(_ sq: SubqueryExpr, countInner: Bool = false) throws(QueryError) -> RangeInput {
        let offset = offset(of: sq)
        let range = sq.rangeExpression.map { evaluateDuration($0) } ?? sq.rangeMilliseconds
        var step = sq.stepExpression.map { evaluateDuration($0) } ?? sq.stepMilliseconds
        if step <= 0 { step = options.defaultSubqueryStepMs }
        let at = atTime(sq.atModifier)

        // With `@` the subquery is evaluated as if the outer query were an instant query at that time.
        let parentStart = at ?? start
        let parentEnd = at ?? (start + ((end - start) / interval) * interval)
        let childEnd = parentEnd &- offset
        let firstWindowStart = parentStart &- offset &- range
        var childStart = step * (firstWindowStart / step)
        if childStart <= firstWindowStart { childStart += step }

        // Every step of the inner expression may hold a point per series, and its scalars hold
        // one at every step: a subquery with more steps than `--query.max-samples` is refused
        // before anything is allocated for them (`x[10y:1ms]` would ask for 3e11 points).
        if childEnd >= childStart && (childEnd - childStart) / step >= Int64(options.maxSamples) {
            throw QueryError(.execution, "query processing would load too many samples into memory in query execution")
        }
        let child = self.child(start: childStart, end: childEnd, interval: step)
        let counted = context.queryableSamples
        var series = try child.evalSeries(sq.expr)
        if !countInner {
            context.queryableSamples = counted
            // A function over the subquery detects counter resets itself (`evalSubquery`): the
            // hints of the inner samples may miss resets between them or repeat one.
            for i in series.indices {
                for j in series[i].histograms.indices {
                    let hint = series[i].histograms[j].histogram.counterResetHint
                    if hint == .notCounterReset || hint == .counterReset {
                        series[i].histograms[j].histogram.counterResetHint = .unknown
                    }
                }
            }
        }
        return RangeInput(
            series: series.map {
                DecodedSeries(labels: $0.labels, samples: $0.points, histograms: $0.histograms, dropName: $0.dropName)
            },
            rangeMs: range, offsetMs: offset, atTime: at, selector: nil,
            positionRange: Expr.subquery(sq).positionRange)
    }

    /// A subquery evaluated as a value (instant queries): the inner expression's points.
    func evalSubquery(_ sq: SubqueryExpr) throws(QueryError) -> EvalValue {
        let input = try subqueryInput(sq, countInner: true)
        let windowEnd = input.windowEnd(at: start)
        let windowStart = windowEnd &- input.rangeMs
        var result: [EvalSeries] = []
        for s in input.series {
            let points = s.samples.filter { $0.timestamp > windowStart && $0.timestamp <= windowEnd }
            let histograms = s.histograms.filter { $0.timestamp > windowStart && $0.timestamp <= windowEnd }
            if !points.isEmpty || !histograms.isEmpty {
                result.append(EvalSeries(labels: s.labels, points: points, histograms: histograms, dropName: s.dropName))
            }
        }
        return .series(result)
    }
}
