// Interop: real Prometheus 2.42 (`/usr/bin/prometheus`, Debian) starts on a data directory whose
// WAL holds our checkpoint and serves exactly the samples that had to survive (spec §6.4).
// Runs only where the binary and curl are installed; listens on 127.0.0.1, bounded in time.

import Foundation
import MetricModel
import PrometheusInterop
import Testing
import TSDB

@Suite("WAL checkpoints read by Prometheus 2.42")
struct WALCheckpointPrometheusTests {
    /// Timestamp of sample `k` of segment `segment`: 15 s apart, ending about a minute ago.
    static func timestamp(_ start: Timestamp, segment: Int, k: Int) -> Timestamp {
        start + Int64(segment * 10 + k) * 15_000
    }

    @Test("Prometheus 2.42 replays checkpoint.00000002 plus segments 3, 4 and serves the kept samples",
          .enabled(if: PrometheusProcess.available), .timeLimit(.minutes(1)))
    func prometheusReplaysOurCheckpoint() throws {
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let data = dir.path + "/data"
        let now = Int64(Date().timeIntervalSince1970) * 1000
        let start = now - 60_000 - 50 * 15_000

        // Series 1-3 live on; series 4 only has samples in segments 0 and 1 and is no longer kept.
        let wal = try WAL(directory: data + "/wal")
        var buffer: [UInt8] = []
        var expected: [UInt64: [(Timestamp, Double)]] = [:]
        let minTime = Self.timestamp(start, segment: 1, k: 5)
        let keep: (SeriesRef) -> Bool = { $0.rawValue != 4 }
        for segment in 0...4 {
            if segment > 0 { try wal.nextSegment() }
            if segment == 0 {
                WALRecord.encodeSeries((1...4).map {
                    WALSeries(ref: SeriesRef($0), labels: Labels(["__name__": "ckpt_interop", "i": String($0)]))
                }, into: &buffer)
                try wal.log(buffer)
            }
            let refs: ClosedRange<UInt64> = segment < 2 ? 1...4 : 1...3
            var samples: [WALSample] = []
            for k in 0..<10 {
                for ref in refs {
                    let t = Self.timestamp(start, segment: segment, k: k)
                    let value = Double(ref * 1000) + Double(segment * 10 + k) + 0.5
                    samples.append(WALSample(ref: SeriesRef(ref), timestamp: t, value: value))
                    if t >= minTime && keep(SeriesRef(ref)) { expected[ref, default: []].append((t, value)) }
                }
            }
            buffer.removeAll()
            WALRecord.encodeSamples(samples, into: &buffer)
            try wal.log(buffer)
            buffer.removeAll()
        }
        let stats = try WAL.checkpoint(directory: data + "/wal", through: 2, minTime: minTime, compress: true, keepSeries: keep)
        #expect(stats.seriesDropped == 1 && stats.samplesKept == 5 * 3 + 10 * 3)
        try WAL.deleteSegments(directory: data + "/wal", before: 3)
        try wal.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: data + "/wal").sorted()
            == ["00000003", "00000004", "checkpoint.00000002"])
        let server = try PrometheusProcess(dataDirectory: data, workDirectory: dir.path)
        defer { server.stop() }

        let time = String(format: "%.3f", Double(now) / 1000)
        let answer = try server.apiData("/api/v1/query", ["query=ckpt_interop[1h]", "time=\(time)"])
        let result = try #require(answer["result"] as? [[String: Any]], "\(answer)")
        var served: [UInt64: [(Timestamp, Double)]] = [:]
        for series in result {
            let labels = try #require(series["metric"] as? [String: String])
            let ref = try #require(labels["i"].flatMap { UInt64($0) })
            let values = try #require(series["values"] as? [[Any]])
            served[ref] = values.compactMap { pair in
                guard let seconds = pair.first as? Double, let text = pair.last as? String, let value = Double(text) else { return nil }
                return (Int64((seconds * 1000).rounded()), value)
            }
        }
        #expect(served.keys.sorted() == [1, 2, 3], "\(server.logTail)")
        for ref in UInt64(1)...3 {
            let got = served[ref] ?? [], want = expected[ref] ?? []
            #expect(got.map(\.0) == want.map(\.0), "series \(ref) timestamps")
            #expect(got.map(\.1) == want.map(\.1), "series \(ref) values")
        }
    }
}
