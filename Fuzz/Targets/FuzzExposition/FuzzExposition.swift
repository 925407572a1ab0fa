// libFuzzer target: the Prometheus text and OpenMetrics parsers on arbitrary bytes throw or
// succeed, never trap; every accessor of every sample is exercised.

import Exposition
import MetricModel

func drive(_ parser: inout some ExpositionParser) {
    while let entry = try? parser.next() {
        guard case .series = entry else { continue }
        _ = parser.metricName
        _ = parser.series
        _ = parser.value
        _ = parser.timestamp
        _ = try? parser.labels()
        _ = try? parser.exemplar()
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var prom = PromTextParser(bytes)
    drive(&prom)
    var om = OpenMetricsParser(bytes)
    drive(&om)
    var legacy = OpenMetricsParser(bytes, dialect: .prometheus2_42)
    drive(&legacy)
    _ = try? parseOpenMetrics(bytes)
    return 0
}
