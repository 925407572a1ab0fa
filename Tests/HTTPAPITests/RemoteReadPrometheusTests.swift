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
import PrometheusInterop
import Testing
import TSDB

@Suite("Prometheus remote-reads native histograms from Sugarmill")
struct RemoteReadPrometheusTests {
    @Test(
        "histogram_count and histogram_sum through remote read",
        .enabled(if: PrometheusProcess.available, "prometheus or curl not installed"),
        .timeLimit(.minutes(1)))
    func prometheusReadsOurHistograms() async throws {
        let version = try PrometheusProcess.version()
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
                // Prometheus with an empty local TSDB, reading recent data from our server too.
                let prometheus = try await PrometheusProcess.start(
                    dataDirectory: dir.appendingPathComponent("prometheus").path, workDirectory: dir.path,
                    config: """
                        remote_read:
                          - url: http://127.0.0.1:\(try #require(client.port))/api/v1/read
                            read_recent: true
                        """,
                    arguments: ["--enable-feature=native-histograms"])
                defer { prometheus.stop() }
                let time = String(format: "%.3f", Double(last) / 1000)
                // The floats of an answer that has histograms too.
                #expect(try await Self.query(prometheus, "rr_up", time: time) == [5])
                for (query, value) in wanted {
                    let served = try await Self.query(prometheus, query, time: time)
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

    /// The values of an instant query's vector result.
    static func query(_ prometheus: PrometheusProcess, _ expression: String, time: String) async throws -> [Double] {
        let data = try await prometheus.apiData("/api/v1/query", ["query=\(expression)", "time=\(time)"])
        let result = try #require(data["result"] as? [[String: Any]], "\(data)")
        return result.compactMap { ($0["value"] as? [Any])?.last as? String }.compactMap(Double.init)
    }
}
