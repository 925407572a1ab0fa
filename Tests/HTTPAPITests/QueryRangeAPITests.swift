// /api/v1/query and /api/v1/query_range with the PromQL engine: result types, annotations,
// limit, timeout and parameter errors, byte for byte as Prometheus answers.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import Testing
import TSDB

@Suite struct QueryRangeAPITests {
    /// A counter of two series, 15 s apart from 0 to 300 s.
    static let data: [(labels: [(String, String)], samples: [Sample])] = [
        ([("__name__", "req_total"), ("job", "api")], (0...20).map { Sample(Int64($0) * 15_000, Double($0) * 10) }),
        ([("__name__", "req_total"), ("job", "web")], (0...20).map { Sample(Int64($0) * 15_000, Double($0) * 20) }),
    ]

    @Test func rangeQueryOfAnAggregation() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                let (code, body) = try await client.getText(
                    "/api/v1/query_range?query=sum(rate(req_total%5B1m%5D))&start=60&end=120&step=30")
                #expect(code == 200)
                // 10/15 + 20/15 per second = 2 at every step.
                #expect(
                    body
                        == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[60,"2"],[90,"2"],[120,"2"]]}]}}"#
                )
            }
        }
    }

    @Test func scalarAndStringResults() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (_, scalar) = try await client.getText("/api/v1/query?query=1%2B2&time=4")
                #expect(scalar == #"{"status":"success","data":{"resultType":"scalar","result":[4,"3"]}}"#)
                let (_, string) = try await client.getText("/api/v1/query?query=%22hi%22&time=4.5")
                #expect(string == #"{"status":"success","data":{"resultType":"string","result":[4.500,"hi"]}}"#)
                // A scalar range query is a matrix with one series without labels.
                let (_, range) = try await client.getText("/api/v1/query_range?query=time()&start=0&end=30&step=15")
                #expect(range.contains(#""values":[[0,"0"],[15,"15"],[30,"30"]]"#), "\(range)")
            }
        }
    }

    @Test func annotationsAndLimit() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                // rate() of a name without _total etc. gives an info; req_total does not.
                let (_, quiet) = try await client.getText("/api/v1/query?query=rate(req_total%5B1m%5D)&time=120")
                #expect(!quiet.contains("infos"))
                let (_, limited) = try await client.getText("/api/v1/query?query=req_total&time=120&limit=1")
                #expect(limited.contains(#""warnings":["results truncated due to limit"]"#), "\(limited)")
                #expect(limited.components(separatedBy: "\"metric\"").count == 2)
            }
        }
    }

    @Test(arguments: [
        ("query=up&start=10&end=5&step=1", "invalid parameter \\\"end\\\": end timestamp must not be before start time"),
        ("query=up&start=0&end=10&step=0", "invalid parameter \\\"step\\\": zero or negative query resolution step widths are not accepted. Try a positive integer"),
        ("query=up&start=0&end=11001&step=1", "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"),
        ("query=up&start=x&end=10&step=1", "invalid parameter \\\"start\\\": cannot parse \\\"x\\\" to a valid timestamp"),
        ("query=up%5B5m%5D&start=0&end=10&step=1", "invalid parameter \\\"query\\\": invalid expression type \\\"range vector\\\" for range query, must be Scalar or instant Vector"),
        ("query=up&start=0&end=10&step=1&timeout=x", "invalid parameter \\\"timeout\\\": cannot parse \\\"x\\\" to a valid duration"),
    ])
    func rangeParameterErrors(query: String, message: String) async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (code, body) = try await client.getText("/api/v1/query_range?" + query)
                #expect(code == 400)
                #expect(body == #"{"status":"error","errorType":"bad_data","error":""# + message + #""}"#)
            }
        }
    }

    @Test func executionErrorIs422() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                // Both sides have two series with the same (empty) matching labels: many-to-many.
                let (code, body) = try await client.getText(
                    "/api/v1/query?query=req_total%20%2B%20on()%20req_total&time=120")
                #expect(code == 422)
                #expect(body.contains(#""errorType":"execution""#), "\(body)")
            }
        }
    }
}
