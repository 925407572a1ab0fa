// TenantAdminAPI: `/api/v1/admin/tenants` — list, create, change, rotate credentials of and
// delete tenants while the server runs. JSON bodies and replies in Prometheus's envelope; only
// for the admin token (TenantDispatcher checks it before a request gets here).

internal import HTTPAPI
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore
internal import MetricModel
internal import Tenancy

/// The tenant admin API over a ``TenantRegistry``.
///
/// ```
/// GET    /api/v1/admin/tenants               every tenant: id, limits, number of credentials
/// POST   /api/v1/admin/tenants               {"id":…, "bearer_token_sha256":[…], "basic_auth":[…], "limits":{…}}
/// GET    /api/v1/admin/tenants/{id}          one tenant
/// PUT    /api/v1/admin/tenants/{id}          the fields given replace the tenant's (limits: over `defaults`)
/// POST   /api/v1/admin/tenants/{id}/rotate   {"bearer_token_sha256":[…]} and/or {"basic_auth":[…]}
/// DELETE /api/v1/admin/tenants/{id}          stops serving it; its data directory is kept
/// ```
///
/// Replies never hold a digest. Errors: 400 `bad_data` naming the field, 404 `not_found`,
/// 409 `conflict`, 500 `internal` (nothing was changed).
struct TenantAdminAPI: Sendable {
    let registry: TenantRegistry

    static let path = "/api/v1/admin/tenants"
    static let maxBodyBytes = 1 << 20

    /// Whether `path` is the admin API's.
    static func handles(_ path: String) -> Bool { path == Self.path || path.hasPrefix(Self.path + "/") }

    func respond(to request: Request) async -> Response {
        // [] for the collection, [id] for a tenant, [id, "rotate"].
        let segments = request.uri.path.dropFirst(Self.path.count)
            .split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        do throws(APIError) {
            switch segments.count {
            case 0:
                switch request.method {
                case .get: return Self.success("[" + registry.current.config.tenants.map(Self.json).joined(separator: ",") + "]")
                case .post: return try await create(request)
                default: return Self.methodNotAllowed("GET, POST")
                }
            case 1 where !segments[0].isEmpty:
                switch request.method {
                case .get: return Self.success(Self.json(try tenant(segments[0])))
                case .put: return try await update(segments[0], request)
                case .delete: return try await delete(segments[0])
                default: return Self.methodNotAllowed("GET, PUT, DELETE")
                }
            case 2 where !segments[0].isEmpty && segments[1] == "rotate":
                guard request.method == .post else { return Self.methodNotAllowed("POST") }
                return try await rotate(segments[0], request)
            default:
                return PrometheusAPI.text("404 page not found\n", status: .notFound)
            }
        } catch {
            return PrometheusAPI.error(error)
        }
    }

    private func create(_ request: Request) async throws(APIError) -> Response {
        let body = try await Self.body(request)
        let tenant: TenantConfig
        do { tenant = try registry.current.config.newTenant(body, at: "") } catch { throw APIError(.badData, error.message) }
        do { try await registry.create(tenant) } catch { throw Self.apiError(error) }
        return Self.success(Self.json(tenant))
    }

    private func update(_ id: String, _ request: Request) async throws(APIError) -> Response {
        let fields = try await fields(of: request, allowing: TenantFields.all.subtracting(["id"]))
        do { try await registry.update(id, with: fields) } catch { throw Self.apiError(error) }
        return Self.success(Self.json(try tenant(id)))
    }

    private func rotate(_ id: String, _ request: Request) async throws(APIError) -> Response {
        let fields = try await fields(of: request, allowing: TenantFields.credentials)
        if fields.bearerTokenSHA256 == nil && fields.basicAuth == nil {
            throw APIError(.badData, "bearer_token_sha256 or basic_auth is required")
        }
        do { try await registry.update(id, with: fields, action: "rotate") } catch { throw Self.apiError(error) }
        return Self.success(Self.json(try tenant(id)))
    }

    private func delete(_ id: String) async throws(APIError) -> Response {
        let closed: Bool
        do { closed = try await registry.delete(id) } catch { throw Self.apiError(error) }
        // Ids need no JSON escaping (TenancyConfig.validate(tenantID:)).
        let data = "{\"id\":\"\(id)\",\"deleted\":true,\"data_kept\":\"tenants/\(id)/ under the storage path\"}"
        return Self.success(data, warnings: closed ? [] : ["closing the tenant's storage failed; see the server log"])
    }

    /// The tenant as it is now.
    private func tenant(_ id: String) throws(APIError) -> TenantConfig {
        guard let tenant = registry.current.config.tenants.first(where: { $0.id == id }) else {
            throw APIError(.notFound, "tenant \(id.debugDescription) does not exist")
        }
        return tenant
    }

    private func fields(of request: Request, allowing known: Set<String>) async throws(APIError) -> TenantFields {
        let body = try await Self.body(request)
        do { return try registry.current.config.tenantFields(body, at: "", allowing: known) } catch {
            throw APIError(.badData, error.message)
        }
    }

    /// The JSON object of the body, as the tenants file's parser reads values.
    private static func body(_ request: Request) async throws(APIError) -> Any {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: maxBodyBytes) } catch { throw APIError(.tooLarge, "request body too large") }
        guard let value = try JSONField.body(buffer.readableBytesView).value else {
            throw APIError(.badData, "request body must be a JSON object")
        }
        return value.plain
    }

    /// `{"id":…,"bearer_tokens":2,"basic_auth_users":1,"limits":{…}}`: counts, never digests;
    /// limits under the names and in the forms a body may send back. Ids need no JSON escaping.
    static func json(_ tenant: TenantConfig) -> String {
        let limits = tenant.limits.literals().map { "\"\($0.name)\":\($0.literal)" }.joined(separator: ",")
        return "{\"id\":\"\(tenant.id)\",\"bearer_tokens\":\(tenant.bearerTokenSHA256.count),"
            + "\"basic_auth_users\":\(tenant.basicAuth.count),\"limits\":{\(limits)}}"
    }

    private static func success(_ data: String, warnings: [String] = []) -> Response {
        let extra = warnings.isEmpty ? "" : ",\"warnings\":[" + warnings.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        return PrometheusAPI.json(Array("{\"status\":\"success\",\"data\":\(data)\(extra)}".utf8))
    }

    private static func methodNotAllowed(_ allowed: String) -> Response {
        var response = PrometheusAPI.text("method not allowed\n", status: .methodNotAllowed)
        response.headers[.allow] = allowed
        return response
    }

    /// The one place a refused change becomes an HTTP status.
    private static func apiError(_ error: TenantChangeError) -> APIError {
        switch error.code {
        case .invalid: return APIError(.badData, error.message)
        case .notFound: return APIError(.notFound, error.message)
        case .exists: return APIError(.conflict, error.message)
        case .storage: return APIError(.internal, error.message)
        case .shuttingDown: return APIError(.unavailable, error.message)
        }
    }
}

extension JSONValue {
    /// The value as YAML decoding gives it: `[String: Any]`, `[Any]`, `String`, `Bool`, whole
    /// numbers as `Int`, others as `Double`; `null` as nil (of no type a field accepts).
    fileprivate var plain: Any {
        switch self {
        case .null: return Optional<Any>.none as Any
        case .bool(let flag): return flag
        case .number(let n): return n == n.rounded() && abs(n) < 9e15 ? Int(n) : n
        case .string(let text): return text
        case .array(let elements): return elements.map(\.plain)
        case .object(let members): return members.mapValues(\.plain)
        }
    }
}
