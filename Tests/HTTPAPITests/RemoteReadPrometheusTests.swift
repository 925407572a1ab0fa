// Remote read the other way round: a real Prometheus (`/usr/bin/prometheus`, with
// `--enable-feature=native-histograms`) reads from our /api/v1/read while we hold native
// histograms beside floats. Prometheus's client handles histograms in remote read from 2.44 on
// (#12085): from then on its `histogram_count`/`histogram_sum` must equal ours. Before (Debian's
// 2.42), its client drops `TimeSeries.histograms`; the test then checks only that our answer
// with histograms in it still gives it the floats. Runs only where prometheus and curl are installed.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import Testing
import TSDB

@Suite("Prometheus remote-reads native histograms from Sugarmill")
struct RemoteReadPrometheusTests {
    static let prometheus = "/usr/bin/prometheus"
    static let curl = "/usr/bin/curl"
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: prometheus) && FileManager.default.isExecutableFile(atPath: curl)
    }

    /// `prometheus --version`'s major and minor version ("prometheus, version 2.42.0+ds …").
    static func version() throws -> (major: Int, minor: Int) {
        let text = try runTool(prometheus, ["--version"]).output
        let numbers = text.split(separator: " ").dropFirst(2).first?.split(separator: ".").prefix(2).compactMap { Int($0) } ?? []
        try #require(numbers.count == 2, "no version in \(text.prefix(100))")
        return (numbers[0], numbers[1])
    }

    @Test(
        "histogram_count and histogram_sum through remote read", .enabled(if: Self.available, "prometheus or curl not installed"),
        .timeLimit(.minutes(1)))
    func prometheusReadsOurHistograms() async throws {
        let version = try Self.version()
        let readsHistograms = version.major > 2 || (version.major == 2 && version.minor >= 44)
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir.appendingPathComponent("sugarmill"), logger: quietLogger)
            defer { try? db.close() }
            let last = Int64(Date().timeIntervalSince1970) * 1000 - 30_000
            var expected: [(query: String, value: Double)] = []
            let app = db.appender()
            for i in 0..<6 {
                let t = last - Int64(5 - i) * 5_000
                let n = Int64(i)
                let h = Histogram(
                    schema: 1, zeroThreshold: 0.001, zeroCount: UInt64(n), count: UInt64(3 * n + 2), sum: Double(n) * 1.25,
                    positiveSpans: [BucketSpan(offset: 0, length: 2)], positiveBuckets: [n, 1], negativeSpans: [BucketSpan(offset: 2, length: 1)],
                    negativeBuckets: [1])
                var g = FloatHistogram(
                    schema: 0, count: Double(n) + 0.5, sum: 7, positiveSpans: [BucketSpan(offset: 1, length: 1)],
                    positiveBuckets: [Double(n) + 0.5])
                g.counterResetHint = .gauge
                _ = try app.append(nil, Labels(["__name__": "rr_latency_seconds"]), t, h)
                _ = try app.append(nil, Labels(["__name__": "rr_queue"]), t, g)
                _ = try app.append(nil, Labels(["__name__": "rr_up"]), t, Double(i))
                if i == 5 {
                    expected = [
                        ("histogram_count(rr_latency_seconds)", Double(h.count)), ("histogram_sum(rr_latency_seconds)", h.sum),
                        ("histogram_count(rr_queue)", g.count), ("histogram_sum(rr_queue)", g.sum),
                    ]
                }
            }
            try app.commit()
            let wanted = expected
            let router = Router()
            PrometheusAPI(storage: db, logger: quietLogger, selfMetrics: { "" }).register(on: router)
            let server = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await server.test(.live) { client in
                let port = try freeTCPPort()
                let prometheus = try Self.start(directory: dir, port: port, readFrom: try #require(client.port))
                defer {
                    prometheus.terminate()
                    prometheus.waitUntilExit()
                }
                let base = "http://127.0.0.1:\(port)"
                #expect(try await eventuallyAsync(30) { try await runProcess(Self.curl, ["-sf", base + "/-/ready"]).contains("Ready") })
                let time = String(format: "%.3f", Double(last) / 1000)
                // The floats of an answer that has histograms too.
                #expect(try await Self.query(base, "rr_up", time: time) == [5])
                for (query, value) in wanted {
                    let served = try await Self.query(base, query, time: time)
                    if readsHistograms {
                        #expect(served == [value], "\(query)")
                    } else {
                        // Prometheus before 2.44 drops the histograms of a remote-read answer.
                        #expect(served == [], "\(query) on Prometheus \(version.major).\(version.minor)")
                    }
                }
            }
        }
    }

    /// Prometheus on `port` with an empty local TSDB, reading recent data from our server too.
    static func start(directory: URL, port: Int, readFrom readPort: Int) throws -> Process {
        let config = directory.appendingPathComponent("prometheus.yml").path
        try """
            remote_read:
              - url: http://127.0.0.1:\(readPort)/api/v1/read
                read_recent: true
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: prometheus)
        process.arguments = [
            "--config.file=\(config)", "--storage.tsdb.path=\(directory.appendingPathComponent("prometheus").path)",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=error", "--enable-feature=native-histograms",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The values of an instant query's vector result.
    static func query(_ base: String, _ expression: String, time: String) async throws -> [Double] {
        let body = try await runProcess(
            curl, ["-sf", "-G", "--data-urlencode", "query=\(expression)", "--data-urlencode", "time=\(time)", base + "/api/v1/query"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "\(body)")
        let result = try #require((json["data"] as? [String: Any])?["result"] as? [[String: Any]], "\(body)")
        return result.compactMap { ($0["value"] as? [Any])?.last as? String }.compactMap(Double.init)
    }
}
