// XOR chunk decoding: seek semantics, reuse, and truncated or garbage input (errors, never traps).

import ChunkEncoding
import MetricModel
import Testing

@Suite("XOR iterator")
struct XORIteratorTests {
    static let tenSamples = samples(t0: 1000, step: 1000, values: (1...10).map(Double.init))

    @Test("seek finds the first sample >= t and never moves backwards")
    func seekSemantics() {
        let bytes = encode(Self.tenSamples).bytes
        var it = XORIterator(bytes)
        #expect(it.seek(to: 0) == true)
        #expect(it.timestamp == 1000)
        #expect(it.seek(to: 1000) == true)
        #expect(it.timestamp == 1000)
        #expect(it.seek(to: 5500) == true)
        #expect(it.at() == (6000, 6.0))
        #expect(it.seek(to: 6000) == true)
        #expect(it.timestamp == 6000)
        #expect(it.seek(to: 3000) == true, "seeking backwards stays on the current sample")
        #expect(it.timestamp == 6000)
        #expect(it.next() == true)
        #expect(it.timestamp == 7000)
        #expect(it.seek(to: 10000) == true)
        #expect(it.value == 10)
        #expect(it.seek(to: 10001) == false)
        #expect(it.next() == false)
        #expect(it.error == nil)

        var fresh = XORIterator(bytes)
        #expect(fresh.seek(to: 10001) == false)
        var empty = XORIterator(XORChunk().bytes)
        #expect(empty.seek(to: .min) == false)
        #expect(empty.next() == false)
        #expect(empty.error == nil)
    }

    @Test("reset(_:) reuses one iterator across chunks")
    func resetReuses() throws {
        var it = XORIterator()
        #expect(it.next() == false)
        for vector in XORChunkVectorTests.all {
            it.reset(vector.bytes242)
            #expect(it.sampleCount == vector.samples.count)
            var decoded: [Sample] = []
            try it.collect(into: &decoded)
            #expect(decoded == vector.samples, "\(vector.name)")
        }
        it.reset([1])
        #expect(it.next() == false)
        #expect(it.error != nil)
        it.reset(encode(Self.tenSamples).bytes)
        #expect(it.error == nil)
        #expect(it.next() == true)
        #expect(it.sample == Sample(1000, 1))
    }

    @Test("a live chunk reads through makeIterator() and storage (trailing zeros) while appending")
    func liveChunk() {
        var chunk = XORChunk()
        var expected: [Sample] = []
        for s in Self.tenSamples {
            chunk.append(s.timestamp, s.value)
            expected.append(s)
            var it = chunk.makeIterator()
            var decoded: [Sample] = []
            while it.next() { decoded.append(Sample(it.timestamp, it.value)) }
            #expect(decoded == expected)
            #expect(it.error == nil)
        }
        #expect(chunk.storage.count > chunk.bytes.count)
        #expect(Array(chunk.storage.prefix(chunk.bytes.count)) == chunk.bytes)
        #expect(chunk.storage[chunk.bytes.count...].allSatisfy { $0 == 0 })
        var series = SeriesSampleIterator([ChunkData(minTime: 1000, maxTime: 10000, encoding: 1, bytes: chunk.storage)])
        var count = 0
        while series.next() { count += 1 }
        #expect(count == 10)
    }

    @Test("trailing bytes after the last sample are ignored")
    func trailingBytes() {
        let bytes = encode(Self.tenSamples).bytes + [0xFF, 0x12, 0x00, 0xFF]
        let (decoded, error) = decode(bytes)
        #expect(error == nil)
        #expect(decoded == Self.tenSamples)
    }

    @Test("every truncation of every vector stops with an error, never a trap")
    func truncation() {
        for vector in XORChunkVectorTests.all {
            let full = vector.bytes3x
            for length in 0..<full.count {
                let (decoded, error) = decode(Array(full[..<length]))
                #expect(error != nil, "\(vector.name) cut at \(length)")
                #expect(Array(vector.samples.prefix(decoded.count)) == decoded, "\(vector.name) cut at \(length)")
                #expect(decoded.count < vector.samples.count)
            }
        }
    }

    @Test("an impossible XOR window (leading + significant > 64) is an error")
    func invalidWindow() {
        var w = BitWriter(prefix: [0x00, 0x02])
        w.writeByte(0)  // varint(0)
        w.writeBits(0, 64)
        w.writeByte(1)  // uvarint(1)
        w.writeBits(0b11, 2)
        w.writeBits(31, 5)
        w.writeBits(40, 6)  // 31 + 40 > 64
        w.writeBits(0, 40)
        let (decoded, error) = decode(w.bytes)
        #expect(decoded.count == 1)
        #expect(error?.message.contains("window") == true)
    }

    @Test("an overlong timestamp varint is an error")
    func overlongVarint() {
        let bytes: [UInt8] = [0x00, 0x01] + [UInt8](repeating: 0xFF, count: 9) + [0x02] + [UInt8](repeating: 0, count: 8)
        let (decoded, error) = decode(bytes)
        #expect(decoded.isEmpty)
        #expect(error?.message.contains("overflows") == true)
    }

    @Test("random garbage never traps", arguments: [1, 2, 3, 0xC0FFEE] as [UInt64])
    func garbage(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<2000 {
            let length = Int.random(in: 0...80, using: &rng)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if length >= 2 && Bool.random(using: &rng) {
                bytes[0] = 0  // small sample counts get further into the stream
            }
            let (decoded, error) = decode(bytes)
            if error == nil {
                #expect(length >= 2 && decoded.count == Int(bytes[0]) << 8 | Int(bytes[1]), "seed \(seed): \(bytes.hex)")
            } else {
                #expect(length < 2 || decoded.count < Int(bytes[0]) << 8 | Int(bytes[1]), "seed \(seed): \(bytes.hex)")
            }
        }
    }

    @Test("every single-bit flip of V1 and V3 decodes or errors, never traps")
    func bitFlips() {
        for vector in [XORChunkVectorTests.v1, XORChunkVectorTests.v3] {
            let original = vector.bytes242
            for bit in 0..<(original.count * 8) {
                var bytes = original
                bytes[bit / 8] ^= 0x80 >> UInt8(bit % 8)
                var it = XORIterator(bytes)
                var n = 0
                while it.next() { n += 1 }
                #expect(n <= it.sampleCount, "\(vector.name) bit \(bit)")
            }
        }
    }
}
