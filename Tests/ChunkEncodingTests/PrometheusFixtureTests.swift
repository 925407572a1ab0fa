// Golden files written by real Prometheus 2.42: every chunk decodes and re-encodes to the same bytes.

import ChunkEncoding
import MetricModel
import Testing

@Suite("Prometheus 2.42 fixture files")
struct PrometheusFixtureTests {
    static let blockSegments = [
        "promtool-blocks/01M8C5RMQ2QTN16PCMVBD109C2/chunks/000001",
        "promtool-blocks/01M8C5V6M8376SVPYT35MXQVPH/chunks/000001",
        "promtool-blocks/01M8C5V6NRAZZ1XA8PTQDMAZMT/chunks/000001",
        "server-2.42/01M8C60Z0X7V1TMCCE0KCHVS4J/chunks/000001",
    ]

    /// Decodes a 2.42 chunk, re-encodes its samples and checks the bytes: the 2.42 form must match
    /// exactly, and the 3.x form must be the same minus the one quirk byte.
    static func checkReencoding(_ data: [UInt8], _ label: String) throws -> [Sample] {
        let (decoded, error) = decode(data)
        #expect(error == nil, "\(label)")
        try #require(data.count >= 2, "\(label)")
        let header = Int(data[0]) << 8 | Int(data[1])
        #expect(decoded.count == header, "\(label)")
        let chunk = encode(decoded)
        #expect(chunk.legacy242Bytes == data, "\(label): 2.42 form differs: \(chunk.legacy242Bytes.hex) vs \(data.hex)")
        let expected3x = chunk.hasLegacy242TrailingByte ? Array(data.dropLast()) : data
        #expect(chunk.bytes == expected3x, "\(label)")
        return decoded
    }

    @Test("block chunk segments: CRCs, decoding, byte-exact re-encoding", arguments: blockSegments)
    func blockSegment(_ path: String) throws {
        let records = try ChunkSegmentReader.records(in: try Fixtures.bytes(path))
        #expect(!records.isEmpty)
        var quirks = 0
        for record in records {
            #expect(record.encoding == XORChunk.encoding)
            _ = try Self.checkReencoding(record.data, "\(path) @\(record.offset)")
            if encode(decode(record.data).samples).hasLegacy242TrailingByte { quirks += 1 }
        }
        if path.hasPrefix("server") {
            #expect(records.count == 1008)
            #expect(quirks > 0, "the server block should contain chunks with the 2.42 trailing byte")
        }
    }

    @Test("random access by chunk reference offset gives the same records")
    func blockSegmentRandomAccess() throws {
        let bytes = try Fixtures.bytes(Self.blockSegments[3])
        let records = try ChunkSegmentReader.records(in: bytes)
        let reader = try ChunkSegmentReader(bytes)
        for record in records.reversed() {
            #expect(try reader.record(at: record.offset) == record)
        }
        #expect(records.first?.offset == 8)
        #expect(throws: DecodeError.self) { try reader.record(at: 0) }
        #expect(throws: DecodeError.self) { try reader.record(at: bytes.count) }
    }

    @Test("head chunk file: 1344 entries, CRCs, metadata matches the samples, re-encoding")
    func headChunkFile() throws {
        let bytes = try Fixtures.bytes("server-2.42/chunks_head/000002")
        let records = try HeadChunkFileReader.records(in: bytes)
        #expect(records.count == 1344)
        for record in records {
            #expect(record.encoding == XORChunk.encoding)
            #expect(!record.isOutOfOrder)
            #expect(record.seriesRef.rawValue != 0)
            let decoded = try Self.checkReencoding(record.data, "chunks_head @\(record.offset)")
            #expect(decoded.count == 120, "spec §7: 120 samples each")
            #expect(decoded.first?.timestamp == record.minTime)
            #expect(decoded.last?.timestamp == record.maxTime)
        }
    }

    /// OpenMetrics lines `name{labels} value timestamp_seconds` of one metric name, as samples.
    static func openMetricsSamples(_ text: String, name: String) -> [Sample] {
        var result: [Sample] = []
        for line in text.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
            let fields = line.split(separator: " ")
            let value = Double(String(fields[fields.count - 2]))!
            let seconds = fields[fields.count - 1].split(separator: ".", omittingEmptySubsequences: false)
            let fraction = seconds.count > 1 ? String(seconds[1]) : ""
            let millis = (fraction + "000").prefix(3)
            let t = Int64(String(seconds[0]) + millis)!
            result.append(Sample(t, value))
        }
        return result
    }

    /// Equal timestamps, and equal value bits except that any NaN matches any NaN (the OpenMetrics
    /// text says only "NaN"; Prometheus stores 0x7FF8000000000001).
    static func sameSamples(_ a: [Sample], _ b: [Sample]) -> Bool {
        a.count == b.count
            && zip(a, b).allSatisfy {
                $0.timestamp == $1.timestamp && ($0 == $1 || ($0.value.isNaN && $1.value.isNaN))
            }
    }

    @Test("the promtool block holds exactly the samples of input.om")
    func promtoolBlockMatchesInput() throws {
        let text = try Fixtures.text("promtool-blocks/input.om")
        let records = try ChunkSegmentReader.records(in: try Fixtures.bytes(Self.blockSegments[0]))
        let chunks = records.map { decode($0.data).samples }
        // Series order in the block: dod_test, long_test_total (4 chunks), sym_test × 7, val_test.
        try #require(chunks.map(\.count) == [11, 120, 120, 120, 120, 1, 1, 1, 1, 1, 1, 1, 18])

        let dod = Self.openMetricsSamples(text, name: "dod_test")
        #expect(dod.count == 11)
        #expect(Self.sameSamples(chunks[0], dod))
        #expect(Self.sameSamples(chunks[0], XORChunkVectorTests.v1.samples))

        let long = Self.openMetricsSamples(text, name: "long_test_total")
        #expect(long.count == 480)
        #expect(Self.sameSamples(Array(chunks[1...4].joined()), long))
        #expect(chunks[4].last == Sample(1_700_006_385_000, 1440))

        for sym in chunks[5...11] { #expect(sym == [Sample(1_699_999_205_000, 1)]) }

        let val = Self.openMetricsSamples(text, name: "val_test")
        #expect(val.count == 18)
        #expect(Self.sameSamples(chunks[12], val))
        #expect(chunks[12][6].value.bitPattern == StaleNaN.normalNaNBits)
        #expect(records[12].data == [UInt8](hex: XORChunkVectorTests.v3.hex242))
    }

    @Test("the neg_test and clamp_test blocks hold V4 and V2, and input2.om's samples")
    func smallBlocks() throws {
        let neg = try ChunkSegmentReader.records(in: try Fixtures.bytes(Self.blockSegments[1]))
        let clamp = try ChunkSegmentReader.records(in: try Fixtures.bytes(Self.blockSegments[2]))
        try #require(neg.map(\.data) == [XORChunkVectorTests.v4.bytes242])
        try #require(clamp.map(\.data) == [XORChunkVectorTests.v2.bytes242])
        let text = try Fixtures.text("promtool-blocks/input2.om")
        #expect(decode(neg[0].data).samples == Self.openMetricsSamples(text, name: "neg_test"))
        #expect(decode(clamp[0].data).samples == Self.openMetricsSamples(text, name: "clamp_test"))
    }
}
