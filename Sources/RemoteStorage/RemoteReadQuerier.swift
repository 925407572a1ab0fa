// RemoteReadQuerier: one `remote_read` endpoint as a Querier (Prometheus's storage/remote read
// client and querier): a ReadRequest per select, answered with streamed chunks or samples.

internal import AsyncHTTPClient
internal import ChunkEncoding
internal import Logging
package import MetricModel
internal import NIOCore
internal import NIOHTTP1
package import Scrape
internal import Snappy
internal import SwiftProtobuf
internal import WireFormat
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// Reads series from one remote-read endpoint. Label names and values are not asked for (remote
/// read has no such call): those answers come from local storage, as in Prometheus.
package final class RemoteReadQuerier: Querier {
    package let config: RemoteReadConfig
    let externalLabels: Labels
    private let client: HTTPClient

    /// Whether requests ask for STREAMED_XOR_CHUNKS before SAMPLES.
    let acceptsStreamedChunks: Bool

    /// A querier for `config`'s endpoint. It asks for streamed chunks first, as Prometheus's
    /// client does; `acceptsStreamedChunks: false` asks for SAMPLES only (Prometheus's
    /// `AcceptedResponseTypes`, which its configuration does not expose either).
    package init(config: RemoteReadConfig, externalLabels: Labels, acceptsStreamedChunks: Bool = true) throws(ScrapeError) {
        self.config = config
        self.externalLabels = externalLabels
        self.acceptsStreamedChunks = acceptsStreamedChunks
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try config.httpClient.tls.clientConfiguration(),
            redirectConfiguration: config.httpClient.followRedirects ? .follow(max: 10, allowCycles: false) : .disallow)
        configuration.httpVersion = config.httpClient.enableHTTP2 ? .automatic : .http1Only
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    package func shutdown() async {
        try? await client.shutdown()
    }

    /// Whether a query with `matchers` starting at `minTime` goes to this endpoint: all
    /// `required_matchers` present, and (without `read_recent`) only when it reaches before
    /// `localStart`, the oldest time local storage holds.
    package func wants(_ matchers: [LabelMatcher], minTime: Timestamp, localStart: Timestamp) -> Bool {
        for (name, value) in config.requiredMatchers
        where !matchers.contains(where: { $0.type == .equal && $0.name == name && $0.value == value }) {
            return false
        }
        return config.readRecent || minTime < localStart
    }

    /// The matching series with their samples in `[minTime, maxTime]`. With
    /// `filter_external_labels`, the external labels are added to the query and removed from the
    /// answers.
    /// - Throws: `RemoteReadError` when the endpoint cannot be reached or answers badly.
    package func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData] {
        var query = Prometheus_Query()
        query.startTimestampMs = minTime
        query.endTimestampMs = maxTime
        var all = matchers
        if config.filterExternalLabels {
            for (name, value) in externalLabels.pairs where !matchers.contains(where: { $0.name == name }) {
                all.append(try LabelMatcher(.equal, name, value))
            }
        }
        query.matchers = all.map { m in
            var pb = Prometheus_LabelMatcher()
            pb.name = m.name
            pb.value = m.value
            pb.type =
                switch m.type {
                case .equal: .eq
                case .notEqual: .neq
                case .regexMatch: .re
                case .regexNoMatch: .nre
                }
            return pb
        }
        var read = Prometheus_ReadRequest()
        read.queries = [query]
        // Streamed chunks first, as Prometheus 3 asks (#11379): the server sends its chunks as
        // stored instead of every sample re-encoded; older servers answer SAMPLES.
        read.acceptedResponseTypes = acceptsStreamedChunks ? [.streamedXorChunks, .samples] : [.samples]
        let (contentType, body) = try post(Snappy.compress(try read.serializedBytes() as [UInt8]))
        let series: [ReadSeries]
        do {
            series =
                if contentType.hasPrefix(Self.chunkedContentType) {
                    try Self.decodeChunked(body, minTime: minTime, maxTime: maxTime)
                } else {
                    try Self.decodeSamples(body)
                }
        } catch {
            throw RemoteReadError("error reading response from \(config.url): \(error)")
        }
        var result: [SeriesData] = []
        for one in series {
            var pairs: [(String, String)] = []
            for label in one.labels where !(config.filterExternalLabels && externalLabels[label.name] == label.value) {
                pairs.append((label.name, label.value))
            }
            result.append(SeriesData(labels: Labels(pairs), chunks: one.chunks))
        }
        if sorted { result.sort { $0.labels < $1.labels } }
        return result
    }

    package func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] { [] }

    package func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        []
    }

    /// POSTs the request and returns the response's content type and body, waiting on this
    /// thread (queries are evaluated synchronously on the concurrency pool, never on an event loop).
    private func post(_ body: [UInt8]) throws -> (contentType: String, body: [UInt8]) {
        try Spans.withSpan("Remote Read", ofKind: .client) { span in
            span.set("remote_url", config.url)
            return try send(body)
        }
    }

    private func send(_ body: [UInt8]) throws -> (contentType: String, body: [UInt8]) {
        var request = try HTTPClient.Request(url: config.url, method: .POST)
        request.headers.add(name: "Content-Encoding", value: "snappy")
        request.headers.add(name: "Content-Type", value: "application/x-protobuf")
        request.headers.add(name: "User-Agent", value: "Sugarmill/0.1 (Prometheus compatible)")
        request.headers.add(name: "X-Prometheus-Remote-Read-Version", value: "0.1.0")
        // The query's trace goes on: this read is a new span of it.
        if let traceparent = Spans.outgoingTraceparent() { request.headers.add(name: "traceparent", value: traceparent) }
        for (name, value) in config.headers { request.headers.add(name: name, value: value) }
        if let authorization = try config.httpClient.authorizationHeader() {
            request.headers.add(name: "Authorization", value: authorization)
        }
        request.body = .bytes(body)
        let deadline = NIODeadline.now() + .milliseconds(config.remoteTimeoutMs)
        let response = try client.execute(request: request, deadline: deadline).wait()
        let bytes = response.body.map { Array($0.readableBytesView) } ?? []
        guard (200..<300).contains(Int(response.status.code)) else {
            throw RemoteReadError(
                "remote server \(config.url) returned HTTP status \(response.status): \(String(decoding: bytes.prefix(256), as: UTF8.self))")
        }
        return (response.headers.first(name: "Content-Type") ?? "", bytes)
    }
}

/// A remote-read endpoint that could not be read.
package struct RemoteReadError: Error, CustomStringConvertible {
    package var message: String
    init(_ message: String) { self.message = message }
    package var description: String { message }
}
