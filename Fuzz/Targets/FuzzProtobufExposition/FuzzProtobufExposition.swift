// libFuzzer target: the protobuf exposition parser (delimited io.prometheus.client.MetricFamily)
// on arbitrary bytes, under every combination of its options, throws or succeeds and never
// traps; every histogram it yields then goes through the scrape's bucket limits.

import Exposition
import MetricModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The last byte picks the limits, so that the same families meet different ones.
    let knob = bytes.last ?? 0
    let limits = NativeHistogramLimits(bucketLimit: Int(knob & 0x0F), maxSchema: Int32(knob >> 4) - 4)
    for mask in 0..<16 {
        let options = ProtobufParser.Options(
            ignoreNativeHistograms: mask & 1 != 0, parseClassicHistograms: mask & 2 != 0,
            convertClassicHistogramsToNHCB: mask & 4 != 0, validateHistograms: mask & 8 != 0)
        var parser = ProtobufParser(bytes, options: options)
        while let entry = try? parser.next() {
            switch entry {
            case .series, .histogram:
                let names = parser.labels.pairs.map { Array($0.name.utf8) }
                precondition(zip(names, names.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) }, "unsorted labels")
                _ = parser.value
                _ = parser.timestamp
                _ = parser.createdTimestamp
                _ = try? parser.exemplars()
                if entry == .histogram {
                    precondition((parser.histogram == nil) != (parser.floatHistogram == nil), "one histogram per entry")
                    if var h = parser.histogram { try? limits.apply(to: &h) }
                    if var h = parser.floatHistogram { try? limits.apply(to: &h) }
                }
            default:
                continue
            }
        }
    }
    return 0
}
