// Shared set-up for HTTP API tests: a temporary database behind an in-process router.

import Foundation
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
