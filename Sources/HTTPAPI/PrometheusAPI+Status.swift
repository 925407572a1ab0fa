// /api/v1/status/{flags,runtimeinfo,tsdb,walreplay} and /api/v1/query_exemplars, shaped as
// Prometheus's (`web/api/v1/api.go`).

internal import Hummingbird
package import MetricModel
internal import PromQL
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// `/api/v1/status/runtimeinfo`: Prometheus's `RuntimeInfo`, with the Go runtime's fields
/// answered by their nearest equivalents (threads for goroutines, cores for GOMAXPROCS).
package struct RuntimeInfo: Sendable {
    /// Process start, ms since the epoch.
    package var startTime: Timestamp
    package var cwd: String
    package var hostname: String
    package var reloadConfigSuccess: Bool
    /// When the configuration in force was loaded, ms since the epoch.
    package var lastConfigTime: Timestamp
    /// WAL corruptions found at the last start.
    package var corruptionCount: Int64
    package var threadCount: Int
    package var cores: Int
    /// `15d`, `512MiB`, `15d or 512MiB`, as Prometheus writes its retention flags.
    package var storageRetention: String

    package init(
        startTime: Timestamp, cwd: String, hostname: String, reloadConfigSuccess: Bool, lastConfigTime: Timestamp,
        corruptionCount: Int64, threadCount: Int, cores: Int, storageRetention: String
    ) {
        self.startTime = startTime
        self.cwd = cwd
        self.hostname = hostname
        self.reloadConfigSuccess = reloadConfigSuccess
        self.lastConfigTime = lastConfigTime
        self.corruptionCount = corruptionCount
        self.threadCount = threadCount
        self.cores = cores
        self.storageRetention = storageRetention
    }
}

/// `/api/v1/status/tsdb`: the head's size and its highest cardinalities, each list highest first.
package struct TSDBStatus: Sendable {
    package var numSeries: Int
    package var numLabelPairs: Int
    package var chunkCount: Int
    /// The head's time range, ms; `Int64.max`/`Int64.min` while it is empty, as in Prometheus.
    package var minTime: Timestamp
    package var maxTime: Timestamp
    package var seriesCountByMetricName: [(name: String, value: UInt64)]
    package var labelValueCountByLabelName: [(name: String, value: UInt64)]
    package var memoryInBytesByLabelName: [(name: String, value: UInt64)]
    package var seriesCountByLabelValuePair: [(name: String, value: UInt64)]

    package init(
        numSeries: Int, numLabelPairs: Int, chunkCount: Int, minTime: Timestamp, maxTime: Timestamp,
        seriesCountByMetricName: [(name: String, value: UInt64)],
        labelValueCountByLabelName: [(name: String, value: UInt64)],
        memoryInBytesByLabelName: [(name: String, value: UInt64)],
        seriesCountByLabelValuePair: [(name: String, value: UInt64)]
    ) {
        self.numSeries = numSeries
        self.numLabelPairs = numLabelPairs
        self.chunkCount = chunkCount
        self.minTime = minTime
        self.maxTime = maxTime
        self.seriesCountByMetricName = seriesCountByMetricName
        self.labelValueCountByLabelName = labelValueCountByLabelName
        self.memoryInBytesByLabelName = memoryInBytesByLabelName
        self.seriesCountByLabelValuePair = seriesCountByLabelValuePair
    }
}

/// Supplies the server's status pages (the server wires it to its flags, runtime and database).
package protocol StatusSource: Sendable {
    /// Every command-line flag by Prometheus's name, with its value in force.
    var flags: [String: String] { get }
    func runtimeInfo() -> RuntimeInfo
    /// Cardinality statistics, `limit` entries per list.
    func tsdbStatus(limit: Int) -> TSDBStatus
    /// WAL segments replayed at start: first, last and reached.
    func walReplay() -> (min: Int, max: Int, current: Int)
}

extension PrometheusAPI {
    /// Prometheus's cap on `limit` of `/api/v1/status/tsdb`.
    static let maxTSDBStatusLimit = 10_000

    func registerStatus<Context: RequestContext>(on router: Router<Context>) {
        route(router, "/api/v1/status/flags", [.get]) { request, _ in await respond(request) { _ in flags() } }
        route(router, "/api/v1/status/runtimeinfo", [.get]) { request, _ in await respond(request) { _ in try runtimeInfo() } }
        route(router, "/api/v1/status/tsdb", [.get]) { request, _ in await respond(request) { try tsdbStatus($0) } }
        route(router, "/api/v1/status/walreplay", [.get]) { request, _ in await respond(request) { _ in walReplay() } }
        route(router, "/api/v1/status/tenant", [.get]) { request, _ in
            await respond(request) { _ in
                guard let tenantStatus else { throw APIError(.notFound, "not in multi-tenant mode") }
                return tenantStatus()
            }
        }
        route(router, "/api/v1/query_exemplars", [.get, .post]) { request, _ in
            await respondWithAnnotations(request) { try queryExemplars($0) }
        }
    }

    /// `{"config.file":"…",…}`, keys in order (Go marshals maps sorted).
    func flags() -> [UInt8] {
        let flags = statusSource?.flags ?? [:]
        var w = JSONWriter(capacity: 64 * flags.count + 2)
        w.byte(UInt8(ascii: "{"))
        for (i, name) in flags.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.string(name)
            w.byte(UInt8(ascii: ":"))
            w.string(flags[name]!)
        }
        w.byte(UInt8(ascii: "}"))
        return w.bytes
    }

    func runtimeInfo() throws(APIError) -> [UInt8] {
        guard let info = statusSource?.runtimeInfo() else {
            throw APIError(.internal, "error getting runtime info: no runtime information available")
        }
        var w = JSONWriter(capacity: 512)
        w.raw("{\"startTime\":")
        w.string(Self.rfc3339(info.startTime))
        w.raw(",\"CWD\":")
        w.string(info.cwd)
        w.raw(",\"hostname\":")
        w.string(info.hostname)
        w.raw(",\"serverTime\":")
        w.string(Self.rfc3339(Timestamp(Date().timeIntervalSince1970 * 1000)))
        w.raw(text: ",\"reloadConfigSuccess\":\(info.reloadConfigSuccess),\"lastConfigTime\":")
        w.string(Self.rfc3339(info.lastConfigTime))
        w.raw(text: ",\"corruptionCount\":\(info.corruptionCount),\"goroutineCount\":\(info.threadCount)")
        w.raw(text: ",\"GOMAXPROCS\":\(info.cores),\"GOMEMLIMIT\":\(Int64.max),\"GOGC\":\"\",\"GODEBUG\":\"\"")
        w.raw(",\"storageRetention\":")
        w.string(info.storageRetention)
        w.raw("}")
        return w.bytes
    }

    /// `GET /api/v1/status/tsdb?limit=N` (default 10, at most 10,000).
    func tsdbStatus(_ params: FormParameters) throws(APIError) -> [UInt8] {
        var limit = 10
        if let raw = params["limit"], !raw.isEmpty {
            guard let n = Int(raw), n >= 1 else { throw APIError(.badData, "limit must be a positive number") }
            if n > Self.maxTSDBStatusLimit { throw APIError(.badData, "limit must not exceed \(Self.maxTSDBStatusLimit)") }
            limit = n
        }
        let status =
            statusSource?.tsdbStatus(limit: limit)
            ?? TSDBStatus(
                numSeries: 0, numLabelPairs: 0, chunkCount: 0, minTime: .max, maxTime: .min, seriesCountByMetricName: [],
                labelValueCountByLabelName: [], memoryInBytesByLabelName: [], seriesCountByLabelValuePair: [])
        var w = JSONWriter(capacity: 1024)
        w.raw(text: "{\"headStats\":{\"numSeries\":\(status.numSeries),\"numLabelPairs\":\(status.numLabelPairs)")
        w.raw(text: ",\"chunkCount\":\(status.chunkCount),\"minTime\":\(status.minTime),\"maxTime\":\(status.maxTime)}")
        for (key, list) in [
            ("seriesCountByMetricName", status.seriesCountByMetricName),
            ("labelValueCountByLabelName", status.labelValueCountByLabelName),
            ("memoryInBytesByLabelName", status.memoryInBytesByLabelName),
            ("seriesCountByLabelValuePair", status.seriesCountByLabelValuePair),
        ] {
            w.raw(text: ",\"\(key)\":[")
            for (i, stat) in list.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"name\":")
                w.string(stat.name)
                w.raw(text: ",\"value\":\(stat.value)}")
            }
            w.raw("]")
        }
        w.raw("}")
        return w.bytes
    }

    func walReplay() -> [UInt8] {
        let (min, max, current) = statusSource?.walReplay() ?? (0, 0, 0)
        var w = JSONWriter(capacity: 64)
        w.raw(text: "{\"min\":\(min),\"max\":\(max),\"current\":\(current)}")
        return w.bytes
    }

    /// `GET|POST /api/v1/query_exemplars?query=…&start=…&end=…`: the stored exemplars in range of the
    /// series any selector of the query matches, `[]` when none (Grafana asks on every range panel
    /// and needs a JSON array); a query without selectors answers no `data`, as Prometheus does.
    func queryExemplars(_ params: FormParameters) throws(APIError) -> APIResult {
        let start = try exemplarTime(params, "start", default: Self.defaultMinTime)
        let end = try exemplarTime(params, "end", default: Self.defaultMaxTime)
        if end < start { throw APIError(.badData, "end timestamp must not be before start timestamp") }
        let expr: Expr
        do { expr = try parsedQueries.parse(params["query"] ?? "") } catch { throw APIError(.badData, "\(error)") }
        let selectors = Self.selectors(expr)
        if selectors.isEmpty { return APIResult(data: Array("null".utf8)) }
        var w = JSONWriter(capacity: 256)
        w.byte(UInt8(ascii: "["))
        for (i, entry) in exemplars.select(minTime: start, maxTime: end, matcherSets: selectors).enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"seriesLabels\":")
            Self.writeLabels(entry.series, &w)
            w.raw(",\"exemplars\":[")
            for (k, exemplar) in entry.exemplars.enumerated() {
                if k > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"labels\":")
                Self.writeLabels(exemplar.labels, &w)
                w.raw(",\"value\":\"")
                appendValue(exemplar.value, to: &w.bytes)
                w.raw("\",\"timestamp\":")
                appendTimestamp(exemplar.timestamp, to: &w.bytes)
                w.raw("}")
            }
            w.raw("]}")
        }
        w.byte(UInt8(ascii: "]"))
        return APIResult(data: w.bytes)
    }

    private func exemplarTime(_ params: FormParameters, _ name: String, default value: Timestamp) throws(APIError) -> Timestamp {
        guard let raw = params[name], !raw.isEmpty else { return value }
        do { return try parseTime(raw) } catch {
            throw APIError(.badData, "invalid parameter \"\(name)\": invalid time value for '\(name)': \(error)")
        }
    }

    /// The matchers of every selector in the expression (Prometheus's `ExtractSelectors`).
    static func selectors(_ expr: Expr) -> [[LabelMatcher]] {
        switch expr {
        case .vectorSelector(let vs): [vs.matchers]
        case .matrixSelector(let ms): [ms.vectorSelector.matchers]
        case .numberLiteral, .stringLiteral: []
        case .paren(let p): selectors(p.expr)
        case .unary(let u): selectors(u.expr)
        case .binary(let b): selectors(b.lhs) + selectors(b.rhs)
        case .call(let c): c.args.flatMap(selectors)
        case .aggregate(let a): selectors(a.expr) + (a.param.map(selectors) ?? [])
        case .subquery(let s): selectors(s.expr)
        }
    }
}
