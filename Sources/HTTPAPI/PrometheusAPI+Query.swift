// /api/v1/query and /api/v1/query_range: parameters as Prometheus parses them (`web/api/v1/api.go`),
// evaluation by the PromQL engine, results in Prometheus's JSON.

internal import MetricModel
internal import PromQL
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

extension PrometheusAPI {
    /// Prometheus's cap on points per series of a range query.
    static let maxPointsPerSeries: Int64 = 11_000

    /// `GET|POST /api/v1/query?query=…&time=…&lookback_delta=…&limit=…`; nil when the query
    /// outgrew `inlineBudget`.
    func query(
        _ params: FormParameters, inlineBudget: InlineBudget? = nil, origin: QueryOrigin? = nil
    ) throws(APIError) -> APIResult? {
        let time: Timestamp
        if let raw = params["time"], !raw.isEmpty {
            do { time = try parseTime(raw) } catch { throw APIError(.badData, "invalid parameter \"time\": \(error)") }
        } else {
            time = Timestamp(Date().timeIntervalSince1970 * 1000)
        }
        let engine = try engine(for: params, inlineBudget: inlineBudget)
        let limit = try limit(params)
        var timer = QueryTimer()
        let expr = try parsedQuery(params)
        timer.prepared()
        let result: QueryResult
        do {
            result = try Spans.withSpan("promqlEval") { span throws(QueryError) in
                span.set("query", params["query"] ?? "")
                return try engine.instantQuery(expr, at: time, query: params["query"])
            }
        } catch {
            if error.kind == .overInlineBudget { return nil }
            logQuery(params, start: time, end: time, stepMs: 0, error: error.message, timer, QuerySampleStats(), origin)
            throw Self.apiError(error)
        }
        logQuery(params, start: time, end: time, stepMs: 0, error: nil, timer, result.stats, origin)
        return Self.encode(result, limit: limit, stats: try Self.statsRequest(params, timer))
    }

    /// `GET|POST /api/v1/query_range?query=…&start=…&end=…&step=…`; nil when the query outgrew
    /// `inlineBudget`.
    func queryRange(
        _ params: FormParameters, inlineBudget: InlineBudget? = nil, origin: QueryOrigin? = nil
    ) throws(APIError) -> APIResult? {
        let range = try rangeParameters(params)
        guard let evaluated = try evaluateRange(params, range, inlineBudget: inlineBudget, origin: origin) else { return nil }
        return Self.encode(evaluated.result, limit: evaluated.limit, stats: try Self.statsRequest(params, evaluated.timer))
    }

    /// `start`, `end` and `step` of a range query, checked with Prometheus's query_range texts.
    ///
    /// - Parameter defaultStep: the step for a request without one, from the span in ms
    ///   (`/api/v1/render`); nil: a missing step is an error, as in query_range.
    func rangeParameters(
        _ params: FormParameters, defaultStep: ((Int64) -> Int64)? = nil
    ) throws(APIError) -> QueryRange {
        let start = try timeParameter(params, "start")
        let end = try timeParameter(params, "end")
        if end < start { throw APIError(.badData, "invalid parameter \"end\": end timestamp must not be before start time") }
        let step: Int64
        if let defaultStep, (params["step"] ?? "").isEmpty {
            step = defaultStep(end &- start)
        } else {
            do { step = try parseDurationParam(params["step"] ?? "") } catch {
                throw APIError(.badData, "invalid parameter \"step\": \(error)")
            }
        }
        if step <= 0 {
            throw APIError(
                .badData,
                "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        // Prometheus compares the whole-step count (Go's Duration division truncates); a span past
        // Int64 (start and end near the ends of time) saturates there, as Go's `Time.Sub` does.
        let (span, overflow) = end.subtractingReportingOverflow(start)
        if overflow || span / step > Self.maxPointsPerSeries {
            throw APIError(
                .badData,
                "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"
            )
        }
        return QueryRange(start: start, end: end, step: step)
    }

    /// Evaluates a range query over `range` with the request's `timeout`, `lookback_delta` and
    /// `limit`, logging it; nil when the query outgrew `inlineBudget`.
    ///
    /// - Throws: 400 for a bad parameter or a query that is not a scalar or instant vector, and
    ///   the engine's errors as ``apiError(_:)`` maps them (422 execution, 503 timeout, …).
    func evaluateRange(
        _ params: FormParameters, _ range: QueryRange, inlineBudget: InlineBudget?, origin: QueryOrigin?
    ) throws(APIError) -> RangeEvaluation? {
        let (start, end, step) = (range.start, range.end, range.step)
        let engine = try engine(for: params, inlineBudget: inlineBudget)
        let limit = try limit(params)
        var timer = QueryTimer()
        let expr = try parsedQuery(params)
        timer.prepared()
        if expr.type != .scalar && expr.type != .vector {
            throw APIError(
                .badData,
                "invalid parameter \"query\": invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector"
            )
        }
        let result: QueryResult
        do {
            result = try Spans.withSpan("promqlEval") { span throws(QueryError) in
                span.set("query", params["query"] ?? "")
                return try engine.rangeQuery(expr, start: start, end: end, step: step, query: params["query"])
            }
        } catch {
            if error.kind == .overInlineBudget { return nil }
            logQuery(params, start: start, end: end, stepMs: step, error: error.message, timer, QuerySampleStats(), origin)
            throw Self.apiError(error)
        }
        logQuery(params, start: start, end: end, stepMs: step, error: nil, timer, result.stats, origin)
        return RangeEvaluation(result: result, limit: limit, timer: timer)
    }

    /// Writes the query log line of an evaluated query (nothing when the log is off or the
    /// request's origin is unknown).
    private func logQuery(
        _ params: FormParameters, start: Timestamp, end: Timestamp, stepMs: Int64, error: String?, _ timer: QueryTimer,
        _ samples: QuerySampleStats, _ origin: QueryOrigin?
    ) {
        guard let origin, queryLogger.isEnabled else { return }
        var timer = timer
        timer.evaluated()
        queryLogger.log(
            query: params["query"] ?? "", start: start, end: end, stepMs: stepMs, error: error, timer: timer,
            samples: samples, origin: origin)
    }

    private func timeParameter(_ params: FormParameters, _ name: String) throws(APIError) -> Timestamp {
        do { return try parseTime(params[name] ?? "") } catch {
            throw APIError(.badData, "invalid parameter \"\(name)\": \(error)")
        }
    }

    /// The engine with this request's `lookback_delta` and `timeout` (never longer than `--query.timeout`).
    private func engine(for params: FormParameters, inlineBudget: InlineBudget?) throws(APIError) -> Engine {
        var options = engineOptions
        options.inlineBudget = inlineBudget
        if let raw = params["timeout"], !raw.isEmpty {
            let ms: Int64
            do { ms = try parseDurationParam(raw) } catch { throw APIError(.badData, "invalid parameter \"timeout\": \(error)") }
            let requested = Duration.milliseconds(ms)
            if options.timeout.map({ requested < $0 }) ?? true { options.timeout = requested }
        }
        // Time spent waiting for a slot (`--query.max-concurrency`) counts, as in Prometheus.
        if queueWait > .zero { options.timeout = options.timeout.map { max(.zero, $0 - queueWait) } }
        if let raw = params["lookback_delta"], !raw.isEmpty {
            do { options.lookbackDeltaMs = try parseDurationParam(raw) } catch {
                throw APIError(.badData, "error parsing lookback delta duration: \(error)")
            }
        }
        return Engine(querier: queryable, options: options)
    }


    private func parsedQuery(_ params: FormParameters) throws(APIError) -> Expr {
        do { return try parsedQueries.parse(params["query"] ?? "") } catch {
            throw APIError(.badData, "invalid parameter \"query\": \(error)")
        }
    }

    /// Prometheus's `returnAPIError`: the engine's error kinds to errorType.
    static func apiError(_ error: QueryError) -> APIError {
        switch error.kind {
        case .badData: APIError(.badData, error.message)
        case .execution: APIError(.execution, error.message)
        case .timeout: APIError(.timeout, error.message)
        case .canceled: APIError(.canceled, error.message)
        case .internal, .overInlineBudget: APIError(.internal, error.message)
        }
    }

    /// What `stats` asks for: nil without it; else the timer, stopped now, and Prometheus 3's
    /// deprecation warning for a value other than `true` and `all` (which still shows stats).
    static func statsRequest(_ params: FormParameters, _ timer: QueryTimer) throws(APIError) -> (QueryTimer, String?)? {
        guard let value = params["stats"], !value.isEmpty else { return nil }
        var timer = timer
        timer.evaluated()
        if value == "true" || value == "all" { return (timer, nil) }
        return (
            timer,
            "value \"\(value)\" for parameter \"stats\" is deprecated and will be rejected in the next major release, use \"true\" or \"all\""
        )
    }

    /// `{"resultType":…,"result":…}` exactly as Prometheus writes it, with the annotations; vectors
    /// and matrices cut to `limit` series (0: all) with Prometheus's warning; `stats` when asked.
    static func encode(_ result: QueryResult, limit: Int, stats: (QueryTimer, String?)? = nil) -> APIResult {
        var warnings = result.annotations.warnings
        var w = JSONWriter(capacity: 4096)
        switch result.value {
        case .scalar(let t, let v):
            w.raw("{\"resultType\":\"scalar\",\"result\":")
            writePoint(t, v, &w)
            w.raw("}")
        case .string(let t, let s):
            w.raw("{\"resultType\":\"string\",\"result\":[")
            appendTimestamp(t, to: &w.bytes)
            w.byte(UInt8(ascii: ","))
            w.string(s)
            w.raw("]}")
        case .vector(var samples):
            if limit > 0 && samples.count > limit {
                samples.removeLast(samples.count - limit)
                warnings.append("results truncated due to limit")
            }
            w.raw("{\"resultType\":\"vector\",\"result\":[")
            for (i, s) in samples.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"metric\":")
                writeLabels(s.labels, &w)
                if let h = s.histogram {
                    w.raw(",\"histogram\":")
                    writeHistogramPoint(s.timestamp, h, &w)
                } else {
                    w.raw(",\"value\":")
                    writePoint(s.timestamp, s.value, &w)
                }
                w.raw("}")
            }
            w.raw("]}")
        case .matrix(var series):
            if limit > 0 && series.count > limit {
                series.removeLast(series.count - limit)
                warnings.append("results truncated due to limit")
            }
            w.raw("{\"resultType\":\"matrix\",\"result\":[")
            for (i, s) in series.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"metric\":")
                writeLabels(s.labels, &w)
                // Each key only when the series has such points, as Prometheus writes it.
                if !s.samples.isEmpty || s.histograms.isEmpty {
                    w.raw(",\"values\":[")
                    appendPoints(s.samples, to: &w.bytes)
                    w.raw("]")
                }
                if !s.histograms.isEmpty {
                    w.raw(",\"histograms\":[")
                    for (j, p) in s.histograms.enumerated() {
                        if j > 0 { w.byte(UInt8(ascii: ",")) }
                        writeHistogramPoint(p.timestamp, p.histogram, &w)
                    }
                    w.raw("]")
                }
                w.raw("}")
            }
            w.raw("]}")
        }
        if let (timer, deprecation) = stats {
            w.bytes.removeLast()  // the data object's `}`
            w.raw(",\"stats\":")
            writeStatsObject(timer, result.stats, &w)
            w.raw("}")
            if let deprecation { warnings.append(deprecation) }
        }
        return APIResult(data: w.bytes, warnings: warnings, infos: result.annotations.infos)
    }

    /// `{"timings":{…},"samples":{…}}` as Prometheus's `stats.BuiltinStats`, times in seconds.
    /// There is no queue before evaluation here, and sorting is part of evaluation.
    static func writeStatsObject(_ timer: QueryTimer, _ samples: QuerySampleStats, _ w: inout JSONWriter) {
        let preparation = timer.preparationSeconds
        let inner = timer.evaluationSeconds
        let total = timer.totalSeconds
        w.raw("{\"timings\":{\"evalTotalTime\":")
        appendValue(total, to: &w.bytes)
        w.raw(",\"resultSortTime\":0,\"queryPreparationTime\":")
        appendValue(preparation, to: &w.bytes)
        w.raw(",\"innerEvalTime\":")
        appendValue(inner, to: &w.bytes)
        w.raw(",\"execQueueTime\":0,\"execTotalTime\":")
        appendValue(total, to: &w.bytes)
        w.raw(
            text: "},\"samples\":{\"totalQueryableSamples\":\(samples.totalQueryableSamples),\"peakSamples\":\(samples.peakSamples)}}")
    }

    static func writeLabels(_ labels: Labels, _ w: inout JSONWriter) {
        w.byte(UInt8(ascii: "{"))
        var first = true
        let bytes = labels.bytes
        labels.forEachRange { name, value in
            if !first { w.byte(UInt8(ascii: ",")) }
            first = false
            w.string(utf8: bytes[name])
            w.byte(UInt8(ascii: ":"))
            w.string(utf8: bytes[value])
        }
        w.byte(UInt8(ascii: "}"))
    }

    /// `[1435781451.781,"1"]`
    static func writePoint(_ t: Timestamp, _ v: Double, _ w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        appendTimestamp(t, to: &w.bytes)
        w.raw(",\"")
        appendValue(v, to: &w.bytes)
        w.raw("\"]")
    }
}

extension PrometheusAPI {
    /// `[1435781451.781,{"count":"…","sum":"…","buckets":[[rule,"lower","upper","count"],…]}]`
    /// (`jsonutil.MarshalHistogram`): empty buckets left out, and `buckets` too when all are;
    /// the rule says which ends are inclusive (0 upper, 1 lower, 2 neither, 3 both).
    static func writeHistogramPoint(_ t: Timestamp, _ h: FloatHistogram, _ w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        appendTimestamp(t, to: &w.bytes)
        w.raw(",{\"count\":\"")
        appendValue(h.count, to: &w.bytes)
        w.raw("\",\"sum\":\"")
        appendValue(h.sum, to: &w.bytes)
        w.byte(UInt8(ascii: "\""))
        var first = true
        for bucket in h.allBucketIterator() where bucket.count != 0 {
            w.raw(first ? ",\"buckets\":[" : ",")
            first = false
            let rule = bucket.lowerInclusive ? (bucket.upperInclusive ? 3 : 1) : (bucket.upperInclusive ? 0 : 2)
            w.raw(text: "[\(rule),\"")
            appendValue(bucket.lower, to: &w.bytes)
            w.raw("\",\"")
            appendValue(bucket.upper, to: &w.bytes)
            w.raw("\",\"")
            appendValue(bucket.count, to: &w.bytes)
            w.raw("\"]")
        }
        if !first { w.byte(UInt8(ascii: "]")) }
        w.raw("}]")
    }
}

/// Times a query for `stats`: parsing (Prometheus's preparation), then evaluation.
struct QueryTimer {
    private let started = ContinuousClock.now
    private var preparedAt: ContinuousClock.Instant?
    private var evaluatedAt: ContinuousClock.Instant?

    mutating func prepared() { preparedAt = ContinuousClock.now }
    mutating func evaluated() { evaluatedAt = ContinuousClock.now }

    var preparationSeconds: Double { Self.seconds((preparedAt ?? started) - started) }
    var evaluationSeconds: Double {
        let from = preparedAt ?? started
        return Self.seconds((evaluatedAt ?? from) - from)
    }
    var totalSeconds: Double { Self.seconds((evaluatedAt ?? preparedAt ?? started) - started) }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// The checked `start`, `end` and `step` of a range query, ms.
struct QueryRange {
    var start: Timestamp
    var end: Timestamp
    var step: Int64
}

/// An evaluated range query: its result, the request's `limit` (0: all) and its timer.
struct RangeEvaluation {
    var result: QueryResult
    var limit: Int
    var timer: QueryTimer
}

/// A success reply's `data` JSON and its annotations (`warnings`, `infos`: omitted when empty).
struct APIResult {
    var data: [UInt8]
    var warnings: [String] = []
    var infos: [String] = []
}
