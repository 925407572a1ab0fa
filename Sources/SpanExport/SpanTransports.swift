// OTLP's two transports for span batches: HTTP (POST `/v1/traces`, protobuf body) through
// AsyncHTTPClient, and gRPC (`TraceService/Export` over HTTP/2, cleartext with prior knowledge
// when `insecure`, else TLS with ALPN `h2`) on swift-nio-http2 — one connection per batch, which
// every 5 s costs nothing worth pooling for.

import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import Scrape

/// OTLP/HTTP: `http(s)://<endpoint>/v1/traces`.
struct HTTPSpanTransport: SpanTransport {
    let url: String
    let headers: [(name: String, value: String)]
    let timeout: TimeAmount
    let client: HTTPClient

    init(config: TracingConfig) throws {
        url = "\(config.insecure ? "http" : "https")://\(config.endpoint)/v1/traces"
        headers = config.headers
        timeout = .milliseconds(config.timeoutMs > 0 ? config.timeoutMs : 10_000)
        var configuration = HTTPClient.Configuration()
        if !config.insecure {
            do { configuration.tlsConfiguration = try config.tls.clientConfiguration() } catch {
                throw SpanExportError("\(error)")
            }
        }
        configuration.timeout = .init(connect: .seconds(10))
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    func send(_ request: [UInt8]) async throws {
        var post = HTTPClientRequest(url: url)
        post.method = .POST
        post.headers.add(name: "Content-Type", value: "application/x-protobuf")
        post.headers.add(name: "User-Agent", value: "Sugarmill")
        for (name, value) in headers { post.headers.add(name: name, value: value) }
        post.body = .bytes(ByteBuffer(bytes: request))
        let response = try await client.execute(post, timeout: timeout)
        let body = try await response.body.collect(upTo: 64 << 10)
        guard (200..<300).contains(response.status.code) else {
            throw SpanExportError("\(url) answered \(response.status): \(String(buffer: body).prefix(256))")
        }
    }

    func shutdown() async { try? await client.shutdown() }
}

/// OTLP/gRPC: a unary `opentelemetry.proto.collector.trace.v1.TraceService/Export` call.
struct GRPCSpanTransport: SpanTransport {
    static let path = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"

    let host: String
    let port: Int
    let headers: [(name: String, value: String)]
    let timeout: TimeAmount
    let tls: NIOSSLContext?
    let serverName: String?

    init(config: TracingConfig) throws {
        guard let colon = config.endpoint.lastIndex(of: ":"), let port = Int(config.endpoint[config.endpoint.index(after: colon)...])
        else { throw SpanExportError("tracing endpoint \(config.endpoint) is not host:port") }
        var host = String(config.endpoint[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
        self.port = port
        headers = config.headers
        timeout = .milliseconds(config.timeoutMs > 0 ? config.timeoutMs : 10_000)
        serverName = config.tls.serverName ?? (host.first?.isNumber == true || host.contains(":") ? nil : host)
        if config.insecure {
            tls = nil
        } else {
            do {
                var configuration = try config.tls.clientConfiguration()
                configuration.applicationProtocols = ["h2"]
                tls = try NIOSSLContext(configuration: configuration)
            } catch {
                throw SpanExportError("\(error)")
            }
        }
    }

    func send(_ request: [UInt8]) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let loop = group.next()
        let (tls, serverName, host, port) = (tls, serverName, host, port)
        let channel = try await ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                guard let tls else { return channel.eventLoop.makeSucceededVoidFuture() }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                }
            }
            .connect(host: host, port: port).get()
        defer { channel.close(promise: nil) }
        let response = loop.makePromise(of: Void.self)
        let timeoutTask = loop.scheduleTask(in: timeout) { response.fail(SpanExportError("gRPC export timed out")) }
        defer { timeoutTask.cancel() }
        let call = GRPCCall(
            authority: "\(host):\(port)", scheme: tls == nil ? "http" : "https", headers: headers, message: request,
            timeout: timeout)
        let started: EventLoopFuture<Void> = channel.configureHTTP2Pipeline(mode: .client, inboundStreamInitializer: nil)
            .flatMap { multiplexer in
                multiplexer.createStreamChannel { stream in
                    stream.eventLoop.makeCompletedFuture {
                        try stream.pipeline.syncOperations.addHandlers(
                            HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: tls == nil ? .http : .https),
                            GRPCResponseHandler(promise: response))
                    }
                }
            }
            .flatMap { stream in call.write(to: stream) }
        started.cascadeFailure(to: response)
        try await response.futureResult.get()
    }

    func shutdown() async {}
}

/// The request of one unary call: headers, the length-prefixed message, end of stream.
private struct GRPCCall: Sendable {
    var authority: String
    var scheme: String
    var headers: [(name: String, value: String)]
    var message: [UInt8]
    var timeout: TimeAmount

    func write(to stream: any Channel) -> EventLoopFuture<Void> {
        var head = HTTPRequestHead(version: .http2, method: .POST, uri: GRPCSpanTransport.path)
        head.headers.add(name: "host", value: authority)
        head.headers.add(name: "content-type", value: "application/grpc")
        head.headers.add(name: "te", value: "trailers")
        head.headers.add(name: "user-agent", value: "grpc-swift-sugarmill")
        head.headers.add(name: "grpc-timeout", value: "\(max(1, timeout.nanoseconds / 1_000_000))m")
        for (name, value) in headers { head.headers.add(name: name.lowercased(), value: value) }
        var body = stream.allocator.buffer(capacity: message.count + 5)
        body.writeInteger(UInt8(0))  // not compressed
        body.writeInteger(UInt32(message.count))
        body.writeBytes(message)
        stream.write(HTTPClientRequestPart.head(head), promise: nil)
        stream.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil)
        return stream.writeAndFlush(HTTPClientRequestPart.end(nil))
    }
}

/// Completes the call's promise from the response: HTTP 200 and `grpc-status: 0` in the
/// trailers (or in the headers of a trailers-only answer).
private final class GRPCResponseHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<Void>
    private var head: HTTPResponseHead?

    init(promise: EventLoopPromise<Void>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end(let trailers):
            guard let head, head.status == .ok else {
                promise.fail(SpanExportError("gRPC export answered HTTP \(head?.status.code ?? 0)"))
                return
            }
            let status = trailers?.first(name: "grpc-status") ?? head.headers.first(name: "grpc-status")
            if status == "0" {
                promise.succeed(())
            } else {
                let message = trailers?.first(name: "grpc-message") ?? head.headers.first(name: "grpc-message") ?? ""
                promise.fail(SpanExportError("gRPC export failed: status \(status ?? "missing") \(message)"))
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(SpanExportError("gRPC stream closed before the answer"))
        context.fireChannelInactive()
    }
}
