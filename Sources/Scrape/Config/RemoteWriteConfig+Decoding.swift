// Reading `remote_write` entries as Prometheus's `RemoteWriteConfig.UnmarshalYAML` does: fields,
// inlined HTTP client options, queue and metadata sections, then its checks.

import MetricModel
import Relabel
import YAML

extension ConfigDecoder {
    static let remoteWriteFieldNames: Set<String> = Set([
        "url", "remote_timeout", "headers", "write_relabel_configs", "name", "send_exemplars", "send_native_histograms",
        "round_robin_dns", "protobuf_message", "queue_config", "metadata_config", "sigv4", "azuread", "google_iam",
    ]).union(HTTPClientSection.fieldNames)

    /// Headers a `remote_write` may not set (Prometheus's `reservedHeaders`).
    static let reservedHeaders: Set<String> = [
        "host", "content-encoding", "content-length", "content-type", "user-agent", "connection", "keep-alive",
        "proxy-authenticate", "proxy-authorization", "www-authenticate", "accept-encoding",
        "x-prometheus-remote-write-version", "x-prometheus-remote-read-version", "x-amz-date", "x-amz-security-token",
        "x-amz-content-sha256",
    ]

    /// Prometheus's `validateHeaders`: no `Authorization` and no reserved header.
    static func validateHeaders(_ headers: [(name: String, value: String)]) throws(ConfigError) {
        for (name, _) in headers {
            if name.lowercased() == "authorization" {
                throw ConfigError(
                    "authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter")
            }
            if reservedHeaders.contains(name.lowercased()) {
                throw ConfigError("\(name) is a reserved header. It must not be changed")
            }
        }
    }

    /// The entries of `remote_write`; a null entry stays nil.
    func remoteWriteSections(_ node: Node) throws(ConfigError) -> [(config: RemoteWriteConfig, unsupported: [String])?] {
        try optionalElements(node, goType: "[]*config.RemoteWriteConfig") { item throws(ConfigError) in
            try remoteWriteSection(item)
        }
    }

    private func remoteWriteSection(_ node: Node) throws(ConfigError) -> (config: RemoteWriteConfig, unsupported: [String])? {
        let mark = typeErrorCount
        var config = RemoteWriteConfig()
        var client = HTTPClientSection()
        var relabel: [RelabelFields?] = []
        var unsupported: [String] = []
        try fields(of: node, goType: "config.RemoteWriteConfig", known: Self.remoteWriteFieldNames) { key, value throws(ConfigError) in
            if HTTPClientSection.fieldNames.contains(key) {
                try httpClientField(key, value, into: &client)
                return
            }
            if try endpointField(key, value, into: &config) { return }
            switch key {
            case "write_relabel_configs": relabel = try relabelList(value)
            case "send_exemplars": config.sendExemplars = try bool(value) ?? false
            case "send_native_histograms": config.sendNativeHistograms = try bool(value) ?? false
            case "round_robin_dns": _ = try bool(value)
            case "protobuf_message": config.protobufMessage = try string(value, goType: "remoteapi.WriteMessageType") ?? ""
            case "queue_config": try queueConfig(value, into: &config.queue)
            case "metadata_config": try metadataConfig(value, into: &config.metadata)
            default:
                if !value.isGoNull { unsupported.append(key) }
            }
        }
        guard !hadTypeErrors(since: mark) else { return nil }
        guard !config.url.isEmpty else { throw ConfigError("url for remote_write is empty") }
        guard !relabel.contains(where: { $0 == nil }) else {
            throw ConfigError("empty or null relabeling rule in remote write config")
        }
        try Self.validateHeaders(config.headers)
        guard ["prometheus.WriteRequest", "io.prometheus.write.v2.Request"].contains(config.protobufMessage) else {
            throw ConfigError(
                "invalid protobuf_message value: unknown remote write protobuf message \(config.protobufMessage), supported: prometheus.WriteRequest, io.prometheus.write.v2.Request")
        }
        config.httpClient = try client.validated()
        let q = config.queue
        if q.maxShards <= 0 { throw ConfigError("remote write queue max_shards must be positive") }
        if q.minShards <= 0 { throw ConfigError("remote write queue min_shards must be positive") }
        if q.minShards > q.maxShards { throw ConfigError("remote write queue min_shards must not be greater than max_shards") }
        if q.maxSamplesPerSend <= 0 { throw ConfigError("remote write queue max_samples_per_send must be positive") }
        if q.capacity <= 0 { throw ConfigError("remote write queue capacity must be positive") }
        if q.maxBackoffMs < q.minBackoffMs { throw ConfigError("remote write queue max_backoff must not be less than min_backoff") }
        var steps: [RelabelConfig] = []
        for step in relabel.compactMap({ $0 }) { steps.append(try step.validated()) }
        config.writeRelabelConfigs = steps
        return (config, unsupported + client.unsupported)
    }

    private func queueConfig(_ node: Node, into queue: inout QueueConfig) throws(ConfigError) {
        let known: Set<String> = [
            "capacity", "max_shards", "min_shards", "max_samples_per_send", "batch_send_deadline", "min_backoff",
            "max_backoff", "retry_on_http_429", "sample_age_limit",
        ]
        try fields(of: node, goType: "config.QueueConfig", known: known) { key, value throws(ConfigError) in
            switch key {
            case "capacity": queue.capacity = Int(try signed(value) ?? 0)
            case "max_shards": queue.maxShards = Int(try signed(value) ?? 0)
            case "min_shards": queue.minShards = Int(try signed(value) ?? 0)
            case "max_samples_per_send": queue.maxSamplesPerSend = Int(try signed(value) ?? 0)
            case "batch_send_deadline": queue.batchSendDeadlineMs = try duration(value) ?? 0
            case "min_backoff": queue.minBackoffMs = try duration(value) ?? 0
            case "max_backoff": queue.maxBackoffMs = try duration(value) ?? 0
            case "retry_on_http_429": queue.retryOnRateLimit = try bool(value) ?? false
            default: queue.sampleAgeLimitMs = try duration(value) ?? 0
            }
        }
    }

    private func metadataConfig(_ node: Node, into metadata: inout MetadataConfig) throws(ConfigError) {
        try fields(of: node, goType: "config.MetadataConfig", known: ["send", "send_interval", "max_samples_per_send"]) {
            key, value throws(ConfigError) in
            switch key {
            case "send": metadata.send = try bool(value) ?? false
            case "send_interval": metadata.sendIntervalMs = try duration(value) ?? 0
            default: metadata.maxSamplesPerSend = Int(try signed(value) ?? 0)
            }
        }
    }
}

extension ConfigDecoder {
    static let remoteReadFieldNames: Set<String> = Set([
        "url", "remote_timeout", "headers", "read_recent", "name", "required_matchers", "filter_external_labels",
    ]).union(HTTPClientSection.fieldNames)

    /// The entries of `remote_read`; a null entry stays nil.
    func remoteReadSections(_ node: Node) throws(ConfigError) -> [(config: RemoteReadConfig, unsupported: [String])?] {
        try optionalElements(node, goType: "[]*config.RemoteReadConfig") { item throws(ConfigError) in
            try remoteReadSection(item)
        }
    }

    private func remoteReadSection(_ node: Node) throws(ConfigError) -> (config: RemoteReadConfig, unsupported: [String])? {
        let mark = typeErrorCount
        var config = RemoteReadConfig()
        var client = HTTPClientSection()
        try fields(of: node, goType: "config.RemoteReadConfig", known: Self.remoteReadFieldNames) { key, value throws(ConfigError) in
            if HTTPClientSection.fieldNames.contains(key) {
                try httpClientField(key, value, into: &client)
                return
            }
            if try endpointField(key, value, into: &config) { return }
            switch key {
            case "read_recent": config.readRecent = try bool(value) ?? false
            case "required_matchers": config.requiredMatchers = try stringPairs(value)
            default: config.filterExternalLabels = try bool(value) ?? true
            }
        }
        guard !hadTypeErrors(since: mark) else { return nil }
        guard !config.url.isEmpty else { throw ConfigError("url for remote_read is empty") }
        try Self.validateHeaders(config.headers)
        config.httpClient = try client.validated()
        return (config, client.unsupported)
    }

    /// The fields remote_write and remote_read entries share (`url`, `remote_timeout`, `headers`,
    /// `name`); false for any other key.
    private func endpointField<Config: RemoteEndpointConfig>(
        _ key: String, _ value: Node, into config: inout Config
    ) throws(ConfigError) -> Bool {
        switch key {
        case "url": config.url = try customString(value) ?? ""
        case "remote_timeout": config.remoteTimeoutMs = try duration(value) ?? config.remoteTimeoutMs
        case "headers": config.headers = try stringPairs(value)
        case "name": config.name = try string(value) ?? ""
        default: return false
        }
        return true
    }

    /// A `map[string]string` field as pairs in document order.
    func stringPairs(_ value: Node) throws(ConfigError) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        _ = try mapEntries(value, goType: "map[string]string") { name, value throws(ConfigError) in
            guard let text = try string(value) else { return false }
            pairs.append((String(decoding: name, as: UTF8.self), text))
            return true
        }
        return pairs
    }
}
