// TenantDispatcher: multi-tenant mode's front door — authenticates each request and hands it to
// its tenant's own API (own database, own router), so that no request reaches another's data;
// the tenant admin API only for the admin token.

package import HTTPAPI
internal import HTTPTypes
package import Hummingbird
internal import NIOCore
internal import MetricModel
internal import Tenancy

/// Routes requests by tenant. Health endpoints answer without credentials; everything else needs
/// credentials naming a tenant, or gets `401 Unauthorized` — the same answer whatever was wrong.
///
/// `/api/v1/admin/tenants…` is the tenant admin API: only the admin token reaches it (any other
/// credentials get the same 401), and without an admin token in the tenants file it is absent
/// (404). The admin token names no tenant, so it gets 401 everywhere else.
package struct TenantDispatcher: HTTPResponder {
    package typealias Context = SugarmillRequestContext

    let registry: TenantRegistry
    /// Answers the paths that need no credentials.
    let open: RouterResponder<SugarmillRequestContext>
    /// `/api/v1/admin/faults` for the admin token (`--enable-feature=fault-injection`); nil: disabled.
    let faultInjector: (any FaultInjecting)?

    static let openPaths: Set<String> = ["/-/healthy", "/-/ready", "/metrics"]
    static let orgIDHeader = HTTPField.Name("X-Scope-OrgID")!

    /// - Parameters:
    ///   - startTime: when the server started (seconds since the epoch), for `/metrics`.
    ///   - serverMetrics: the server-wide families of `/metrics` (the overload gates).
    package init(
        registry: TenantRegistry, startTime: Double = 0, serverMetrics: @escaping @Sendable () -> String = { "" },
        faultInjector: (any FaultInjecting)? = nil, httpMetrics: HTTPMetrics? = nil
    ) {
        self.registry = registry
        self.faultInjector = faultInjector
        let open = Router(context: SugarmillRequestContext.self)
        if let httpMetrics { open.add(middleware: HTTPMetricsMiddleware(metrics: httpMetrics)) }
        open.get("/-/healthy") { _, _ in PrometheusAPI.text("Prometheus Server is Healthy.\n") }
        open.get("/-/ready") { _, _ in PrometheusAPI.text("Prometheus Server is Ready.\n") }
        // The operator's view, as Mimir's /metrics: every tenant's usage under a `tenant` label,
        // and the process. Tenants read their own through /api/v1/status/tenant.
        open.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(
                    byteBuffer: ByteBuffer(
                        string: registry.usages.render(registry.current) + serverMetrics()
                            + SelfMetrics.processFamilies(startTime: startTime))))
        }
        self.open = open.buildResponder()
    }

    package func respond(to request: Request, context: Context) async throws -> Response {
        if Self.openPaths.contains(request.uri.path) { return try await open.respond(to: request, context: context) }
        let current = registry.current
        if request.uri.path == "/api/v1/admin/faults" {
            // The whole server's faults: the operator's, like the tenant admin API.
            guard current.config.adminTokenSHA256 != nil else { return PrometheusAPI.text("404 page not found\n", status: .notFound) }
            guard current.authenticator.isAdmin(authorization: request.headers[.authorization]) else { return Self.unauthorized }
            return await PrometheusAPI.faults(request, injector: faultInjector)
        }
        if TenantAdminAPI.handles(request.uri.path) {
            guard current.config.adminTokenSHA256 != nil else { return PrometheusAPI.text("404 page not found\n", status: .notFound) }
            guard current.authenticator.isAdmin(authorization: request.headers[.authorization]) else { return Self.unauthorized }
            return await TenantAdminAPI(registry: registry).respond(to: request)
        }
        let tenant: String
        do {
            tenant = try current.authenticator.tenant(
                authorization: request.headers[.authorization], orgID: request.headers[Self.orgIDHeader])
        } catch {
            return Self.unauthorized
        }
        guard let served = current.tenants[tenant] else { return Self.unauthorized }
        return try await served.responder.respond(to: request, context: context)
    }

    /// Both challenges: `Basic` makes a browser ask for a tenant's user and password (the web UI
    /// then works with basic-auth tenants), `Bearer` names the token scheme.
    static var unauthorized: Response {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
        headers.append(HTTPField(name: .wwwAuthenticate, value: #"Basic realm="sugarmill", charset="UTF-8""#))
        headers.append(HTTPField(name: .wwwAuthenticate, value: #"Bearer realm="sugarmill""#))
        return Response(status: .unauthorized, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "unauthorized\n")))
    }
}
