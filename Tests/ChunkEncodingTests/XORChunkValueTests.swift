// Value encoding: the XOR window rules of spec §3.3, special float bit patterns, and sample counts.

import ChunkEncoding
import MetricModel
import Testing

@Suite("XOR chunk: values and sizes")
struct XORChunkValueTests {
    /// Appends `bits` as values at a steady 1 s interval; returns the bits each sample cost.
    static func costs(_ bits: [UInt64]) -> (chunk: XORChunk, costs: [Int]) {
        var chunk = XORChunk()
        var costs: [Int] = []
        for (i, b) in bits.enumerated() {
            let before = chunk.bitCount
            chunk.append(1_000 * Int64(i), Double(bitPattern: b))
            costs.append(chunk.bitCount - before)
        }
        return (chunk, costs)
    }

    /// Position of sample 1's value field for chunks starting at t = 0 with a 1000 ms delta:
    /// header 16 + varint(0) 8 + value 64 + uvarint(1000) 16.
    static let secondValueBit = 104

    @Test("leading zeros >= 32 are clamped to 31: delta 1 is written as L=31, sig=33")
    func leadingZeroClamp() {
        let (chunk, _) = Self.costs([(1.0).bitPattern, (1.0).nextUp.bitPattern])
        var reader = BitReader(chunk.bytes)
        #expect(reader.skipBits(Self.secondValueBit) == true)
        #expect(reader.readBits(2) == 0b11)
        #expect(reader.readBits(5) == 31)
        #expect(reader.readBits(6) == 33)
        #expect(reader.readBits(33) == 1)
        #expect(decode(chunk.bytes).samples.map(\.value) == [1.0, (1.0).nextUp])
    }

    @Test("sig == 64 is written as 0 in the 6-bit field, and the window then stays at 64 bits")
    func significantBits64() {
        let bits: [UInt64] = [0, 0x8000_0000_0000_0001, 0x1234, 0x1234, 0xFFFF_0000_0000_0000]
        let (chunk, costs) = Self.costs(bits)
        var reader = BitReader(chunk.bytes)
        #expect(reader.skipBits(Self.secondValueBit) == true)
        #expect(reader.readBits(2) == 0b11)
        #expect(reader.readBits(5) == 0)
        #expect(reader.readBits(6) == 0, "64 significant bits are written as 0")
        #expect(reader.readBits(64) == 0x8000_0000_0000_0001)
        // dod bit + `10` + 64 bits for each later change; dod bit + `0` for the repeat.
        #expect(Array(costs[2...]) == [67, 2, 67])
        #expect(decode(chunk.bytes).samples.map(\.value.bitPattern) == bits)
    }

    @Test("the window is reused only when both leading and trailing fit")
    func windowReuseNeedsBoth() {
        let v1: UInt64 = 0x0F00  // L=52→31, T=8, sig=25
        let v2 = v1 ^ 0x00F0  // T=4 < 8: new window L=31, T=4, sig=29
        let v3 = v2 ^ 0xF000  // L=48→31 >= 31, T=12 >= 4: reuse, 29 bits
        let v4 = v3 ^ 0x0001_0000_0000_0000  // L=15 < 31: new window L=15, T=48, sig=1
        let v5 = v4 ^ 0x0002_0000_0000_0000  // L=14 < 15: new window L=14, T=49, sig=1
        let v6 = v5 ^ 0x0001_0000_0000_0000  // L=15 >= 14, T=48 < 49: new window
        let bits = [0, v1, v2, v3, v4, v5, v6]
        let (chunk, costs) = Self.costs(bits)
        #expect(costs[1] == 16 + 2 + 11 + 25)
        #expect(Array(costs[2...]) == [1 + 2 + 11 + 29, 1 + 2 + 29, 1 + 2 + 11 + 1, 1 + 2 + 11 + 1, 1 + 2 + 11 + 1])
        #expect(decode(chunk.bytes).samples.map(\.value.bitPattern) == bits)
    }

    @Test("NaN payloads, the stale marker, ±Inf and -0.0 round-trip by bit pattern")
    func specialBitPatterns() {
        let bits: [UInt64] = [
            StaleNaN.normalNaNBits, StaleNaN.normalNaNBits, StaleNaN.bits, StaleNaN.bits, 0x7FF8_0000_0000_0000,
            0xFFF8_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x7FF0_DEAD_BEEF_0001, (-0.0).bitPattern, (0.0).bitPattern,
            Double.infinity.bitPattern, (-Double.infinity).bitPattern, StaleNaN.bits, (1.0).bitPattern,
            Double.nan.bitPattern, Double.signalingNaN.bitPattern, Double.leastNonzeroMagnitude.bitPattern,
            Double.greatestFiniteMagnitude.bitPattern, (-0.0).bitPattern, (-0.0).bitPattern,
        ]
        let (chunk, costs) = Self.costs(bits)
        #expect(decode(chunk.bytes).samples.map(\.value.bitPattern) == bits)
        // Identical NaN bits are "unchanged" (dod bit + `0`); different NaNs are a change.
        #expect(costs[1] == 16 + 1)
        #expect(costs[3] == 2)
        #expect(costs[2] > 2)
        #expect(costs[19] == 2)
    }

    @Test("0.0 and -0.0 differ in bit 63 only")
    func negativeZero() {
        let bits = [0.0, -0.0, -0.0, 0.0].map(\.bitPattern)
        let (chunk, costs) = Self.costs(bits)
        // -0.0: `11` L=0 sig=1 (T=63); repeat: `0`; back to 0.0: reuse the 1-bit window.
        #expect(costs[1] == 16 + 2 + 11 + 1)
        #expect(Array(costs[2...]) == [2, 1 + 2 + 1])
        #expect(decode(chunk.bytes).samples.map(\.value.bitPattern) == bits)
    }

    @Test("1, 2, 120, 240 and 65535 samples", arguments: [1, 2, 120, 240, 65535])
    func sampleCounts(_ n: Int) throws {
        var rng = SeededGenerator(seed: UInt64(n))
        var input: [Sample] = []
        input.reserveCapacity(n)
        var t: Int64 = 1_699_999_200_000
        var v = 0.0
        for _ in 0..<n {
            input.append(Sample(t, v))
            t += 15_000 + Int64.random(in: -20...20, using: &rng)
            if Bool.random(using: &rng) { v += Double(Int.random(in: 0...100, using: &rng)) }
        }
        let chunk = encode(input)
        #expect(chunk.count == n)
        #expect(Int(chunk.bytes[0]) << 8 | Int(chunk.bytes[1]) == n)
        #expect(chunk.isFull == (n == XORChunk.maxSamples))
        #expect(chunk.minTime == input.first?.timestamp)
        #expect(chunk.maxTime == input.last?.timestamp)
        #expect(chunk.bytes.count == (chunk.bitCount + 7) / 8)
        let (decoded, error) = decode(chunk.bytes)
        #expect(error == nil)
        #expect(firstDifference(decoded, input) == nil)
        if n == 1 {
            #expect(chunk.bytes.count == 2 + 6 + 8)
            #expect(chunk.legacy242Bytes.count == 17)
        }
    }

    @Test("an empty chunk is the 2-byte header and decodes to nothing")
    func emptyChunk() {
        let chunk = XORChunk()
        #expect(chunk.bytes == [0, 0])
        #expect(chunk.legacy242Bytes == [0, 0])
        #expect(chunk.isEmpty)
        #expect(chunk.minTime == .max)
        #expect(chunk.maxTime == .min)
        let (decoded, error) = decode(chunk.bytes)
        #expect(decoded.isEmpty)
        #expect(error == nil)
    }

    @Test("reset() empties the chunk and encodes the same bytes again")
    func resetReuses() {
        let input = samples(t0: 5, step: 7, values: [1, 2, 3, 3, 5])
        var chunk = encode(input)
        let first = chunk.bytes
        chunk.reset()
        #expect(chunk.bytes == [0, 0])
        for s in input { chunk.append(s.timestamp, s.value) }
        #expect(chunk.bytes == first)
        #expect(chunk.chunkData.bytes == first)
        #expect(chunk.chunkData.encoding == 1)
        #expect(chunk.chunkData.minTime == 5)
        #expect(chunk.chunkData.maxTime == 33)
    }
}
