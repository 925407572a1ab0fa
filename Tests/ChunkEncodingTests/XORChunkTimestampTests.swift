// Timestamp encoding: delta-of-delta bucket edges (spec §3.2), negative and extreme timestamps.

import ChunkEncoding
import MetricModel
import Testing

@Suite("XOR chunk: timestamps and dod buckets")
struct XORChunkTimestampTests {
    /// Timestamps whose delta-of-deltas from the third sample on are `dods` (wrapping arithmetic).
    static func timestamps(t0: Int64, firstDelta: Int64, dods: [Int64]) -> [Int64] {
        var ts = [t0, t0 &+ firstDelta]
        var delta = firstDelta
        for dod in dods {
            delta = delta &+ dod
            ts.append(ts[ts.count - 1] &+ delta)
        }
        return ts
    }

    /// (dod, size of its field in bits including the prefix, prefix bits, prefix length, payload bits).
    static let buckets: [(dod: Int64, bits: Int, prefix: UInt64, prefixBits: Int, payloadBits: Int)] = [
        (0, 1, 0b0, 1, 0),
        (1, 16, 0b10, 2, 14), (-1, 16, 0b10, 2, 14),
        (8191, 16, 0b10, 2, 14), (8192, 16, 0b10, 2, 14), (-8191, 16, 0b10, 2, 14),
        (-8192, 20, 0b110, 3, 17), (8193, 20, 0b110, 3, 17),
        (65535, 20, 0b110, 3, 17), (65536, 20, 0b110, 3, 17), (-65535, 20, 0b110, 3, 17),
        (-65536, 24, 0b1110, 4, 20), (65537, 24, 0b1110, 4, 20),
        (524_287, 24, 0b1110, 4, 20), (524_288, 24, 0b1110, 4, 20), (-524_287, 24, 0b1110, 4, 20),
        (-524_288, 68, 0b1111, 4, 64), (524_289, 68, 0b1111, 4, 64),
        (.max, 68, 0b1111, 4, 64), (.min, 68, 0b1111, 4, 64), (.min + 1, 68, 0b1111, 4, 64),
    ]

    @Test("each dod lands in its bucket, with the exact prefix and two's-complement payload")
    func bucketEdges() throws {
        for bucket in Self.buckets {
            // Three samples with a constant value: the third carries the dod, then one `0` value bit.
            let ts = Self.timestamps(t0: 1_699_999_200_000, firstDelta: 15_000, dods: [bucket.dod])
            var chunk = XORChunk()
            chunk.append(ts[0], 1)
            chunk.append(ts[1], 1)
            let before = bitCount(chunk)
            chunk.append(ts[2], 1)
            #expect(bitCount(chunk) - before == bucket.bits + 1, "dod \(bucket.dod)")

            var reader = BitReader(chunk.bytes)
            #expect(reader.skipBits(before) == true)
            #expect(reader.readBits(bucket.prefixBits) == bucket.prefix, "dod \(bucket.dod)")
            if bucket.payloadBits > 0 {
                let mask: UInt64 = bucket.payloadBits == 64 ? .max : (1 << UInt64(bucket.payloadBits)) - 1
                #expect(reader.readBits(bucket.payloadBits) == UInt64(bitPattern: bucket.dod) & mask, "dod \(bucket.dod)")
            }
            #expect(reader.readBit() == false, "value unchanged, dod \(bucket.dod)")

            let (decoded, error) = decode(chunk.bytes)
            #expect(error == nil)
            #expect(decoded.map(\.timestamp) == ts, "dod \(bucket.dod)")
        }
    }

    @Test("a sequence through every bucket, including dod 0 after non-zero dods, round-trips")
    func allBucketsInOneChunk() {
        let dods = Self.buckets.map(\.dod) + [0, 0, 8192, 0, -8192, 0]
        let ts = Self.timestamps(t0: -1, firstDelta: 1, dods: dods)
        let input = ts.enumerated().map { Sample($0.element, Double($0.offset)) }
        let (decoded, error) = decode(encode(input).bytes)
        #expect(error == nil)
        #expect(firstDifference(decoded, input) == nil)
    }

    @Test("negative, zero, and extreme first timestamps use a zigzag varint")
    func firstTimestamp() {
        for t0: Int64 in [0, -1, 1, -7_200_000, .max, .min, 1_699_999_200_000] {
            let input = [Sample(t0, 1), Sample(t0 &+ 1000, 2), Sample(t0 &+ 2000, 3)]
            let (decoded, error) = decode(encode(input).bytes)
            #expect(error == nil, "t0 \(t0)")
            #expect(decoded == input, "t0 \(t0)")
        }
        // varint(-7200000) = ff f3 ee 06 (spec §9 V4)
        #expect(Array(encode([Sample(-7_200_000, 42)]).bytes[2..<6]) == [0xFF, 0xF3, 0xEE, 0x06])
    }

    @Test("a decreasing or equal timestamp still round-trips (the first delta as a 10-byte uvarint)")
    func nonIncreasing() {
        let input = [Sample(1000, 1), Sample(999, 1), Sample(999, 2), Sample(-5, 3), Sample(.max, 4)]
        let chunk = encode(input)
        // 2 header + varint(1000) 2 bytes + 8 value bytes, then uvarint(UInt64(bitPattern: -1)) is 10 bytes.
        #expect(chunk.bytes[12..<22] == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        let (decoded, error) = decode(chunk.bytes)
        #expect(error == nil)
        #expect(decoded == input)
    }

    func bitCount(_ chunk: XORChunk) -> Int { chunk.bitCount }
}
