// `query_log_file`: one JSON line per evaluated query, Prometheus 3's fields, the caller's
// W3C trace context, errors included; parse errors (never evaluated) not logged.

import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MetricModel
import PromQL
import Testing
import TSDB

@Suite struct QueryLogTests {
    func lines(_ url: URL) throws -> [[String: Any]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func evaluatedQueriesAreLoggedWithOriginAndTrace() async throws {
        try await withTemporaryDirectory { dir in
            let logURL = dir.appendingPathComponent("queries.log")
            let db = try DB(directory: dir.appendingPathComponent("data"), logger: quietLogger)
            defer { try? db.close() }
            var api = PrometheusAPI(storage: db, logger: quietLogger, selfMetrics: { "" })
            api.engineOptions.maxSamples = 30
            try api.queryLogger.open(logURL.path)
            #expect(api.queryLogger.isEnabled)
            let router = Router(context: SugarmillRequestContext.self)
            api.register(on: router)
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                _ = try await client.push([
                    ([("__name__", "m"), ("i", "1")], (0..<100).map { Sample(Int64($0) * 15_000, 1) })
                ])
                try await client.execute(uri: "/api/v1/query?query=m&time=100", method: .get) { #expect($0.status == .ok) }
                try await client.execute(
                    uri: "/api/v1/query_range", method: .post,
                    headers: [
                        .contentType: "application/x-www-form-urlencoded",
                        HTTPField.Name("traceparent")!: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                    ],
                    body: ByteBuffer(string: "query=sum(rate(m%5B1m%5D))&start=60&end=120&step=30")
                ) { #expect($0.status == .ok) }
                // Too many samples: an evaluation error, logged with it.
                try await client.execute(uri: "/api/v1/query?query=m%5B30m%5D&time=1500", method: .get) {
                    #expect($0.status == .unprocessableContent)
                }
                // A parse error never reaches evaluation: not logged.
                try await client.execute(uri: "/api/v1/query?query=sum(", method: .get) { #expect($0.status == .badRequest) }
            }
            let entries = try lines(logURL)
            #expect(entries.count == 3)
            guard entries.count == 3 else { return }
            let first = entries[0]
            #expect(first["msg"] as? String == "promql query logged")
            #expect(first["level"] as? String == "INFO")
            let params = first["params"] as? [String: Any]
            #expect(params?["query"] as? String == "m")
            #expect(params?["start"] as? String == "1970-01-01T00:01:40.000Z")
            #expect(params?["end"] as? String == "1970-01-01T00:01:40.000Z")
            #expect(params?["step"] as? Int == 0)
            #expect(first["httpRequest"] as? [String: String] == ["clientIP": "127.0.0.1", "method": "GET", "path": "/api/v1/query"])
            #expect(first["traceID"] as? String == String(repeating: "0", count: 32))
            #expect(first["error"] == nil)
            let samples = (first["stats"] as? [String: Any])?["samples"] as? [String: Int]
            #expect(samples?["totalQueryableSamples"] == 1)

            let second = entries[1]
            #expect((second["params"] as? [String: Any])?["step"] as? Int == 30)
            #expect((second["params"] as? [String: Any])?["query"] as? String == "sum(rate(m[1m]))")
            #expect(second["traceID"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(second["spanID"] as? String == "00f067aa0ba902b7")
            #expect((second["httpRequest"] as? [String: String])?["method"] == "POST")

            #expect(
                entries[2]["error"] as? String
                    == "query processing would load too many samples into memory in query execution")
        }
    }

    @Test func reopeningSwitchesOrStopsTheLog() async throws {
        try await withTemporaryDirectory { dir in
            let logger = QueryLogger()
            #expect(!logger.isEnabled)
            try logger.open(dir.appendingPathComponent("a.log").path)
            #expect(logger.isEnabled)
            try logger.open(nil)
            #expect(!logger.isEnabled)
            #expect(throws: QueryLogError.self) { try logger.open(dir.appendingPathComponent("missing/dir/q.log").path) }
            #expect(!logger.isEnabled)
        }
    }
}
