// info(): enriches series with the data labels of matching info metrics (`promql/info.go`).

import MetricModel

extension Evaluator {
    /// info(v [, selector]) — not implemented yet: returns `v` unchanged.
    func evalInfo(_ args: [Expr]) throws(QueryError) -> [EvalSeries] {
        try evalSeries(args[0])
    }
}
