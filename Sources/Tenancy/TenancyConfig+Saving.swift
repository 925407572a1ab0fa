// Writing the tenants file back (the admin API's changes): YAML that `TenancyConfig.load` reads
// as an equal config. Every string is double-quoted, so no id, digest or username can be taken
// for a number, a boolean, null, an alias or a tag.

internal import MetricModel
internal import YAML

extension TenancyConfig {
    /// The config as a tenants file. Limits are written where they differ: `defaults` from
    /// Mimir's, a tenant's from `defaults` (so a tenant without overrides follows later edits of
    /// `defaults`). Comments of the file it was read from are not kept.
    ///
    /// ```swift
    /// let text = config.yaml()
    /// try TenancyConfig.load(yaml: text) == config   // true
    /// ```
    package func yaml() -> String {
        var out = "# Tenants of Sugarmill's multi-tenant mode (--tenancy.config.file), written by its admin API.\n"
        if let adminTokenSHA256 { out += "admin_token_sha256: \(Self.quoted(adminTokenSHA256))\n" }
        out += "trust_org_id_header: \(trustOrgIDHeader)\n"
        let defaultOverrides = defaults.literals(differingFrom: TenantLimits())
        if !defaultOverrides.isEmpty {
            out += "defaults:\n"
            for (name, literal) in defaultOverrides { out += "  \(name): \(literal)\n" }
        }
        out += tenants.isEmpty ? "tenants: []\n" : "tenants:\n"
        for tenant in tenants {
            out += "  - id: \(Self.quoted(tenant.id))\n"
            if !tenant.bearerTokenSHA256.isEmpty {
                out += "    bearer_token_sha256:\n"
                for digest in tenant.bearerTokenSHA256 { out += "      - \(Self.quoted(digest))\n" }
            }
            if !tenant.basicAuth.isEmpty {
                out += "    basic_auth:\n"
                for user in tenant.basicAuth {
                    out += "      - username: \(Self.quoted(user.username))\n"
                    out += "        password_sha256: \(Self.quoted(user.passwordSHA256))\n"
                }
            }
            let overrides = tenant.limits.literals(differingFrom: defaults)
            if !overrides.isEmpty {
                out += "    limits:\n"
                for (name, literal) in overrides { out += "      \(name): \(literal)\n" }
            }
        }
        return out
    }

    /// A YAML double-quoted scalar (`YAMLQuoting.doubleQuoted`).
    static func quoted(_ text: String) -> String {
        YAMLQuoting.doubleQuoted(text)
    }
}

extension TenantLimits {
    /// Mimir's names and values written as literals that read the same in YAML and JSON: whole
    /// numbers as integers, other rates with a decimal point (YAML 1.1 needs one), durations as
    /// quoted Prometheus durations (`"15d"`, `"0s"`).
    ///
    /// - Parameter base: only limits that differ from it; nil for all.
    package func literals(differingFrom base: TenantLimits? = nil) -> [(name: String, literal: String)] {
        var out: [(name: String, literal: String)] = []
        for (name, field) in Self.fields {
            switch field {
            case .rate(let key):
                if let base, base[keyPath: key] == self[keyPath: key] { continue }
                out.append((name, Self.literal(self[keyPath: key])))
            case .count(let key):
                if let base, base[keyPath: key] == self[keyPath: key] { continue }
                out.append((name, "\(self[keyPath: key])"))
            case .duration(let key):
                if let base, base[keyPath: key] == self[keyPath: key] { continue }
                out.append((name, "\"\(PrometheusDuration.format(milliseconds: self[keyPath: key]))\""))
            }
        }
        return out
    }

    /// `10000`, `0.5`, `1.0e-05`: Swift's shortest round-tripping digits, with a decimal point
    /// before any exponent.
    static func literal(_ rate: Double) -> String {
        if rate == rate.rounded(), abs(rate) < 1e15 { return "\(Int64(rate))" }
        let text = "\(rate)"
        guard !text.contains("."), let e = text.firstIndex(of: "e") else { return text }
        return text[..<e] + ".0" + text[e...]
    }
}
