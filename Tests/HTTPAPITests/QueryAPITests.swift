// /api/v1/query, /series, /labels, /label/<name>/values: exact JSON and parameters.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import Testing
import TSDB

@Suite struct QueryAPITests {
    static let data: [(labels: [(String, String)], samples: [Sample])] = [
        ([("__name__", "up"), ("instance", "a:9100"), ("job", "node")], [Sample(100_000, 1), Sample(115_000, 0)]),
        ([("__name__", "up"), ("instance", "b:9100"), ("job", "node")], [Sample(100_000, 1), Sample(115_000, StaleNaN.value)]),
        ([("__name__", "temp"), ("job", "env")], [Sample(100_000, .infinity), Sample(110_000, -.infinity), Sample(115_000, .nan)]),
    ]

    @Test func instantSelectorHonoursStalenessAndLookback() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                let (code, body) = try await client.getText("/api/v1/query?query=up&time=120")
                #expect(code == 200)
                // b's last sample is a stale marker: only a is returned, at the evaluation time.
                #expect(
                    body
                        == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"a:9100","job":"node"},"value":[120,"0"]}]}}"#
                )
                let (_, late) = try await client.getText("/api/v1/query?query=up&time=500")
                #expect(late.contains(#""result":[]"#))  // past the 5m lookback
            }
        }
    }

    @Test func specialValuesFormatLikeGo() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                let (_, body) = try await client.getText("/api/v1/query?query=temp%5B1m%5D&time=115")
                #expect(body.contains(#""values":[[100,"+Inf"],[110,"-Inf"],[115,"NaN"]]"#), "\(body)")
            }
        }
    }

    @Test func postFormQuery() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                let code = try await client.execute(
                    uri: "/api/v1/query", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "query=up%7Binstance%3D%22a%3A9100%22%7D&time=120")
                ) { response in
                    #expect(String(buffer: response.body).contains("a:9100"))
                    return response.status.code
                }
                #expect(code == 200)
            }
        }
    }

    @Test func parseErrorIsBadData() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (code, json) = try await client.getJSON("/api/v1/query?query=up%7B")
                #expect(code == 400)
                #expect(json["errorType"] as? String == "bad_data")
                #expect((json["error"] as? String)?.hasPrefix("invalid parameter \"query\":") == true)
                let (missing, _) = try await client.getJSON("/api/v1/query")
                #expect(missing == 400)
                let (badTime, timeJSON) = try await client.getJSON("/api/v1/query?query=up&time=abc")
                #expect(badTime == 400)
                #expect((timeJSON["error"] as? String)?.contains("cannot parse \"abc\" to a valid timestamp") == true)
            }
        }
    }

    @Test func seriesLabelsValues() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                let (_, series) = try await client.getText("/api/v1/series?match%5B%5D=up")
                #expect(
                    series
                        == #"{"status":"success","data":[{"__name__":"up","instance":"a:9100","job":"node"},{"__name__":"up","instance":"b:9100","job":"node"}]}"#
                )
                let (_, labels) = try await client.getText("/api/v1/labels")
                #expect(labels == #"{"status":"success","data":["__name__","instance","job"]}"#)
                let (_, values) = try await client.getText("/api/v1/label/job/values")
                #expect(values == #"{"status":"success","data":["env","node"]}"#)
                let (_, filtered) = try await client.getText("/api/v1/label/__name__/values?match%5B%5D=%7Bjob%3D%22env%22%7D")
                #expect(filtered == #"{"status":"success","data":["temp"]}"#)
                let (_, limited) = try await client.getJSON("/api/v1/label/job/values?limit=1")
                #expect((limited["data"] as? [String]) == ["env"])
                #expect((limited["warnings"] as? [String]) == ["results truncated due to limit"])
                let (empty, _) = try await client.getJSON("/api/v1/series?match%5B%5D=%7Bjob%3D%22%22%7D")
                #expect(empty == 400)
                let (none, noneJSON) = try await client.getJSON("/api/v1/series")
                #expect(none == 400)
                #expect(noneJSON["error"] as? String == "no match[] parameter provided")
                let (_, nothing) = try await client.getText("/api/v1/label/nope/values")
                #expect(nothing == #"{"status":"success","data":[]}"#)
                // End before start selects nothing, as in Prometheus (no error).
                for path in ["/api/v1/series?match%5B%5D=up&", "/api/v1/labels?", "/api/v1/label/job/values?"] {
                    let (code, body) = try await client.getText(path + "start=1000000&end=10")
                    #expect(code == 200, "\(path)")
                    #expect(body == #"{"status":"success","data":[]}"#, "\(path)")
                }
            }
        }
    }

    @Test func healthReadyAndMetrics() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.getText("/-/healthy").0 == 200)
                #expect(try await client.getText("/-/ready").0 == 200)
                let (code, text) = try await client.getText("/metrics")
                #expect(code == 200)
                #expect(text == "test_metric 1\n")
            }
        }
    }
}
