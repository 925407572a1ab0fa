// PromQL over native histograms Prometheus 2.42 wrote: our DB, opened on its block, answers the
// fixture's queries (Tests/Fixtures/prometheus-2.42-nh/golden) as Prometheus 2.42 answered them,
// except where Prometheus 3 deliberately answers otherwise and we follow 3:
//
// * Range selectors are left-open since 3.0, `(t - range, t]`; 2.42's were closed, `[t - range, t]`.
//   The answers differ exactly at the steps where a sample sits at `t - range`.
// * `histogram_quantile` interpolates exponentially within a native histogram's standard
//   exponential buckets since 3.0 (prometheus#14677); 2.42 interpolated linearly. We turn 2.42's linear answer into the exponential one with the bucket it fell in.

import Foundation
import HTTPAPI
import HummingbirdTesting
import Testing

@Suite struct PrometheusNativeHistogramQueryTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/prometheus-2.42-nh")
    static let block = "01M8FDRCSDFNP1SZ7GGVSJBC6D"
    /// Native `histogram_quantile` answers → the answer holding the histograms they were computed
    /// from (whose buckets say where each quantile fell).
    static let quantileSources = ["04.json": "03.json", "11.json": "10.json", "14.json": "12.json"]

    /// `golden/queries.txt`: `<file> <request>` per line.
    static func queries() throws -> [(file: String, request: String)] {
        let text = try String(contentsOf: fixture.appendingPathComponent("golden/queries.txt"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            try #require(fields.count == 2, "\(line)")
            return (String(fields[0]), String(fields[1]))
        }
    }

    static func golden(_ file: String) throws -> String {
        try String(contentsOf: fixture.appendingPathComponent("golden/\(file)"), encoding: .utf8)
    }

    /// The scrape timestamps (ms) in the block: those of `up` in promtool's dump.
    static func scrapeTimes() throws -> Set<Int64> {
        let dump = try golden("promtool-dump.txt")
        return Set(dump.split(separator: "\n").filter { $0.hasPrefix("{__name__=\"up\"") }.compactMap { $0.split(separator: " ").last.flatMap { Int64($0) } })
    }

    /// A point of an answer: series (its labels, as sorted JSON) and step time in ms.
    struct Point: Hashable {
        var series: String
        var time: Int64
    }

    /// Every point of an API answer with its value: a float string or a histogram object; series
    /// named without `__name__` when `droppingName` (to find a function's input by its output).
    static func points(_ body: String, droppingName: Bool = false) throws -> [Point: Any] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let data = try #require(json["data"] as? [String: Any])
        var result: [Point: Any] = [:]
        for series in try #require(data["result"] as? [[String: Any]]) {
            var labels = series["metric"] as? [String: Any] ?? [:]
            if droppingName { labels["__name__"] = nil }
            let metric = try JSONSerialization.data(withJSONObject: labels, options: .sortedKeys)
            let name = String(decoding: metric, as: UTF8.self)
            var pairs = (series["values"] as? [[Any]] ?? []) + (series["histograms"] as? [[Any]] ?? [])
            for key in ["value", "histogram"] { if let pair = series[key] as? [Any] { pairs.append(pair) } }
            for pair in pairs {
                let seconds = try #require(pair.first as? Double)
                result[Point(series: name, time: Int64((seconds * 1000).rounded()))] = pair[1]
            }
        }
        return result
    }

    static func text(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    /// 2.42's linearly interpolated quantile `linear`, interpolated exponentially within the
    /// positive bucket of `histogram` (an API histogram object) it fell in.
    static func exponential(_ linear: Double, in histogram: Any) throws -> Double {
        let buckets = try #require((histogram as? [String: Any])?["buckets"] as? [[Any]])
        for bucket in buckets {
            let lower = try #require((bucket[1] as? String).flatMap(Double.init))
            let upper = try #require((bucket[2] as? String).flatMap(Double.init))
            guard lower > 0, lower < linear, linear <= upper else { continue }
            let fraction = (linear - lower) / (upper - lower)
            return exp2(log2(lower) + (log2(upper) - log2(lower)) * fraction)
        }
        Issue.record("\(linear) is in no positive bucket of \(histogram)")
        return .nan
    }

    @Test func answersAsPrometheus() async throws {
        let queries = try Self.queries()
        #expect(queries.count == 22)
        let scrapes = try Self.scrapeTimes()
        #expect(scrapes.count == 53)
        try await withTemporaryDirectory { dir in
            try FileManager.default.copyItem(
                at: Self.fixture.appendingPathComponent(Self.block), to: dir.appendingPathComponent(Self.block))
            try await withAPI(directory: dir) { client, _ in
                var answers: [String: String] = [:]
                for (file, request) in queries {
                    let (code, body) = try await client.getText(request)
                    #expect(code == 200, "\(file) \(request)")
                    answers[file] = body
                }
                var exact = 0
                for (file, request) in queries {
                    let body = try #require(answers[file])
                    let expected = try Self.golden(file)
                    let usesRange = request.contains("%5B30s%5D")
                    if !usesRange && Self.quantileSources[file] == nil {
                        #expect(body == expected, "\(file) \(request)")
                        exact += 1
                        continue
                    }
                    let got = try Self.points(body)
                    let want = try Self.points(expected)
                    #expect(Set(got.keys) == Set(want.keys), "\(file): series and steps")
                    let source = try Self.quantileSources[file].map { try Self.points(try Self.golden($0), droppingName: true) }
                    var compared = 0
                    for (point, wanted) in want {
                        guard let value = got[point] else { continue }
                        // Left-open vs closed window: only a sample at t - 30 s tells them apart.
                        if usesRange && scrapes.contains(point.time - 30_000) { continue }
                        compared += 1
                        if let source {
                            let linear = try #require((wanted as? String).flatMap(Double.init))
                            let expectedValue = try Self.exponential(linear, in: try #require(source[point], "\(file) \(point)"))
                            let value = try #require((value as? String).flatMap(Double.init))
                            #expect(abs(value - expectedValue) <= 1e-12 * expectedValue, "\(file) \(point): \(value) vs \(expectedValue)")
                        } else {
                            #expect(try Self.text(value) == Self.text(wanted), "\(file) \(point)")
                        }
                    }
                    #expect(compared >= want.count / 2, "\(file): \(compared) of \(want.count) points compared")
                }
                #expect(exact == 11)
            }
        }
    }
}
