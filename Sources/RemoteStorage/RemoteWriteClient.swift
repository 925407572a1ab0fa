// RemoteWriteClient: one remote-write endpoint over HTTP — the headers senders send, the
// status codes receivers answer, sorted into "stored", "retry later" and "never".

internal import AsyncHTTPClient
internal import Logging
internal import MetricModel
internal import NIOCore
internal import NIOHTTP1
internal import Scrape
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// What became of one request.
enum SendOutcome: Equatable {
    /// 2xx: stored.
    case stored
    /// 5xx, 429 (when retried) or no answer: send again after a backoff, at least `retryAfterMs`.
    case retry(reason: String, retryAfterMs: Int64?)
    /// Any other answer: the receiver will never take it; the batch is dropped.
    case rejected(reason: String)
}

/// Sends snappy-compressed write requests to one URL with the config's auth, TLS and headers.
final class RemoteWriteClient: Sendable {
    let config: RemoteWriteConfig
    private let client: HTTPClient

    init(config: RemoteWriteConfig) throws(ScrapeError) {
        self.config = config
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try config.httpClient.tls.clientConfiguration(),
            redirectConfiguration: config.httpClient.followRedirects ? .follow(max: 10, allowCycles: false) : .disallow)
        configuration.httpVersion = config.httpClient.enableHTTP2 ? .automatic : .http1Only
        configuration.timeout = .init(connect: .seconds(10))
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// The Content-Type and version header of the configured message.
    var messageHeaders: (contentType: String, version: String) {
        config.protobufMessage == "io.prometheus.write.v2.Request"
            ? ("application/x-protobuf;proto=io.prometheus.write.v2.Request", "2.0.0")
            : ("application/x-protobuf", "0.1.0")
    }

    /// POSTs one snappy body; `attempt` > 0 adds Prometheus's `Retry-Attempt` header.
    func send(_ body: [UInt8], attempt: Int) async -> SendOutcome {
        if let fault = NetworkFaults.remoteWriteFault(name: config.displayName) {
            // An injected network fault (`NetworkFaults`): the receiver never answers.
            if fault == .timeout { try? await Task.sleep(for: .milliseconds(config.remoteTimeoutMs)) }
            let reason = switch fault {
            case .reset: "Post \"\(config.url)\": read: connection reset by peer (injected fault)"
            case .timeout: "Post \"\(config.url)\": context deadline exceeded (injected fault)"
            case .truncate: "Post \"\(config.url)\": unexpected EOF (injected fault)"
            }
            return .retry(reason: reason, retryAfterMs: nil)
        }
        var request = HTTPClientRequest(url: config.url)
        request.method = .POST
        let (contentType, version) = messageHeaders
        request.headers.add(name: "Content-Encoding", value: "snappy")
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "User-Agent", value: "Sugarmill/0.1 (Prometheus compatible)")
        request.headers.add(name: "X-Prometheus-Remote-Write-Version", value: version)
        if attempt > 0 { request.headers.add(name: "Retry-Attempt", value: String(attempt)) }
        // The send's span (`Remote Send Batch`) when spans are exported.
        if let traceparent = Spans.outgoingTraceparent() { request.headers.add(name: "traceparent", value: traceparent) }
        for (name, value) in config.headers { request.headers.add(name: name, value: value) }
        do {
            if let authorization = try config.httpClient.authorizationHeader() {
                request.headers.add(name: "Authorization", value: authorization)
            }
        } catch {
            return .retry(reason: "\(error)", retryAfterMs: nil)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(config.remoteTimeoutMs))
            let text = String(buffer: (try? await response.body.collect(upTo: 1024)) ?? ByteBuffer())
            let code = Int(response.status.code)
            switch code {
            case 200..<300:
                return .stored
            case 500..<600:
                return .retry(reason: "server returned HTTP status \(response.status): \(text)", retryAfterMs: nil)
            case 429 where config.queue.retryOnRateLimit:
                return .retry(
                    reason: "server returned HTTP status \(response.status): \(text)",
                    retryAfterMs: Self.retryAfter(response.headers.first(name: "Retry-After")))
            default:
                return .rejected(reason: "server returned HTTP status \(response.status): \(text)")
            }
        } catch {
            return .retry(reason: "\(error)", retryAfterMs: nil)
        }
    }

    /// `Retry-After` in seconds, in ms (an HTTP date is not read: the backoff applies then).
    static func retryAfter(_ value: String?) -> Int64? {
        guard let value, let seconds = Int64(value.filter { $0 != " " && $0 != "\t" }), seconds >= 0 else { return nil }
        return seconds * 1000
    }
}
