// The harness's @-modifier invariance check (`spec/promqltest-dsl.md` §9.1): an instant eval
// must give the same result when every selector and subquery is pinned with `@ <eval time>`
// and the query runs at other times.

package import MetricModel

extension PromQLTestRunner {
    /// Functions whose result depends on the evaluation time itself (Prometheus's
    /// `AtModifierUnsafeFunctions`): queries calling them are not re-run with `@`.
    static let atModifierUnsafeFunctions: Set<String> = [
        "days_in_month", "day_of_month", "day_of_week", "day_of_year", "end", "hour", "minute", "month", "year",
        "predict_linear", "range", "start", "step", "time", "timestamp",
    ]

    /// The rewritten expression and the times to run it at, or nil when the query calls an
    /// @-unsafe function. Times: `-10t, 0, t/5, t, 10t`, or `-1s, 0, 1s` when `t` is 0.
    package static func atModifierVariants(of expr: Expr, at time: Timestamp) -> (expr: Expr, times: [Timestamp])? {
        if callsAtModifierUnsafeFunction(expr) { return nil }
        let pinned = pinned(expr, at: time)
        let times: [Timestamp] = time == 0 ? [-1000, 0, 1000] : [-10 * time, 0, time / 5, time, 10 * time]
        return (pinned, times)
    }

    /// Whether a call outside any subquery is @-unsafe (upstream does not look inside subqueries,
    /// which it has pinned before reaching their contents).
    static func callsAtModifierUnsafeFunction(_ expr: Expr) -> Bool {
        switch expr {
        case .vectorSelector, .matrixSelector, .numberLiteral, .stringLiteral, .subquery: false
        case .paren(let p): callsAtModifierUnsafeFunction(p.expr)
        case .unary(let u): callsAtModifierUnsafeFunction(u.expr)
        case .binary(let b): callsAtModifierUnsafeFunction(b.lhs) || callsAtModifierUnsafeFunction(b.rhs)
        case .call(let c):
            atModifierUnsafeFunctions.contains(c.function.name) || c.args.contains(where: callsAtModifierUnsafeFunction)
        case .aggregate(let a):
            callsAtModifierUnsafeFunction(a.expr) || (a.param.map(callsAtModifierUnsafeFunction) ?? false)
        }
    }

    /// `expr` with `@ time` on every selector and outermost subquery that has no fixed `@` yet
    /// (`@ start()` / `@ end()` are replaced, as upstream's printer prefers the timestamp).
    static func pinned(_ expr: Expr, at time: Timestamp) -> Expr {
        func pin(_ at: inout AtModifier?) {
            if case .timestamp = at { return }
            at = .timestamp(time)
        }
        switch expr {
        case .vectorSelector(var vs):
            pin(&vs.atModifier)
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            pin(&ms.vectorSelector.atModifier)
            return .matrixSelector(ms)
        case .subquery(var sq):
            // Its contents stay as written: the subquery's own @ fixes their times.
            pin(&sq.atModifier)
            return .subquery(sq)
        case .numberLiteral, .stringLiteral:
            return expr
        case .paren(var p):
            p.expr = pinned(p.expr, at: time)
            return .paren(p)
        case .unary(var u):
            u.expr = pinned(u.expr, at: time)
            return .unary(u)
        case .binary(var b):
            b.lhs = pinned(b.lhs, at: time)
            b.rhs = pinned(b.rhs, at: time)
            return .binary(b)
        case .call(var c):
            c.args = c.args.map { pinned($0, at: time) }
            return .call(c)
        case .aggregate(var a):
            a.expr = pinned(a.expr, at: time)
            a.param = a.param.map { pinned($0, at: time) }
            return .aggregate(a)
        }
    }
}
