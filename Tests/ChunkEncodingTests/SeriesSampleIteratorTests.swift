// Iterating a series across chunks: ranges, seek, unsupported encodings, corrupt chunks.

import ChunkEncoding
import MetricModel
import Testing

@Suite("Series sample iterator")
struct SeriesSampleIteratorTests {
    /// Three chunks of 10 samples each at t = 0, 1000, …, 29000 with value = t / 1000.
    static let allSamples = samples(t0: 0, step: 1000, values: (0..<30).map(Double.init))
    static let chunks: [ChunkData] = stride(from: 0, to: 30, by: 10).map {
        encode(Array(allSamples[$0..<($0 + 10)])).chunkData
    }

    static func collect(_ it: inout SeriesSampleIterator) -> [Sample] {
        var out: [Sample] = []
        while it.next() { out.append(it.sample) }
        return out
    }

    @Test("iterates every chunk in order")
    func fullIteration() {
        var it = SeriesSampleIterator(Self.chunks)
        #expect(Self.collect(&it) == Self.allSamples)
        #expect(it.error == nil)
        #expect(it.next() == false)
    }

    @Test("restricts to [minTime, maxTime], inclusive", arguments: [
        (Int64(5000), Int64(24000)), (12000, 15000), (10000, 19000), (9000, 9000), (-5, 0), (29000, 40000),
        (40000, 50000), (-100, -1), (.min, .max), (15500, 15600),
    ])
    func range(minTime: Int64, maxTime: Int64) {
        var it = SeriesSampleIterator(Self.chunks, minTime: minTime, maxTime: maxTime)
        let expected = Self.allSamples.filter { $0.timestamp >= minTime && $0.timestamp <= maxTime }
        #expect(Self.collect(&it) == expected)
        #expect(it.error == nil)
    }

    @Test("seek crosses chunks, never moves backwards, and respects the range")
    func seek() {
        var it = SeriesSampleIterator(Self.chunks, minTime: 2000, maxTime: 25000)
        #expect(it.seek(to: 0) == true)
        #expect(it.timestamp == 2000)
        #expect(it.seek(to: 15500) == true)
        #expect(it.at() == (16000, 16.0))
        #expect(it.seek(to: 1000) == true)
        #expect(it.timestamp == 16000)
        #expect(it.next() == true)
        #expect(it.timestamp == 17000)
        #expect(it.seek(to: 25000) == true)
        #expect(it.value == 25)
        #expect(it.next() == false)
        #expect(it.seek(to: 0) == false)

        var beyond = SeriesSampleIterator(Self.chunks, minTime: 2000, maxTime: 25000)
        #expect(beyond.seek(to: 25001) == false)
        #expect(beyond.error == nil)
    }

    @Test("an unsupported encoding sets \"invalid chunk encoding\" when reached")
    func invalidEncoding() {
        var chunks = Self.chunks
        chunks[1].encoding = 2
        var it = SeriesSampleIterator(chunks)
        #expect(Self.collect(&it) == Array(Self.allSamples[0..<10]))
        #expect(it.error?.message.contains("invalid chunk encoding") == true)

        var skipping = SeriesSampleIterator(chunks, minTime: 20000)
        #expect(Self.collect(&skipping) == Array(Self.allSamples[20...]))
        #expect(skipping.error == nil, "a chunk outside the range is not decoded")
    }

    @Test("a corrupt chunk stops iteration with its decode error")
    func corruptChunk() {
        var chunks = Self.chunks
        chunks[2].bytes.removeLast(4)
        var it = SeriesSampleIterator(chunks)
        let out = Self.collect(&it)
        #expect(out.count >= 20 && out.count < 30)
        #expect(Array(Self.allSamples.prefix(out.count)) == out)
        #expect(it.error != nil)
        #expect(it.seek(to: 0) == false)
    }

    @Test("no chunks, reset(_:) and generic use through ChunkSampleIterator")
    func emptyResetGeneric() throws {
        var it = SeriesSampleIterator([])
        #expect(it.next() == false)
        #expect(it.error == nil)
        it.reset(Self.chunks, minTime: 28000)
        #expect(try Self.sum(&it) == 28 + 29)
        var xor = XORIterator(Self.chunks[0].bytes)
        #expect(try Self.sum(&xor) == 45)
    }

    static func sum(_ it: inout some ChunkSampleIterator) throws(DecodeError) -> Double {
        var samples: [Sample] = []
        try it.collect(into: &samples)
        return samples.reduce(0) { $0 + $1.value }
    }
}
