// Interop: real Prometheus 2.42 (`/usr/bin/prometheus`, Debian) starts on a data directory whose
// WAL holds our checkpoint and serves exactly the samples that had to survive (spec §6.4).
// Runs only where the binary and curl are installed; listens on 127.0.0.1, bounded in time.

import Foundation
import Testing
import MetricModel
import TSDB
#if canImport(Glibc)
import Glibc
#endif

@Suite("WAL checkpoints read by Prometheus 2.42")
struct WALCheckpointPrometheusTests {
    static let prometheus = "/usr/bin/prometheus"
    static let curl = "/usr/bin/curl"
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: prometheus) && FileManager.default.isExecutableFile(atPath: curl)
    }

    /// Timestamp of sample `k` of segment `segment`: 15 s apart, ending about a minute ago.
    static func timestamp(_ start: Timestamp, segment: Int, k: Int) -> Timestamp {
        start + Int64(segment * 10 + k) * 15_000
    }

    @Test("Prometheus 2.42 replays checkpoint.00000002 plus segments 3, 4 and serves the kept samples",
          .enabled(if: available), .timeLimit(.minutes(1)))
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
        try Data().write(to: URL(fileURLWithPath: dir.path + "/prometheus.yml"))

        let port = try Self.freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Self.prometheus)
        server.arguments = [
            "--config.file=\(dir.path)/prometheus.yml", "--storage.tsdb.path=\(data)",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        let log = dir.path + "/prometheus.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        server.standardOutput = logHandle
        server.standardError = logHandle
        try server.run()
        defer { Self.stop(server) }

        let base = "http://127.0.0.1:\(port)"
        let deadline = Date().addingTimeInterval(30)
        var ready = false
        while !ready && server.isRunning && Date() < deadline {
            ready = (try? Self.get(base + "/-/ready")) != nil
            if !ready { usleep(100_000) }
        }
        let logText = { (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(2000)) } ?? "" }
        try #require(ready, "Prometheus did not become ready: \(logText())")

        let time = String(format: "%.3f", Double(now) / 1000)
        let body = try Self.get(base + "/api/v1/query", ["query=ckpt_interop[1h]", "time=\(time)"])
        let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let result = try #require((json["data"] as? [String: Any])?["result"] as? [[String: Any]], "\(json)")
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
        #expect(served.keys.sorted() == [1, 2, 3], "\(logText())")
        for ref in UInt64(1)...3 {
            let got = served[ref] ?? [], want = expected[ref] ?? []
            #expect(got.map(\.0) == want.map(\.0), "series \(ref) timestamps")
            #expect(got.map(\.1) == want.map(\.1), "series \(ref) values")
        }
    }

    /// Asks the kernel for a free TCP port on 127.0.0.1 (released again before Prometheus binds it).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WALTestFailure("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw WALTestFailure("bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `curl -sf` (with `--data-urlencode` GET parameters); throws on a failed request.
    static func get(_ url: String, _ parameters: [String] = []) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: curl)
        process.arguments = ["-sf", "--max-time", "5", "-G"] + parameters.flatMap { ["--data-urlencode", $0] } + [url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let body = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw WALTestFailure("curl \(url): exit \(process.terminationStatus)") }
        return body
    }

    /// SIGTERM, then SIGKILL after 10 s; only the process this test started.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
