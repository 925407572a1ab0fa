// What every API reply shares with Prometheus's: CORS (`--web.cors.origin`), 405 for a method a
// path does not serve, a plain-text 404, and gzip/deflate when the client asks.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import SugarmillServer
import Testing
import TSDB

@Suite struct HTTPBehaviourTests {
    @Test func corsHeadersForAnyOriginByDefault() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                try await client.execute(uri: "/api/v1/query?query=1", method: .get, headers: [.origin: "http://grafana:3000"]) {
                    #expect($0.status == .ok)
                    #expect($0.headers[.accessControlAllowOrigin] == "*")
                    #expect($0.headers[.accessControlAllowMethods] == "GET, POST, OPTIONS")
                    #expect($0.headers[.accessControlAllowHeaders] == "Accept, Authorization, Content-Type, Origin")
                    #expect($0.headers[.accessControlExposeHeaders] == "Date")
                    #expect($0.headers[.vary] == "Origin")
                }
                // Without an Origin: only Vary.
                try await client.execute(uri: "/api/v1/labels", method: .get) {
                    #expect($0.headers[.accessControlAllowOrigin] == nil)
                    #expect($0.headers[.vary] == "Origin")
                }
                // Preflight on any API path, served or not.
                for path in ["/api/v1/query", "/api/v1/not-a-route", "/grafana/query"] {
                    try await client.execute(uri: path, method: .options, headers: [.origin: "http://grafana:3000"]) {
                        #expect($0.status == .noContent)
                        #expect($0.headers[.accessControlAllowOrigin] == "*")
                    }
                }
                // Not on non-API paths.
                try await client.execute(uri: "/metrics", method: .get, headers: [.origin: "http://grafana:3000"]) {
                    #expect($0.headers[.accessControlAllowOrigin] == nil)
                }
            }
        }
    }

    @Test func corsOriginRegexIsAnchored() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.corsOrigin = #"https://(a|b)\.example\.com"# }) { client, _ in
                try await client.execute(uri: "/api/v1/labels", method: .get, headers: [.origin: "https://a.example.com"]) {
                    #expect($0.headers[.accessControlAllowOrigin] == "https://a.example.com")
                }
                for origin in ["https://c.example.com", "https://a.example.com.evil.org"] {
                    try await client.execute(uri: "/api/v1/labels", method: .get, headers: [.origin: origin]) {
                        #expect($0.headers[.accessControlAllowOrigin] == nil)
                        #expect($0.headers[.accessControlAllowMethods] == "GET, POST, OPTIONS")
                    }
                }
            }
        }
    }

    @Test func wrongMethodIs405AndUnknownPathIsPlain404() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                for (path, method, allow) in [
                    ("/api/v1/targets", HTTPRequest.Method.post, "GET, OPTIONS"),
                    ("/api/v1/query?query=1", .delete, "GET, OPTIONS, POST"),
                    ("/api/v1/label/job/values", .post, "GET, OPTIONS"),
                    ("/api/v1/write", .get, "OPTIONS, POST"),
                    ("/-/reload", .get, "OPTIONS, POST, PUT"),
                ] {
                    try await client.execute(uri: path, method: method) {
                        #expect($0.status == .methodNotAllowed, "\(method) \(path)")
                        #expect($0.headers[.allow] == allow, "\(method) \(path)")
                        #expect(String(buffer: $0.body) == "Method Not Allowed\n")
                    }
                }
                try await client.execute(uri: "/api/v1/nope", method: .get) {
                    #expect($0.status == .notFound)
                    #expect(String(buffer: $0.body) == "404 page not found\n")
                    #expect($0.headers[.contentType] == "text/plain; charset=utf-8")
                }
            }
        }
    }

    @Test(arguments: ["gzip", "deflate"])
    func repliesAreCompressedWhenAsked(encoding: String) async throws {
        try await Self.withLiveServer { client in
            let query = "/api/v1/query?query=vector(1)%20%2B%20vector(2)&time=100"
            let plain = try await client.execute(uri: query, method: .get) { String(buffer: $0.body) }
            #expect(plain == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[100,"3"]}]}}"#)
            let bytes = try await client.execute(uri: query, method: .get, headers: [.acceptEncoding: encoding]) { response in
                #expect(response.headers[.contentEncoding] == encoding)
                #expect(response.headers[values: .vary].contains("Accept-Encoding"))
                return Array(response.body.readableBytesView)
            }
            #expect(bytes != Array(plain.utf8))
            #expect(try Self.inflate(bytes, gzip: encoding == "gzip") == plain)
            try await client.execute(uri: query, method: .get, headers: [.acceptEncoding: "identity"]) { response in
                #expect(response.headers[.contentEncoding] == nil)
                #expect(String(buffer: response.body) == plain)
            }
        }
    }

    /// A request the HTTP parser refuses (a URL past its 80 KB) gets Hummingbird's 400 and a
    /// closed connection, and the server goes on: the response compressor used to trap on that
    /// 400, which answers no request it had seen, and take the process down.
    @Test func anUnparseableRequestIs400AndTheServerGoesOn() async throws {
        try await Self.withLiveServer { client in
            let port = try #require(client.port)
            let long = "/api/v1/query?query=" + String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
            for encoding in ["gzip", "identity"] {
                let reply = try RawConnection(port: port).exchange("GET \(long) HTTP/1.1\r\nHost: x\r\nAccept-Encoding: \(encoding)\r\n\r\n")
                #expect(reply.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(reply.prefix(200))")
            }
            let answer = try RawConnection(port: port).exchange(
                "GET /api/v1/query?query=1%2B1&time=5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(answer.prefix(200))")
            #expect(answer.hasSuffix(#"{"status":"success","data":{"resultType":"scalar","result":[5,"2"]}}"#), "\(answer.suffix(200))")
        }
    }

    /// A live HTTP server (Sugarmill's stack: per-connection event loops, compression) over a
    /// fresh database, for `body`.
    static func withLiveServer(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quietLogger)
            defer { try? db.close() }
            let router = Router()
            PrometheusAPI(storage: db, logger: quietLogger, selfMetrics: { "" }).register(on: router)
            let app = Application(router: router, server: Server.httpServer(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live, body)
        }
    }

    @Test func gzipRequestBodiesArriveDecompressed() async throws {
        try await Self.withLiveServer { client in
            let form = try Self.gzip(Array("query=vector(1)%20%2B%20vector(2)&time=100".utf8))
            let body = try await client.execute(
                uri: "/api/v1/query", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .contentEncoding: "gzip"],
                body: ByteBuffer(bytes: form)
            ) { String(buffer: $0.body) }
            #expect(body == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[100,"3"]}]}}"#)
        }
    }

    /// Compresses with Python's gzip module.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("gzip-\(UUID().uuidString)")
        try Data(bytes).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys,gzip; sys.stdout.buffer.write(gzip.compress(open(sys.argv[1],'rb').read()))", input.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    /// Decompresses with Python's zlib, an independent implementation.
    static func inflate(_ bytes: [UInt8], gzip: Bool) throws -> String {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("inflate-\(UUID().uuidString)")
        try Data(bytes).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let wbits = gzip ? "31" : "15"
        process.arguments = [
            "python3", "-c",
            "import sys,zlib; sys.stdout.buffer.write(zlib.decompress(open(sys.argv[1],'rb').read(), \(wbits)))",
            input.path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
