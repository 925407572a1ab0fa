// XORChunk+Encode: samples in time order as XOR chunks, cut as the head cuts them.

package import MetricModel

extension XORChunk {
    /// `samples` (in time order) as XOR chunks of at most `samplesPerChunk` samples each.
    ///
    /// ```swift
    /// XORChunk.chunks([Sample(1000, 1), Sample(2000, 2)])   // one chunk, minTime 1000, maxTime 2000
    /// ```
    package static func chunks(_ samples: some Sequence<Sample>, samplesPerChunk: Int = 120) -> [ChunkData] {
        var out: [ChunkData] = []
        var chunk = XORChunk()
        for sample in samples {
            if chunk.count == samplesPerChunk {
                out.append(chunk.chunkData)
                chunk = XORChunk()
            }
            chunk.append(sample.timestamp, sample.value)
        }
        if chunk.count > 0 { out.append(chunk.chunkData) }
        return out
    }
}
