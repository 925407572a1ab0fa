// Reading the tenants file: YAML with unknown keys refused, ids and digests checked, limits
// inherited from `defaults`. The same checks read the admin API's request bodies
// (`tenantFields(_:at:allowing:)`), so a tenant the API takes is one the file can hold.

internal import MetricModel

/// A tenant's fields as one tenants-file entry or one admin request names them; nil: absent.
package struct TenantFields: Sendable {
    package var id: String?
    package var bearerTokenSHA256: [String]?
    package var basicAuth: [(username: String, passwordSHA256: String)]?
    /// The tenant's limits: the config's `defaults` overridden by the fields given.
    package var limits: TenantLimits?

    /// Every field name of a tenant entry.
    package static let all: Set<String> = ["id", "bearer_token_sha256", "basic_auth", "limits"]
    /// The fields that are credentials.
    package static let credentials: Set<String> = ["bearer_token_sha256", "basic_auth"]
}

extension TenantConfig {
    /// Takes the credentials and limits `fields` gives; keeps the others.
    package mutating func apply(_ fields: TenantFields) {
        if let tokens = fields.bearerTokenSHA256 { bearerTokenSHA256 = tokens }
        if let users = fields.basicAuth { basicAuth = users }
        if let limits = fields.limits { self.limits = limits }
    }
}

extension TenancyConfig {
    /// Parses the tenants file's text.
    /// - Throws: `TenancyError` naming the field that is wrong.
    package static func load(yaml text: String) throws(TenancyError) -> TenancyConfig {
        let root = try TenancyYAML.load(text)
        var config = TenancyConfig()
        guard let top = root else { return config }
        let fields = try mapping(top, "tenants file", known: ["admin_token_sha256", "trust_org_id_header", "defaults", "tenants"])
        if let admin = fields["admin_token_sha256"] { config.adminTokenSHA256 = try digest(admin, "admin_token_sha256") }
        if let trust = fields["trust_org_id_header"] { config.trustOrgIDHeader = try bool(trust, "trust_org_id_header") }
        if let defaults = fields["defaults"] { config.defaults = try limits(defaults, "defaults", base: TenantLimits()) }
        for (i, entry) in try list(fields["tenants"] ?? [Any](), "tenants").enumerated() {
            let path = "tenants[\(i)]"
            let tenant = try config.newTenant(entry, at: path)
            if config.tenants.contains(where: { $0.id == tenant.id }) {
                throw TenancyError("\(path): tenant id \(tenant.id.debugDescription) appears twice")
            }
            config.tenants.append(tenant)
        }
        return config
    }

    /// A tenant read from a whole entry: `id` required, credentials and limits optional (limits
    /// not given are the config's `defaults`); its credentials checked against the other tenants'
    /// (``checkCredentials(of:at:)``). Whether the id is free is the caller's question.
    ///
    /// - Parameters:
    ///   - value: a decoded mapping (`[String: Any]` of `String`, `Bool`, `Int`, `Double`, `[Any]`).
    ///   - path: where it is, for messages (`tenants[2]`; empty for an admin request body).
    /// - Throws: `TenancyError` naming the field (`tenants[2].limits.ingestion_rate`, `limits.query_timeout`).
    package func newTenant(_ value: Any, at path: String) throws(TenancyError) -> TenantConfig {
        let fields = try tenantFields(value, at: path, allowing: TenantFields.all)
        guard let id = fields.id else { throw TenancyError("\(Self.member(path, "id")) must be a string") }
        var tenant = TenantConfig(id: id, limits: defaults)
        tenant.apply(fields)
        try checkCredentials(of: tenant, at: path)
        return tenant
    }

    /// Reads the fields of a tenant entry that `value` has, refusing any not in `known`.
    /// - Throws: `TenancyError` naming the field: not a mapping, unknown, of the wrong type, an
    ///   invalid id, digest, username or limit.
    package func tenantFields(_ value: Any, at path: String, allowing known: Set<String>) throws(TenancyError)
        -> TenantFields
    {
        let tenant = try Self.mapping(value, path, known: known)
        var fields = TenantFields()
        if let id = tenant["id"] {
            let field = Self.member(path, "id")
            let text = try Self.string(id, field)
            do { try Self.validate(tenantID: text) } catch { throw TenancyError("\(field): \(error.message)") }
            fields.id = text
        }
        if let tokens = tenant["bearer_token_sha256"] {
            let field = Self.member(path, "bearer_token_sha256")
            var digests: [String] = []
            for (k, token) in try Self.list(tokens, field).enumerated() { digests.append(try Self.digest(token, "\(field)[\(k)]")) }
            fields.bearerTokenSHA256 = digests
        }
        if let users = tenant["basic_auth"] {
            let field = Self.member(path, "basic_auth")
            var entries: [(username: String, passwordSHA256: String)] = []
            for (k, user) in try Self.list(users, field).enumerated() {
                let userPath = "\(field)[\(k)]"
                let userFields = try Self.mapping(user, userPath, known: ["username", "password_sha256"])
                let name = try Self.string(userFields["username"] as Any, "\(userPath).username")
                if name.isEmpty || name.contains(":") || name.unicodeScalars.contains(where: Self.isControl) {
                    throw TenancyError("\(userPath).username must be non-empty, without ':' or control characters")
                }
                entries.append((name, try Self.digest(userFields["password_sha256"] as Any, "\(userPath).password_sha256")))
            }
            fields.basicAuth = entries
        }
        if let overrides = tenant["limits"] {
            fields.limits = try Self.limits(overrides, Self.member(path, "limits"), base: defaults)
        }
        return fields
    }

    /// Refuses credentials that would make a request ambiguous: a bearer token digest used twice
    /// (by this tenant or another) or equal to the admin token's, a basic-auth user and password
    /// pair used twice. The config's own entry for `tenant.id`, if any, is not compared.
    package func checkCredentials(of tenant: TenantConfig, at path: String) throws(TenancyError) {
        let others = tenants.filter { $0.id != tenant.id }
        for (k, digest) in tenant.bearerTokenSHA256.enumerated() {
            let field = "\(Self.member(path, "bearer_token_sha256"))[\(k)]"
            if digest == adminTokenSHA256 { throw TenancyError("\(field): the digest is the admin token's") }
            if tenant.bearerTokenSHA256[..<k].contains(digest) { throw TenancyError("\(field): the digest appears twice") }
            if let owner = others.first(where: { $0.bearerTokenSHA256.contains(digest) }) {
                throw TenancyError("\(field): the digest is already a token of tenant \(owner.id.debugDescription)")
            }
        }
        let pairs = tenant.basicAuth.map { "\($0.username):\($0.passwordSHA256)" }
        for (k, pair) in pairs.enumerated() {
            let field = "\(Self.member(path, "basic_auth"))[\(k)]"
            if pairs[..<k].contains(pair) { throw TenancyError("\(field): the user and password appear twice") }
            if let owner = others.first(where: { $0.basicAuth.contains { "\($0.username):\($0.passwordSHA256)" == pair } }) {
                throw TenancyError("\(field): the user and password are already those of tenant \(owner.id.debugDescription)")
            }
        }
    }

    /// Control characters (C0, DEL, C1), line and paragraph separators, the byte-order mark and
    /// noncharacters: nothing a username needs, and what a YAML file cannot hold as written.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar.properties.isNoncharacterCodePoint
            || scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == "\u{feff}"
    }

    /// `path.key`, or `key` at the top of a request body.
    private static func member(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private static func mapping(_ value: Any, _ path: String, known: Set<String>) throws(TenancyError) -> [String: Any] {
        let name = path.isEmpty ? "the body" : path
        guard let map = value as? [String: Any] else { throw TenancyError("\(name) must be a mapping") }
        for key in map.keys.sorted() where !known.contains(key) {
            throw TenancyError("\(name): unknown field \(key.debugDescription)")
        }
        return map
    }

    private static func list(_ value: Any, _ path: String) throws(TenancyError) -> [Any] {
        guard let list = value as? [Any] else { throw TenancyError("\(path) must be a list") }
        return list
    }

    private static func string(_ value: Any, _ path: String) throws(TenancyError) -> String {
        guard let text = value as? String else { throw TenancyError("\(path) must be a string") }
        return text
    }

    private static func digest(_ value: Any, _ path: String) throws(TenancyError) -> String {
        let text = try string(value, path)
        try validate(digest: text, field: path)
        return text
    }

    private static func bool(_ value: Any, _ path: String) throws(TenancyError) -> Bool {
        guard let flag = value as? Bool else { throw TenancyError("\(path) must be true or false") }
        return flag
    }

    private static func number(_ value: Any, _ path: String) throws(TenancyError) -> Double {
        if let n = value as? Int { return Double(n) }
        if let n = value as? Double, n.isFinite { return n }
        throw TenancyError("\(path) must be a finite number")
    }

    private static func count(_ value: Any, _ path: String) throws(TenancyError) -> Int {
        if let n = value as? Int, n >= 0 { return n }  // exact, even past 2^53
        let n = try number(value, path)
        guard n >= 0, n < Double(Int.max), n == n.rounded() else { throw TenancyError("\(path) must be a whole number ≥ 0") }
        return Int(n)
    }

    /// A Prometheus duration, or whole seconds; at most `Int64.max` nanoseconds, as Prometheus's.
    private static func duration(_ value: Any, _ path: String) throws(TenancyError) -> Int64 {
        if let text = value as? String, let ms = try? PrometheusDuration.milliseconds(text) { return ms }
        if let seconds = value as? Int, seconds >= 0, Int64(seconds) <= Int64.max / 1_000_000_000 { return Int64(seconds) * 1000 }
        throw TenancyError("\(path) must be a duration such as 2m or 15d")
    }

    private static func limits(_ value: Any, _ path: String, base: TenantLimits) throws(TenancyError) -> TenantLimits {
        let fields = TenantLimits.fields
        let given = try mapping(value, path, known: Set(fields.map(\.name)))
        var limits = base
        for (name, field) in fields {
            guard let value = given[name] else { continue }
            let at = "\(path).\(name)"
            switch field {
            case .rate(let key): limits[keyPath: key] = try number(value, at)
            case .count(let key): limits[keyPath: key] = try count(value, at)
            case .duration(let key): limits[keyPath: key] = try duration(value, at)
            }
        }
        if limits.ingestionRate < 0 { throw TenancyError("\(path).ingestion_rate must be ≥ 0") }
        return limits
    }
}
