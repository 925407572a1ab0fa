// Federation end to end: a real Prometheus 2.42 (`/usr/bin/prometheus`, Debian, with
// `--enable-feature=native-histograms`) federates native histograms from a Sugarmill HTTP server
// (`honor_labels: true`, `metrics_path: /federate`, `match[]`) — it negotiates protobuf — and then
// answers `histogram_count`, `histogram_sum` and the histogram itself as we do. Runs only where
// the binary and curl are installed; 127.0.0.1, bounded in time.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import PrometheusInterop
import Testing
import TSDB

@Suite(
    "Prometheus 2.42 federates our native histograms",
    .enabled(if: PrometheusProcess.available, "prometheus or curl is not installed (apt-get install -y prometheus curl)")
)
struct FederationPrometheusTests {

    /// The series federated: an integer counter histogram, a float gauge histogram (2.42 reads a
    /// float histogram as native only with a zero threshold above 0, as these have) and a float.
    static let counter = Labels(["__name__": "fed_e2e_latency_seconds", "job": "app"])
    static let gauge = Labels(["__name__": "fed_e2e_queue_size", "job": "app"])
    static let float = Labels(["__name__": "fed_e2e_up", "job": "app"])

    @Test("histogram_count, histogram_sum and the histograms Prometheus federated equal ours", .timeLimit(.minutes(2)))
    func prometheusFederatesOurHistograms() async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir.appendingPathComponent("sugarmill"), logger: quietLogger)
            defer { try? db.close() }
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let newest = now - 2_000
            let app = db.appender()
            for i in 0..<12 {
                let t = newest - Int64(11 - i) * 5_000
                var h = FederateHistogramTests.counterHistogram(extra: UInt64(i))
                h.sum += Double(i) * 0.25
                _ = try app.append(nil, Self.counter, t, h)
                _ = try app.append(nil, Self.gauge, t, FederateHistogramTests.gaugeHistogram(Double(i % 5 + 1)))
                _ = try app.append(nil, Self.float, t, Double(i))
            }
            try app.commit()

            var api = PrometheusAPI(storage: db, logger: quietLogger, selfMetrics: { "" })
            api.lookbackDeltaMs = 5 * 60_000
            let router = Router()
            api.register(on: router)
            let server = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await server.test(.live) { client in
                // Prometheus scraping our /federate every second.
                let prometheus = try await PrometheusProcess.start(
                    dataDirectory: dir.appendingPathComponent("prometheus").path, workDirectory: dir.path,
                    config: """
                        global:
                          scrape_interval: 1s
                          scrape_timeout: 1s
                        scrape_configs:
                          - job_name: federate
                            honor_labels: true
                            metrics_path: /federate
                            params:
                              'match[]': ['{__name__=~"fed_e2e_.*"}']
                            static_configs:
                              - targets: ['127.0.0.1:\(try #require(client.port))']
                        """,
                    arguments: ["--enable-feature=native-histograms"])
                defer { prometheus.stop() }
                let time = String(format: "%.3f", Double(newest) / 1000)
                let queries = ["histogram_count", "histogram_sum"].flatMap { f in
                    [Self.counter, Self.gauge].map { "\(f)(\($0.metricName!))" }
                } + [Self.counter, Self.gauge, Self.float].map { $0.metricName! }

                // Scraped once a second: wait until every query has its answer there (slow under a loaded suite).
                var theirs: [String: Any] = [:]
                let arrived = try await eventuallyAsync(90) {
                    for query in queries where theirs[query] == nil {
                        theirs[query] = await Self.prometheusValue(prometheus, query, time: time)
                    }
                    return theirs.count == queries.count
                }
                try #require(arrived, "Prometheus answered only \(theirs.keys.sorted()): \(prometheus.logTail)")
                for query in queries {
                    let (status, body) = try await client.getJSON(
                        "/api/v1/query?query=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&time=\(time)")
                    #expect(status == 200)
                    let ours = try #require(Self.value(body), "\(query): \(body)")
                    #expect(try Self.text(ours) == Self.text(try #require(theirs[query])), "\(query)")
                }
                // The values compared are the stored ones, not two equal mistakes.
                let count = try #require(theirs["histogram_count(fed_e2e_latency_seconds)"] as? String)
                #expect(Double(count) == Double(FederateHistogramTests.counterHistogram(extra: 11).count))
                let sum = try #require(theirs["histogram_sum(fed_e2e_queue_size)"] as? String)
                #expect(Double(sum) == FederateHistogramTests.gaugeHistogram(2).sum)
            }
        }
    }

    /// The value of an instant query's only series: a float string or a histogram object.
    static func value(_ body: [String: Any]) -> Any? {
        guard let data = body["data"] as? [String: Any], let result = data["result"] as? [[String: Any]], result.count == 1
        else { return nil }
        return ((result[0]["value"] ?? result[0]["histogram"]) as? [Any])?.last
    }

    static func text(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    /// Prometheus's answer to `query` at `time`, or nil while it has none.
    static func prometheusValue(_ prometheus: PrometheusProcess, _ query: String, time: String) async -> Any? {
        guard let body = try? await prometheus.get("/api/v1/query", ["query=\(query)", "time=\(time)"]),
            let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        else { return nil }
        return value(json)
    }
}
