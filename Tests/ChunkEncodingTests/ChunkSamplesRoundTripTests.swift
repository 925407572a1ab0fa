// Re-encoding what a histogram chunk decodes to, as compaction does when it merges or trims
// chunks: Prometheus's own float-histogram chunk with a counter reset (the chunkenc golden case
// `float-reset-2`, on which FuzzHistogramChunk's round-trip check first failed). Read as its own
// encoding it round-trips; read as an integer chunk its bytes give two samples at one timestamp,
// and re-encoding keeps the first, as the head would (the fuzz check was too strict).

import ChunkEncoding
import MetricModel
import Testing

@Suite struct ChunkSamplesRoundTripTests {
    static let floatReset2: [UInt8] = {
        let hex = "0002000094627c05dc200a00000000000000000000000000002008000000000000200a00000000000078fa309b00562f7fe0000000000002"
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }()

    @Test func floatHistogramChunkReencodesToTheSameSamples() throws {
        let chunk = ChunkData(minTime: .min, maxTime: .max, encoding: FloatHistogramChunk.encoding, bytes: Self.floatReset2)
        let samples = try ChunkSamples.decode(chunk)
        #expect(samples.count == 2)
        let again = try ChunkSamples.encode(samples).flatMap { try ChunkSamples.decode($0) }
        #expect(again.map(\.timestamp) == samples.map(\.timestamp))
    }

    @Test func duplicateTimestampsOfADamagedChunkKeepTheFirst() {
        let chunk = ChunkData(minTime: .min, maxTime: .max, encoding: HistogramChunk.encoding, bytes: Self.floatReset2)
        let samples = ChunkSamples.decodePrefix(chunk)
        #expect(samples.map(\.timestamp) == [3000, 3000])
        let again = ChunkSamples.encode(samples).flatMap { ChunkSamples.decodePrefix($0) }
        #expect(again.map(\.timestamp) == [3000])
    }
}
