// /api/v1/status/{flags,runtimeinfo,tsdb,walreplay} and /api/v1/query_exemplars.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import Testing

/// A fixed status to render.
struct FixedStatus: StatusSource {
    var flags: [String: String] { ["web.listen-address": "127.0.0.1:9090", "config.file": "p.yml", "query.timeout": "2m"] }

    func runtimeInfo() -> RuntimeInfo {
        RuntimeInfo(
            startTime: 1_700_000_000_123, cwd: "/srv", hostname: "h1", reloadConfigSuccess: false,
            lastConfigTime: 1_700_000_000_000, corruptionCount: 2, threadCount: 7, cores: 4, storageRetention: "15d or 1GiB")
    }

    func tsdbStatus(limit: Int) -> TSDBStatus {
        let metrics: [(name: String, value: UInt64)] = [("up", 3), ("go_info", 1), ("x", 1)]
        return TSDBStatus(
            numSeries: 5, numLabelPairs: 9, chunkCount: 6, minTime: 1000, maxTime: 2000,
            seriesCountByMetricName: Array(metrics.prefix(limit)), labelValueCountByLabelName: [("job", 2)],
            memoryInBytesByLabelName: [], seriesCountByLabelValuePair: [("job=node", 3)])
    }

    func walReplay() -> (min: Int, max: Int, current: Int) { (3, 7, 7) }
}

@Suite struct StatusAPITests {
    func withStatus<T: Sendable>(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> T) async throws -> T {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.statusSource = FixedStatus() }) { client, _ in try await body(client) }
        }
    }

    @Test func flagsAreSortedByName() async throws {
        try await withStatus { client in
            let (code, body) = try await client.getText("/api/v1/status/flags")
            #expect(code == 200)
            #expect(
                body
                    == #"{"status":"success","data":{"config.file":"p.yml","query.timeout":"2m","web.listen-address":"127.0.0.1:9090"}}"#)
        }
    }

    @Test func runtimeInfoHasPrometheusFields() async throws {
        try await withStatus { client in
            let (code, json) = try await client.getJSON("/api/v1/status/runtimeinfo")
            #expect(code == 200)
            let data = try #require(json["data"] as? [String: Any])
            #expect(data["startTime"] as? String == "2023-11-14T22:13:20.123Z")
            #expect(data["lastConfigTime"] as? String == "2023-11-14T22:13:20Z")
            #expect(data["CWD"] as? String == "/srv")
            #expect(data["hostname"] as? String == "h1")
            #expect(data["reloadConfigSuccess"] as? Bool == false)
            #expect(data["corruptionCount"] as? Int == 2)
            #expect(data["goroutineCount"] as? Int == 7)
            #expect(data["GOMAXPROCS"] as? Int == 4)
            #expect(data["storageRetention"] as? String == "15d or 1GiB")
            #expect((data["serverTime"] as? String)?.hasSuffix("Z") == true)
            #expect(Set(data.keys).isSuperset(of: ["GOGC", "GODEBUG", "GOMEMLIMIT"]))
        }
    }

    @Test func tsdbStatusShapeAndLimit() async throws {
        try await withStatus { client in
            let (code, body) = try await client.getText("/api/v1/status/tsdb?limit=2")
            #expect(code == 200)
            #expect(
                body
                    == #"{"status":"success","data":{"headStats":{"numSeries":5,"numLabelPairs":9,"chunkCount":6,"minTime":1000,"maxTime":2000},"seriesCountByMetricName":[{"name":"up","value":3},{"name":"go_info","value":1}],"labelValueCountByLabelName":[{"name":"job","value":2}],"memoryInBytesByLabelName":[],"seriesCountByLabelValuePair":[{"name":"job=node","value":3}]}}"#
            )
            for (query, message) in [
                ("limit=0", "limit must be a positive number"), ("limit=x", "limit must be a positive number"),
                ("limit=10001", "limit must not exceed 10000"),
            ] {
                let (code, json) = try await client.getJSON("/api/v1/status/tsdb?\(query)")
                #expect(code == 400)
                #expect(json["errorType"] as? String == "bad_data")
                #expect(json["error"] as? String == message)
            }
        }
    }

    @Test func walReplay() async throws {
        try await withStatus { client in
            let (code, body) = try await client.getText("/api/v1/status/walreplay")
            #expect(code == 200)
            #expect(body == #"{"status":"success","data":{"min":3,"max":7,"current":7}}"#)
        }
    }

    @Test func exemplarsAnswerAnArrayForSelectorsAndCheckParameters() async throws {
        try await withStatus { client in
            // Grafana's probe feeds milliseconds to a seconds API: still a success.
            let (code, body) = try await client.getText("/api/v1/query_exemplars?query=test&start=1700000000000&end=1700000060000")
            #expect(code == 200)
            #expect(body == #"{"status":"success","data":[]}"#)
            let post = try await client.execute(
                uri: "/api/v1/query_exemplars", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "query=rate(x%5B5m%5D)&start=1&end=2")
            ) { response in (response.status.code, String(buffer: response.body)) }
            #expect(post.0 == 200)
            #expect(post.1 == #"{"status":"success","data":[]}"#)
            let (noSelector, noSelectorBody) = try await client.getText("/api/v1/query_exemplars?query=1%2B1")
            #expect(noSelector == 200)
            #expect(noSelectorBody == #"{"status":"success","data":null}"#)
            for (query, message) in [
                ("query=up(", "1:4: parse error: unclosed left parenthesis"),
                ("query=up&start=2&end=1", "end timestamp must not be before start timestamp"),
                ("query=up&start=abc", #"invalid parameter "start": invalid time value for 'start': cannot parse "abc" to a valid timestamp"#),
            ] {
                let (code, json) = try await client.getJSON("/api/v1/query_exemplars?\(query)")
                #expect(code == 400)
                #expect(json["error"] as? String == message)
            }
        }
    }

    @Test func withoutASourceTheAnswersAreEmpty() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.getText("/api/v1/status/flags") == (200, #"{"status":"success","data":{}}"#))
                #expect(try await client.getText("/api/v1/status/runtimeinfo").0 == 500)
                let (_, tsdb) = try await client.getJSON("/api/v1/status/tsdb")
                let head = (tsdb["data"] as? [String: Any])?["headStats"] as? [String: Any]
                #expect(head?["numSeries"] as? Int == 0)
            }
        }
    }
}
