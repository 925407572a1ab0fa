// libFuzzer target: remote-write protobuf decoding of arbitrary bytes never traps, and every
// accepted series has labels that read back.

import MetricModel
import Remote

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    var request = WriteRequest()
    if (try? request.decode(protobuf: input)) != nil {
        for i in 0..<request.series.count {
            let labels = request.labels(of: i)
            precondition(labels.metricName != nil, "accepted series without a metric name")
        }
    }
    var scratch: [UInt8] = []
    _ = try? request.decode(snappyBody: input, scratch: &scratch, maxDecompressedBytes: 1 << 20)
    return 0
}
