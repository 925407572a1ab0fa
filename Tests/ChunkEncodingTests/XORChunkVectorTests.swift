// Golden bytes: the XOR chunk test vectors of spec/tsdb-format.md §9 (real Prometheus 2.42 output).

import ChunkEncoding
import MetricModel
import Testing

@Suite("XOR chunk: spec §9 test vectors")
struct XORChunkVectorTests {
    /// A vector: samples, the bytes Prometheus 2.42 wrote, and whether 3.x drops a trailing `0x00`.
    struct Vector: CustomTestStringConvertible, Sendable {
        var name: String
        var samples: [Sample]
        var hex242: String
        /// True when 2.42 wrote one extra `0x00` that 3.x (and ``XORChunk/bytes``) does not.
        var legacyTrailingByte: Bool
        var testDescription: String { name }

        var bytes242: [UInt8] { [UInt8](hex: hex242) }
        /// The 3.x form: the 2.42 bytes minus the quirk byte (spec §3.1).
        var bytes3x: [UInt8] { legacyTrailingByte ? Array(bytes242.dropLast()) : bytes242 }
    }

    static let v1: Vector = {
        let deltas: [Int64] = [600_000, 600_000, 608_192, 600_001, 591_809, 657_345, 591_809, 1_116_097, 591_809, 1]
        var t: Int64 = 1_699_999_200_000
        var samples = [Sample(t, 0)]
        for (i, d) in deltas.enumerated() {
            t += d
            samples.append(Sample(t, Double(i + 1)))
        }
        return Vector(
            name: "V1 dod buckets", samples: samples,
            hex242: "000b80ccc9fdf9620000000000000000c0cf24c457fec25fffa000d80e8007585ef0006d07a0001b02fbc00027a0"
                + "0003509fffffffffffff00001b81ffffffffffffb7c206d0b0",
            legacyTrailingByte: false)
    }()

    static let v2 = Vector(
        name: "V2 leading-zero clamp",
        samples: samples(
            t0: 1_699_999_200_000, step: 10_000,
            values: [1, 1.0000000000000002, 1.0000000000000004, 1.0000000000000004, 1.5, 1.0000000000000002]),
        hex242: "000680ccc9fdf9623ff0000000000000904eff080000000500000000c6cce000000000000b6690000000000002",
        legacyTrailingByte: false)

    static let v3 = Vector(
        name: "V3 64-bit window, NaN, ±Inf",
        samples: samples(
            t0: 1_699_999_201_000, step: 15_000,
            values: [
                0, 1, 1, 2, -2, 1e-300, Double(bitPattern: StaleNaN.normalNaNBits), .infinity, -.infinity,
                0.1, 0.2, 0.30000000000000004, 1, 1.0000000000000002, 1.0000000000000004, 123_456_789.125, -0.0, 0,
            ]),
        hex242: "0012d0dbc9fdf96200000000000000009875c457fe3097ffd801b001834adc3f85f1e6b29f975b87f0be3cd6100040"
            + "00000000000a800000000000000058093333333333334801c0000000000001000d55555555555720023333333333334400"
            + "000000000000028000000000000000d3f36b79a2a4000012c19d6f3454800000500000000000000000",
        legacyTrailingByte: false)

    static let v4 = Vector(
        name: "V4 negative timestamps",
        samples: [Sample(-7_200_000, 42), Sample(-7_199_000, 42), Sample(-7_198_000, 42)],
        hex242: "0003fff3ee064045000000000000e80700",
        legacyTrailingByte: false)

    // 2.42 writes 17 bytes (old writeByte left an empty byte after the 64 raw value bits, which
    // start on a byte boundary); 3.x writes the same 16 bytes without it.
    static let v5 = Vector(
        name: "V5 single sample",
        samples: [Sample(1_699_999_205_000, 1.0)],
        hex242: "0001909acafdf9623ff000000000000000",
        legacyTrailingByte: true)

    static let all = [v1, v2, v3, v4, v5]

    @Test("encoding gives the 3.x bytes and, with the quirk, exactly the 2.42 bytes", arguments: all)
    func encodes(_ vector: Vector) {
        let chunk = encode(vector.samples)
        #expect(chunk.bytes.hex == vector.bytes3x.hex)
        #expect(chunk.legacy242Bytes.hex == vector.bytes242.hex)
        #expect(chunk.hasLegacy242TrailingByte == vector.legacyTrailingByte)
        #expect(chunk.count == vector.samples.count)
        #expect(chunk.minTime == vector.samples.first?.timestamp)
        #expect(chunk.maxTime == vector.samples.last?.timestamp)
    }

    @Test("both byte forms decode to the samples, bit for bit", arguments: all)
    func decodes(_ vector: Vector) {
        for bytes in [vector.bytes242, vector.bytes3x] {
            let (decoded, error) = decode(bytes)
            #expect(error == nil)
            #expect(firstDifference(decoded, vector.samples) == nil)
        }
    }

    @Test func vectorLengths() {
        #expect(Self.v1.bytes242.count == 71)
        #expect(Self.v2.bytes242.count == 45)
        #expect(Self.v3.bytes242.count == 137)
        #expect(Self.v4.bytes242.count == 17)
        #expect(Self.v5.bytes242.count == 17)
        #expect(Self.v5.bytes3x.count == 16)
    }

    @Test("V3 keeps the NaN payload 0x7FF8000000000001 and -0.0")
    func v3SpecialValues() throws {
        let (decoded, _) = decode(Self.v3.bytes242)
        try #require(decoded.count == 18)
        #expect(decoded[6].value.bitPattern == StaleNaN.normalNaNBits)
        #expect(decoded[16].value.bitPattern == (-0.0).bitPattern)
        #expect(decoded[17].value.bitPattern == 0)
    }

    @Test("V6: chunk record and file header (the neg_test block)")
    func v6SegmentRecord() throws {
        let file = [UInt8](hex: "85bd40dd01000000 1101") + Self.v4.bytes242 + [UInt8](hex: "c4b3cd45")
        let records = try ChunkSegmentReader.records(in: file)
        #expect(records == [ChunkRecord(offset: 8, encoding: 1, data: Self.v4.bytes242)])
        // Our writer's bytes framed the same way give the same CRC (the quirk byte is part of the data).
        #expect(CRC32C.checksum([1] + encode(Self.v4.samples).legacy242Bytes) == 0xC4B3_CD45)
    }

    @Test("V8: stale markers round-trip by bit pattern")
    func v8StaleMarker() {
        let values = [1, 2, StaleNaN.value, 3, StaleNaN.value]
        let input = samples(t0: 1_699_999_200_000, step: 15_000, values: values)
        let (decoded, error) = decode(encode(input).bytes)
        #expect(error == nil)
        #expect(firstDifference(decoded, input) == nil)
        #expect(decoded.map { StaleNaN.isStale($0.value) } == [false, false, true, false, true])
    }
}
