// Reopening encoded chunks for appending (spec §3.3 "Reopened chunks") and the 2.42 trailing byte.

import ChunkEncoding
import MetricModel
import Testing

@Suite("XOR chunk: reopening")
struct XORChunkReopeningTests {
    @Test("a reopened one-sample chunk writes its first change as `10` + 64 bits (window 0/0, not 0xFF)")
    func reopenedSingleSample() throws {
        var chunk = try XORChunk(reopening: encode([Sample(1000, 1.0)]).bytes)
        #expect(chunk.count == 1)
        chunk.append(2000, 2.0)
        // header, varint(1000), 1.0, uvarint(1000), `10` + (1.0 ^ 2.0 = 0x7FF0000000000000) in 64 bits.
        #expect(chunk.bytes.hex == "0002" + "d00f" + "3ff0000000000000" + "e807" + "9ffc00000000000000")
        let (decoded, error) = decode(chunk.bytes)
        #expect(error == nil)
        #expect(decoded == [Sample(1000, 1.0), Sample(2000, 2.0)])

        // A chunk that was never closed opens a real window instead: `11`, L=1, sig=11.
        let fresh = encode([Sample(1000, 1.0), Sample(2000, 2.0)])
        #expect(fresh.bytes != chunk.bytes)
        #expect(decode(fresh.bytes).samples == decoded)
    }

    @Test("only repeated values before reopening: the next change also costs `10` + 64 bits")
    func reopenedRepeatedValues() throws {
        let before = samples(t0: 0, step: 1000, values: [5, 5, 5])
        var chunk = try XORChunk(reopening: encode(before).bytes)
        let bits = chunk.bitCount
        chunk.append(3000, 6)
        #expect(chunk.bitCount - bits == 1 + 2 + 64)
        #expect(decode(chunk.bytes).samples == before + [Sample(3000, 6)])
    }

    @Test("once a window exists, reopening and appending equals appending without closing")
    func reopenedWithWindow() throws {
        let all = samples(t0: -30_000, step: 15_000, values: [1, 2, 2, 3.5, -7, 1e10, .nan, 0, 4, 4, 5])
        for split in 2..<all.count {
            var chunk = try XORChunk(reopening: encode(Array(all[..<split])).bytes)
            for s in all[split...] { chunk.append(s.timestamp, s.value) }
            #expect(chunk.bytes == encode(all).bytes, "split \(split)")
            #expect(chunk.minTime == all.first?.timestamp)
            #expect(chunk.maxTime == all.last?.timestamp)
        }
    }

    @Test("reopening the 2.42 form (extra 0x00) continues at the last bit, like the 3.x form")
    func reopenedLegacyBytes() throws {
        let v5 = XORChunkVectorTests.v5
        var fromLegacy = try XORChunk(reopening: v5.bytes242)
        var from3x = try XORChunk(reopening: v5.bytes3x)
        #expect(fromLegacy.bytes == v5.bytes3x)
        #expect(fromLegacy.legacy242Bytes == v5.bytes242, "the quirk state survives reopening")
        fromLegacy.append(1_699_999_220_000, 1.0)
        from3x.append(1_699_999_220_000, 1.0)
        #expect(fromLegacy.bytes == from3x.bytes)
        #expect(decode(fromLegacy.bytes).samples == [Sample(1_699_999_205_000, 1), Sample(1_699_999_220_000, 1)])
    }

    @Test("garbage in the padding bits after the last sample is cleared on reopening")
    func reopenedDirtyPadding() throws {
        var bytes = XORChunkVectorTests.v4.bytes3x
        bytes[bytes.count - 1] |= 0x1F  // the last byte uses 3 bits: `0`, `0`, `0`
        #expect(decode(bytes).samples == XORChunkVectorTests.v4.samples)
        var chunk = try XORChunk(reopening: bytes)
        chunk.append(-7_197_000, 43)
        #expect(decode(chunk.bytes).samples == XORChunkVectorTests.v4.samples + [Sample(-7_197_000, 43)])
    }

    @Test("reopening an empty chunk gives a fresh chunk (window 0xFF)")
    func reopenedEmpty() throws {
        var chunk = try XORChunk(reopening: [0, 0, 0xAB])
        #expect(chunk.isEmpty)
        #expect(chunk.bytes == [0, 0])
        for s in XORChunkVectorTests.v2.samples { chunk.append(s.timestamp, s.value) }
        #expect(chunk.bytes == XORChunkVectorTests.v2.bytes3x)
    }

    @Test("reopening a truncated or corrupt chunk throws")
    func reopenedCorrupt() {
        let v1 = XORChunkVectorTests.v1.bytes3x
        #expect(throws: DecodeError.self) { try XORChunk(reopening: Array(v1.dropLast(3))) }
        #expect(throws: DecodeError.self) { try XORChunk(reopening: [0x00]) }
        #expect(throws: DecodeError.self) { try XORChunk(reopening: [0x00, 0x01, 0x80]) }
    }

    @Test("the reopened chunk keeps extending past many appends")
    func reopenedRepeatedly() throws {
        var rng = SeededGenerator(seed: 7)
        var all: [Sample] = []
        var bytes = XORChunk().bytes
        var t: Int64 = 0
        for round in 0..<30 {
            var chunk = try XORChunk(reopening: bytes)
            for _ in 0..<Int.random(in: 0...5, using: &rng) {
                t += Int64.random(in: 1...100_000, using: &rng)
                let v = Bool.random(using: &rng) ? Double(round) : Double.random(in: -1...1, using: &rng)
                chunk.append(t, v)
                all.append(Sample(t, v))
            }
            bytes = round.isMultiple(of: 2) ? chunk.bytes : chunk.legacy242Bytes
        }
        let (decoded, error) = decode(bytes)
        #expect(error == nil)
        #expect(firstDifference(decoded, all) == nil, "seed 7")
    }
}
