// Issue #2 acceptance: 10,000 series × 60 samples pushed by remote write read back exactly.

import ChunkEncoding
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import Testing
import TSDB

@Suite struct RemoteWriteAcceptanceTests {
    static let seriesCount = 10_000
    static let samplesPerSeries = 60
    static let shards = 10
    static let start: Int64 = 1_800_000_000_000
    static let step: Int64 = 15_000

    /// The value of sample `k` of series `i`: awkward floats, NaN, infinities and stale markers.
    static func value(_ i: Int, _ k: Int) -> Double {
        switch (i + k) % 97 {
        case 0: return .nan
        case 1: return StaleNaN.value
        case 2: return .infinity
        case 3: return -0.0
        default: return Double(i) * 1.000_000_1 + Double(k) / 3 + 1e-9 * Double(k)
        }
    }

    @Test func tenThousandSeriesSixtySamplesReadBackExactly() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, db in
                // One request per 1,000 series carrying all 60 samples of each.
                for first in stride(from: 0, to: Self.seriesCount, by: 1_000) {
                    let batch = (first..<(first + 1_000)).map { i in
                        (
                            labels: [("__name__", "accept_metric"), ("series", "\(i)"), ("shard", "\(i % Self.shards)")],
                            samples: (0..<Self.samplesPerSeries).map { k in
                                Sample(Self.start + Int64(k) * Self.step, Self.value(i, k))
                            }
                        )
                    }
                    let (status, body) = try await client.push(batch)
                    #expect(status == 204, "\(body)")
                }
                #expect(db.head.numSeries == Self.seriesCount)

                // Storage keeps every bit, stale markers included.
                let stored = try db.select(
                    matchers: [try LabelMatcher(.equal, "series", "1")], minTime: .min, maxTime: .max, sorted: true)
                #expect(stored.count == 1)
                var iterator = SeriesSampleIterator(try #require(stored.first).chunks)
                var bits: [UInt64] = []
                while iterator.next() { bits.append(iterator.value.bitPattern) }
                #expect(bits == (0..<Self.samplesPerSeries).map { Self.value(1, $0).bitPattern })

                // The query API returns every sample but stale markers, values round-tripping exactly.
                let end = Self.start + Int64(Self.samplesPerSeries - 1) * Self.step
                var seen = 0
                for shard in 0..<Self.shards {
                    let query = "accept_metric%7Bshard%3D%22\(shard)%22%7D%5B15m%5D"
                    let (code, json) = try await client.getJSON("/api/v1/query?query=\(query)&time=\(Double(end) / 1000)")
                    #expect(code == 200)
                    let data = try #require(json["data"] as? [String: Any])
                    #expect(data["resultType"] as? String == "matrix")
                    let result = try #require(data["result"] as? [[String: Any]])
                    #expect(result.count == Self.seriesCount / Self.shards)
                    for entry in result {
                        let metric = try #require(entry["metric"] as? [String: String])
                        let i = try #require(Int(metric["series"] ?? ""))
                        let values = try #require(entry["values"] as? [[Any]])
                        let expected = (0..<Self.samplesPerSeries).filter { !StaleNaN.isStale(Self.value(i, $0)) }
                        #expect(values.count == expected.count)
                        for (point, k) in zip(values, expected) {
                            let t = try #require(point[0] as? Double)
                            let text = try #require(point[1] as? String)
                            #expect(Int64((t * 1000).rounded()) == Self.start + Int64(k) * Self.step)
                            let want = Self.value(i, k)
                            if want.isNaN {
                                #expect(text == "NaN")
                            } else {
                                #expect(Self.parseGo(text)?.bitPattern == want.bitPattern, "series \(i) sample \(k): \(text)")
                            }
                        }
                        seen += 1
                    }
                }
                #expect(seen == Self.seriesCount)
            }
        }
    }

    static func parseGo(_ s: String) -> Double? {
        switch s {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(s)
        }
    }
}
