// Interop the other way: real Prometheus 2.42 (`/usr/bin/prometheus`, Debian, with
// `--enable-feature=native-histograms`) starts on a data directory Sugarmill wrote with native
// histograms — compacted blocks, a WAL checkpoint and WAL records 7/8 — and serves the same
// histograms. Runs only where the binary and curl are installed; 127.0.0.1, bounded in time.

import Foundation
import MetricModel
import Testing
import TSDB

@Suite("Native histograms Sugarmill wrote, read by Prometheus 2.42")
struct HistogramBlocksPrometheusTests {
    typealias Interop = WALCheckpointPrometheusTests

    @Test(
        "blocks and WAL with integer and float histograms", .enabled(if: WALCheckpointPrometheusTests.available),
        .timeLimit(.minutes(1)))
    func prometheusReadsOurHistograms() throws {
        try withTempDB { dir in
            let now = Int64(Date().timeIntervalSince1970) * 1000
            let start = (now - 20 * 60_000) / 60_000 * 60_000
            var options = DBOptions()
            options.minBlockDurationMs = 2 * 60_000
            options.walSegmentSizeBytes = 32 * 1024
            let counter = Labels(["__name__": "interop_latency_seconds", "job": "a"])
            let gauge = Labels(["__name__": "interop_queue_size", "job": "a"])
            var expected: [Labels: [(Timestamp, count: Double, sum: Double)]] = [:]
            do {
                let db = try DB(directory: dir, options: options, logger: quietTSDBLogger)
                for i in 0..<240 {
                    let t = start + Int64(i) * 5_000
                    let h = HistogramStorageTests.histogram(i)
                    var g = HistogramStorageTests.histogram(i % 17).toFloat()
                    g.counterResetHint = .gauge
                    let app = db.appender()
                    _ = try app.append(nil, counter, t, h)
                    _ = try app.append(nil, gauge, t, g)
                    try app.commit()
                    expected[counter, default: []].append((t, Double(h.count), h.sum))
                    expected[gauge, default: []].append((t, g.count, g.sum))
                }
                let written = try db.compactHead()
                #expect(written.count >= 5)
                try db.close()
            }
            try Data().write(to: dir.appendingPathComponent("prometheus.yml"))

            let port = try Interop.freePort()
            let server = Process()
            server.executableURL = URL(fileURLWithPath: Interop.prometheus)
            server.arguments = [
                "--config.file=\(dir.path)/prometheus.yml", "--storage.tsdb.path=\(dir.path)",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn", "--enable-feature=native-histograms",
            ]
            let log = dir.path + "/prometheus.log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            server.standardOutput = logHandle
            server.standardError = logHandle
            try server.run()
            defer { Interop.stop(server) }
            let base = "http://127.0.0.1:\(port)"
            let deadline = Date().addingTimeInterval(30)
            var ready = false
            while !ready && server.isRunning && Date() < deadline {
                ready = (try? Interop.get(base + "/-/ready")) != nil
                if !ready { usleep(100_000) }
            }
            let logText = { (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(2000)) } ?? "" }
            try #require(ready, "Prometheus did not become ready: \(logText())")

            // Every stored sample, read back through Prometheus's own selector (2.42 includes the
            // range's start), as count and sum.
            for (labels, want) in expected {
                let name = labels.metricName!
                let time = String(format: "%.3f", Double(want.last!.0) / 1000)
                for function in ["histogram_count", "histogram_sum"] {
                    let query = "\(function)(\(name))[1h:5s]"
                    let body = try Interop.get(base + "/api/v1/query", ["query=\(query)", "time=\(time)"])
                    let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
                    let result = try #require((json["data"] as? [String: Any])?["result"] as? [[String: Any]], "\(json)")
                    let values = try #require(result.first?["values"] as? [[Any]], "\(query): \(json) \(logText())")
                    let served = values.compactMap { pair -> (Timestamp, Double)? in
                        guard let seconds = pair.first as? Double, let text = pair.last as? String, let value = Double(text) else { return nil }
                        return (Int64((seconds * 1000).rounded()), value)
                    }
                    let wanted = want.map { ($0.0, function == "histogram_count" ? $0.count : $0.sum) }
                    #expect(served.map(\.0) == wanted.map(\.0), "\(query) timestamps")
                    #expect(served.map(\.1) == wanted.map(\.1), "\(query) values")
                }
            }
        }
    }
}
