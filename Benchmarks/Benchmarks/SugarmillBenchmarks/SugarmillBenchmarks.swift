// Sugarmill benchmarks: XOR chunk encode/decode, head append, remote-write ingest end to end.
// Run: cd Benchmarks && swift package benchmark   (see BENCHMARKS.md for figures)

import Benchmark
import ChunkEncoding
import Foundation
import Logging
import MetricModel
import Remote
import Snappy
import TSDB

/// node_exporter-like samples: a counter rounded to 10 ms, steady 15 s scrapes.
func counterSamples(_ n: Int) -> [(Int64, Double)] {
    var v = 1000.0
    var rng = SplitMix64(seed: 7)
    return (0..<n).map { i in
        v += Double(rng.next() % 300) / 100
        return (1_700_000_000_000 + Int64(i) * 15_000, (v * 100).rounded() / 100)
    }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sugarmill-bench-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

let benchmarks: @Sendable () -> Void = {
    promQLBenchmarks()
    let samples = counterSamples(120)
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .instructions, .throughput]

    // One iteration = one chunk of 120 samples (divide by 120 for per-sample figures).
    Benchmark("XORChunk:Append120", configuration: .init(metrics: metrics)) { benchmark in
        for _ in benchmark.scaledIterations {
            var chunk = XORChunk()
            for (t, v) in samples { chunk.append(t, v) }
            blackHole(chunk.count)
        }
    }

    var encoded = XORChunk()
    for (t, v) in samples { encoded.append(t, v) }
    let bytes = encoded.bytes
    Benchmark("XORChunk:Iterate120", configuration: .init(metrics: metrics)) { benchmark in
        var iterator = XORIterator(bytes)
        for _ in benchmark.scaledIterations {
            iterator.reset(bytes)
            var sum = 0.0
            while iterator.next() { sum += iterator.value }
            blackHole(sum)
        }
    }

    // Head append + WAL: one commit of 2,000 series × 1 sample per run (one scrape round).
    let seriesLabels = (0..<2_000).map { i in
        Labels(["__name__": "node_cpu_seconds_total", "cpu": "\(i % 8)", "mode": "user", "instance": "host-\(i / 8):9100", "job": "node"])
    }
    let headState = IngestState()
    Benchmark("Head:AppendCommit2kSeries", configuration: .init(metrics: metrics, maxDuration: .seconds(5))) { benchmark in
        let state = headState
        for _ in benchmark.scaledIterations {
            let app = state.db.appender()
            for i in 0..<seriesLabels.count {
                state.refs[i] = try app.append(state.refs[i], seriesLabels[i], state.time, Double(state.time % 1000 + Int64(i)))
            }
            try app.commit()
            state.time += 15_000
        }
    }

    // Remote write: snappy body → decode → append → WAL commit, 2,000 samples per request.
    let writeState = IngestState()
    Benchmark(
        "RemoteWrite:Ingest2kSamplesPerRequest", configuration: .init(metrics: metrics, maxDuration: .seconds(5))
    ) { benchmark in
        let state = writeState
        // Encoding the request is set-up, not measured.
        let t = state.time
        let body = Snappy.compress(WriteRequest.encode(seriesLabels.map { ($0, [Sample(t, Double(t % 977))]) }))
        state.time += 15_000
        benchmark.startMeasurement()
        try state.request.decode(snappyBody: body, scratch: &state.scratch)
        let app = state.db.appender()
        for i in 0..<state.request.series.count {
            let hash = state.request.series[i].hash
            try state.request.withEncodedLabels(of: i) { encoded in
                var ref: SeriesRef?
                for k in state.request.series[i].samples {
                    let sample = state.request.samples[k]
                    ref = try app.append(ref, encodedLabels: encoded, hash: hash, sample.timestamp, sample.value)
                }
            }
        }
        try app.commit()
        benchmark.stopMeasurement()
    }
}

/// A database shared by the runs of one benchmark, with the next timestamp to write.
final class IngestState: @unchecked Sendable {
    // Safety: benchmarks run one at a time on one thread.
    let directory = temporaryDirectory()
    let db: DB
    var time: Int64 = 1_700_000_000_000
    var refs = [SeriesRef?](repeating: nil, count: 2_000)
    var request = WriteRequest()
    var scratch: [UInt8] = []

    init() {
        db = try! DB(directory: directory, logger: quiet)
    }

    deinit {
        try? db.close()
        try? FileManager.default.removeItem(at: directory)
    }
}
