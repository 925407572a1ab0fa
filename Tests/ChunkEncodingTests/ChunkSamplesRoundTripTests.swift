// Re-encoding what a histogram chunk decodes to, as compaction does when it merges or trims
// chunks: Prometheus's own float-histogram chunk with a counter reset (the chunkenc golden case
// `float-reset-2`, on which FuzzHistogramChunk's round-trip check first failed). Read as its own
// encoding it round-trips; read as an integer chunk its bytes give two samples at one timestamp,
// and re-encoding keeps the first, as the head would (the fuzz check was too strict).

import ChunkEncoding
import MetricModel
import Testing

@Suite struct ChunkSamplesRoundTripTests {
    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    static let floatReset2 = bytes(
        hex: "0002000094627c05dc200a00000000000000000000000000002008000000000000200a00000000000078fa309b00562f7fe0000000000002")

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

    /// FuzzHistogramChunk's second failure: a generated integer chunk whose first seven samples sit
    /// at Int64.min, whose timestamp delta then wraps to near Int64.max and goes on falling. What
    /// is in order (the first sample at Int64.min, the next after the wrap) is kept, in two chunks
    /// of their own chunk ranges. The fuzz check had not counted a first sample at Int64.min.
    @Test func wrappedTimestampsOfADamagedChunkKeepThoseInOrder() throws {
        let damaged = Self.bytes(
            hex: "005d8000ee5c624bc7d3ffff929287ffffffffff0000000000000000000000000000000000000000a8000000000000000000000000000000"
                + "ffffff9292929292929292929292929292929292ffffff92")
        let samples = ChunkSamples.decodePrefix(ChunkData(minTime: .min, maxTime: .max, encoding: HistogramChunk.encoding, bytes: damaged))
        #expect(samples.count == 33)
        #expect(samples.prefix(8).map(\.timestamp) == Array(repeating: .min, count: 7) + [9_223_372_036_854_775_805])
        let chunks = ChunkSamples.encode(samples)
        #expect(chunks.count == 2)
        let again = try chunks.flatMap { try ChunkSamples.decode($0) }
        #expect(again.map(\.timestamp) == [.min, 9_223_372_036_854_775_805])
        #expect(again.map { "\($0.value)" } == [samples[0], samples[7]].map { "\($0.value)" })
    }
}
