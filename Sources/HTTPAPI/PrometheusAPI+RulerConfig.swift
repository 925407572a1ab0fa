// The ruler configuration API of Mimir (and Cortex before it): a tenant's rule groups by
// namespace, listed and read as YAML, set one group at a time, deleted by group or namespace.
// Served at Mimir's `/prometheus/config/v1/rules…` and Cortex's `/api/v1/rules/{namespace}…`
// (`GET /api/v1/rules` itself stays Prometheus's JSON rules API). Replies as Mimir's `ruler/api.go`.

package import Hummingbird
internal import HTTPTypes
internal import MetricModel
internal import NIOCore

/// A tenant's rule groups by namespace, as the ruler configuration API changes them.
///
/// Errors are ``APIError``s: `.badData` (400) with the reasons, `.notFound` (404),
/// `.internal` (500) when storing failed (nothing changed), `.overloaded` (503) when shutting down.
package protocol RulerConfigStore: Sendable {
    /// Every namespace's groups as YAML (`<namespace>:` and its groups), only `namespace`'s when
    /// given; `{}` when there are none (Mimir answers an unknown namespace so too).
    func rulesYAML(namespace: String?) -> String
    /// One group as YAML. - Throws: `.notFound` (`group does not exist`).
    func groupYAML(namespace: String, group: String) throws(APIError) -> String
    /// Creates the group `body` defines in `namespace`, or replaces the one of that name; in
    /// force when this returns.
    func setGroup(namespace: String, body: String) async throws(APIError)
    /// - Throws: `.notFound` (`group does not exist`).
    func deleteGroup(namespace: String, group: String) async throws(APIError)
    /// Deletes every group of `namespace`. - Throws: `.notFound` (`group namespace does not exist`).
    func deleteNamespace(_ namespace: String) async throws(APIError)
}

extension PrometheusAPI {
    /// The largest rule group body `POST …/rules/{namespace}` takes (Amazon Managed Service for
    /// Prometheus caps a rules file at 1 MB).
    static let maxRuleGroupBytes = 1 << 20

    /// Registers the ruler configuration API over `store` at Mimir's and Cortex's paths.
    ///
    /// ```
    /// GET    /prometheus/config/v1/rules                       200 YAML {namespace: [groups]}
    /// GET    /prometheus/config/v1/rules/{namespace}           200 YAML {namespace: [groups]} ({} if none)
    /// GET    /prometheus/config/v1/rules/{namespace}/{group}   200 YAML group | 404
    /// POST   /prometheus/config/v1/rules/{namespace}           202 | 400 reasons | 413
    /// DELETE /prometheus/config/v1/rules/{namespace}/{group}   202 | 404
    /// DELETE /prometheus/config/v1/rules/{namespace}           202 | 404
    /// ```
    /// and the same below `/api/v1/rules/` (not `GET /api/v1/rules`). Path segments are
    /// percent-decoded (a namespace with `/` is sent as `%2F`).
    func registerRulerConfig<Context: RequestContext>(on router: Router<Context>, store: any RulerConfigStore) {
        route(router, "/prometheus/config/v1/rules", [.get]) { _, _ in Self.yaml(store.rulesYAML(namespace: nil)) }
        for prefix in ["/prometheus/config/v1/rules", "/api/v1/rules"] {
            route(router, prefix + "/:namespace", [.get, .post, .delete]) { request, context in
                await Self.rulerResponse { () async throws(APIError) -> Response in
                    let namespace = try Self.namespace(context.parameters.get("namespace"))
                    switch request.method {
                    case .get: return Self.yaml(store.rulesYAML(namespace: namespace))
                    case .post:
                        let body = try await Self.ruleGroupBody(request)
                        try await Self.offLoop { () async throws(APIError) in try await store.setGroup(namespace: namespace, body: body) }
                        return Self.accepted
                    default:
                        try await store.deleteNamespace(namespace)
                        return Self.accepted
                    }
                }
            }
            route(router, prefix + "/:namespace/:group", [.get, .delete]) { request, context in
                await Self.rulerResponse { () async throws(APIError) -> Response in
                    let namespace = try Self.namespace(context.parameters.get("namespace"))
                    guard let group = try Self.pathSegment(context.parameters.get("group")) else {
                        throw APIError(.badData, "a matching group name must be provided in the request")
                    }
                    if request.method == .get { return Self.yaml(try store.groupYAML(namespace: namespace, group: group)) }
                    try await store.deleteGroup(namespace: namespace, group: group)
                    return Self.accepted
                }
            }
        }
    }

    /// Runs `body`; an error becomes Mimir's `http.Error` reply: the message as plain text.
    private static func rulerResponse(_ body: () async throws(APIError) -> Response) async -> Response {
        do { return try await body() } catch { return text(error.message + "\n", status: error.kind.status) }
    }

    /// Mimir's `respondAccepted`: 202 with a success envelope (the change is stored).
    static var accepted: Response {
        json(Array(#"{"status":"success","data":null,"errorType":"","error":""}"#.utf8), status: .accepted)
    }

    static func yaml(_ text: String) -> Response {
        self.text(text, contentType: "application/yaml")
    }

    /// The request's body as text, at most ``maxRuleGroupBytes``.
    private static func ruleGroupBody(_ request: Request) async throws(APIError) -> String {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: maxRuleGroupBytes) } catch {
            throw APIError(.tooLarge, "request body too large")
        }
        return String(buffer: buffer)
    }

    private static func namespace(_ raw: String?) throws(APIError) -> String {
        guard let namespace = try pathSegment(raw) else { throw APIError(.badData, "a namespace must be provided in the request") }
        return namespace
    }

    /// A path segment percent-decoded (Go's `url.PathUnescape`, whose error it words); nil when
    /// missing or empty.
    package static func pathSegment(_ raw: String?) throws(APIError) -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var utf8 = Array(raw.utf8)[...]
        while let byte = utf8.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            let digits = utf8.prefix(2)
            guard digits.count == 2, let high = hexValue(digits.first!), let low = hexValue(digits.last!) else {
                throw APIError(.badData, "invalid URL escape \(goQuote("%" + String(decoding: digits, as: UTF8.self)))")
            }
            bytes.append(high << 4 | low)
            utf8 = utf8.dropFirst(2)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw APIError(.badData, "invalid URL escape: not UTF-8")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
