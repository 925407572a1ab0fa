// The PromQL engine's public surface: options, values, annotations and the two query kinds
// (`promql/engine.go`: NewInstantQuery, NewRangeQuery). The evaluator behind it lives in
// the other files of Engine/.

package import MetricModel

/// Engine settings, named after Prometheus's flags.
package struct EngineOptions: Sendable {
    /// `--query.lookback-delta`, ms.
    package var lookbackDeltaMs: Int64 = 5 * 60 * 1000
    /// `--query.max-samples`: most samples loaded into memory at once by one query.
    package var maxSamples: Int = 50_000_000
    /// Default subquery step when none is written, ms (Prometheus: the global evaluation interval, 1m).
    package var defaultSubqueryStepMs: Int64 = 60_000
    /// `--enable-feature=promql-experimental-functions` (on by default here, as the test suite assumes).
    package var experimentalFunctions = true
    /// Delayed `__name__` removal (Prometheus 3's `promql-delayed-name-removal`).
    package var delayedNameRemoval = true

    package init() {}
}

/// One float sample of an instant vector, with its series labels.
package struct VectorSample: Sendable, Equatable {
    package var labels: Labels
    package var timestamp: Timestamp
    package var value: Double

    package init(labels: Labels, timestamp: Timestamp, value: Double) {
        self.labels = labels
        self.timestamp = timestamp
        self.value = value
    }
}

/// One series of a range vector or range-query result: labels and samples in time order.
package struct MatrixSeries: Sendable, Equatable {
    package var labels: Labels
    package var samples: [Sample]

    package init(labels: Labels, samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }
}

/// The value of a query, in the four types of the HTTP API's `resultType`.
package enum PromQLValue: Sendable, Equatable {
    case scalar(timestamp: Timestamp, value: Double)
    case string(timestamp: Timestamp, value: String)
    case vector([VectorSample])
    case matrix([MatrixSeries])
}

/// Warnings and infos attached to a result, with Prometheus's texts (`util/annotations`).
package struct Annotations: Sendable, Equatable {
    package var warnings: [String] = []
    package var infos: [String] = []

    package init(warnings: [String] = [], infos: [String] = []) {
        self.warnings = warnings
        self.infos = infos
    }
}

/// A query's result.
package struct QueryResult: Sendable, Equatable {
    package var value: PromQLValue
    package var annotations: Annotations

    package init(value: PromQLValue, annotations: Annotations = Annotations()) {
        self.value = value
        self.annotations = annotations
    }
}

/// Why a query failed; `kind` maps to the HTTP API's errorType.
package struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: String, Sendable {
        /// `bad_data`: the query cannot be evaluated as written (e.g. duplicate series in matching).
        case badData = "bad_data"
        /// `execution`: evaluation failed (e.g. a regex that does not compile at run time).
        case execution
        /// `timeout`: `--query.timeout` passed.
        case timeout
        /// `canceled`.
        case canceled
        /// `internal`: a storage read failed.
        case `internal`
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}

/// Evaluates parsed expressions against a `Querier`.
///
/// ```swift
/// let engine = Engine(querier: db.querier())
/// let result = try engine.instantQuery(try parseExpr("sum(rate(x[5m]))"), at: now)
/// ```
package struct Engine: Sendable {
    package let querier: any Querier
    package var options: EngineOptions

    package init(querier: any Querier, options: EngineOptions = EngineOptions()) {
        self.querier = querier
        self.options = options
    }

    /// Evaluates `expr` at one instant (ms). The result is a scalar, string, vector or (for a
    /// range-vector expression) matrix.
    package func instantQuery(_ expr: Expr, at time: Timestamp) throws(QueryError) -> QueryResult {
        throw QueryError(.execution, "PromQL evaluation is not implemented yet")
    }

    /// Evaluates `expr` at every step from `start` to `end` inclusive (ms); the result is a
    /// matrix (Prometheus turns scalar results into one series without labels).
    package func rangeQuery(_ expr: Expr, start: Timestamp, end: Timestamp, step: Int64) throws(QueryError) -> QueryResult {
        throw QueryError(.execution, "PromQL evaluation is not implemented yet")
    }
}
