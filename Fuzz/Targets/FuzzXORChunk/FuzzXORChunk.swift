// libFuzzer target: iterating and seeking an arbitrary XOR chunk never traps, and reading
// chunk segment files of arbitrary bytes throws or succeeds.

import ChunkEncoding
import MetricModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    var iterator = XORIterator(input)
    var n = 0
    while iterator.next() { n += 1 }
    var seeker = XORIterator(input)
    _ = seeker.seek(to: Int64(size) * 1000)
    _ = try? ChunkSegmentReader.records(in: input)
    _ = try? XORChunk(reopening: input)
    return 0
}
