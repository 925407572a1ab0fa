// PrometheusAPI: the Prometheus HTTP API v1 routes, health endpoints and /metrics.

package import Hummingbird
package import MetricModel
package import Logging
internal import NIOCore
package import HTTPTypes
package import PromQL

/// The HTTP API of one Sugarmill server, mounted on a Hummingbird router.
///
/// ```swift
/// let router = Router()
/// PrometheusAPI(storage: db, logger: logger, selfMetrics: { "" }).register(on: router)
/// ```
package struct PrometheusAPI: Sendable {
    package let storage: any Storage
    package let logger: Logger
    /// Renders the server's own metrics in the text exposition format.
    package let selfMetrics: @Sendable () -> String
    /// Largest accepted remote-write body (compressed), bytes; larger → 413.
    package var maxRemoteWriteBodyBytes = 32 << 20
    /// Largest accepted remote-write body after snappy decompression, bytes; larger → 413.
    package var maxRemoteWriteDecompressedBytes = 256 << 20
    /// `--storage.remote.read-sample-limit`: most samples one remote-read `SAMPLES` reply holds (0: no limit).
    package var remoteReadSampleLimit = 50_000_000
    /// `--storage.remote.read-max-bytes-in-frame`: about the most bytes of one streamed frame.
    package var remoteReadMaxBytesInFrame = 1_048_576
    /// Largest accepted form body for API calls, bytes.
    package var maxFormBodyBytes = 8 << 20
    /// PromQL engine settings (`--query.lookback-delta`, `--query.max-samples`, …).
    package var engineOptions = EngineOptions()
    /// Lookback for instant vector selectors (`--query.lookback-delta`), ms.
    package var lookbackDeltaMs: Int64 {
        get { engineOptions.lookbackDeltaMs }
        set { engineOptions.lookbackDeltaMs = newValue }
    }
    /// The configuration's `external_labels`, added to federated series (none when nil).
    package var externalLabels: (@Sendable () -> Labels)?
    /// `prometheus_web_federation_errors_total`
    package let federationErrors = Counter()
    /// `global.query_log_file`: one line per evaluated query (off until a file is opened).
    package var queryLogger = QueryLogger()
    /// The server's tracer slot, bound for every request (HTTP connections are not tasks the
    /// server started, so they do not inherit it).
    package var spans: Spans.Slot?
    /// Exemplars that arrived by remote write, for `/api/v1/query_exemplars` (Prometheus's
    /// `max_exemplars` default: the newest 100,000).
    package let exemplars = ExemplarStorage()
    /// Metadata that arrived by remote write, for `/api/v1/metadata`.
    package let remoteMetadata = RemoteMetadata()
    /// `/api/v1/status/tenant`'s `data` (multi-tenant mode): the caller's usage against its limits.
    package var tenantStatus: (@Sendable () -> [UInt8])?
    /// The tenant's ingestion limits (multi-tenant mode); nil: none.
    package var ingestionLimiter: (any IngestionLimiter)?
    /// This tenant's share of the server's work slots (multi-tenant mode); nil: no sharing.
    package var fairShare: FairShare?
    /// `--query.max-concurrency` and `--query.max-queue-length`, shared by every tenant's API of
    /// the server; nil: queries are not limited.
    package var queryGate: QueryGate?
    /// `--storage.remote.read-concurrent-limit`: remote reads answered at once (nil: no limit).
    package var remoteReadGate: QueryGate?
    /// `--web.ingest.max-inflight-bytes`: remote-write and OTLP bodies in memory at once, shared
    /// by every tenant's API of the server; nil: not limited.
    package var ingestGate: IngestGate?
    /// How long this request's query waited for a ``queryGate`` slot: it counts against its timeout.
    var queueWait: Duration = .zero
    /// ``engineOptions`` with the time left after ``queueWait``.
    var engineOptionsAfterQueue: EngineOptions {
        var options = engineOptions
        if queueWait > .zero { options.timeout = options.timeout.map { max(.zero, $0 - queueWait) } }
        return options
    }
    /// Remote-write counters.
    package var remoteWriteMetrics = RemoteWriteMetrics()
    /// Reused remote-write decode buffers.
    let decodePool = DecodeBufferPool()
    /// The TSDB admin operations (`--web.enable-admin-api`); nil answers "admin APIs disabled".
    package var admin: (any AdminStorage)?
    /// Runtime fault injection (`--enable-feature=fault-injection`); nil answers that it is disabled.
    package var faultInjector: (any FaultInjecting)?
    /// The scrape targets for `/api/v1/targets` (empty lists when nil).
    package var targetsSource: (any TargetsSource)?
    /// The rule groups for `/api/v1/rules` and `/api/v1/alerts` (none when nil).
    package var rulesSource: (any RulesSource)?
    /// A tenant's rule groups for the ruler configuration API (`/prometheus/config/v1/rules…`,
    /// `/api/v1/rules/{namespace}…`); nil: those paths are not served.
    package var rulerConfig: (any RulerConfigStore)?
    /// The Alertmanagers alerts go to and those relabeling dropped, by URL (none when nil).
    package var alertmanagersSource: (@Sendable () -> (active: [String], dropped: [String]))?
    /// `prometheus_http_*`: every routed request, by handler (nil: not recorded).
    package var httpMetrics: HTTPMetrics?
    /// `--web.cors.origin`: the regex an `Origin` must match in full to be allowed (checked at startup).
    package var corsOrigin = ".*"
    /// Where reads of `queryable` run when they may block on the network (remote read endpoints
    /// configured): a pool of threads of their own; nil: the concurrency pool (and quick queries
    /// in place).
    package var blockingReadExecutor: (@Sendable () -> (any TaskExecutor)?)?
    /// Flags, runtime and database status for `/api/v1/status/*` (empty answers when nil).
    package var statusSource: (any StatusSource)?
    /// The configuration file's text for `/api/v1/status/config` (empty when nil).
    package var configText: (@Sendable () -> String)?
    /// Reloads the configuration, returning the error text on failure; nil when
    /// `--web.enable-lifecycle` is off ("Lifecycle API is not enabled.").
    package var reloadConfig: (@Sendable () async -> String?)?
    /// When set, `/api/v1/query` and `/api/v1/query_range` answer queries known to be quick where
    /// the request is served (the connection's event loop, when the server pins connections to
    /// theirs), under this budget; a query that outgrows it starts over on the concurrency pool.
    /// Everything else always runs on the pool (``QueryPlacement``).
    package var inlineQueryBudget: InlineBudget? {
        get { placement?.budget }
        set { placement = newValue.map(QueryPlacement.init(budget:)) }
    }
    /// Which recent queries were quick.
    package private(set) var placement: QueryPlacement?
    /// Recent query texts, parsed.
    let parsedQueries = ParsedQueries()

    /// What queries read: local storage, or local storage and the `remote_read` endpoints.
    /// Remote read (`/api/v1/read`) and federation always answer from local storage only.
    package var queryable: any Querier

    package init(storage: any Storage, logger: Logger, selfMetrics: @escaping @Sendable () -> String) {
        self.storage = storage
        self.queryable = storage
        self.logger = logger
        self.selfMetrics = selfMetrics
    }

    /// Adds every route to `router`.
    package func register<Context: RequestContext>(on router: Router<Context>) {
        // Middleware applies to the routes added after it; the first added is the outermost.
        if let httpMetrics { router.add(middleware: HTTPMetricsMiddleware(metrics: httpMetrics)) }
        router.add(middleware: NotFoundMiddleware())
        if let cors = try? CORSMiddleware<Context>(origin: corsOrigin) { router.add(middleware: cors) }
        router.add(middleware: TraceContextMiddleware<Context>(spans: spans))
        router.get("/-/healthy") { _, _ in Self.text("Prometheus Server is Healthy.\n") }
        router.head("/-/healthy") { _, _ in Response(status: .ok) }
        router.get("/-/ready") { _, _ in Self.text("Prometheus Server is Ready.\n") }
        router.head("/-/ready") { _, _ in Response(status: .ok) }
        router.get("/metrics") { _, _ in
            await Self.offLoop { Self.text(selfMetrics(), contentType: "text/plain; version=0.0.4; charset=utf-8") }
        }
        route(router, "/api/v1/write", [.post]) { request, _ in await Self.offLoop { await remoteWrite(request) } }
        route(router, "/api/v1/query", [.get, .post]) { request, context in
            await respondToQuery(request, context, range: false) { (api, params, budget, origin) throws(APIError) in
                try api.query(params, inlineBudget: budget, origin: origin)
            }
        }
        route(router, "/api/v1/query_range", [.get, .post]) { request, context in
            await respondToQuery(request, context, range: true) { (api, params, budget, origin) throws(APIError) in
                try api.queryRange(params, inlineBudget: budget, origin: origin)
            }
        }
        route(router, "/api/v1/series", [.get, .post]) { request, _ in await respond(request) { try series($0) } }
        route(router, "/api/v1/labels", [.get, .post]) { request, _ in await respond(request) { try labels($0) } }
        route(router, "/api/v1/label/:name/values", [.get]) { request, context in
            let name = context.parameters.get("name") ?? ""
            return await respond(request) { try labelValues(name, $0) }
        }
        route(router, "/api/v1/status/buildinfo", [.get]) { request, _ in await respond(request) { _ in buildInfo() } }
        route(router, "/api/v1/rules", [.get]) { request, _ in await respond(request) { try rules($0) } }
        if let rulerConfig { registerRulerConfig(on: router, store: rulerConfig) }
        route(router, "/api/v1/alerts", [.get]) { request, _ in await respond(request) { _ in alerts() } }
        route(router, "/api/v1/alertmanagers", [.get]) { request, _ in await respond(request) { _ in alertmanagers() } }
        route(router, "/api/v1/targets", [.get]) { request, _ in await respond(request) { try targets($0) } }
        route(router, "/api/v1/metadata", [.get]) { request, _ in await respond(request) { try metadata($0) } }
        route(router, "/api/v1/scrape_pools", [.get]) { request, _ in await respond(request) { _ in scrapePools() } }
        route(router, "/api/v1/targets/metadata", [.get]) { request, _ in await respond(request) { try targetMetadata($0) } }
        route(router, "/api/v1/status/config", [.get]) { request, _ in
            await respond(request) { _ in
                var w = JSONWriter(capacity: 256)
                w.raw("{\"yaml\":")
                w.string(configText?() ?? "")
                w.raw("}")
                return w.bytes
            }
        }
        route(router, "/-/reload", [.post, .put]) { _, _ in await reload() }
        registerQueryTools(on: router)
        registerRender(on: router)
        registerStatus(on: router)
        registerFederation(on: router)
        registerRemoteRead(on: router)
        registerOTLP(on: router)
        registerGrafanaJSON(on: router)
        registerAdmin(on: router)
        registerFaults(on: router)
        registerUI(on: router)
    }

    /// `POST|PUT /-/reload`: 200 when the new config is in force, 500 with the reason when it was
    /// rejected (the old one keeps running), 403 without `--web.enable-lifecycle`.
    func reload() async -> Response {
        guard let reloadConfig else { return Self.text("Lifecycle API is not enabled.\n", status: .forbidden) }
        if let error = await Self.offLoop({ await reloadConfig() }) {
            return Self.text("failed to reload config: \(error)\n", status: .internalServerError)
        }
        return Response(status: .ok)
    }

    /// Runs `body` on the concurrency pool: work of unknown length must not hold up an event loop
    /// that serves other connections (remote write among them).
    static func offLoop<T, Failure: Error>(_ body: () async throws(Failure) -> T) async throws(Failure) -> T {
        try await withTaskExecutorPreference(globalConcurrentExecutor, operation: body)
    }

    /// Collects parameters, runs `body` on the concurrency pool, and wraps its `data` JSON (or
    /// error) in the envelope.
    func respond(_ request: Request, _ body: (FormParameters) throws -> [UInt8]) async -> Response {
        await respondWithAnnotations(request) { params in try await readOffLoop { APIResult(data: try body(params)) } }
    }

    /// Runs `body`, which may read `queryable`, off the event loop: on ``blockingReadExecutor``
    /// when it gives one (reads that wait on the network, such as remote read, must not hold the
    /// concurrency pool's few threads), else on the pool.
    func readOffLoop<T, Failure: Error>(_ body: () async throws(Failure) -> T) async throws(Failure) -> T {
        if let executor = blockingReadExecutor?() {
            return try await withTaskExecutorPreference(executor, operation: body)
        }
        return try await Self.offLoop { () async throws(Failure) -> T in try await fairly(body) }
    }

    /// Runs CPU-bound `body` in one of the server's work slots, in this tenant's turn (see
    /// ``fairShare``); at once without one. Never around waiting on a client or the network.
    func fairly<T, Failure: Error>(_ body: () async throws(Failure) -> T) async throws(Failure) -> T {
        guard let fairShare else { return try await body() }
        return try await fairShare.scheduler.run(tenant: fairShare.tenant, body)
    }

    /// A query endpoint: answered in place under the inline budget when ``placement`` knows the
    /// query as a quick one and a ``queryGate`` slot is free at once, else (or when it outgrows
    /// the budget) on the pool once the gate admits it, timed for next time. `run` gets the API
    /// to evaluate with (its ``queueWait`` set) and returns nil only when it gave up over its budget.
    func respondToQuery<Context: RequestContext>(
        _ request: Request, _ context: Context, range: Bool,
        _ run: (PrometheusAPI, FormParameters, InlineBudget?, QueryOrigin?) throws(APIError) -> APIResult?
    ) async -> Response {
        let origin = queryLogger.isEnabled ? Self.origin(request, context) : nil
        return await respondWithAnnotations(request) { params in
            let blocking = blockingReadExecutor?() != nil
            let key = placement != nil && !blocking ? QueryPlacement.key(params, range: range) : nil
            if let placement, let key, placement.isQuick(key), queryGate?.tryEnter() ?? true {
                defer { queryGate?.leave() }
                if let result = try run(self, params, placement.budget, origin) { return result }
                placement.record(key, duration: nil)
            }
            return try await evaluateAdmitted(params, recording: key) { api throws(APIError) in try run(api, params, nil, origin) }
        }
    }

    /// Runs `run` off the event loop once the ``queryGate`` admits the query (see
    /// ``admitQuery(_:)``), and records its duration under `key` for ``placement``. `run` gets the
    /// API to evaluate with (its ``queueWait`` set); it has no inline budget, so never returns nil
    /// unless something is wrong.
    func evaluateAdmitted<T>(
        _ params: FormParameters, recording key: QueryPlacement.Key?,
        _ run: (PrometheusAPI) throws(APIError) -> T?
    ) async throws(APIError) -> T {
        let api = try await admitQuery(params)
        defer { queryGate?.leave() }
        return try await readOffLoop { () throws(APIError) -> T in
            let started = ContinuousClock.now
            guard let result = try run(api) else { throw APIError(.internal, "query gave up without a budget") }
            if let placement, let key { placement.record(key, duration: ContinuousClock.now - started) }
            return result
        }
    }

    /// Waits for a ``queryGate`` slot, at most the query's timeout (the request's `timeout` when
    /// shorter than `--query.timeout`); returns the API to evaluate with, its ``queueWait`` set.
    /// The caller calls `queryGate?.leave()` when the query is done.
    ///
    /// - Throws: 503 `timeout` ("query timed out in query queue") after waiting the whole timeout;
    ///   503 `unavailable` at once when `--query.max-queue-length` queries wait already.
    func admitQuery(_ params: FormParameters) async throws(APIError) -> PrometheusAPI {
        guard let queryGate else { return self }
        var timeout = engineOptions.timeout
        if let raw = params["timeout"], !raw.isEmpty, let ms = try? parseDurationParam(raw) {
            let requested = Duration.milliseconds(ms)
            if timeout.map({ requested < $0 }) ?? true { timeout = requested }
        }
        switch await queryGate.enter(waitingAtMost: timeout) {
        case .admitted(let waited):
            var api = self
            api.queueWait = waited
            return api
        case .timedOut:
            throw APIError(.timeout, "query timed out in query queue")
        case .queueFull:
            throw APIError(
                .overloaded,
                "too many queries: \(queryGate.maxConcurrency) evaluating and \(queryGate.maxQueueLength) waiting "
                    + "(--query.max-concurrency, --query.max-queue-length); retry later")
        }
    }

    /// The query log's view of a request: the client's address when the context knows it.
    static func origin<Context: RequestContext>(_ request: Request, _ context: Context) -> QueryOrigin {
        let address = (context as? any RemoteAddressRequestContext)?.remoteAddress
        return QueryOrigin(
            clientIP: address?.ipAddress ?? "", method: request.method.rawValue, path: request.uri.path,
            traceparent: request.headers[HTTPField.Name("traceparent")!])
    }

    /// Collects parameters, runs `body` where the request is served (it decides where its work
    /// runs), and wraps the result's `data`, `warnings` and `infos` (or its error) in the envelope.
    func respondWithAnnotations(_ request: Request, _ body: (FormParameters) async throws -> APIResult) async -> Response {
        let params: FormParameters
        do { params = try await formParameters(request) } catch { return Self.error(error) }
        do {
            let result = try await body(params)
            // The data is copied once, straight into the response buffer.
            var w = JSONWriter(capacity: 64)
            for (key, list) in [("warnings", result.warnings), ("infos", result.infos)] where !list.isEmpty {
                w.raw(text: ",\"\(key)\":[")
                for (i, text) in list.enumerated() {
                    if i > 0 { w.byte(UInt8(ascii: ",")) }
                    w.string(text)
                }
                w.raw("]")
            }
            w.raw("}")
            let prefix: StaticString = "{\"status\":\"success\",\"data\":"
            var buffer = ByteBuffer()
            buffer.reserveCapacity(prefix.utf8CodeUnitCount + result.data.count + w.bytes.count)
            buffer.writeStaticString(prefix)
            buffer.writeBytes(result.data)
            buffer.writeBytes(w.bytes)
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
        } catch let error as APIError {
            return Self.error(error)
        } catch {
            return Self.error(APIError(.internal, "\(error)"))
        }
    }

    /// The query string's parameters, and for POST and PUT (as Go's `ParseForm`) a form body's first.
    func formParameters(_ request: Request) async throws(APIError) -> FormParameters {
        try await Self.formParameters(request, maxBodyBytes: maxFormBodyBytes)
    }

    /// ``formParameters(_:)`` with the body limit given.
    static func formParameters(_ request: Request, maxBodyBytes maxFormBodyBytes: Int) async throws(APIError) -> FormParameters {
        var params = FormParameters()
        if let query = request.uri.query { params.add(encoded: Substring(query)) }
        if request.method == .post || request.method == .put,
            request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
        {
            var req = request
            do {
                let buffer = try await req.collectBody(upTo: maxFormBodyBytes)
                let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
                var bodyParams = FormParameters()
                bodyParams.add(encoded: Substring(text))
                if let query = request.uri.query { bodyParams.add(encoded: Substring(query)) }
                params = bodyParams
            } catch {
                throw APIError(.tooLarge, "request body too large")
            }
        }
        return params
    }

    package static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    package static func error(_ error: APIError) -> Response {
        json(error.body(), status: error.kind.status)
    }

    package static func text(_ s: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8")
        -> Response
    {
        Response(
            status: status, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: s)))
    }

    func buildInfo() -> [UInt8] {
        var w = JSONWriter()
        w.raw("{\"version\":")
        w.string(SugarmillVersion.version)
        w.raw(",\"revision\":\"\",\"branch\":\"main\",\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":")
        w.string("swift")
        w.raw("}")
        return w.bytes
    }
}

/// The version Sugarmill reports; it follows the Prometheus API version it emulates.
package enum SugarmillVersion {
    package static let version = "3.0.0-sugarmill"
}
