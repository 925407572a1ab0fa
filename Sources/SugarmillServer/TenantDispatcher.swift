// TenantDispatcher: multi-tenant mode's front door — authenticates each request and hands it to
// its tenant's own API (own database, own router), so that no request reaches another's data.

package import HTTPAPI
internal import HTTPTypes
package import Hummingbird
internal import NIOCore
internal import Tenancy

/// Routes requests by tenant. Health endpoints answer without credentials; everything else needs
/// credentials naming a tenant, or gets `401 Unauthorized` — the same answer whatever was wrong.
package struct TenantDispatcher: HTTPResponder {
    package typealias Context = SugarmillRequestContext

    let authenticator: TenantAuthenticator
    /// Each tenant's API, by tenant id.
    let tenants: [String: RouterResponder<SugarmillRequestContext>]
    /// Answers the paths that need no credentials.
    let open: RouterResponder<SugarmillRequestContext>

    static let openPaths: Set<String> = ["/-/healthy", "/-/ready"]
    static let orgIDHeader = HTTPField.Name("X-Scope-OrgID")!

    package func respond(to request: Request, context: Context) async throws -> Response {
        if Self.openPaths.contains(request.uri.path) { return try await open.respond(to: request, context: context) }
        let tenant: String
        do {
            tenant = try authenticator.tenant(
                authorization: request.headers[.authorization], orgID: request.headers[Self.orgIDHeader])
        } catch {
            return Self.unauthorized
        }
        guard let responder = tenants[tenant] else { return Self.unauthorized }
        return try await responder.respond(to: request, context: context)
    }

    static var unauthorized: Response {
        Response(
            status: .unauthorized,
            headers: [.contentType: "text/plain; charset=utf-8", .wwwAuthenticate: #"Bearer realm="sugarmill""#],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "unauthorized\n")))
    }
}
