// Fetching a target's exposition over HTTP (Prometheus's `targetScraper`): the headers Prometheus
// 3 sends, the timeout, authentication, the body size limit and gzip.

internal import AsyncHTTPClient
import MetricModel
internal import NIOHTTPCompression
internal import NIOCore
internal import NIOHTTP1
internal import NIOSSL
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// One scrape's response, or why there is none.
package struct ScrapeResponse: Sendable {
    package var body: [UInt8] = []
    package var contentType = ""
    package var error: ScrapeError?
    /// Bytes read (uncompressed); -1 when the body size limit stopped the read.
    package var bodyBytes = 0

    package init(body: [UInt8] = [], contentType: String = "", error: ScrapeError? = nil, bodyBytes: Int = 0) {
        self.body = body
        self.contentType = contentType
        self.error = error
        self.bodyBytes = bodyBytes
    }
}

/// Fetches expositions; the HTTP one for real targets, others in tests.
package protocol Scraper: Sendable {
    func scrape(_ target: ScrapeTarget) async -> ScrapeResponse
    /// Releases connections; no scrape may run afterwards.
    func shutdown() async
}

/// Scrapes over HTTP(S) with the settings of one scrape config.
package final class HTTPScraper: Scraper {
    private let client: HTTPClient
    private let config: ScrapeConfig
    private let acceptHeader: String
    /// Prometheus identifies itself; exporters key nothing on it, so we say who we are.
    static let userAgent = "Sugarmill/0.1 (Prometheus compatible)"

    package init(config: ScrapeConfig) throws(ScrapeError) {
        self.config = config
        acceptHeader = Self.acceptHeader(config.scrapeProtocols, escaping: "allow-utf-8")
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try Self.tlsConfiguration(config.httpClient.tls),
            redirectConfiguration: config.httpClient.followRedirects ? .follow(max: 10, allowCycles: false) : .disallow,
            decompression: .enabled(limit: .none))
        configuration.httpVersion = config.httpClient.enableHTTP2 ? .automatic : .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    package func shutdown() async {
        try? await client.shutdown()
    }

    /// `acceptHeader`: the protocols in preference order with weights from 0.<n+1> down, the
    /// escaping scheme on the 1.0.0 text formats, and a catch-all last.
    static func acceptHeader(_ protocols: [ScrapeProtocol], escaping: String) -> String {
        var weight = ScrapeProtocol.allCases.count + 1
        var values: [String] = []
        for p in protocols {
            var value = mediaType(p)
            if p == .prometheusText1_0_0 || p == .openMetricsText1_0_0 { value += ";escaping=\(escaping)" }
            value += ";q=0.\(weight)"
            values.append(value)
            weight -= 1
        }
        values.append("*/*;q=0.\(weight)")
        return values.joined(separator: ",")
    }

    /// `config.ScrapeProtocolsHeaders`.
    static func mediaType(_ p: ScrapeProtocol) -> String {
        switch p {
        case .prometheusProto: "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"
        case .prometheusText0_0_4: "text/plain;version=0.0.4"
        case .prometheusText1_0_0: "text/plain;version=1.0.0"
        case .openMetricsText0_0_1: "application/openmetrics-text;version=0.0.1"
        case .openMetricsText1_0_0: "application/openmetrics-text;version=1.0.0"
        }
    }

    package func scrape(_ target: ScrapeTarget) async -> ScrapeResponse {
        var request = HTTPClientRequest(url: target.url)
        request.headers.add(name: "Accept", value: acceptHeader)
        request.headers.add(name: "Accept-Encoding", value: config.enableCompression ? "gzip" : "identity")
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        request.headers.add(
            name: "X-Prometheus-Scrape-Timeout-Seconds", value: Self.seconds(target.timeoutMs))
        do {
            if let value = try authorizationHeader() { request.headers.add(name: "Authorization", value: value) }
        } catch {
            return ScrapeResponse(error: error)
        }
        let deadline = NIODeadline.now() + .milliseconds(target.timeoutMs)
        let limit = config.limits.bodySizeLimit > 0 ? Int(clamping: config.limits.bodySizeLimit) : Int.max
        do {
            let response = try await client.execute(request, deadline: deadline)
            guard response.status == .ok else {
                return ScrapeResponse(error: ScrapeError("server returned HTTP status \(response.status.code) \(response.status.reasonPhrase)"))
            }
            var body: [UInt8] = []
            for try await chunk in response.body {
                if body.count + chunk.readableBytes > limit {
                    return ScrapeResponse(error: ScrapeError("body size limit exceeded"), bodyBytes: -1)
                }
                body.append(contentsOf: chunk.readableBytesView)
                if NIODeadline.now() > deadline { throw HTTPClientError.deadlineExceeded }
            }
            return ScrapeResponse(
                body: body, contentType: response.headers.first(name: "Content-Type") ?? "", bodyBytes: body.count)
        } catch {
            return ScrapeResponse(error: ScrapeError("Get \(goQuote(target.url)): \(Self.describe(error))"))
        }
    }

    /// Go-like texts for the client's errors.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "context deadline exceeded"
            case .remoteConnectionClosed: return "EOF"
            default: return "\(error)"
            }
        }
        return "\(error)"
    }

    /// The `Authorization` header from basic auth or `authorization` (secret files read now, as
    /// Prometheus rereads them for every request).
    private func authorizationHeader() throws(ScrapeError) -> String? {
        let http = config.httpClient
        if let basic = http.basicAuth {
            let password = try basic.password.map { secret throws(ScrapeError) in try Self.read(secret) } ?? ""
            let token = Array("\(basic.username):\(password)".utf8)
            return "Basic " + Base64.encode(token)
        }
        if let authorization = http.authorization, let credentials = authorization.credentials {
            return "\(authorization.type) \(try Self.read(credentials))"
        }
        return nil
    }

    private static func read(_ secret: Secret) throws(ScrapeError) -> String {
        switch secret {
        case .inline(let value): return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ScrapeError("unable to read secret file \(path)")
            }
            var text = String(decoding: data, as: UTF8.self)
            while text.last == "\n" || text.last == "\r" || text.last == " " { text.removeLast() }
            return text
        }
    }

    private static func tlsConfiguration(_ tls: TLSConfig) throws(ScrapeError) -> NIOSSL.TLSConfiguration {
        var configuration = NIOSSL.TLSConfiguration.makeClientConfiguration()
        if tls.insecureSkipVerify { configuration.certificateVerification = .none }
        if let ca = tls.caFile { configuration.trustRoots = .file(ca) }
        do {
            if let cert = tls.certFile {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
            }
            if let key = tls.keyFile { configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)) }
        } catch {
            throw ScrapeError("unable to load TLS certificate: \(error)")
        }
        switch tls.minVersion {
        case "TLS10": configuration.minimumTLSVersion = .tlsv1
        case "TLS11": configuration.minimumTLSVersion = .tlsv11
        case "TLS13": configuration.minimumTLSVersion = .tlsv13
        default: configuration.minimumTLSVersion = .tlsv12
        }
        return configuration
    }

    /// Seconds as Go's `strconv.FormatFloat(s, 'f', -1, 64)`: `10`, `0.5`.
    static func seconds(_ ms: Int64) -> String {
        if ms % 1000 == 0 { return String(ms / 1000) }
        var fraction = String(ms % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(ms / 1000).\(fraction)"
    }
}
