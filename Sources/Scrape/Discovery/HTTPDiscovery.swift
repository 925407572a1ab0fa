// HTTP service discovery (Prometheus's `discovery/http`): target groups fetched as JSON from a
// URL every refresh interval.

internal import AsyncHTTPClient
import MetricModel
internal import NIOCore
internal import NIOHTTP1

/// Reads the target groups of one `http_sd_configs` entry.
package enum HTTPDiscovery {
    /// The groups at `config.url`, each labelled `__meta_url` and sourced `<url>:<index>`.
    package static func groups(_ config: HTTPSDConfig) async throws -> [TargetGroup] {
        var request = HTTPClientRequest(url: config.url)
        request.headers.add(name: "User-Agent", value: HTTPScraper.userAgent)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(
            name: "X-Prometheus-Refresh-Interval-Seconds", value: HTTPScraper.seconds(config.refreshIntervalMs))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        guard response.status == .ok else {
            throw DiscoveryError("server returned HTTP status \(response.status.code) \(response.status.reasonPhrase)")
        }
        let contentType = response.headers.first(name: "Content-Type") ?? ""
        guard contentType.lowercased().hasPrefix("application/json") else {
            throw DiscoveryError("unsupported content type \(goQuote(contentType))")
        }
        var body = try await response.body.collect(upTo: 64 << 20)
        let text = body.readString(length: body.readableBytes) ?? ""
        return try FileSDConfig.decodeTargetGroups(text, metaLabel: "__meta_url", source: config.url)
    }
}

/// A discovery source that cannot be read, with the reason.
package struct DiscoveryError: Error, Sendable, CustomStringConvertible {
    package var message: String
    init(_ message: String) { self.message = message }
    package var description: String { message }
}
