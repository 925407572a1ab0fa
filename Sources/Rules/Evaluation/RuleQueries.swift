// How rules run their expressions: an instant query at the evaluation time, through the PromQL
// engine (Prometheus's `EngineQueryFunc`).

package import MetricModel
package import PromQL

/// Evaluates an expression at a time: an instant vector, or a scalar as one sample without labels.
package typealias RuleQueryFunction = @Sendable (_ expr: Expr, _ time: Timestamp) throws -> [VectorSample]

/// What a rule query can fail with (Prometheus's texts).
package struct RuleQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}

package enum RuleQueries {
    /// Instant queries through the engine over `querier`.
    ///
    /// ```swift
    /// let query = RuleQueries.engine(querier: db, options: EngineOptions())
    /// let samples = try query(try parseExpr("sum(up)"), nowMs)
    /// ```
    package static func engine(querier: any Querier, options: EngineOptions) -> RuleQueryFunction {
        { expr, time in
            let result: QueryResult
            do throws(QueryError) {
                result = try Engine(querier: querier, options: options).instantQuery(expr, at: time)
            } catch {
                throw RuleQueryError(error.description)
            }
            switch result.value {
            case .vector(let samples): return samples
            case .scalar(let timestamp, let value): return [VectorSample(labels: .empty, timestamp: timestamp, value: value)]
            default: throw RuleQueryError("rule result is not a vector or scalar")
            }
        }
    }
}
