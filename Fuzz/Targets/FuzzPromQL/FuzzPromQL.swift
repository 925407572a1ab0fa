// libFuzzer target: the PromQL parser on arbitrary text throws or succeeds, never traps, and
// what parses prints (on one line, and prettified) to text that parses again; what parses is
// also evaluated (instant and a short range query) over a small fixed data set: the evaluator
// may throw, never trap.

import MetricModel
import PromQL

/// A few series over 10 minutes, with a counter reset, a stale marker and a histogram's buckets.
private let storage: MemoryStorage = {
    let script = """
        load 30s
          http_requests_total{job="api", instance="a"} 0+10x10 0 5 10 15 20
          http_requests_total{job="api", instance="b"} 1+1x20
          node_load1{instance="a"} 0.5 1 NaN 2 stale 3 -Inf 4 +Inf
          bucket{le="0.1"} 0+1x20
          bucket{le="1"} 0+3x20
          bucket{le="+Inf"} 0+5x20
          target_info{instance="a", job="api", version="1"} 1x20
        """
    return try! MemoryStorage(loading: script)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let expr = try? parseExpr(text) {
        precondition((try? parseExpr(expr.description)) != nil, "printed form does not parse: \(expr.description)")
        // Narrow lines make the prettier split every node it can.
        let pretty = expr.pretty(maxLineWidth: 10)
        precondition((try? parseExpr(pretty)) != nil, "pretty form does not parse: \(pretty)")
        var options = EngineOptions()
        options.maxSamples = 1_000_000
        let engine = Engine(querier: storage, options: options)
        _ = try? engine.instantQuery(expr, at: 300_000, query: text)
        if expr.type == .scalar || expr.type == .vector {
            _ = try? engine.rangeQuery(expr, start: 0, end: 600_000, step: 30_000, query: text)
        }
    }
    _ = try? parseMetricSelector(text)
    _ = try? parseDuration(text)
    _ = try? parseTime(text)
    return 0
}
