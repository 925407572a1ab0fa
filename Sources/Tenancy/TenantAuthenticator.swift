// TenantAuthenticator: which tenant a request is, from its credentials — a bearer token, basic
// auth, or (behind a trusted gateway) `X-Scope-OrgID` — with secrets compared in constant time.

internal import MetricModel

/// Why a request is not let in. Every failure answers the same 401, with no hint of which part
/// was wrong; the cases exist for counting.
package enum AuthFailure: Error, Sendable, Equatable {
    case missingCredentials
    case badCredentials
}

/// Resolves requests to tenants for one tenancy configuration.
///
/// ```swift
/// let auth = TenantAuthenticator(config)
/// let tenant = try auth.tenant(authorization: "Bearer s3cr3t", orgID: nil)   // "team-a"
/// ```
package struct TenantAuthenticator: Sendable {
    let config: TenancyConfig

    package init(_ config: TenancyConfig) { self.config = config }

    /// The tenant the credentials name.
    ///
    /// `Authorization: Bearer <token>` or `Basic <user:password>` decides when present (every
    /// tenant's digests are compared, so the time taken does not tell which one matched);
    /// otherwise `X-Scope-OrgID` when the file trusts it.
    package func tenant(authorization: String?, orgID: String?) throws(AuthFailure) -> String {
        if let authorization, !authorization.isEmpty {
            if let token = Self.credential(authorization, scheme: "bearer") {
                let digest = Array(SHA256.hex(Array(token.utf8)).utf8)
                var found: String?
                for tenant in config.tenants {
                    for hash in tenant.bearerTokenSHA256 where SHA256.constantTimeEqual(Array(hash.utf8), digest) {
                        found = tenant.id
                    }
                }
                if let found { return found }
                throw .badCredentials
            }
            if let encoded = Self.credential(authorization, scheme: "basic"),
                let decoded = Base64.decode(encoded), let colon = decoded.firstIndex(of: UInt8(ascii: ":"))
            {
                let user = Array(decoded[..<colon])
                let digest = Array(SHA256.hex(Array(decoded[(colon + 1)...])).utf8)
                var found: String?
                for tenant in config.tenants {
                    for entry in tenant.basicAuth
                    where SHA256.constantTimeEqual(Array(entry.username.utf8), user)
                        && SHA256.constantTimeEqual(Array(entry.passwordSHA256.utf8), digest)
                    {
                        found = tenant.id
                    }
                }
                if let found { return found }
            }
            throw .badCredentials
        }
        if config.trustOrgIDHeader, let orgID, !orgID.isEmpty {
            guard config.tenants.contains(where: { $0.id == orgID }) else { throw .badCredentials }
            return orgID
        }
        throw .missingCredentials
    }

    /// Whether `authorization` carries the admin token.
    package func isAdmin(authorization: String?) -> Bool {
        guard let expected = config.adminTokenSHA256, let authorization,
            let token = Self.credential(authorization, scheme: "bearer")
        else { return false }
        return SHA256.constantTimeEqual(Array(expected.utf8), Array(SHA256.hex(Array(token.utf8)).utf8))
    }

    /// The credential after `<scheme> ` (the scheme matched case-insensitively).
    static func credential(_ header: String, scheme: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == scheme else { return nil }
        return String(parts[1]).trimmingSpaces()
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
