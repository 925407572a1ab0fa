// Reading `tracing:` as Prometheus's `TracingConfig.UnmarshalYAML` does: client_type defaults to
// grpc, then the header, endpoint and compression checks in its order and words.

import YAML

extension ConfigDecoder {
    static let tracingFieldNames: Set<String> = [
        "client_type", "endpoint", "sampling_fraction", "insecure", "tls_config", "headers", "compression", "timeout",
    ]

    /// `tracing:`; nil when its fields had type errors, or for a null section.
    ///
    /// - Throws: `ConfigError` "expected tracing client type to be to be http or grpc, but got x"
    ///   (sic), "custom authorization header configuration is not yet supported", "Host is a
    ///   reserved header. It must not be changed", "tracing endpoint must be set", "invalid
    ///   compression type br provided, valid options: gzip", or a `tls_config` error.
    func tracingSection(_ node: Node) throws(ConfigError) -> (config: TracingConfig, unsupported: [String])? {
        if node.isGoNull { return nil }
        let mark = typeErrorCount
        var config = TracingConfig()
        var unsupported: [String] = []
        try fields(of: node, goType: "config.plain", known: Self.tracingFieldNames) { key, value throws(ConfigError) in
            switch key {
            case "client_type":
                guard let text = try string(value, goType: "config.plain") else { return }
                guard let type = TracingConfig.ClientType(rawValue: text) else {
                    throw ConfigError("expected tracing client type to be to be http or grpc, but got \(text)")
                }
                config.clientType = type
            case "endpoint": config.endpoint = try string(value) ?? ""
            case "sampling_fraction": config.samplingFraction = try float(value) ?? 0
            case "insecure": config.insecure = try bool(value) ?? false
            case "tls_config": config.tls = try tlsConfig(value, unsupported: &unsupported) ?? TLSConfig()
            case "headers": config.headers = try stringPairs(value)
            case "compression": config.compression = try string(value) ?? ""
            default: config.timeoutMs = try duration(value) ?? 0
            }
        }
        guard !hadTypeErrors(since: mark) else { return nil }
        for (name, _) in config.headers {
            if name.lowercased() == "authorization" {
                throw ConfigError("custom authorization header configuration is not yet supported")
            }
            if Self.reservedHeaders.contains(name.lowercased()) {
                throw ConfigError("\(name) is a reserved header. It must not be changed")
            }
        }
        guard !config.endpoint.isEmpty else { throw ConfigError("tracing endpoint must be set") }
        guard config.compression.isEmpty || config.compression == "gzip" else {
            throw ConfigError("invalid compression type \(config.compression) provided, valid options: gzip")
        }
        if !config.insecure {
            // TLS settings the exporter does not apply.
            let tls = config.tls
            if tls.ca != nil || tls.cert != nil || tls.key != nil { unsupported.append("tls_config ca/cert/key inline") }
            if tls.maxVersion != nil { unsupported.append("tls_config max_version") }
        }
        if !config.compression.isEmpty { unsupported.append("compression (spans are sent uncompressed)") }
        return (config, unsupported.map { "tracing: \($0)" })
    }
}
