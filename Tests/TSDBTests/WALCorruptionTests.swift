// Torn and corrupt WALs: replay returns a prefix of what was written and reports where it stopped;
// repair makes the WAL writable and replayable again. Nothing here may trap (spec §6.2 reader rules).

import Foundation
import Testing
import ChunkEncoding
import MetricModel
import TSDB

@Suite("WAL torn tails, corruption and repair")
struct WALCorruptionTests {
    static let page = WALFormat.pageSize

    /// A closed WAL of ~60 random records over several 4-page segments.
    struct Written {
        var dir: WALTestDirectory
        var records: [[UInt8]]
        var locations: [WALRecordLocation]
        var lastSegment: Int
    }

    static func write(seed: UInt64, compress: Bool) throws -> Written {
        var random = SeededGenerator(seed: seed)
        let dir = try WALTestDirectory()
        let wal = try WAL(directory: dir.wal, options: .init(segmentSizeBytes: 4 * page, compress: compress))
        var records: [[UInt8]] = []
        for _ in 0..<60 {
            let size = [0, 1, 7, 50, 400, 3_000, 20_000, 40_000].randomElement(using: &random)!
            var record = random.bytes(size, compressible: Bool.random(using: &random))
            // An unused type byte, so `WAL.replay` skips the record as unknown instead of decoding it.
            if !record.isEmpty { record[0] = 0xF0 }
            records.append(record)
        }
        for record in records { try wal.log(record) }
        try wal.close()
        let read = try WALRawRead(walDirectory: dir.wal)
        #expect(read.corruption == nil, "seed \(seed)")
        #expect(WALTestBytes.digest(read.records) == WALTestBytes.digest(records), "seed \(seed)")
        return Written(dir: dir, records: records, locations: read.locations, lastSegment: wal.currentSegment)
    }

    /// Replays `dir` and checks the result is a prefix of `records`; returns the read.
    static func expectPrefix(_ written: Written, _ note: String) throws -> WALRawRead {
        let read = try WALRawRead(walDirectory: written.dir.wal)
        #expect(read.records.count <= written.records.count, "\(note)")
        #expect(WALTestBytes.digest(read.records) == WALTestBytes.digest(Array(written.records.prefix(read.records.count))), "\(note)")
        return read
    }

    @Test("truncating the last segment anywhere: replay returns exactly the complete records",
          arguments: [(1, false), (2, true)] as [(UInt64, Bool)])
    func tornTail(seed: UInt64, compress: Bool) throws {
        let written = try Self.write(seed: seed, compress: compress)
        defer { written.dir.remove() }
        var random = SeededGenerator(seed: seed &* 7919)
        let original = try WALTestBytes.read(written.dir.wal + "/" + WALFormat.segmentName(written.lastSegment))
        let lastIndices = written.locations.indices.filter { written.locations[$0].segment == written.lastSegment }
        let lastLocations = lastIndices.map { written.locations[$0] }
        let lastRecords = lastIndices.map { written.records[$0] }
        // Only the last segment changes: read it alone (as segment 0 of its own folder) to keep this fast.
        let tail = written.dir.path + "/tail"
        let path = tail + "/00000000"
        var cuts = (0..<60).map { _ in Int.random(in: 0..<original.count, using: &random) }
        for location in lastLocations { cuts += [location.offset, location.offset + 3, location.endOffset, location.endOffset - 1] }
        for cut in cuts where cut >= 0 && cut <= original.count {
            try WALTestBytes.write(Array(original[..<cut]), to: path)
            let note = "seed \(seed), cut \(cut)"
            let read = try WALRawRead(segmentsIn: tail)
            let complete = lastLocations.filter { $0.endOffset <= cut }.count
            #expect(WALTestBytes.digest(read.records) == WALTestBytes.digest(Array(lastRecords.prefix(complete))), "\(note)")
            if let torn = lastLocations.first(where: { $0.offset < cut && $0.endOffset > cut }) {
                #expect(read.corruption?.offset == torn.offset, "\(note)")
                #expect(read.corruption?.reason == "last record is torn", "\(note)")
            } else {
                #expect(read.corruption == nil, "\(note)")
            }
        }
        // And once through the whole WAL: earlier segments, then the torn one.
        let cut = lastLocations.last.map { $0.endOffset - 1 } ?? 0
        try WALTestBytes.write(Array(original[..<cut]), to: written.dir.wal + "/" + WALFormat.segmentName(written.lastSegment))
        let whole = try Self.expectPrefix(written, "seed \(seed), whole WAL")
        #expect(whole.records.count == written.records.count - 1, "seed \(seed)")
        #expect(whole.corruption?.segment == written.lastSegment, "seed \(seed)")
    }

    @Test("a flipped byte anywhere: replay returns a prefix and reports the corruption in that segment",
          arguments: [(3, false), (4, true)] as [(UInt64, Bool)])
    func flippedBytes(seed: UInt64, compress: Bool) throws {
        let written = try Self.write(seed: seed, compress: compress)
        defer { written.dir.remove() }
        var random = SeededGenerator(seed: seed &* 104_729)
        let typeBytePositions = Set(written.locations.map { "\($0.segment):\($0.offset)" })
        for _ in 0..<60 {
            let segment = Int.random(in: 0...written.lastSegment, using: &random)
            let path = written.dir.wal + "/" + WALFormat.segmentName(segment)
            let original = try WALTestBytes.read(path)
            let position = Int.random(in: 0..<original.count, using: &random)
            var mask = UInt8.random(in: 1...255, using: &random)
            // The format checksums fragment data only. A flipped snappy bit in a type byte is
            // not detectable when the flipped data happens to decompress (Prometheus has the same
            // blind spot; see typeByteSnappyFlip), so this test leaves that one bit alone there.
            if typeBytePositions.contains("\(segment):\(position)") || WALTestBytes.fragments(original).contains(where: { $0.offset == position }) {
                mask &= ~WALFormat.snappyFlag
                if mask == 0 { mask = 0x01 }
            }
            var damaged = original
            damaged[position] ^= mask
            try WALTestBytes.write(damaged, to: path)
            let note = "seed \(seed), segment \(segment), position \(position), mask \(mask)"
            let read = try Self.expectPrefix(written, note)
            #expect(read.corruption != nil, "\(note)")
            #expect(read.corruption?.segment == segment, "\(note)")
            #expect((read.corruption?.offset ?? 0) <= position, "\(note)")
            try WALTestBytes.write(original, to: path)
        }
    }

    @Test("startup after damage: open, replay, repair, write again, replay everything",
          arguments: [(5, false), (6, true)] as [(UInt64, Bool)])
    func repairAndContinue(seed: UInt64, compress: Bool) throws {
        var random = SeededGenerator(seed: seed &* 31)
        for round in 0..<6 {
            let written = try Self.write(seed: seed &+ UInt64(round) &* 1000, compress: compress)
            defer { written.dir.remove() }
            let segment = Int.random(in: 0...written.lastSegment, using: &random)
            let path = written.dir.wal + "/" + WALFormat.segmentName(segment)
            var bytes = try WALTestBytes.read(path)
            let position = Int.random(in: 0..<bytes.count, using: &random)
            if round % 2 == 0 {
                bytes = Array(bytes[..<position])  // torn
            } else {
                bytes[position] ^= 0x40  // corrupt
            }
            try WALTestBytes.write(bytes, to: path)
            let note = "seed \(seed), round \(round), segment \(segment), position \(position)"

            // The order Prometheus uses: open (starts a new segment), replay, repair.
            let wal = try WAL(directory: written.dir.wal, options: .init(segmentSizeBytes: 4 * Self.page, compress: compress))
            #expect(wal.currentSegment == written.lastSegment + 1, "\(note)")
            var replayed = 0
            let result = try WAL.replay(directory: written.dir.wal) { _ in replayed += 1 }
            let kept = try Self.expectPrefix(written, note).records.count
            #expect(replayed == kept, "\(note)")
            #expect(result.unknownRecords == kept, "\(note)")
            if let corruption = result.corruption {
                #expect(result.corruptions == 1, "\(note)")
                try wal.repair(corruption)
                #expect(wal.currentSegment == corruption.segment + 1, "\(note)")
                #expect(wal.repairs == 1, "\(note)")
                #expect(try WALTestBytes.fileSize(corruption.path) % Self.page == 0, "\(note)")
            }
            let extra: [[UInt8]] = (0..<5).map { i in [0xF1] + random.bytes(i * 5000, compressible: i % 2 == 0) }
            try wal.log(extra)
            try wal.close()
            let final = try WALRawRead(walDirectory: written.dir.wal)
            #expect(final.corruption == nil, "\(note)")
            #expect(WALTestBytes.digest(final.records) == WALTestBytes.digest(Array(written.records.prefix(kept)) + extra), "\(note)")
        }
    }

    @Test("a gap in segment numbers: open does not refuse; replay stops before the gap; repair deletes after it")
    func segmentGap() throws {
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let options = WAL.Options(segmentSizeBytes: Self.page, compress: false)
        let first = try WAL(directory: dir.wal, options: options)
        for i in 0..<4 {
            try first.log([200] + [UInt8](repeating: UInt8(i), count: 30_000))  // one (unknown-type) record per segment
        }
        try first.close()
        #expect(first.currentSegment == 3)
        try WALTestBytes.write([], to: dir.wal + "/00000002")
        try FileManager.default.removeItem(atPath: dir.wal + "/00000002")

        let wal = try WAL(directory: dir.wal, options: options)
        #expect(wal.openWarnings.count == 1)
        #expect(wal.currentSegment == 4)
        let result = try WAL.replay(directory: dir.wal) { _ in }
        #expect(result.records == 2)
        let corruption = try #require(result.corruption)
        #expect(corruption.segment == 1)
        #expect(corruption.offset == Self.page)
        #expect(corruption.reason.contains("not sequential"))
        try wal.repair(corruption)
        #expect(wal.currentSegment == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.wal + "/00000003"))
        #expect(!FileManager.default.fileExists(atPath: dir.wal + "/00000004"))
        try wal.log([9, 9])
        try wal.close()
        let read = try WALRawRead(walDirectory: dir.wal)
        #expect(read.corruption == nil)
        #expect(read.records.map(\.count) == [30_001, 30_001, 2])
    }

    @Test("a torn checkpoint: reported as a checkpoint corruption; repair truncates only the checkpoint")
    func tornCheckpoint() throws {
        let server = try WALTestFixtures.serverDirectory()
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let checkpoint = dir.wal + "/checkpoint.00000001/00000000"
        try WALTestBytes.write(Array(try WALTestBytes.read(server + "/checkpoint.00000001/00000000")[..<6000]), to: checkpoint)
        try WALTestBytes.copyFile(server + "/wal-snappy/00000000", dir.wal + "/00000002")
        let result = try WAL.replay(directory: dir.wal) { _ in }
        #expect(result.records == 1)
        let corruption = try #require(result.corruption)
        #expect(corruption.isCheckpoint)
        #expect(corruption.segment == 0)
        #expect(corruption.offset == 5656)
        #expect(corruption.directory.hasSuffix("checkpoint.00000001"))
        try WAL.repair(corruption)
        #expect(try WALTestBytes.fileSize(checkpoint) == Self.page)
        #expect(FileManager.default.fileExists(atPath: dir.wal + "/00000002"))
        let again = try WAL.replay(directory: dir.wal) { _ in }
        #expect(again.corruption == nil)
        #expect(again.records == 1 + 5)
    }

    @Test("a well-framed record that does not decode is a corruption at its start")
    func undecodableRecord() throws {
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let wal = try WAL(directory: dir.wal, options: .init(compress: false))
        var good: [UInt8] = []
        WALRecord.encodeTombstones([WALTombstone(ref: SeriesRef(1), minTime: 0, maxTime: 1)], into: &good)
        try wal.log([good, [0x01, 0xFF], good])  // a series record with a truncated ref
        var seen: [WALRecord] = []
        let result = try WAL.replay(directory: dir.wal) { seen.append($0) }
        #expect(seen.count == 1)
        let corruption = try #require(result.corruption)
        #expect(corruption.offset == 7 + good.count)
        #expect(corruption.reason.hasPrefix("decode series"))
        try wal.repair(corruption)
        try wal.log(good)
        try wal.close()
        let again = try WAL.replay(directory: dir.wal) { _ in }
        #expect(again.corruption == nil)
        #expect(again.tombstones == 2)
    }

    @Test("a flipped snappy bit in a type byte never traps (the format cannot always detect it)")
    func typeByteSnappyFlip() throws {
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let wal = try WAL(directory: dir.wal, options: .init(compress: false))
        let records: [[UInt8]] = [[0x00], [0x03, 0x08, 0x61, 0x62, 0x63], Array(repeating: 0xFF, count: 100)]
        try wal.log(records)
        try wal.close()
        let path = dir.wal + "/00000000"
        let original = try WALTestBytes.read(path)
        for fragment in WALTestBytes.fragments(original) {
            var damaged = original
            damaged[fragment.offset] ^= WALFormat.snappyFlag
            try WALTestBytes.write(damaged, to: path)
            let read = try WALRawRead(walDirectory: dir.wal)
            // [0x00] decompresses to [] and [03 08 61 62 63] to "abc": undetectable, as in Prometheus.
            // 0xFF… is not valid snappy: detected.
            #expect(read.records.count + (read.corruption == nil ? 0 : 1) == 3 || read.corruption != nil)
        }
    }

    /// Found by FuzzWALRecord: `08 00 …` (fragment type 0 with the snappy flag) reached a
    /// `preconditionFailure` in the segment reader.
    @Test("a padding type byte with the snappy flag is a corruption, not a trap")
    func paddingWithSnappyFlag() throws {
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        // Padding with the snappy flag: padding, as Prometheus's reader takes it (it masks the
        // flags off the type byte first). It used to reach a preconditionFailure.
        try WALTestBytes.write([0x08, 0, 0, 0, 0, 0, 0, 0], to: dir.wal + "/00000000")
        let read = try WALRawRead(walDirectory: dir.wal)
        #expect(read.records.isEmpty)
        #expect(read.corruption == nil)
        // Followed by anything but zeros, it is a corrupt page, as there.
        try WALTestBytes.write([0x08, 0, 0, 7, 0, 0, 0, 0], to: dir.wal + "/00000000")
        let damaged = try WALRawRead(walDirectory: dir.wal)
        #expect(damaged.corruption?.offset == 3)
        #expect(damaged.corruption?.reason == "unexpected non-zero byte in padded page")
    }

    @Test("garbage segments never trap; all-zero segments are empty", arguments: [40, 41, 42] as [UInt64])
    func garbage(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        try WALTestBytes.write([UInt8](repeating: 0, count: 3 * Self.page + 100), to: dir.wal + "/00000000")
        let zeros = try WAL.replay(directory: dir.wal) { _ in }
        #expect(zeros.records == 0 && zeros.corruption == nil, "seed \(seed)")
        for _ in 0..<200 {
            var bytes = random.bytes(Int.random(in: 1...(2 * Self.page), using: &random))
            if Bool.random(using: &random) {
                // Plausible headers make the reader go deeper.
                bytes[0] = [1, 2, 9, 10].randomElement(using: &random)!
                if bytes.count > 3 { bytes[1] = 0; bytes[2] = UInt8.random(in: 0...40, using: &random) }
            }
            try WALTestBytes.write(bytes, to: dir.wal + "/00000000")
            let result = try WAL.replay(directory: dir.wal) { _ in }
            // Random data passes a CRC32C check with odds of 2^-32: always a corruption, no records.
            #expect(result.records == 0 && result.corruption != nil, "seed \(seed)")
        }
    }
}
