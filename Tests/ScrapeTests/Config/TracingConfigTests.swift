// `tracing:` read as Prometheus reads it: defaults, every check in its words.

import Scrape
import Testing

@Suite struct TracingConfigTests {
    @Test("absent: no endpoint, spans off; present: Prometheus's defaults (gRPC, fraction 0, TLS)")
    func defaults() throws {
        #expect(try ConfigTest.load("global: {}\n").tracing.isEnabled == false)
        let tracing = try ConfigTest.load("tracing:\n  endpoint: collector:4317\n").tracing
        #expect(tracing.isEnabled)
        #expect(tracing.clientType == .grpc && tracing.samplingFraction == 0 && !tracing.insecure)
        #expect(tracing.compression.isEmpty && tracing.timeoutMs == 0 && tracing.headers.isEmpty)
        #expect(try ConfigTest.load("tracing:\n").tracing.isEnabled == false)
    }

    @Test("every field, TLS files joined with the config's directory; only compression reported as not applied")
    func fields() throws {
        let config = try ConfigTest.load(
            """
            tracing:
              client_type: http
              endpoint: 127.0.0.1:4318
              sampling_fraction: 0.25
              headers: {X-Tenant: a}
              compression: gzip
              timeout: 3s
              tls_config: {ca_file: ca.pem, cert_file: c.pem, key_file: k.pem}
            """)
        let tracing = config.tracing
        #expect(tracing.clientType == .http && tracing.endpoint == "127.0.0.1:4318" && tracing.samplingFraction == 0.25)
        #expect(tracing.headers.map(\.name) == ["X-Tenant"] && tracing.compression == "gzip" && tracing.timeoutMs == 3_000)
        #expect(tracing.tls.caFile == "/etc/prometheus/ca.pem" && tracing.tls.keyFile == "/etc/prometheus/k.pem")
        #expect(config.notYetSupported == ["tracing: compression (spans are sent uncompressed)"])
    }

    @Test("options the exporter does not apply are listed; with insecure TLS ones do not matter")
    func unsupportedOptions() throws {
        let secure = try ConfigTest.load(
            "tracing:\n  endpoint: c:4317\n  compression: gzip\n  tls_config: {insecure_skip_verify: true, max_version: TLS12, ca: x}\n")
        #expect(secure.notYetSupported == [
            "tracing: tls_config ca/cert/key inline", "tracing: tls_config max_version",
            "tracing: compression (spans are sent uncompressed)",
        ])
        let insecure = try ConfigTest.load(
            "tracing:\n  endpoint: c:4317\n  insecure: true\n  tls_config: {max_version: TLS12}\n")
        #expect(insecure.notYetSupported.isEmpty)
    }

    @Test(
        "checks, with Prometheus's error text",
        arguments: [
            ("tracing:\n  client_type: udp\n  endpoint: c:1\n", "expected tracing client type to be to be http or grpc, but got udp"),
            ("tracing:\n  client_type: http\n", "tracing endpoint must be set"),
            ("tracing:\n  endpoint: c:1\n  headers: {Authorization: x}\n", "custom authorization header configuration is not yet supported"),
            ("tracing:\n  endpoint: c:1\n  headers: {User-Agent: x}\n", "User-Agent is a reserved header. It must not be changed"),
            ("tracing:\n  endpoint: c:1\n  compression: snappy\n", "invalid compression type snappy provided, valid options: gzip"),
            ("tracing:\n  endpoint: c:1\n  timeout: 5\n", #"not a valid duration string: "5""#),
            ("tracing:\n  endpoint: c:1\n  sampling_rate: 1\n", "yaml: unmarshal errors:\n  line 3: field sampling_rate not found in type config.plain"),
        ])
    func errors(yaml: String, message: String) {
        #expect(ConfigTest.error(yaml) == message)
    }
}
