// Plain-HTTP scrapes without a general-purpose client: one kept-alive connection per target and
// event loop, a request head written as is, the body collected into one array. AsyncHTTPClient
// costs about as much per request as parsing a thousand samples (URL parsing, tracing spans, a
// pool state machine, idle timers); most exporters speak plain HTTP/1.1, so they come here, and
// HTTPS, HTTP/2 and redirects stay with AsyncHTTPClient (`HTTPScraper`).

internal import NIOCore
internal import NIOHTTP1
internal import NIOHTTPCompression
internal import NIOPosix

/// Where a plain `http://` URL points, or nil for anything this client leaves to the full one.
struct PlainHTTPURL: Equatable {
    var host: String
    var port: Int
    /// Path and query, as sent in the request line.
    var requestURI: String
    /// `host:port` as written, for the `Host` header and error messages.
    var authority: String

    init?(_ url: String) {
        let prefix = "http://"
        guard url.utf8.count > prefix.utf8.count, url.utf8.starts(with: prefix.utf8) else { return nil }
        let rest = url.utf8.dropFirst(prefix.utf8.count)
        let end = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? rest.endIndex
        let authority = String(decoding: rest[..<end], as: UTF8.self)
        var uri = String(decoding: rest[end...], as: UTF8.self)
        if let fragment = uri.firstIndex(of: "#") { uri = String(uri[..<fragment]) }
        if uri.isEmpty || uri.first == "?" { uri = "/" + uri }
        // User info and anything unusual: the full client.
        guard !authority.isEmpty, !authority.contains("@"), !authority.contains(" ") else { return nil }
        var host = authority
        var port = 80
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":", let p = Int(after.dropFirst()), (1...65535).contains(p) else { return nil }
                port = p
            }
        } else if let colon = authority.lastIndex(of: ":") {
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            host = String(authority[..<colon])
            port = p
        }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
        self.requestURI = uri
        self.authority = authority
    }
}

/// How a plain scrape failed, in the words Go's client uses after `Get "<url>": `.
struct PlainHTTPError: Error {
    var message: String
    /// The connection was reused and failed before any byte of a response: worth one retry on a
    /// fresh connection (Go's transport does the same for idempotent requests).
    var retryable = false
    /// A redirect: the full client follows it.
    var redirect = false
    /// The body passed the size limit.
    var limitExceeded = false
    static let deadline = PlainHTTPError(message: "context deadline exceeded")
    static let limit = PlainHTTPError(message: "body size limit exceeded", limitExceeded: true)
}

/// The idle connections of one event loop, by `host:port`. Used on that loop only.
final class PlainHTTPConnections: @unchecked Sendable {
    // Safety: every method asserts it runs on `loop`, the only thread touching `idle`.
    let loop: any EventLoop
    /// Kept connections by `host:port`.
    private var idle: [String: [any Channel]] = [:]

    init(loop: any EventLoop) { self.loop = loop }

    /// Fetches `url` with `headers` added to the request, collecting at most `limit` body bytes.
    /// A redirect fails with ``PlainHTTPError/redirect`` when `followRedirects`, and is an
    /// unsuccessful status otherwise.
    func get(
        _ url: PlainHTTPURL, headers: HTTPHeaders, limit: Int, followRedirects: Bool, deadline: NIODeadline
    ) -> EventLoopFuture<ScrapeResponse> {
        let request = Request(url: url, headers: headers, limit: limit, followRedirects: followRedirects, deadline: deadline)
        if loop.inEventLoop { return start(request, reused: nil) }
        return loop.flatSubmit { self.start(request, reused: nil) }
    }

    struct Request {
        var url: PlainHTTPURL
        var headers: HTTPHeaders
        var limit: Int
        var followRedirects: Bool
        var deadline: NIODeadline
    }

    /// Closes every idle connection.
    func closeAll() -> EventLoopFuture<Void> {
        loop.flatSubmit {
            let channels = self.idle.values.flatMap { $0 }
            self.idle = [:]
            return EventLoopFuture.andAllComplete(channels.map { $0.close() }, on: self.loop)
        }
    }

    private func start(_ request: Request, reused: Bool?) -> EventLoopFuture<ScrapeResponse> {
        loop.preconditionInEventLoop()
        let url = request.url
        let deadline = request.deadline
        let promise = loop.makePromise(of: ScrapeResponse.self)
        let timer = loop.scheduleTask(deadline: deadline) { promise.fail(PlainHTTPError.deadline) }
        promise.futureResult.whenComplete { _ in timer.cancel() }

        let channel: EventLoopFuture<any Channel>
        var isReused = false
        if reused != false, let kept = takeIdle(url) {
            channel = loop.makeSucceededFuture(kept)
            isReused = true
        } else {
            channel = connect(url, deadline: deadline)
        }
        channel.whenComplete { result in
            switch result {
            case .failure(let error):
                promise.fail(PlainHTTPError(message: Self.describeConnect(error, url)))
            case .success(let channel):
                guard NIODeadline.now() < deadline else {
                    channel.close(promise: nil)
                    return
                }
                guard let handler = try? channel.pipeline.syncOperations.handler(type: PlainHTTPResponseHandler.self) else {
                    channel.close(promise: nil)
                    promise.fail(PlainHTTPError(message: "internal error: no response handler"))
                    return
                }
                var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: url.requestURI, headers: request.headers)
                head.headers.replaceOrAdd(name: "Host", value: url.authority)
                handler.send(
                    head, on: channel, limit: request.limit, followRedirects: request.followRedirects, reused: isReused,
                    promise: promise)
                promise.futureResult.whenComplete { result in
                    switch result {
                    case .success where handler.keepAlive && channel.isActive:
                        self.idle[url.authority, default: []].append(channel)
                    default:
                        channel.close(promise: nil)
                    }
                }
            }
        }
        return promise.futureResult.flatMapError { error in
            // A kept connection the exporter had closed: once more on a fresh one.
            if let error = error as? PlainHTTPError, error.retryable, NIODeadline.now() < deadline {
                return self.start(request, reused: false)
            }
            return self.loop.makeFailedFuture(error)
        }
    }

    private func takeIdle(_ url: PlainHTTPURL) -> (any Channel)? {
        while let channel = idle[url.authority]?.popLast() {
            if channel.isActive { return channel }
            channel.close(promise: nil)
        }
        return nil
    }

    private func connect(_ url: PlainHTTPURL, deadline: NIODeadline) -> EventLoopFuture<any Channel> {
        let timeout = max(deadline - .now(), .milliseconds(1))
        return ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHTTPClientHandlers(leftOverBytesStrategy: .dropBytes)
                    try sync.addHandler(NIOHTTPResponseDecompressor(limit: .none))
                    try sync.addHandler(PlainHTTPResponseHandler())
                }
            }
            .connect(host: url.host, port: url.port)
    }

    /// Go's dial errors: `dial tcp <addr>: connect: connection refused`.
    static func describeConnect(_ error: any Error, _ url: PlainHTTPURL) -> String {
        if let error = error as? PlainHTTPError { return error.message }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return "context deadline exceeded" }
        if let connection = error as? NIOConnectionError {
            guard let first = connection.connectionErrors.first else { return "dial tcp: lookup \(url.host): no such host" }
            return describeConnect(first.error, url)
        }
        if let io = error as? IOError {
            let reason: String
            switch io.errnoCode {
            case 111: reason = "connection refused"
            case 113: reason = "no route to host"
            case 101: reason = "network is unreachable"
            default: reason = "\(io)"
            }
            return "dial tcp \(url.authority): connect: \(reason)"
        }
        return "\(error)"
    }
}

/// Sends one request at a time and collects its response.
final class PlainHTTPResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private var promise: EventLoopPromise<ScrapeResponse>?
    private var collected = ScrapeBody(limit: .max)
    private var followRedirects = true
    private var reused = false
    private var received = false
    /// Whether the connection may carry the next request.
    private(set) var keepAlive = true

    func send(
        _ request: HTTPRequestHead, on channel: any Channel, limit: Int, followRedirects: Bool, reused: Bool,
        promise: EventLoopPromise<ScrapeResponse>
    ) {
        self.promise = promise
        self.followRedirects = followRedirects
        self.reused = reused
        collected = ScrapeBody(limit: limit)
        received = false
        keepAlive = true
        redirecting = false
        // A failed write shows as an error or a closed channel; both fail the promise.
        channel.write(HTTPClientRequestPart.head(request), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }

    /// The response is a redirect the full client is to follow.
    private var redirecting = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received = true
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = head.isKeepAlive
            redirecting = followRedirects && [301, 302, 303, 307, 308].contains(head.status.code)
                && head.headers.contains(name: "Location")
            collected.receive(head)
        case .body(let buffer):
            guard promise != nil, !collected.receive(buffer) else { return }
            keepAlive = false
            finish(.failure(PlainHTTPError.limit))
            context.close(promise: nil)
        case .end:
            if redirecting {
                finish(.failure(PlainHTTPError(message: "redirect", redirect: true)))
            } else {
                finish(.success(collected.response()))
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        keepAlive = false
        finish(.failure(PlainHTTPError(message: "EOF", retryable: reused && !received)))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        keepAlive = false
        let message = (error as? PlainHTTPError)?.message ?? "\(error)"
        finish(.failure(PlainHTTPError(message: message, retryable: reused && !received)))
        context.close(promise: nil)
    }

    private func finish(_ result: Result<ScrapeResponse, any Error>) {
        guard let promise else { return }
        self.promise = nil
        promise.completeWith(result)
    }
}
