// Seeded random round trips: encode → decode, the 2.42 form against a transcribed 2.42 encoder, reopening.

import ChunkEncoding
import MetricModel
import Testing

@Suite("XOR chunk: random round trips")
struct XORChunkRoundTripTests {
    static let seeds: [UInt64] = [1, 2, 3, 0x5EED, 0xDEAD_BEEF]

    /// A random series mixing timestamp patterns (steady, jittered, gappy, wild) and value patterns.
    static func randomSeries(_ rng: inout SeededGenerator) -> [Sample] {
        let n = Int.random(in: 1...300, using: &rng)
        var t = Int64.random(in: -10_000_000_000_000...10_000_000_000_000, using: &rng)
        let step = ([1, 15, 1000, 15000, 60000, 3_600_000] as [Int64]).randomElement(using: &rng)!
        let timeMode = Int.random(in: 0..<4, using: &rng)
        let valueMode = Int.random(in: 0..<6, using: &rng)
        let specials: [Double] = [
            .nan, StaleNaN.value, Double(bitPattern: StaleNaN.normalNaNBits), .infinity, -.infinity, 0, -0.0, 1,
            .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        ]
        var v = Double(Int.random(in: 0...1000, using: &rng))
        var result: [Sample] = []
        result.reserveCapacity(n)
        for _ in 0..<n {
            result.append(Sample(t, v))
            switch timeMode {
            case 0: t &+= step
            case 1: t &+= step + Int64.random(in: -(step / 10)...(step / 10), using: &rng)
            case 2: t &+= Int64.random(in: 1...(step * 100), using: &rng)
            default: t &+= Int64(bitPattern: rng.next()) >> UInt64.random(in: 0...63, using: &rng)
            }
            switch valueMode {
            case 0: v += Double(Int.random(in: 0...50, using: &rng))
            case 1: v = Double.random(in: -1e6...1e6, using: &rng)
            case 2: if Int.random(in: 0..<10, using: &rng) == 0 { v = Double.random(in: 0...100, using: &rng) }
            case 3: v = Double(bitPattern: rng.next())
            case 4: v = specials.randomElement(using: &rng)!
            default: v += 0.1
            }
        }
        return result
    }

    @Test("decode(encode(samples)) == samples, bit for bit", arguments: seeds)
    func roundTrip(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for series in 0..<150 {
            let input = Self.randomSeries(&rng)
            let chunk = encode(input)
            let (decoded, error) = decode(chunk.bytes)
            #expect(error == nil, "seed \(seed) series \(series)")
            #expect(firstDifference(decoded, input) == nil, "seed \(seed) series \(series)")
            #expect(chunk.bytes.count == (chunk.bitCount + 7) / 8, "seed \(seed) series \(series)")
        }
    }

    @Test("legacy242Bytes equals a line-for-line 2.42 encoder, and decodes the same", arguments: seeds)
    func legacyForm(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var quirks = 0
        for series in 0..<150 {
            let input = Self.randomSeries(&rng)
            // Check after every append, so the quirk is tested at every possible last sample.
            var chunk = XORChunk()
            var legacy = Legacy242Encoder()
            for (i, s) in input.enumerated() {
                chunk.append(s.timestamp, s.value)
                legacy.append(s.timestamp, s.value)
                if chunk.legacy242Bytes != legacy.stream {
                    Issue.record("seed \(seed) series \(series) sample \(i): \(chunk.legacy242Bytes.hex) != \(legacy.stream.hex)")
                    break
                }
                if chunk.hasLegacy242TrailingByte { quirks += 1 }
            }
            #expect(decode(chunk.legacy242Bytes).samples == decode(chunk.bytes).samples, "seed \(seed) series \(series)")
        }
        #expect(quirks > 0, "seed \(seed): the quirk case should occur")
    }

    @Test("reopening at a random split and appending the rest keeps every sample", arguments: seeds)
    func reopenAtRandomSplit(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for series in 0..<100 {
            let input = Self.randomSeries(&rng)
            let split = Int.random(in: 0...input.count, using: &rng)
            let prefix = encode(Array(input[..<split]))
            var chunk = try XORChunk(reopening: Bool.random(using: &rng) ? prefix.bytes : prefix.legacy242Bytes)
            for s in input[split...] { chunk.append(s.timestamp, s.value) }
            let (decoded, error) = decode(chunk.bytes)
            #expect(error == nil, "seed \(seed) series \(series) split \(split)")
            #expect(firstDifference(decoded, input) == nil, "seed \(seed) series \(series) split \(split)")
            // A window was written iff some value changed after sample 0; then the state is identical.
            let changed = split >= 2 && (1..<split).contains { input[$0].value.bitPattern != input[$0 - 1].value.bitPattern }
            if changed || split == 0 {
                #expect(chunk.bytes == encode(input).bytes, "seed \(seed) series \(series) split \(split)")
            }
        }
    }
}
