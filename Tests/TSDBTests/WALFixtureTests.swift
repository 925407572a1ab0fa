// Reading WAL segments and a checkpoint written by a real Prometheus 2.42 server
// (Tests/Fixtures/prometheus-2.42/server-2.42, spec/tsdb-format.md §0 and §6).
//
// Expected numbers were obtained with an independent throw-away Python 3 parser written from
// spec §6 alone (its own bitwise CRC32C, snappy decoder and record decoders; not kept in the
// repo), run on the same files: record offsets, counts, first/last series, Σ(t + ref) over
// samples, XOR of value bits, Σ ref × label bytes.

import Foundation
import Testing
import ChunkEncoding
import MetricModel
import TSDB

@Suite("WAL fixtures from Prometheus 2.42")
struct WALFixtureTests {
    struct Summary {
        var raw = WALRawRead()
        var seriesRecords = 0, sampleRecords = 0, tombstoneRecords = 0
        var series: [WALSeries] = []
        var samples: [WALSample] = []
        var tombstones: [WALTombstone] = []
        /// Σ (t + ref) over samples, wrapping.
        var timeRefSum: Int64 = 0
        /// XOR of all value bits.
        var valueXor: UInt64 = 0
        /// Σ ref × (total name and value bytes) over series.
        var labelChecksum = 0
    }

    static func summarize(segmentsIn directory: String) throws -> Summary {
        var summary = Summary()
        summary.raw = try WALRawRead(segmentsIn: directory)
        for bytes in summary.raw.records {
            switch try WALRecord(decoding: bytes) {
            case .series(let s):
                summary.seriesRecords += 1
                summary.series += s
                for entry in s {
                    var chars = 0
                    entry.labels.forEach { chars += $0.utf8.count + $1.utf8.count }
                    summary.labelChecksum += Int(entry.ref.rawValue) * chars
                }
            case .samples(let s):
                summary.sampleRecords += 1
                summary.samples += s
                for sample in s {
                    summary.timeRefSum &+= sample.timestamp &+ Int64(sample.ref.rawValue)
                    summary.valueXor ^= sample.value.bitPattern
                }
            case .tombstones(let t):
                summary.tombstoneRecords += 1
                summary.tombstones += t
            case .histogramSamples, .floatHistogramSamples:
                Issue.record("unexpected histogram record (the 2.42 server fixture has none)")
            case .unknown(let type):
                Issue.record("unexpected record type \(type)")
            }
        }
        return summary
    }

    @Test("uncompressed segment: 12 records, pages with first/last fragments, a tombstone")
    func uncompressedSegment() throws {
        let directory = try WALTestFixtures.serverDirectory() + "/wal-uncompressed"
        let s = try Self.summarize(segmentsIn: directory)
        #expect(s.raw.corruption == nil)
        #expect(s.raw.records.count == 12)
        #expect(s.seriesRecords == 3)
        #expect(s.sampleRecords == 8)
        #expect(s.tombstoneRecords == 1)
        #expect(s.series.count == 360)
        #expect(Set(s.series.map(\.ref.rawValue)) == Set(1...360))
        #expect(s.samples.count == 2722)
        #expect(s.series.first == WALSeries(ref: SeriesRef(1), labels: Labels([
            "__name__": "go_gc_duration_seconds", "instance": "127.0.0.1:19090", "job": "self", "quantile": "0",
        ])))
        #expect(s.series.last?.labels["handler"] == "/api/v1/admin/tsdb/delete_series")
        #expect(s.samples.first == WALSample(ref: SeriesRef(1), timestamp: 1_795_705_172_370, value: Double(bitPattern: 4_545_445_420_665_663_538)))
        #expect(s.samples.filter { $0.ref == SeriesRef(1) }.count == 8)
        #expect(s.samples.map(\.timestamp).min() == 1_795_705_172_370)
        #expect(s.samples.map(\.timestamp).max() == 1_795_705_179_370)
        #expect(s.timeRefSum == 4_887_909_489_497_095)
        #expect(s.valueXor == 0x7D76_FB43_5280_CA39)
        #expect(s.labelChecksum == 6_032_229)
        #expect(s.tombstones == [WALTombstone(ref: SeriesRef(294), minTime: 1_795_705_172_370, maxTime: 1_795_705_176_370)])
        // Record boundaries (first fragment offset ..< end of last fragment).
        #expect(s.raw.locations.map(\.offset) == [0, 30065, 33310, 37764, 41420, 45076, 48732, 52388, 52416, 55878, 59798, 63718])
        #expect(s.raw.locations.last?.endOffset == 67645)
        let fragments = WALTestBytes.fragments(try WALTestBytes.read(directory + "/00000000"))
        #expect(fragments.map(\.typeByte).filter { $0 == 2 }.count == 2)  // first
        #expect(fragments.map(\.typeByte).filter { $0 == 4 }.count == 2)  // last
    }

    @Test("snappy segment: every record compressed (type byte 0x09)")
    func snappySegment() throws {
        let directory = try WALTestFixtures.serverDirectory() + "/wal-snappy"
        let s = try Self.summarize(segmentsIn: directory)
        #expect(s.raw.corruption == nil)
        #expect(s.raw.records.count == 5)
        #expect(s.seriesRecords == 2)
        #expect(s.sampleRecords == 3)
        #expect(s.series.count == 336)
        #expect(s.samples.count == 970)
        #expect(s.raw.records.map(\.count) == [30058, 3231, 4447, 3649, 3649])
        #expect(s.raw.locations.map(\.offset) == [0, 5656, 7154, 7993, 9692])
        #expect(s.timeRefSum == 1_741_834_005_753_713)
        #expect(s.valueXor == 0x822A_E5E7_C99C_6948)
        #expect(s.labelChecksum == 4_985_000)
        #expect(s.series.last == WALSeries(ref: SeriesRef(336), labels: Labels([
            "__name__": "prometheus_tsdb_too_old_samples_total", "instance": "127.0.0.1:19090", "job": "self", "type": "float",
        ])))
        let fragments = WALTestBytes.fragments(try WALTestBytes.read(directory + "/00000000"))
        #expect(fragments.map(\.typeByte) == [0x09, 0x09, 0x09, 0x09, 0x09])
    }

    @Test("checkpoint segment: 2 series records, 336 series")
    func checkpointSegment() throws {
        let directory = try WALTestFixtures.serverDirectory() + "/checkpoint.00000001"
        let s = try Self.summarize(segmentsIn: directory)
        #expect(s.raw.corruption == nil)
        #expect(s.raw.records.count == 2)
        #expect(s.seriesRecords == 2)
        #expect(s.series.count == 336)
        #expect(s.samples.isEmpty)
        #expect(s.labelChecksum == 4_991_867)
        #expect(s.series.first?.labels["instance"] == "127.0.0.1:19091")
    }

    @Test("re-encoding every decoded fixture record gives Prometheus's bytes")
    func reencode() throws {
        let server = try WALTestFixtures.serverDirectory()
        for folder in ["wal-uncompressed", "wal-snappy", "checkpoint.00000001"] {
            for bytes in try WALRawRead(segmentsIn: server + "/" + folder).records {
                var again: [UInt8] = []
                try WALRecord(decoding: bytes).encode(into: &again)
                #expect(again == bytes, "\(folder)")
            }
        }
    }

    @Test("our framing of the fixtures' records reproduces Prometheus's segments byte for byte",
          arguments: [("wal-uncompressed", false), ("wal-snappy", true), ("checkpoint.00000001", true)])
    func framingParity(folder: String, compress: Bool) throws {
        let server = try WALTestFixtures.serverDirectory()
        let original = try WALTestBytes.read(server + "/" + folder + "/00000000")
        let records = try WALRawRead(segmentsIn: server + "/" + folder).records
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let wal = try WAL(directory: dir.wal, options: .init(compress: compress))
        for record in records { try wal.log(record) }
        try wal.close()
        let ours = try WALTestBytes.read(dir.wal + "/00000000")
        if compress {
            // Our Snappy encoder is not promised to emit Go's bytes (today it does), so compare
            // the layout and the content rather than the compressed bytes.
            #expect(WALTestBytes.fragments(ours).map(\.typeByte) == WALTestBytes.fragments(original).map(\.typeByte))
            #expect(ours.count == original.count)
            #expect(try WALRawRead(segmentsIn: dir.wal).records == records)
        } else {
            #expect(ours == original)
        }
    }

    @Test("full replay: newest checkpoint first, then later segments; old segments and .tmp skipped")
    func fullReplay() throws {
        let server = try WALTestFixtures.serverDirectory()
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        // wal/00000000, 00000001: covered by checkpoint.00000001, must not be read (garbage here).
        try WALTestBytes.write([0xFF, 0xFF, 0xFF], to: dir.wal + "/00000000")
        try WALTestBytes.write([0xEE], to: dir.wal + "/00000001")
        try WALTestBytes.copyFile(server + "/checkpoint.00000001/00000000", dir.wal + "/checkpoint.00000001/00000000")
        try WALTestBytes.copyFile(server + "/checkpoint.00000001/00000000", dir.wal + "/checkpoint.00000000/00000000")
        try WALTestBytes.write([0xAB, 0xCD], to: dir.wal + "/checkpoint.00000009.tmp/00000000")
        try WALTestBytes.copyFile(server + "/wal-snappy/00000000", dir.wal + "/00000002")
        try WALTestBytes.copyFile(server + "/wal-uncompressed/00000000", dir.wal + "/00000003")

        var kinds: [String] = []
        let result = try WAL.replay(directory: dir.wal) { record in
            switch record {
            case .series: kinds.append("s")
            case .samples: kinds.append("p")
            case .tombstones: kinds.append("t")
            case .histogramSamples, .floatHistogramSamples: kinds.append("h")
            case .unknown: kinds.append("?")
            }
        }
        #expect(result.corruption == nil)
        #expect(result.corruptions == 0)
        #expect(result.checkpoint == 1)
        #expect(result.segments == [2, 3])
        #expect(result.records == 2 + 5 + 12)
        #expect(result.series == 336 + 336 + 360)
        #expect(result.samples == 970 + 2722)
        #expect(result.tombstones == 1)
        #expect(kinds.joined() == "ss" + "spspp" + "spspppptsppp")
    }
}
