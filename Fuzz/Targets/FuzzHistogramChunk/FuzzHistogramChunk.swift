// libFuzzer target: native-histogram chunks (encodings 2 and 3) of arbitrary bytes, as blocks,
// `chunks_head/` files and remote-read answers may hand them over. Iterating and seeking never
// traps; the samples decoded before the first error validate or fail validation without
// trapping; and those samples, encoded again as compaction does when it merges or trims chunks,
// decode back with no error, one per distinct increasing timestamp (a damaged chunk may repeat
// or go back in time; re-encoding keeps the first sample, as the head does).

import ChunkEncoding
import MetricModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    var integer = HistogramIterator(input)
    while integer.next() { _ = try? integer.histogram.validate() }
    var floats = FloatHistogramIterator(input)
    while floats.next() { _ = try? floats.floatHistogram.validate() }
    var seeker = HistogramIterator(input)
    _ = seeker.seek(to: Int64(size) * 1000)
    for encoding in [HistogramChunk.encoding, FloatHistogramChunk.encoding] {
        let samples = ChunkSamples.decodePrefix(ChunkData(minTime: .min, maxTime: .max, encoding: encoding, bytes: input))
        guard !samples.isEmpty else { continue }
        var increasing = 0
        var last: Int64?
        for sample in samples where last.map({ sample.timestamp > $0 }) ?? true {
            increasing += 1
            last = sample.timestamp
        }
        var decoded = 0
        for chunk in ChunkSamples.encode(samples) {
            do {
                decoded += try ChunkSamples.decode(chunk).count
            } catch {
                preconditionFailure("\(samples.count) decoded samples encoded into a chunk that does not decode: \(error)")
            }
        }
        precondition(decoded == increasing, "\(increasing) increasing samples re-encoded, \(decoded) decoded back")
    }
    return 0
}
