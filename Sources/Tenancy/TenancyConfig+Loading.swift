// Reading the tenants file: YAML with unknown keys refused, ids and digests checked, limits
// inherited from `defaults`.

internal import MetricModel
internal import Yams

extension TenancyConfig {
    /// Parses the tenants file's text.
    /// - Throws: `TenancyError` naming the field that is wrong.
    package static func load(yaml text: String) throws(TenancyError) -> TenancyConfig {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch { throw TenancyError("parsing tenants file: \(error)") }
        var config = TenancyConfig()
        guard let top = root else { return config }
        let fields = try mapping(top, "tenants file", known: ["admin_token_sha256", "trust_org_id_header", "defaults", "tenants"])
        if let admin = fields["admin_token_sha256"] {
            let digest = try string(admin, "admin_token_sha256")
            try validate(digest: digest, field: "admin_token_sha256")
            config.adminTokenSHA256 = digest
        }
        if let trust = fields["trust_org_id_header"] { config.trustOrgIDHeader = try bool(trust, "trust_org_id_header") }
        if let defaults = fields["defaults"] { config.defaults = try limits(defaults, "defaults", base: TenantLimits()) }
        var seen: Set<String> = []
        for (i, entry) in try list(fields["tenants"] ?? [Any](), "tenants").enumerated() {
            let path = "tenants[\(i)]"
            let tenant = try mapping(entry, path, known: ["id", "bearer_token_sha256", "basic_auth", "limits"])
            let id = try string(tenant["id"] as Any, "\(path).id")
            try validate(tenantID: id)
            guard seen.insert(id).inserted else { throw TenancyError("\(path): tenant id \(id.debugDescription) appears twice") }
            var config0 = TenantConfig(id: id, limits: config.defaults)
            for (k, token) in try list(tenant["bearer_token_sha256"] ?? [Any](), "\(path).bearer_token_sha256").enumerated() {
                let digest = try string(token, "\(path).bearer_token_sha256[\(k)]")
                try validate(digest: digest, field: "\(path).bearer_token_sha256[\(k)]")
                config0.bearerTokenSHA256.append(digest)
            }
            for (k, user) in try list(tenant["basic_auth"] ?? [Any](), "\(path).basic_auth").enumerated() {
                let userPath = "\(path).basic_auth[\(k)]"
                let fields = try mapping(user, userPath, known: ["username", "password_sha256"])
                let name = try string(fields["username"] as Any, "\(userPath).username")
                if name.isEmpty || name.contains(":") { throw TenancyError("\(userPath).username must be non-empty, without ':'") }
                let digest = try string(fields["password_sha256"] as Any, "\(userPath).password_sha256")
                try validate(digest: digest, field: "\(userPath).password_sha256")
                config0.basicAuth.append((name, digest))
            }
            if let overrides = tenant["limits"] { config0.limits = try limits(overrides, "\(path).limits", base: config.defaults) }
            config.tenants.append(config0)
        }
        return config
    }

    private static func mapping(_ value: Any, _ path: String, known: Set<String>) throws(TenancyError) -> [String: Any] {
        guard let map = value as? [String: Any] else { throw TenancyError("\(path) must be a mapping") }
        for key in map.keys where !known.contains(key) {
            throw TenancyError("\(path): unknown field \(key.debugDescription)")
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

    private static func bool(_ value: Any, _ path: String) throws(TenancyError) -> Bool {
        guard let flag = value as? Bool else { throw TenancyError("\(path) must be true or false") }
        return flag
    }

    private static func number(_ value: Any, _ path: String) throws(TenancyError) -> Double {
        if let n = value as? Int { return Double(n) }
        if let n = value as? Double { return n }
        throw TenancyError("\(path) must be a number")
    }

    private static func count(_ value: Any, _ path: String) throws(TenancyError) -> Int {
        let n = try number(value, path)
        guard n >= 0, n <= Double(Int.max), n == n.rounded() else { throw TenancyError("\(path) must be a whole number ≥ 0") }
        return Int(n)
    }

    private static func duration(_ value: Any, _ path: String) throws(TenancyError) -> Int64 {
        if let text = value as? String, let ms = try? PrometheusDuration.milliseconds(text) { return ms }
        if value is Int, let seconds = value as? Int, seconds >= 0 { return Int64(seconds) * 1000 }
        throw TenancyError("\(path) must be a duration such as 2m or 15d")
    }

    private static func limits(_ value: Any, _ path: String, base: TenantLimits) throws(TenancyError) -> TenantLimits {
        let fields = try mapping(value, path, known: TenantLimits.names)
        var limits = base
        for (key, value) in fields {
            let field = "\(path).\(key)"
            switch key {
            case "ingestion_rate": limits.ingestionRate = try number(value, field)
            case "ingestion_burst_size": limits.ingestionBurstSize = try count(value, field)
            case "max_global_series_per_user": limits.maxGlobalSeriesPerUser = try count(value, field)
            case "max_global_series_per_metric": limits.maxGlobalSeriesPerMetric = try count(value, field)
            case "max_label_names_per_series": limits.maxLabelNamesPerSeries = try count(value, field)
            case "max_label_name_length": limits.maxLabelNameLength = try count(value, field)
            case "max_label_value_length": limits.maxLabelValueLength = try count(value, field)
            case "max_fetched_series_per_query": limits.maxFetchedSeriesPerQuery = try count(value, field)
            case "max_samples_per_query": limits.maxSamplesPerQuery = try count(value, field)
            case "query_timeout": limits.queryTimeoutMs = try duration(value, field)
            default: limits.retentionPeriodMs = try duration(value, field)
            }
        }
        if limits.ingestionRate < 0 { throw TenancyError("\(path).ingestion_rate must be ≥ 0") }
        return limits
    }
}
