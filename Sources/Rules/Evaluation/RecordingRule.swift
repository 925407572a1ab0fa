// A recording rule: its expression's result stored under a new metric name (Prometheus's
// `rules.RecordingRule`).

package import MetricModel
package import PromQL
import Synchronization

/// Evaluates an expression and names the result `record`, with the rule's labels set.
package final class RecordingRule: Sendable {
    package let name: String
    package let expr: Expr
    /// The rule's labels (group labels under the rule's own), set on every result.
    package let labels: Labels
    private let state = Mutex(RuleStatus())

    package init(name: String, expr: Expr, labels: Labels) {
        self.name = name
        self.expr = expr
        self.labels = labels
    }

    package var status: RuleStatus { state.withLock { $0 } }

    func record(_ update: (inout RuleStatus) -> Void) { state.withLock { update(&$0) } }

    /// The samples to append for an evaluation at `time` (queried at `time - queryOffsetMs`).
    ///
    /// - Throws: the query's error; "vector contains metrics with the same labelset after applying
    ///   rule labels"; "exceeded limit of N with M series" when `limit` (> 0) is passed.
    func evaluate(at time: Timestamp, queryOffsetMs: Int64, query: RuleQueryFunction, limit: Int) throws -> [VectorSample] {
        var samples = try query(expr, time - queryOffsetMs)
        var seen: Set<Labels> = []
        seen.reserveCapacity(samples.count)
        for index in samples.indices {
            var builder = LabelsBuilder(samples[index].labels)
            builder.set(Labels.metricNameLabel, name)
            labels.forEach { builder.set($0, $1) }
            samples[index].labels = builder.labels()
            guard seen.insert(samples[index].labels).inserted else {
                throw RuleQueryError("vector contains metrics with the same labelset after applying rule labels")
            }
        }
        if limit > 0 && samples.count > limit {
            throw RuleQueryError("exceeded limit of \(limit) with \(samples.count) series")
        }
        return samples
    }
}
