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
    /// `--query.timeout` (or a request's shorter `timeout`): nil for none. Prometheus's default is 2m.
    package var timeout: Duration? = .seconds(120)
    /// Default subquery step when none is written, ms (Prometheus: the global evaluation interval, 1m).
    package var defaultSubqueryStepMs: Int64 = 60_000
    /// `--enable-feature=promql-experimental-functions` (on by default here, as the test suite assumes).
    package var experimentalFunctions = true
    /// Delayed `__name__` removal (Prometheus 3's `promql-delayed-name-removal`).
    package var delayedNameRemoval = true
    /// Start timestamps of samples (`SeriesData.startTimestamps`) are read by `rate`, `irate`,
    /// `increase`, `resets` and `start_timestamp` (Prometheus's `use-start-timestamps`; off by default).
    package var useStartTimestamps = false
    /// Groups times steps up to which sum, avg, count, min, max, group, stddev and stdvar keep
    /// one accumulator per group and step and read their input series by series (a few arrays
    /// of that many Doubles); larger aggregations go step by step. Same answers either way;
    /// tests set 0 to compare the two.
    package var maxFlatAggregationCells = 1 << 22
    /// When set, the query gives up with `QueryError.Kind.overInlineBudget` as soon as it outgrows
    /// the budget, so that a server can try a query on the thread that received it and move only
    /// the large ones elsewhere.
    package var inlineBudget: InlineBudget?
    /// Most series one query may fetch from storage, counted per selector evaluation (a tenant's
    /// `max_fetched_series_per_query`); 0: no limit.
    package var maxFetchedSeries = 0
    /// Adds up the samples queries read (`totalQueryableSamples`): a tenant's usage.
    package var samplesProcessed: Counter?

    package init() {}
}

/// How much work a query may do before it gives up (``EngineOptions/inlineBudget``).
package struct InlineBudget: Sendable {
    /// Chunks selected from storage over the whole query (decoding is most of a query's cost).
    package var maxChunks: Int
    /// Wall time from the start of evaluation.
    package var maxDuration: Duration

    package init(maxChunks: Int, maxDuration: Duration) {
        self.maxChunks = maxChunks
        self.maxDuration = maxDuration
    }
}

/// One sample of an instant vector, with its series labels: a float, or a native histogram
/// (`histogram` set, `value` 0).
package struct VectorSample: Sendable, Equatable {
    package var labels: Labels
    package var timestamp: Timestamp
    package var value: Double
    /// The sample's native histogram; nil for a float sample.
    package var histogram: FloatHistogram?

    package init(labels: Labels, timestamp: Timestamp, value: Double) {
        self.labels = labels
        self.timestamp = timestamp
        self.value = value
        self.histogram = nil
    }

    package init(labels: Labels, timestamp: Timestamp, histogram: FloatHistogram) {
        self.labels = labels
        self.timestamp = timestamp
        self.value = 0
        self.histogram = histogram
    }
}

/// One series of a range vector or range-query result: labels, float samples and native-
/// histogram samples, each in time order (a series has at most one of the two at a time).
package struct MatrixSeries: Sendable, Equatable {
    package var labels: Labels
    package var samples: [Sample]
    package var histograms: [HistogramSample]

    package init(labels: Labels, samples: [Sample], histograms: [HistogramSample] = []) {
        self.labels = labels
        self.samples = samples
        self.histograms = histograms
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
    /// Samples the query read and held (the API's `stats=true`).
    package var stats = QuerySampleStats()

    package init(value: PromQLValue, annotations: Annotations = Annotations()) {
        self.value = value
        self.annotations = annotations
    }
}

/// The sample counts of a query's `stats`: Prometheus's `totalQueryableSamples` (samples the
/// selectors hand to the query, each window's samples counted at every step that reads them)
/// and `peakSamples` (here: every sample the evaluation held, an upper bound of Prometheus's
/// peak, which also subtracts what it has released).
package struct QuerySampleStats: Sendable, Equatable {
    package var totalQueryableSamples = 0
    package var peakSamples = 0

    package init(totalQueryableSamples: Int = 0, peakSamples: Int = 0) {
        self.totalQueryableSamples = totalQueryableSamples
        self.peakSamples = peakSamples
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
        /// The query outgrew ``EngineOptions/inlineBudget``: not an answer for clients, the
        /// caller runs the query again without the budget.
        case overInlineBudget = "over_inline_budget"
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
    ///
    /// - Parameter query: the query text `expr` was parsed from; when given, annotations end
    ///   in ` (line:column)` of the expression that caused them, as Prometheus's API writes them.
    package func instantQuery(_ expr: Expr, at time: Timestamp, query: String? = nil) throws(QueryError) -> QueryResult {
        let context = EvalContext(options: options, queryStart: time, queryEnd: time, queryStep: 0)
        defer { countProcessed(context) }
        var result = try instantQuery(expr, at: time, query: query, context: context)
        result.stats = context.sampleStats
        return result
    }

    /// Adds a finished query's samples to ``EngineOptions/samplesProcessed``; a query given up
    /// for its inline budget runs again, and counts then.
    private func countProcessed(_ context: EvalContext) {
        guard let counter = options.samplesProcessed, !context.overInlineBudget else { return }
        counter.add(context.queryableSamples)
    }

    private func instantQuery(
        _ expr: Expr, at time: Timestamp, query: String?, context: EvalContext
    ) throws(QueryError) -> QueryResult {
        let evaluator = Evaluator(querier: querier, context: context, start: time, end: time, interval: 1)
        let value = try evaluator.eval(expr)
        let annotations = context.annotations.rendered(query: query)
        switch consume value {
        case .string(let s):
            return QueryResult(value: .string(timestamp: time, value: s), annotations: annotations)
        case .series(let series):
            let cleaned = try finish(consume series)
            switch expr.type {
            case .scalar:
                let v = cleaned.first?.points.first?.value ?? .nan
                return QueryResult(value: .scalar(timestamp: time, value: v), annotations: annotations)
            case .matrix:
                return QueryResult(value: .matrix(sortedMatrix(cleaned)), annotations: annotations)
            default:
                let vector = cleaned.compactMap { s in
                    s.points.first.map { VectorSample(labels: s.labels, timestamp: time, value: $0.value) }
                        ?? s.histograms.first.map { VectorSample(labels: s.labels, timestamp: time, histogram: $0.histogram) }
                }
                return QueryResult(value: .vector(vector), annotations: annotations)
            }
        }
    }

    /// Evaluates `expr` at every step from `start` to `end` inclusive (ms); the result is a
    /// matrix (Prometheus turns scalar results into one series without labels).
    package func rangeQuery(
        _ expr: Expr, start: Timestamp, end: Timestamp, step: Int64, query: String? = nil
    ) throws(QueryError) -> QueryResult {
        guard step > 0 else {
            throw QueryError(.badData, "zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        guard end >= start else { throw QueryError(.badData, "end timestamp must not be before start time") }
        switch expr.type {
        case .scalar, .vector: break
        default:
            throw QueryError(
                .badData, "invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector")
        }
        let context = EvalContext(options: options, queryStart: start, queryEnd: end, queryStep: step)
        defer { countProcessed(context) }
        let evaluator = Evaluator(querier: querier, context: context, start: start, end: end, interval: step)
        let series = try finish(try evaluator.evalSeries(expr))
        var result = QueryResult(value: .matrix(sortedMatrix(series)), annotations: context.annotations.rendered(query: query))
        result.stats = context.sampleStats
        return result
    }

    /// Delayed name removal, then the merge of series that now share their labels.
    private func finish(_ series: consuming [EvalSeries]) throws(QueryError) -> [EvalSeries] {
        var series = series
        // Series are told apart by their labels: only dropping names can make two of them equal,
        // and not when every one of them drops the same name (one selector's series, commonly).
        var mayCollide = !options.delayedNameRemoval
        if options.delayedNameRemoval, let first = series.first?.labels {
            for i in series.indices where series[i].dropName {
                mayCollide = mayCollide || !series[i].labels.hasSameMetadata(as: first)
                series[i].labels = series[i].labels.droppingMetadata()
            }
            mayCollide = mayCollide || series.contains { !$0.dropName }
        }
        return mayCollide ? try mergeSeriesWithSameLabels(series) : series
    }

    private func sortedMatrix(_ series: [EvalSeries]) -> [MatrixSeries] {
        let kept = series.filter { !$0.points.isEmpty || !$0.histograms.isEmpty }
        var keys = LabelsSortKeys(capacity: kept.count)
        for s in kept { keys.append(s.labels) }
        let order = keys.sortedOrder() ?? Array(kept.indices)
        return order.map { MatrixSeries(labels: kept[$0].labels, samples: kept[$0].points, histograms: kept[$0].histograms) }
    }
}
