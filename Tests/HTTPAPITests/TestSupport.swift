// Shared set-up for HTTP API tests: a temporary database behind an in-process router.

import Foundation
import Glibc
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Logging
import MetricModel
import Remote
import Snappy
import TSDB

let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A temporary directory removed at the end of `body`.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sugarmill-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

/// Runs `body` against an app serving a fresh DB in `directory`.
func withAPI<T: Sendable>(
    directory: URL, configure: (inout PrometheusAPI) -> Void = { _ in },
    _ body: @Sendable @escaping (any TestClientProtocol, DB) async throws -> T
) async throws -> T {
    let db = try DB(directory: directory, logger: quietLogger)
    defer { try? db.close() }
    var api = PrometheusAPI(storage: db, logger: quietLogger, selfMetrics: { "test_metric 1\n" })
    configure(&api)
    let router = Router()
    api.register(on: router)
    let app = Application(router: router)
    return try await app.test(.router) { client in try await body(client, db) }
}

/// A snappy-compressed remote-write body.
func remoteWriteBody(_ series: [(labels: [(String, String)], samples: [Sample])]) -> ByteBuffer {
    ByteBuffer(bytes: Snappy.compress(WriteRequest.encode(series)))
}

extension TestClientProtocol {
    /// POSTs a remote-write body and returns the status code and body text.
    func push(_ series: [(labels: [(String, String)], samples: [Sample])]) async throws -> (Int, String) {
        try await execute(
            uri: "/api/v1/write", method: .post,
            headers: [.contentType: "application/x-protobuf", .contentEncoding: "snappy"],
            body: remoteWriteBody(series)
        ) { response in (response.status.code, String(buffer: response.body)) }
    }

    /// GETs `uri` and decodes the JSON body.
    func getJSON(_ uri: String) async throws -> (Int, [String: Any]) {
        try await execute(uri: uri, method: .get) { response in
            let object = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any] ?? [:]
            return (response.status.code, object)
        }
    }

    /// GETs `uri` and returns the raw body.
    func getText(_ uri: String) async throws -> (Int, String) {
        try await execute(uri: uri, method: .get) { response in (response.status.code, String(buffer: response.body)) }
    }
}

/// A plain TCP connection to 127.0.0.1:`port`, for what an HTTP client library would not send
/// (an 80 KB URL) or to hold a connection open.
final class RawConnection {
    private var fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close() }

    /// Sends `request`, reads until the server closes the connection (or 60 s pass), closes it,
    /// and returns what was read.
    func exchange(_ request: String) -> String {
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }  // the server may close after reading enough to refuse
            sent += n
        }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            reply += buffer[..<n]
        }
        close()
        return String(decoding: reply, as: UTF8.self)
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}
