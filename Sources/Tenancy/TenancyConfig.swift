// TenancyConfig: the tenants file given by `--tenancy.config.file` — credentials (hashed) and
// per-tenant limits under Mimir's names (spec/compat-apis.md §4.2).

/// A tenant's limits. Names and defaults are Mimir's; 0 means no limit.
package struct TenantLimits: Sendable, Equatable {
    /// Samples per second (token bucket refill).
    package var ingestionRate: Double = 10_000
    /// Bucket size: the most samples one burst may bring.
    package var ingestionBurstSize = 200_000
    package var maxGlobalSeriesPerUser = 150_000
    package var maxGlobalSeriesPerMetric = 0
    package var maxLabelNamesPerSeries = 30
    package var maxLabelNameLength = 1_024
    package var maxLabelValueLength = 2_048
    package var maxFetchedSeriesPerQuery = 0
    package var maxSamplesPerQuery = 50_000_000
    /// ms; 0: the server's `--query.timeout`.
    package var queryTimeoutMs: Int64 = 0
    /// ms; 0: the server's retention.
    package var retentionPeriodMs: Int64 = 0
    /// Rule groups the tenant may have through the ruler API, over all namespaces.
    package var rulerMaxRuleGroupsPerTenant = 70
    /// Rules one of its rule groups may have.
    package var rulerMaxRulesPerRuleGroup = 20

    package init() {}

    /// How one limit is written: a rate (a number), a count (a whole number) or a duration (`2m`).
    enum Field {
        case rate(WritableKeyPath<TenantLimits, Double>)
        case count(WritableKeyPath<TenantLimits, Int>)
        case duration(WritableKeyPath<TenantLimits, Int64>)
    }

    /// Every limit under its Mimir name, in Mimir's order: what the tenants file, the admin API
    /// and the serializer read and write.
    static var fields: [(name: String, field: Field)] {
        [
            ("ingestion_rate", .rate(\.ingestionRate)), ("ingestion_burst_size", .count(\.ingestionBurstSize)),
            ("max_global_series_per_user", .count(\.maxGlobalSeriesPerUser)),
            ("max_global_series_per_metric", .count(\.maxGlobalSeriesPerMetric)),
            ("max_label_names_per_series", .count(\.maxLabelNamesPerSeries)),
            ("max_label_name_length", .count(\.maxLabelNameLength)),
            ("max_label_value_length", .count(\.maxLabelValueLength)),
            ("max_fetched_series_per_query", .count(\.maxFetchedSeriesPerQuery)),
            ("max_samples_per_query", .count(\.maxSamplesPerQuery)), ("query_timeout", .duration(\.queryTimeoutMs)),
            ("retention_period", .duration(\.retentionPeriodMs)),
            ("ruler_max_rule_groups_per_tenant", .count(\.rulerMaxRuleGroupsPerTenant)),
            ("ruler_max_rules_per_rule_group", .count(\.rulerMaxRulesPerRuleGroup)),
        ]
    }

    /// Every limit under its Mimir name, durations in seconds.
    package var named: [(name: String, value: Double)] {
        Self.fields.map { name, field in
            switch field {
            case .rate(let path): (name, self[keyPath: path])
            case .count(let path): (name, Double(self[keyPath: path]))
            case .duration(let path): (name, Double(self[keyPath: path]) / 1000)
            }
        }
    }
}

/// One tenant of the file.
package struct TenantConfig: Sendable, Equatable {
    package var id: String
    /// SHA-256 digests (lowercase hex) of the bearer tokens that authenticate as this tenant.
    package var bearerTokenSHA256: [String] = []
    /// Users and the SHA-256 digests of their passwords.
    package var basicAuth: [(username: String, passwordSHA256: String)] = []
    package var limits: TenantLimits

    package init(id: String, limits: TenantLimits = TenantLimits()) {
        self.id = id
        self.limits = limits
    }

    package static func == (a: TenantConfig, b: TenantConfig) -> Bool {
        a.id == b.id && a.bearerTokenSHA256 == b.bearerTokenSHA256 && a.limits == b.limits
            && a.basicAuth.map { "\($0.username):\($0.passwordSHA256)" } == b.basicAuth.map { "\($0.username):\($0.passwordSHA256)" }
    }
}

/// The whole tenants file.
package struct TenancyConfig: Sendable, Equatable {
    /// SHA-256 digest of the admin API's bearer token; nil disables the admin API.
    package var adminTokenSHA256: String?
    /// Behind a trusted gateway: `X-Scope-OrgID` names the tenant without credentials.
    package var trustOrgIDHeader = false
    package var defaults = TenantLimits()
    package var tenants: [TenantConfig] = []

    package init() {}

    /// Mimir's tenant id rules: 1–150 bytes of letters, digits and `!-_.*'()`, not `.` or `..`
    /// (it names a directory), not `__mimir_cluster`.
    package static func validate(tenantID id: String) throws(TenancyError) {
        if id.isEmpty { throw TenancyError("tenant id is empty") }
        if id.utf8.count > 150 { throw TenancyError("tenant id \(id.debugDescription) is longer than 150 bytes") }
        if id == "." || id == ".." || id == "__mimir_cluster" {
            throw TenancyError("tenant id \(id.debugDescription) is not allowed")
        }
        for byte in id.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                continue
            case UInt8(ascii: "!"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "*"),
                UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"):
                continue
            default:
                throw TenancyError("tenant id \(id.debugDescription) has a character other than letters, digits and !-_.*'()")
            }
        }
    }

    /// 64 lowercase hex digits.
    static func validate(digest: String, field: String) throws(TenancyError) {
        guard digest.utf8.count == 64, digest.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw TenancyError("\(field): \(digest.debugDescription) is not a SHA-256 digest in lowercase hex (64 digits)")
        }
    }
}

/// A tenants file or an admin request that cannot be taken.
package struct TenancyError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
