// Fetching a target's exposition over HTTP (Prometheus's `targetScraper`): the headers Prometheus
// 3 sends, the timeout, authentication, the body size limit and gzip.

internal import AsyncHTTPClient
import MetricModel
internal import NIOHTTPCompression
internal import NIOCore
internal import NIOHTTP1
internal import NIOSSL
internal import Synchronization
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
    /// Where a target's scrape loop should run: the event loop its connection lives on, so that
    /// the response is parsed and stored on the thread that read it. Nil: the global pool.
    func loopExecutor() -> (any TaskExecutor)?
}

extension Scraper {
    package func loopExecutor() -> (any TaskExecutor)? { nil }
}

/// Scrapes over HTTP(S) with the settings of one scrape config.
package final class HTTPScraper: Scraper {
    /// One client per event loop of the shared group, each keeping its connections on its loop.
    private let clients: [(loop: any EventLoop, client: HTTPClient, plain: PlainHTTPConnections)]
    private let nextLoop = Atomic<Int>(0)
    private let config: ScrapeConfig
    private let acceptHeader: String
    /// Prometheus identifies itself; exporters key nothing on it, so we say who we are.
    static let userAgent = "Sugarmill/0.1 (Prometheus compatible)"

    /// The most a scrape reads when the config sets no `body_size_limit`: Prometheus reads without
    /// end, but an endless or 10 GB body must not take the process down.
    package static let defaultMaxBodyBytes = 1 << 30
    private let maxBodyBytes: Int

    package init(config: ScrapeConfig, maxBodyBytes: Int = HTTPScraper.defaultMaxBodyBytes) throws(ScrapeError) {
        self.config = config
        self.maxBodyBytes = maxBodyBytes
        acceptHeader = Self.acceptHeader(config.scrapeProtocols, escaping: "allow-utf-8")
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try config.httpClient.tls.clientConfiguration(),
            redirectConfiguration: config.httpClient.followRedirects ? .follow(max: 10, allowCycles: false) : .disallow,
            decompression: .enabled(limit: .none))
        configuration.httpVersion = config.httpClient.enableHTTP2 ? .automatic : .http1Only
        // As Prometheus's clients (`MaxIdleConnsPerHost: 1000`, `IdleConnTimeout: 5m`): a job's
        // targets behind one host:port each keep a connection, and slow intervals keep theirs.
        configuration.connectionPool = .init(idleTimeout: .minutes(5), concurrentHTTP1ConnectionsPerHostSoftLimit: 1000)
        clients = HTTPClient.defaultEventLoopGroup.makeIterator().map { loop in
            (loop, HTTPClient(eventLoopGroup: loop, configuration: configuration), PlainHTTPConnections(loop: loop))
        }
    }

    package func shutdown() async {
        for (_, client, plain) in clients {
            try? await plain.closeAll().get()
            try? await client.shutdown()
        }
    }

    /// The event loops in turn. A scrape made on a loop goes through that loop's client, so the
    /// response is read, collected and handed back on one thread.
    package func loopExecutor() -> (any TaskExecutor)? {
        let i = nextLoop.add(1, ordering: .relaxed).oldValue
        return EventLoopTaskExecutor(eventLoop: clients[i % clients.count].loop)
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
        if let fault = NetworkFaults.scrapeFault(job: target.job) { return await injected(fault, target) }
        return await fetch(target)
    }

    /// A scrape struck by an injected network fault (`NetworkFaults`).
    private func injected(_ fault: NetworkFaults.Effect, _ target: ScrapeTarget) async -> ScrapeResponse {
        switch fault {
        case .reset:
            return ScrapeResponse(error: ScrapeError("Get \(goQuote(target.url)): read: connection reset by peer (injected fault)"))
        case .timeout:
            try? await Task.sleep(for: .milliseconds(target.timeoutMs))
            return ScrapeResponse(error: ScrapeError("Get \(goQuote(target.url)): context deadline exceeded (injected fault)"))
        case .truncate:
            var response = await fetch(target)
            if response.error == nil {
                response.body.removeLast(response.body.count / 2)
                response.bodyBytes = response.body.count
            }
            return response
        }
    }

    private func fetch(_ target: ScrapeTarget) async -> ScrapeResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: acceptHeader)
        headers.add(name: "Accept-Encoding", value: config.enableCompression ? "gzip" : "identity")
        headers.add(name: "User-Agent", value: Self.userAgent)
        headers.add(name: "X-Prometheus-Scrape-Timeout-Seconds", value: Self.seconds(target.timeoutMs))
        do {
            if let value = try authorizationHeader() { headers.add(name: "Authorization", value: value) }
        } catch {
            return ScrapeResponse(error: error)
        }
        let limit = config.limits.bodySizeLimit > 0 ? Int(clamping: config.limits.bodySizeLimit) : maxBodyBytes
        let deadline = NIODeadline.now() + .milliseconds(target.timeoutMs)
        let local = clients.first { $0.loop.inEventLoop } ?? clients[0]
        if let url = PlainHTTPURL(target.url) {
            // Cancelling (the loop stops) stops the wait; the request runs on to its deadline.
            let answer = local.loop.makePromise(of: ScrapeResponse.self)
            local.plain.get(
                url, headers: headers, limit: limit, followRedirects: config.httpClient.followRedirects, deadline: deadline).cascade(to: answer)
            do {
                return try await withTaskCancellationHandler {
                    try await answer.futureResult.get()
                } onCancel: {
                    answer.fail(CancellationError())
                }
            } catch let error as PlainHTTPError {
                if error.limitExceeded { return Self.limitExceeded }
                if !error.redirect {
                    return ScrapeResponse(error: ScrapeError("Get \(goQuote(target.url)): \(error.message)"))
                }
            } catch {
                return ScrapeResponse(error: ScrapeError("Get \(goQuote(target.url)): \(error)"))
            }
        }
        return await scrapeWithClient(local.client, target, headers: headers, limit: limit, deadline: deadline)
    }

    /// HTTPS, HTTP/2, redirects and unusual URLs, through AsyncHTTPClient.
    private func scrapeWithClient(
        _ client: HTTPClient, _ target: ScrapeTarget, headers: HTTPHeaders, limit: Int, deadline: NIODeadline
    ) async -> ScrapeResponse {
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: target.url, method: .GET, headers: headers)
        } catch {
            return ScrapeResponse(error: ScrapeError("Get \(goQuote(target.url)): \(Self.describe(error))"))
        }
        // The delegate API: AsyncHTTPClient's async one starts a task on the global pool per request.
        let running = client.execute(
            request: request, delegate: BodyCollector(limit: limit), deadline: deadline)
        do {
            return try await withTaskCancellationHandler {
                try await running.futureResult.get()
            } onCancel: {
                running.cancel()
            }
        } catch let error as PlainHTTPError where error.limitExceeded {
            return Self.limitExceeded
        } catch {
            return ScrapeResponse(error: ScrapeError("Get \(goQuote(target.url)): \(Self.describe(error))"))
        }
    }

    /// A body over the limit (`bodyBytes` -1 tells the report series so).
    static let limitExceeded = ScrapeResponse(error: ScrapeError("body size limit exceeded"), bodyBytes: -1)

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
        try config.httpClient.authorizationHeader()
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

/// A response's head and body as they arrive, up to the body size limit: what both HTTP paths
/// (AsyncHTTPClient's delegate and the plain client's handler) collect, and the response they give.
struct ScrapeBody {
    private let limit: Int
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    init(limit: Int) { self.limit = limit }

    /// The response head; a known length within the limit is reserved at once.
    mutating func receive(_ head: HTTPResponseHead) {
        self.head = head
        if head.status == .ok, let length = head.headers.first(name: "Content-Length").flatMap({ Int($0) }),
            length > 0, length <= limit
        {
            body.reserveCapacity(length)
        }
    }

    /// Appends a part of a successful response's body (a failed status's body is dropped); false
    /// when it would pass the limit.
    mutating func receive(_ buffer: ByteBuffer) -> Bool {
        guard head?.status == .ok else { return true }
        if body.count + buffer.readableBytes > limit { return false }
        body.append(contentsOf: buffer.readableBytesView)
        return true
    }

    /// The response once the body is complete: the body, or Prometheus's error for a status
    /// other than 200.
    mutating func response() -> ScrapeResponse {
        guard let head else { return ScrapeResponse(error: ScrapeError("no response")) }
        guard head.status == .ok else {
            return ScrapeResponse(
                error: ScrapeError("server returned HTTP status \(head.status.code) \(head.status.reasonPhrase)"))
        }
        let response = ScrapeResponse(
            body: body, contentType: head.headers.first(name: "Content-Type") ?? "", bodyBytes: body.count)
        body = []
        return response
    }
}

/// Collects a response through AsyncHTTPClient's delegate API. Called by the client on the
/// request's event loop only.
private final class BodyCollector: HTTPClientResponseDelegate, @unchecked Sendable {
    // Safety: the client calls a delegate on its event loop, one callback at a time.
    typealias Response = ScrapeResponse

    private var collected: ScrapeBody

    init(limit: Int) { collected = ScrapeBody(limit: limit) }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        collected.receive(head)
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        if !collected.receive(buffer) { task.fail(reason: PlainHTTPError.limit) }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> ScrapeResponse {
        collected.response()
    }
}
