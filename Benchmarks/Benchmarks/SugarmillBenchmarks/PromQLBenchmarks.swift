// PromQL engine benchmarks: the dashboard query set of `../shared/bench` (copied to
// `Benchmarks/queries/dashboard.txt`), each as a 1h range query at 15 s over node-exporter-like
// data held in the engine's in-memory storage — the engine alone, no HTTP and no TSDB.

import Benchmark
import Foundation
import MetricModel
import PromQL

/// 20 hosts, 2h at 15 s: the metric names and label shapes the dashboard queries read.
func dashboardStorage() -> MemoryStorage {
    var storage = MemoryStorage()
    var rng = SplitMix64(seed: 11)
    let steps = 480
    func add(_ labels: [String: String], counter: Bool, scale: Double) {
        var v = Double(rng.next() % 1000)
        var samples: [Sample] = []
        samples.reserveCapacity(steps)
        for i in 0..<steps {
            if counter {
                v += Double(rng.next() % 1000) / 1000 * scale
            } else {
                v = scale * (1 + Double(rng.next() % 1000) / 10_000)
            }
            samples.append(Sample(Int64(i) * 15_000, (v * 1000).rounded() / 1000))
        }
        try! storage.append(Labels(labels), samples)
    }
    for h in 0..<20 {
        let node = ["instance": "host-\(h):9100", "job": "node"]
        add(node.merging(["__name__": "up"]) { $1 }, counter: false, scale: 1)
        for cpu in 0..<4 {
            for mode in ["idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"] {
                add(node.merging(["__name__": "node_cpu_seconds_total", "cpu": "\(cpu)", "mode": mode]) { $1 }, counter: true, scale: 15)
            }
        }
        for name in ["node_load1", "node_load5", "node_load15", "go_goroutines"] {
            add(node.merging(["__name__": name]) { $1 }, counter: false, scale: 2)
        }
        add(node.merging(["__name__": "node_memory_MemAvailable_bytes"]) { $1 }, counter: false, scale: 8e9)
        add(node.merging(["__name__": "node_memory_MemTotal_bytes"]) { $1 }, counter: false, scale: 16e9)
        for device in ["lo", "eth0"] {
            for name in ["node_network_receive_bytes_total", "node_network_transmit_bytes_total", "node_network_receive_packets_total"] {
                add(node.merging(["__name__": name, "device": device]) { $1 }, counter: true, scale: 1e6)
            }
        }
        for device in ["sda", "sdb"] {
            for name in ["node_disk_written_bytes_total", "node_disk_io_time_seconds_total"] {
                add(node.merging(["__name__": name, "device": device]) { $1 }, counter: true, scale: 1e5)
            }
        }
        for mountpoint in ["/", "/data"] {
            add(node.merging(["__name__": "node_filesystem_avail_bytes", "mountpoint": mountpoint]) { $1 }, counter: false, scale: 5e10)
            add(node.merging(["__name__": "node_filesystem_size_bytes", "mountpoint": mountpoint]) { $1 }, counter: false, scale: 1e11)
        }
        add(node.merging(["__name__": "node_hwmon_temp_celsius", "chip": "platform_coretemp_0", "sensor": "temp1"]) { $1 }, counter: false, scale: 50)
        let api = ["instance": "host-\(h):8080", "job": "api"]
        for handler in ["/api/v1/query", "/api/v1/write"] {
            for code in ["200", "500"] {
                for le in ["0.005", "0.05", "0.5", "5", "+Inf"] {
                    add(api.merging(["__name__": "http_request_duration_seconds_bucket", "handler": handler, "code": code, "le": le]) { $1 }, counter: true, scale: 10)
                }
                add(api.merging(["__name__": "http_request_duration_seconds_sum", "handler": handler, "code": code]) { $1 }, counter: true, scale: 3)
                add(api.merging(["__name__": "http_request_duration_seconds_count", "handler": handler, "code": code]) { $1 }, counter: true, scale: 10)
            }
        }
        for quantile in ["0.5", "0.9", "0.99"] {
            add(api.merging(["__name__": "rpc_duration_seconds", "quantile": quantile]) { $1 }, counter: false, scale: 0.1)
        }
    }
    return storage
}

/// The dashboard queries: one expression per line, `#` comments, optional `instant:`/`range:`/`both:` prefix.
func dashboardQueries() -> [String] {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("queries/dashboard.txt").path
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap { line in
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
        for prefix in ["instant:", "range:", "both:"] where trimmed.hasPrefix(prefix) {
            return String(trimmed.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        return trimmed
    }
}

func promQLBenchmarks() {
    let engine = Engine(querier: dashboardStorage())
    let end: Int64 = 479 * 15_000
    let start = end - 3_600_000
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .instructions]
    for (i, query) in dashboardQueries().enumerated() {
        guard let expr = try? parseExpr(query) else { continue }
        let name = String(format: "PromQL:q%02d range 1h/15s", i + 1)
        Benchmark(name, configuration: .init(metrics: metrics, maxDuration: .seconds(2), maxIterations: 200)) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try? engine.rangeQuery(expr, start: start, end: end, step: 15_000))
            }
        }
    }
}
