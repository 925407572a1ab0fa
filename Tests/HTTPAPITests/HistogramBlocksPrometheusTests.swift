// Interop the other way: real Prometheus 2.42 (`/usr/bin/prometheus`, Debian, with
// `--enable-feature=native-histograms`) starts on a copy of a data directory Sugarmill wrote with
// native histograms — compacted blocks, a WAL checkpoint and WAL records 7/8 — and answers
// queries over it exactly as our own API answers them over the original: the same JSON, bucket
// by bucket. Every query is chosen where Prometheus 2.42 and 3 agree: no sample at a range's
// start (2.42 includes it, 3 leaves it out), no quantile interpolation (3 changed it), and none
// of what 2.42 did not do on histograms yet (`* 2` and `/ 4` left them unchanged,
// `avg_over_time` ignored them).
// Runs only where the binary and curl are installed; 127.0.0.1, bounded in time.

import Foundation
import HTTPAPI
import HummingbirdTesting
import MetricModel
import PrometheusInterop
import Testing
import TSDB

@Suite("Native histograms Sugarmill wrote, read by Prometheus 2.42")
struct HistogramBlocksPrometheusTests {
    static let counter = Labels(["__name__": "interop_latency_seconds", "job": "a"])
    static let gauge = Labels(["__name__": "interop_queue_size", "job": "a"])
    static let samples = 240
    static let intervalMs: Int64 = 5_000

    /// Counter sample `i`: growing buckets on both sides and in the zero bucket, schema 1 for the
    /// first half and 0 after (a chunk cut on the schema change), a counter reset at sample 170.
    static func counterHistogram(_ i: Int) -> Histogram {
        let n = Int64(i < 170 ? i : i - 170)
        let positive: [Int64] = [1 + n, n / 3, -(n / 5)]
        let negative: [Int64] = [n / 2, 1]
        let absolute = [1 + n, 1 + n + n / 3, 1 + n + n / 3 - n / 5, n / 2, n / 2 + 1]
        let zeroCount = UInt64(n / 4)
        return Histogram(
            schema: i < 120 ? 1 : 0, zeroThreshold: 0.001, zeroCount: zeroCount,
            count: zeroCount + UInt64(absolute.reduce(0, +)), sum: Double(n) * 0.25 + 0.125,
            positiveSpans: [BucketSpan(offset: -1, length: 2), BucketSpan(offset: 2, length: 1)], positiveBuckets: positive,
            negativeSpans: [BucketSpan(offset: 0, length: 2)], negativeBuckets: negative)
    }

    /// Gauge sample `i`: a float histogram going up and down, marked as a gauge.
    static func gaugeHistogram(_ i: Int) -> FloatHistogram {
        let n = Int64((i * 7) % 23)
        var h = Histogram(
            schema: 2, zeroThreshold: 0.5, zeroCount: UInt64(n % 3), count: UInt64(n % 3) + UInt64(2 * n + 3),
            sum: Double(n) * 1.75 - 3,
            positiveSpans: [BucketSpan(offset: 3, length: 3)], positiveBuckets: [n, 1, -1]
        ).toFloat()
        h.counterResetHint = .gauge
        return h
    }

    /// Our database in `directory`: both series over 20 minutes, mostly compacted into 2-minute
    /// blocks (the WAL checkpointed), the rest in the WAL. Returns the first sample's time.
    static func writeData(_ directory: URL) throws -> Timestamp {
        let now = Int64(Date().timeIntervalSince1970) * 1000
        let start = (now - 20 * 60_000) / 60_000 * 60_000
        var options = DBOptions()
        options.minBlockDurationMs = 2 * 60_000
        options.walSegmentSizeBytes = 32 * 1024
        let db = try DB(directory: directory, options: options, logger: quietLogger)
        for i in 0..<samples {
            let t = start + Int64(i) * intervalMs
            let app = db.appender()
            _ = try app.append(nil, counter, t, counterHistogram(i))
            _ = try app.append(nil, gauge, t, gaugeHistogram(i))
            try app.commit()
        }
        let written = try db.compactHead()
        #expect(written.count >= 5)
        try db.close()
        return start
    }

    /// The queries both answer: query_range steps fall 2.5 s after a sample, so no range starts
    /// on one; the instant query likewise.
    static func requests(start: Timestamp) -> [String] {
        func seconds(_ ms: Timestamp) -> String { String(format: "%.3f", Double(ms) / 1000) }
        let from = seconds(start + 2_500)
        let to = seconds(start + Int64(samples) * intervalMs + 62_500)
        let range = "&start=\(from)&end=\(to)&step=10"
        let expressions = [
            "interop_latency_seconds", "histogram_count(interop_latency_seconds)", "histogram_sum(interop_latency_seconds)",
            "rate(interop_latency_seconds[1m])", "increase(interop_latency_seconds[2m])",
            "sum(rate(interop_latency_seconds[1m]))", "histogram_count(rate(interop_latency_seconds[1m]))",
            "interop_queue_size", "histogram_sum(interop_queue_size)", "sum(interop_queue_size)",
            "sum by (job) (interop_latency_seconds)", "count_over_time(interop_queue_size[1m])",
        ]
        let instant = seconds(start + 150 * intervalMs + 2_500)
        return expressions.map { "/api/v1/query_range?query=\(escape($0))\(range)" }
            + ["interop_latency_seconds", "interop_queue_size", "rate(interop_latency_seconds[1m])"].map {
                "/api/v1/query?query=\(escape($0))&time=\(instant)"
            }
    }

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "_"))) ?? s
    }

    @Test(.enabled(if: PrometheusProcess.available), .timeLimit(.minutes(2)))
    func prometheusAnswersAsWeDo() async throws {
        try await withTemporaryDirectory { dir in
            let ours = dir.appendingPathComponent("ours")
            let theirs = dir.appendingPathComponent("prometheus")
            let start = try Self.writeData(ours)
            try FileManager.default.copyItem(at: ours, to: theirs)
            #expect(try FileManager.default.contentsOfDirectory(atPath: theirs.path + "/wal").contains { $0.hasPrefix("checkpoint.") })

            let server = try await PrometheusProcess.start(
                dataDirectory: theirs.path, workDirectory: dir.path, arguments: ["--enable-feature=native-histograms"])
            defer { server.stop() }
            // Every stored sample, through Prometheus's own selector (a subquery at the sample
            // interval), as count and sum.
            let lastTime = String(format: "%.3f", Double(start + Int64(Self.samples - 1) * Self.intervalMs) / 1000)
            for (labels, isCounter) in [(Self.counter, true), (Self.gauge, false)] {
                for function in ["histogram_count", "histogram_sum"] {
                    let query = "\(function)(\(labels.metricName!))[1h:5s]"
                    let answer = try await server.apiData("/api/v1/query", ["query=\(query)", "time=\(lastTime)"])
                    let result = try #require(answer["result"] as? [[String: Any]], "\(answer)")
                    let values = try #require(result.first?["values"] as? [[Any]], "\(query): \(answer) \(server.logTail)")
                    let served = values.compactMap { pair in (pair.last as? String).flatMap(Double.init) }
                    let wanted = (0..<Self.samples).map { i in
                        let h = isCounter ? Self.counterHistogram(i).toFloat() : Self.gaugeHistogram(i)
                        return function == "histogram_count" ? h.count : h.sum
                    }
                    #expect(served == wanted, "\(query)")
                }
            }
            var theirAnswers: [String: String] = [:]
            for request in Self.requests(start: start) {
                theirAnswers[request] = String(decoding: try await server.get(request), as: UTF8.self)
            }
            let answers = theirAnswers
            try await withAPI(directory: ours) { client, _ in
                for request in Self.requests(start: start) {
                    let (code, body) = try await client.getText(request)
                    #expect(code == 200, "\(request)")
                    #expect(body == answers[request], "\(request)")
                    #expect(body.contains("\"result\":[{"), "\(request): an empty answer proves nothing")
                }
            }
        }
    }
}
