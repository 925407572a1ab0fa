// Block chunk segments (spec §2) and head chunk files (spec §7): headers, CRCs, corruption, end markers.

import ChunkEncoding
import MetricModel
import Testing

@Suite("Chunk segment and head chunk file readers")
struct ChunkFileReaderTests {
    /// A segment file with the given records, framed as Prometheus writes them.
    static func segment(_ records: [(encoding: UInt8, data: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        ByteWriter.be32(ChunkSegmentReader.magic, to: &out)
        out += [1, 0, 0, 0]
        for r in records {
            ByteWriter.uvarint(UInt64(r.data.count), to: &out)
            out.append(r.encoding)
            out += r.data
            ByteWriter.be32(CRC32C.checksum([r.encoding] + r.data), to: &out)
        }
        return out
    }

    /// A head chunk file with the given entries, followed by `padding` zero bytes.
    static func headFile(_ entries: [HeadChunkRecord], rawEncoding: [UInt8]? = nil, padding: Int = 0) -> [UInt8] {
        var out: [UInt8] = []
        ByteWriter.be32(HeadChunkFileReader.magic, to: &out)
        out += [1, 0, 0, 0]
        for (i, e) in entries.enumerated() {
            let start = out.count
            ByteWriter.be64(e.seriesRef.rawValue, to: &out)
            ByteWriter.be64(UInt64(bitPattern: e.minTime), to: &out)
            ByteWriter.be64(UInt64(bitPattern: e.maxTime), to: &out)
            out.append(rawEncoding?[i] ?? e.encoding)
            ByteWriter.uvarint(UInt64(e.data.count), to: &out)
            out += e.data
            ByteWriter.be32(CRC32C.checksum(out[start...]), to: &out)
        }
        return out + [UInt8](repeating: 0, count: padding)
    }

    static let chunkA = encode(samples(t0: 1000, step: 1000, values: [1, 2, 3])).bytes
    static let chunkB = encode(samples(t0: 5000, step: 500, values: [7, 7, 7, 8])).bytes

    @Test("segment records come back with offsets, encodings and data")
    func segmentRoundTrip() throws {
        let file = Self.segment([(1, Self.chunkA), (2, [0, 0, 0]), (1, Self.chunkB)])
        let records = try ChunkSegmentReader.records(in: file)
        try #require(records.count == 3)
        #expect(records.map(\.encoding) == [1, 2, 1])
        #expect(records.map(\.data) == [Self.chunkA, [0, 0, 0], Self.chunkB])
        #expect(records[0].offset == 8)
        #expect(records[1].offset == 8 + 1 + 1 + Self.chunkA.count + 4)
        let reader = try ChunkSegmentReader(file)
        #expect(try reader.record(at: records[2].offset) == records[2])
        #expect(throws: DecodeError.self) { try reader.record(at: records[1].offset + 1) }
    }

    @Test("bad segment headers throw")
    func segmentHeaders() {
        #expect(throws: DecodeError.self) { try ChunkSegmentReader([]) }
        #expect(throws: DecodeError.self) { try ChunkSegmentReader([0x85, 0xBD, 0x40, 0xDD, 1, 0, 0]) }
        #expect(throws: DecodeError.self) { try ChunkSegmentReader([0x85, 0xBD, 0x40, 0xDE, 1, 0, 0, 0]) }
        #expect(throws: DecodeError.self) { try ChunkSegmentReader([0x85, 0xBD, 0x40, 0xDD, 2, 0, 0, 0]) }
        #expect((try? ChunkSegmentReader.records(in: [0x85, 0xBD, 0x40, 0xDD, 1, 0, 0, 0])) == [])
    }

    @Test("a flipped encoding, data or CRC byte is a CRC error; an overlong length throws")
    func segmentCorruption() throws {
        let file = Self.segment([(1, Self.chunkA)])
        for index in 9..<file.count {
            var bad = file
            bad[index] ^= 0x04
            #expect(throws: DecodeError.self, "byte \(index)") { try ChunkSegmentReader.records(in: bad) }
        }
        var overlong = Array(file[..<8])
        overlong += [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 1, 0, 0, 0, 0]
        #expect(throws: DecodeError.self) { try ChunkSegmentReader.records(in: overlong) }
    }

    @Test("every truncation of a real segment throws or stops early, never traps")
    func segmentTruncation() throws {
        let file = try Fixtures.bytes("promtool-blocks/01M8C5RMQ2QTN16PCMVBD109C2/chunks/000001")
        let full = try ChunkSegmentReader.records(in: file)
        for length in 0..<file.count {
            let cut = Array(file[..<length])
            if let records = try? ChunkSegmentReader.records(in: cut) {
                #expect(records.count < full.count, "cut at \(length)")
            }
        }
    }

    static let entries = [
        HeadChunkRecord(
            offset: 8, seriesRef: SeriesRef(1), minTime: 1000, maxTime: 3000, encoding: 1, isOutOfOrder: false,
            data: chunkA),
        HeadChunkRecord(
            offset: 8 + 25 + 1 + chunkA.count + 4, seriesRef: SeriesRef(0xFFFF_FFFF_FF), minTime: 5000,
            maxTime: 6500, encoding: 1, isOutOfOrder: true, data: chunkB),
    ]

    @Test("head chunk entries, the out-of-order flag, and the zero-padded end")
    func headFileRoundTrip() throws {
        for padding in [0, 5, 33, 34, 35, 1000] {
            let file = Self.headFile(Self.entries, rawEncoding: [1, 0x81], padding: padding)
            #expect(try HeadChunkFileReader.records(in: file) == Self.entries, "padding \(padding)")
        }
        #expect(try HeadChunkFileReader.records(in: Self.headFile([], padding: 4096)) == [])
    }

    @Test("bad head chunk files throw: header, CRC, short non-zero tail, length past the end")
    func headFileCorruption() throws {
        #expect(throws: DecodeError.self) { try HeadChunkFileReader([0x01, 0x30, 0xBC, 0x91]) }
        #expect(throws: DecodeError.self) { try HeadChunkFileReader([0x01, 0x30, 0xBC, 0x92, 1, 0, 0, 0]) }
        #expect(throws: DecodeError.self) { try HeadChunkFileReader([0x01, 0x30, 0xBC, 0x91, 9, 0, 0, 0]) }
        let file = Self.headFile(Self.entries, padding: 64)
        var bad = file
        bad[8 + 7] ^= 1  // seriesRef is covered by the head chunk CRC
        #expect(throws: DecodeError.self) { try HeadChunkFileReader.records(in: bad) }
        var tail = Self.headFile(Self.entries)
        tail += [0, 0, 0, 7]
        #expect(throws: DecodeError.self) { try HeadChunkFileReader.records(in: tail) }
        var long = Self.headFile([Self.entries[0]])
        long[8 + 25] = 0x7F  // length 127 runs past the end
        #expect(throws: DecodeError.self) { try HeadChunkFileReader.records(in: long) }
    }

    @Test("every truncation and random corruption of the real head chunk file throws or stops, never traps")
    func headFileFuzz() throws {
        let file = try Fixtures.bytes("server-2.42/chunks_head/000002")
        let full = try HeadChunkFileReader.records(in: file)
        for length in stride(from: 0, to: 4096, by: 1) {
            if let records = try? HeadChunkFileReader.records(in: Array(file[..<length])) {
                #expect(records.count < full.count, "cut at \(length)")
            }
        }
        let seed: UInt64 = 0xF00D
        var rng = SeededGenerator(seed: seed)
        let window = Array(file[..<2048])
        for round in 0..<300 {
            var bad = window
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bad[Int.random(in: 8..<bad.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            let records = try? HeadChunkFileReader.records(in: bad)
            #expect((records?.count ?? 0) <= full.count, "seed \(seed) round \(round)")
        }
    }
}
