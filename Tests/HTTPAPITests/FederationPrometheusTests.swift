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
import Testing
import TSDB

/// Debian's Prometheus 2.42.
private let prometheusPath = "/usr/bin/prometheus"

@Suite(
    "Prometheus 2.42 federates our native histograms",
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: prometheusPath)
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"),
        "prometheus or curl is not installed (apt-get install -y prometheus curl)")
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
                let process = try Self.startPrometheus(directory: dir, federating: try #require(client.port))
                defer { Self.stop(process) }
                let time = String(format: "%.3f", Double(newest) / 1000)
                let queries = ["histogram_count", "histogram_sum"].flatMap { f in
                    [Self.counter, Self.gauge].map { "\(f)(\($0.metricName!))" }
                } + [Self.counter, Self.gauge, Self.float].map { $0.metricName! }

                // Scraped once a second: wait until every query has its answer there (slow under a loaded suite).
                var theirs: [String: Any] = [:]
                let arrived = try await eventuallyAsync(90) {
                    for query in queries where theirs[query] == nil {
                        theirs[query] = try await Self.prometheusValue(query, time: time, port: process.port)
                    }
                    return theirs.count == queries.count
                }
                try #require(arrived, "Prometheus answered only \(theirs.keys.sorted()): \(Self.log(dir))")
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
    static func prometheusValue(_ query: String, time: String, port: Int) async throws -> Any? {
        let output = try await runProcess(
            "/usr/bin/curl",
            ["-sf", "--max-time", "5", "-G", "--data-urlencode", "query=\(query)", "--data-urlencode", "time=\(time)",
             "http://127.0.0.1:\(port)/api/v1/query"])
        guard let body = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else { return nil }
        return value(body)
    }

    /// Prometheus with native histograms scraping our /federate every second.
    static func startPrometheus(directory: URL, federating port: Int) throws -> (process: Process, port: Int) {
        let config = directory.appendingPathComponent("prometheus.yml").path
        try """
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
                  - targets: ['127.0.0.1:\(port)']
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let listen = try freeTCPPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: prometheusPath)
        process.arguments = [
            "--config.file=\(config)", "--storage.tsdb.path=\(directory.appendingPathComponent("prometheus").path)",
            "--web.listen-address=127.0.0.1:\(listen)", "--log.level=warn", "--enable-feature=native-histograms",
        ]
        let log = directory.appendingPathComponent("prometheus.log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return (process, listen)
    }

    static func log(_ directory: URL) -> String {
        let text = (try? String(contentsOf: directory.appendingPathComponent("prometheus.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }

    /// SIGTERM to the Prometheus this test started, and its exit.
    static func stop(_ started: (process: Process, port: Int)) {
        started.process.terminate()
        started.process.waitUntilExit()
    }
}
