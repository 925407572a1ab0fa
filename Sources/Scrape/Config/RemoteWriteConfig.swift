// `remote_write:` entries of prometheus.yml (Prometheus's `config.RemoteWriteConfig`), with its
// defaults and checks; decoded in RemoteWriteConfig+Decoding.

package import Relabel

/// One `remote_write` endpoint.
/// What remote_write and remote_read entries both have.
protocol RemoteEndpointConfig {
    var url: String { get set }
    var name: String { get set }
    var remoteTimeoutMs: Int64 { get set }
    var headers: [(name: String, value: String)] { get set }
}

package struct RemoteWriteConfig: Sendable, RemoteEndpointConfig {
    package var url = ""
    /// `name`; empty: named after a hash of the config, as Prometheus does.
    package var name = ""
    package var remoteTimeoutMs: Int64 = 30_000
    /// Extra request headers (`headers`), e.g. `X-Scope-OrgID` for multi-tenant receivers.
    package var headers: [(name: String, value: String)] = []
    package var writeRelabelConfigs: [RelabelConfig] = []
    /// `protobuf_message`: `prometheus.WriteRequest` (1.0) or `io.prometheus.write.v2.Request`.
    package var protobufMessage = "prometheus.WriteRequest"
    package var sendExemplars = false
    package var sendNativeHistograms = false
    package var httpClient = HTTPClientConfig()
    package var queue = QueueConfig()
    package var metadata = MetadataConfig()

    package init(url: String = "") { self.url = url }

    /// The name its metrics and progress file use: `name`, or a hash of the URL.
    package var displayName: String {
        if !name.isEmpty { return name }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in url.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// `queue_config`: how samples are batched, sharded and retried.
package struct QueueConfig: Sendable, Equatable {
    package var capacity = 10_000
    package var maxShards = 50
    package var minShards = 1
    package var maxSamplesPerSend = 2_000
    package var batchSendDeadlineMs: Int64 = 5_000
    package var minBackoffMs: Int64 = 30
    package var maxBackoffMs: Int64 = 5_000
    /// `retry_on_http_429` (Prometheus 3's default: false, the batch is dropped).
    package var retryOnRateLimit = false
    /// `sample_age_limit`: samples older than this are dropped instead of sent (0: no limit).
    package var sampleAgeLimitMs: Int64 = 0

    package init() {}
}

/// `metadata_config`.
package struct MetadataConfig: Sendable, Equatable {
    package var send = true
    package var sendIntervalMs: Int64 = 60_000
    package var maxSamplesPerSend = 2_000

    package init() {}
}

/// One `remote_read` endpoint (Prometheus's `config.RemoteReadConfig`).
package struct RemoteReadConfig: Sendable, RemoteEndpointConfig {
    package var url = ""
    /// `name`; empty: named after a hash of the URL.
    package var name = ""
    package var remoteTimeoutMs: Int64 = 60_000
    package var headers: [(name: String, value: String)] = []
    /// `read_recent`: also ask for time ranges the local storage holds (default false).
    package var readRecent = false
    /// `required_matchers`: equality matchers a query must have for this endpoint to be asked.
    package var requiredMatchers: [(name: String, value: String)] = []
    /// `filter_external_labels`: add the external labels to each query as equality matchers.
    package var filterExternalLabels = true
    package var httpClient = HTTPClientConfig()

    package init(url: String = "") { self.url = url }
}
