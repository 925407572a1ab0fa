// `tracing:` of `prometheus.yml` (Prometheus's `config.TracingConfig`): where Sugarmill sends its
// own spans by OTLP. Absent, or without an endpoint: no spans are exported (traceparent headers
// are still honoured and passed on).

/// `tracing:`, with Prometheus's defaults.
package struct TracingConfig: Sendable, Equatable {
    /// `client_type`: OTLP over gRPC (Prometheus's default) or over HTTP (protobuf bodies).
    package enum ClientType: String, Sendable, Equatable {
        case grpc, http
    }

    package var clientType: ClientType = .grpc
    /// `endpoint`: `host:port`, no scheme (the scheme follows `insecure`).
    package var endpoint = ""
    /// `sampling_fraction`: the share of new traces sampled (0 to 1); a request's own sampled flag
    /// decides for the traces it belongs to (parent-based, as Prometheus).
    package var samplingFraction = 0.0
    /// `insecure`: plain HTTP/2 or HTTP instead of TLS.
    package var insecure = false
    package var tls = TLSConfig()
    package var headers: [(name: String, value: String)] = []
    /// `compression`: "" or `gzip`.
    package var compression = ""
    /// `timeout`, milliseconds; 0 is the exporter's default (10 s).
    package var timeoutMs: Int64 = 0

    package init() {}

    /// Whether spans are exported at all.
    package var isEnabled: Bool { !endpoint.isEmpty }

    package static func == (lhs: TracingConfig, rhs: TracingConfig) -> Bool {
        lhs.clientType == rhs.clientType && lhs.endpoint == rhs.endpoint && lhs.samplingFraction == rhs.samplingFraction
            && lhs.insecure == rhs.insecure && lhs.tls == rhs.tls && lhs.compression == rhs.compression
            && lhs.timeoutMs == rhs.timeoutMs && lhs.headers.elementsEqual(rhs.headers, by: { $0 == $1 })
    }
}
