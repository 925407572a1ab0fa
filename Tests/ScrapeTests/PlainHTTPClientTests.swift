// The plain-HTTP scrape client against a server that answers with exact bytes: kept-alive
// connections, chunked and gzip bodies, statuses, limits, timeouts, a server that closes kept
// connections, redirects (handed to the full client) and Go's texts for dial errors.

import MetricModel
import NIOCore
import NIOPosix
@testable import Scrape
import Synchronization
import Testing

@Suite struct PlainHTTPClientTests {
    /// Answers each request with the bytes `respond` gives for its path; counts connections.
    final class RawServer: Sendable {
        final class Counter: Sendable { let value = Atomic<Int>(0) }
        let channel: any Channel
        private let counter: Counter
        let port: Int
        /// Connections accepted so far.
        var accepted: Int { counter.value.load(ordering: .relaxed) }

        init(_ respond: @escaping @Sendable (String) -> (bytes: [UInt8], close: Bool, delayMs: Int64)) async throws {
            let counter = Counter()
            let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { channel in
                    counter.value.add(1, ordering: .relaxed)
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(Handler(respond: respond))
                    }
                }
            channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
            port = channel.localAddress?.port ?? 0
            self.counter = counter
        }

        func close() async { try? await channel.close() }

        final class Handler: ChannelInboundHandler, @unchecked Sendable {
            typealias InboundIn = ByteBuffer
            let respond: @Sendable (String) -> (bytes: [UInt8], close: Bool, delayMs: Int64)
            var pending: [UInt8] = []
            init(respond: @escaping @Sendable (String) -> (bytes: [UInt8], close: Bool, delayMs: Int64)) { self.respond = respond }

            func channelRead(context: ChannelHandlerContext, data: NIOAny) {
                pending += unwrapInboundIn(data).readableBytesView
                while let end = Self.headerEnd(pending) {
                    let head = String(decoding: pending[..<end], as: UTF8.self)
                    pending.removeFirst(end + 4)
                    let path = head.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
                    let (bytes, close, delay) = respond(path)
                    let channel = context.channel
                    let write = {
                        channel.writeAndFlush(ByteBuffer(bytes: bytes)).whenComplete { _ in
                            if close { channel.close(promise: nil) }
                        }
                    }
                    if delay > 0 {
                        channel.eventLoop.scheduleTask(in: .milliseconds(delay)) { write() }
                    } else {
                        write()
                    }
                }
            }

            static func headerEnd(_ bytes: [UInt8]) -> Int? {
                guard bytes.count >= 4 else { return nil }
                for i in 0...(bytes.count - 4)
                where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
                    return i
                }
                return nil
            }
        }
    }

    static func response(_ status: String = "200 OK", headers: [String] = [], body: [UInt8]) -> [UInt8] {
        var head = "HTTP/1.1 \(status)\r\n"
        for header in headers { head += header + "\r\n" }
        if !headers.contains(where: { $0.hasPrefix("Transfer-Encoding") }) { head += "Content-Length: \(body.count)\r\n" }
        return Array((head + "\r\n").utf8) + body
    }

    /// `gz_metric{a="1"} 42\n`, gzip-compressed.
    static let gzipBody: [UInt8] = [
        31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 75, 175, 138, 207, 77, 45, 41, 202, 76, 174, 78, 180, 85, 50, 84, 170, 85,
        48, 49, 226, 2, 0, 90, 116, 27, 153, 20, 0, 0, 0,
    ]

    static let server: @Sendable (String) -> (bytes: [UInt8], close: Bool, delayMs: Int64) = { path in
        let text = "text/plain; version=0.0.4"
        switch path {
        case "/plain": return (response(headers: ["Content-Type: \(text)"], body: Array("a 1\n".utf8)), false, 0)
        case "/query?x=1": return (response(headers: ["Content-Type: \(text)"], body: Array("q 1\n".utf8)), false, 0)
        case "/closing":
            return (response(headers: ["Content-Type: \(text)"], body: Array("c 1\n".utf8)), true, 0)
        case "/chunked":
            let body = Array("4\r\nb 1\n\r\n4\r\nb 2\n\r\n0\r\n\r\n".utf8)
            return (response(headers: ["Content-Type: \(text)", "Transfer-Encoding: chunked"], body: body), false, 0)
        case "/gzip":
            return (response(headers: ["Content-Type: \(text)", "Content-Encoding: gzip"], body: gzipBody), false, 0)
        case "/missing": return (response("404 Not Found", body: Array("nope".utf8)), false, 0)
        case "/big": return (response(headers: ["Content-Type: \(text)"], body: Array(repeating: 65, count: 5000)), false, 0)
        case "/slow": return (response(headers: ["Content-Type: \(text)"], body: Array("s 1\n".utf8)), false, 800)
        case "/moved": return (response("302 Found", headers: ["Location: /plain"], body: []), false, 0)
        default: return (response("500 Internal Server Error", body: []), false, 0)
        }
    }

    static func target(_ url: String, timeoutMs: Int64 = 2000) -> ScrapeTarget {
        ScrapeTarget(labels: .empty, discoveredLabels: .empty, job: "j", intervalMs: 15000, timeoutMs: timeoutMs, url: url, hash: 1)
    }

    static func scraper(
        limit: Int64 = 0, followRedirects: Bool = true, maxBodyBytes: Int = HTTPScraper.defaultMaxBodyBytes
    ) throws -> HTTPScraper {
        var config = ScrapeConfig(jobName: "j", scrapeIntervalMs: 15000, scrapeTimeoutMs: 2000)
        config.limits.bodySizeLimit = limit
        config.httpClient.followRedirects = followRedirects
        return try HTTPScraper(config: config, maxBodyBytes: maxBodyBytes)
    }

    @Test func urlsThePlainClientTakes() {
        let url = PlainHTTPURL("http://127.0.0.1:9100/metrics?a=b#frag")
        #expect(url?.host == "127.0.0.1")
        #expect(url?.port == 9100)
        #expect(url?.requestURI == "/metrics?a=b")
        #expect(url?.authority == "127.0.0.1:9100")
        #expect(PlainHTTPURL("http://[::1]:8080")?.host == "::1")
        #expect(PlainHTTPURL("http://[::1]:8080")?.requestURI == "/")
        #expect(PlainHTTPURL("http://host?x=1")?.port == 80)
        #expect(PlainHTTPURL("http://host?x=1")?.requestURI == "/?x=1")
        #expect(PlainHTTPURL("https://host:443/metrics") == nil)
        #expect(PlainHTTPURL("http://user:pw@host/metrics") == nil)
        #expect(PlainHTTPURL("http://host:99999/metrics") == nil)
        #expect(PlainHTTPURL("http://:80/metrics") == nil)
    }

    @Test func keepsOneConnectionAndReadsEveryBodyKind() async throws {
        let server = try await RawServer(Self.server)
        let scraper = try Self.scraper()
        let base = "http://127.0.0.1:\(server.port)"
        for _ in 0..<3 {
            let response = await scraper.scrapeOnLoop(Self.target(base + "/plain"))
            #expect(response.error == nil)
            #expect(response.body == Array("a 1\n".utf8))
            #expect(response.contentType == "text/plain; version=0.0.4")
            #expect(response.bodyBytes == 4)
        }
        #expect(await scraper.scrapeOnLoop(Self.target(base + "/query?x=1")).body == Array("q 1\n".utf8))
        #expect(await scraper.scrapeOnLoop(Self.target(base + "/chunked")).body == Array("b 1\nb 2\n".utf8))
        #expect(await scraper.scrapeOnLoop(Self.target(base + "/gzip")).body == Array("gz_metric{a=\"1\"} 42\n".utf8))
        // Six requests, one connection (scrapes made off the client's loops go to its first loop).
        #expect(server.accepted == 1)
        await scraper.shutdown()
        await server.close()
    }

    @Test func aClosedKeptConnectionIsReplaced() async throws {
        let server = try await RawServer(Self.server)
        let scraper = try Self.scraper()
        let url = "http://127.0.0.1:\(server.port)/closing"
        for _ in 0..<3 {
            let response = await scraper.scrapeOnLoop(Self.target(url))
            #expect(response.error == nil)
            #expect(response.body == Array("c 1\n".utf8))
        }
        #expect(server.accepted == 3)
        await scraper.shutdown()
        await server.close()
    }

    @Test func failuresReadAsPrometheusWritesThem() async throws {
        let server = try await RawServer(Self.server)
        let base = "http://127.0.0.1:\(server.port)"
        let scraper = try Self.scraper(limit: 1000)
        #expect(await scraper.scrapeOnLoop(Self.target(base + "/missing")).error?.message == "server returned HTTP status 404 Not Found")
        let big = await scraper.scrapeOnLoop(Self.target(base + "/big"))
        #expect(big.error?.message == "body size limit exceeded")
        #expect(big.bodyBytes == -1)
        let slow = await scraper.scrapeOnLoop(Self.target(base + "/slow", timeoutMs: 200))
        #expect(slow.error?.message == "Get \"\(base)/slow\": context deadline exceeded")
        // The connections that failed were dropped; the next scrape works.
        #expect(await scraper.scrapeOnLoop(Self.target(base + "/plain")).body == Array("a 1\n".utf8))
        await server.close()
        // A port nobody listens on any more.
        let gone = try await RawServer(Self.server)
        await gone.close()
        let refused = await scraper.scrapeOnLoop(Self.target("http://127.0.0.1:\(gone.port)/metrics"))
        #expect(
            refused.error?.message
                == "Get \"http://127.0.0.1:\(gone.port)/metrics\": dial tcp 127.0.0.1:\(gone.port): connect: connection refused")
        await scraper.shutdown()
    }

    /// With no `body_size_limit`, a ceiling still stops an endless body.
    @Test func aBodyWithoutLimitStillHasACeiling() async throws {
        let server = try await RawServer(Self.server)
        let base = "http://127.0.0.1:\(server.port)"
        let unlimited = try Self.scraper()
        #expect(await unlimited.scrapeOnLoop(Self.target(base + "/big")).body.count == 5000)
        await unlimited.shutdown()
        let capped = try Self.scraper(maxBodyBytes: 4096)
        let big = await capped.scrapeOnLoop(Self.target(base + "/big"))
        #expect(big.error?.message == "body size limit exceeded")
        #expect(big.bodyBytes == -1)
        await capped.shutdown()
        await server.close()
    }

    @Test func redirectsGoToTheFullClient() async throws {
        let server = try await RawServer(Self.server)
        let base = "http://127.0.0.1:\(server.port)"
        let following = try Self.scraper()
        let followed = await following.scrapeOnLoop(Self.target(base + "/moved"))
        #expect(followed.body == Array("a 1\n".utf8), "error: \(followed.error?.message ?? "none")")
        await following.shutdown()
        let notFollowing = try Self.scraper(followRedirects: false)
        #expect(await notFollowing.scrapeOnLoop(Self.target(base + "/moved")).error?.message == "server returned HTTP status 302 Found")
        await notFollowing.shutdown()
        await server.close()
    }
}

extension HTTPScraper {
    /// Scrapes as the server's scrape loops do: on an event loop of the scraper (its task
    /// executor), so the answer is handled where it arrives. Awaiting from the global pool instead
    /// would tie the test to that pool, which other tests' synchronous work can hold for seconds,
    /// past the scrape's deadline.
    /// Always the group's first loop, so that the scrapes of a test share its connections.
    func scrapeOnLoop(_ target: ScrapeTarget) async -> ScrapeResponse {
        await withTaskExecutorPreference(Self.firstLoop) { await scrape(target) }
    }

    static let firstLoop = EventLoopTaskExecutor(eventLoop: Array(MultiThreadedEventLoopGroup.singleton.makeIterator())[0])
}
