// `stats` on /api/v1/query and /api/v1/query_range: Prometheus's `data.stats` with timings and
// totalQueryableSamples counted as Prometheus counts them (checked against 2.42 on the same data:
// scripts/compare-api-with-prometheus.py's data set, README).

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import Testing

@Suite struct QueryStatsTests {
    /// Three series of one sample every 15 s from 0 to 600 s.
    static let data: [(labels: [(String, String)], samples: [Sample])] = (0..<3).map { i in
        ([("__name__", "c_total"), ("i", "\(i)")], (0...40).map { Sample(Int64($0) * 15_000, Double($0 * (i + 1))) })
    }

    func stats(_ client: any TestClientProtocol, _ query: String) async throws -> (samples: [String: Int], timings: [String: Double], warnings: [String]?) {
        let (code, json) = try await client.getJSON(query)
        #expect(code == 200, "\(query)")
        let data = try #require(json["data"] as? [String: Any])
        let stats = try #require(data["stats"] as? [String: Any])
        return (
            try #require(stats["samples"] as? [String: Int]), try #require(stats["timings"] as? [String: Double]),
            json["warnings"] as? [String]
        )
    }

    @Test func totalQueryableSamplesCountSelectorsAndWindowsPerStep() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                // Instant selector: one sample per series.
                #expect(try await stats(client, "/api/v1/query?query=c_total&time=300.5&stats=true").samples["totalQueryableSamples"] == 3)
                // rate over 1m at 300.5: samples at 255, 270, 285, 300 → 4 per series.
                #expect(
                    try await stats(client, "/api/v1/query?query=rate(c_total%5B1m%5D)&time=300.5&stats=true")
                        .samples["totalQueryableSamples"] == 12)
                // Range: 5 steps (60 s apart) × 4 samples × 3 series.
                #expect(
                    try await stats(
                        client, "/api/v1/query_range?query=sum(rate(c_total%5B1m%5D))&start=300.5&end=540.5&step=60&stats=all"
                    ).samples["totalQueryableSamples"] == 60)
                // A raw range selector: its samples; a function over a subquery counts its windows only.
                #expect(
                    try await stats(client, "/api/v1/query?query=c_total%5B1m%5D&time=300.5&stats=true")
                        .samples["totalQueryableSamples"] == 12)
                #expect(
                    try await stats(client, "/api/v1/query?query=max_over_time(c_total%5B2m:1m%5D)&time=300.5&stats=true")
                        .samples["totalQueryableSamples"] == 6)
                let result = try await stats(client, "/api/v1/query?query=c_total&time=300.5&stats=true")
                #expect(result.samples["peakSamples"].map { $0 >= 3 } == true)
                for key in ["evalTotalTime", "resultSortTime", "queryPreparationTime", "innerEvalTime", "execQueueTime", "execTotalTime"] {
                    #expect(result.timings[key].map { $0 >= 0 } == true, "\(key)")
                }
                #expect(result.timings["evalTotalTime"]! >= result.timings["innerEvalTime"]!)
                #expect(result.warnings == nil)
            }
        }
    }

    @Test func statsOnlyWhenAskedAndDeprecatedValuesWarn() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                let (_, plain) = try await client.getJSON("/api/v1/query?query=c_total&time=300")
                #expect((plain["data"] as? [String: Any])?["stats"] == nil)
                let deprecated = try await stats(client, "/api/v1/query?query=c_total&time=300&stats=1")
                #expect(deprecated.samples["totalQueryableSamples"] == 3)
                #expect(
                    deprecated.warnings == [
                        #"value "1" for parameter "stats" is deprecated and will be rejected in the next major release, use "true" or "all""#
                    ])
            }
        }
    }
}
