// The Grafana JSON data source API (simpod-json-datasource, and the legacy simple-json contract;
// spec/compat-apis.md §3) under `/grafana/`: PromQL targets answered as Grafana's time series and
// tables, metric names, variables and ad-hoc filter keys and values from the storage's labels.

internal import Hummingbird
internal import NIOCore

extension PrometheusAPI {
    /// Adds the routes under `/grafana/`: `GET /` ("Save & test"); `POST` `metrics`,
    /// `metric-payload-options`, `query`, `variable`, `tag-keys`, `tag-values`; and the
    /// simple-json `search` and `annotations`.
    ///
    /// Replies are bare JSON (no Prometheus envelope); errors are the API's error envelope, e.g.
    /// 400 `{"status":"error","errorType":"bad_data","error":"missing field \"range\""}`.
    func registerGrafanaJSON<Context: RequestContext>(on router: Router<Context>) {
        router.get("/grafana/") { _, _ in Self.json(Array(#"{"status":"success"}"#.utf8)) }
        router.post("/grafana/metrics") { request, _ in await grafanaRespond(request, grafanaMetrics) }
        router.post("/grafana/metric-payload-options") { request, _ in
            await grafanaRespond(request, grafanaMetricPayloadOptions)
        }
        router.post("/grafana/query") { request, _ in
            await grafanaRespond(request, gated: true) { (api, body) throws(APIError) in try api.grafanaQuery(body) }
        }
        router.post("/grafana/variable") { request, _ in
            await grafanaRespond(request, gated: true) { (api, body) throws(APIError) in try api.grafanaVariable(body) }
        }
        router.post("/grafana/tag-keys") { request, _ in await grafanaRespond(request, grafanaTagKeys) }
        router.post("/grafana/tag-values") { request, _ in await grafanaRespond(request, grafanaTagValues) }
        router.post("/grafana/search") { request, _ in await grafanaRespond(request, grafanaSearch) }
        router.post("/grafana/annotations") { request, _ in
            await grafanaRespond(request, gated: true) { (api, body) throws(APIError) in try api.grafanaAnnotations(body) }
        }
    }

    /// Reads the JSON body (at most ``maxFormBodyBytes``; an empty body reads as absent fields),
    /// then decodes it and runs `handler` on the concurrency pool; answers its JSON or the error.
    func grafanaRespond(_ request: Request, _ handler: (JSONField) throws(APIError) -> [UInt8]) async -> Response {
        await grafanaRespond(request, gated: false) { (_, body) throws(APIError) in try handler(body) }
    }

    /// The same for handlers that evaluate PromQL: with `gated`, `handler` runs once the
    /// ``queryGate`` admits it (one slot for the whole request), with the API it returns.
    func grafanaRespond(
        _ request: Request, gated: Bool, _ handler: (PrometheusAPI, JSONField) throws(APIError) -> [UInt8]
    ) async -> Response {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: maxFormBodyBytes) } catch {
            return Self.error(APIError(.tooLarge, "request body too large"))
        }
        do {
            var api = self
            if gated { api = try await admitQuery(FormParameters()) }
            defer { if gated { queryGate?.leave() } }
            return Self.json(
                try await readOffLoop { () throws(APIError) -> [UInt8] in
                    try handler(api, try JSONField.body(buffer.readableBytesView))
                })
        } catch {
            return Self.error(error)
        }
    }
}
