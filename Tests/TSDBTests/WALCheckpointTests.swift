// Checkpointing and truncating a WAL (spec/tsdb-format.md §6.4): replay after a checkpoint and
// segment deletion, a crash at each step, repeated checkpoints, Prometheus 2.42's checkpoint as
// input, and the arguments that are refused. The model of what must survive is in
// WALCheckpointModelTests.swift.

import Foundation
import Testing
import MetricModel
import TSDB

@Suite("WAL checkpoints and truncation")
struct WALCheckpointTests {
    /// Data is written to segments 0...6; segment 6 is the one being written.
    static let lastSegment = 6
    /// In the middle of segment 2's samples (and of segment 3's large record).
    static let minTime: Timestamp = CheckpointModel.base + 2 * 30_000 + 10_000

    static func keep(_ ref: SeriesRef) -> Bool { ref.rawValue % 3 != 0 }

    static func names(_ path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    @Test("checkpoint through 4, delete segments below 5: replay is the filtered checkpoint, then 5, 6",
          arguments: [false, true])
    func checkpointThenTruncate(compress: Bool) throws {
        let seed: UInt64 = 0xC4EC_0001
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let (written, wal) = try CheckpointModel.write(directory: dir.wal, seed: seed, lastSegment: Self.lastSegment, compress: compress)
        #expect(wal.segmentRange.first == 0 && wal.segmentRange.last == 6)

        let stats = try WAL.checkpoint(directory: dir.wal, through: 4, minTime: Self.minTime, compress: compress, keepSeries: Self.keep)
        var model = written.checkpointed(through: 4, minTime: Self.minTime, keep: Self.keep).model
        var expected = written.checkpointed(through: 4, minTime: Self.minTime, keep: Self.keep).stats
        expected.segments = [0, 1, 2, 3, 4]
        expected.bytesWritten = stats.bytesWritten
        #expect(stats == expected, "seed \(seed)")
        #expect(stats.seriesDropped > 0 && stats.samplesDropped > 0 && stats.samplesKept > 0)
        #expect(stats.tombstonesKept == 1 && stats.tombstonesDropped == 1 && stats.otherRecordsDropped == 1)

        let checkpoint = dir.wal + "/checkpoint.00000004"
        #expect(try Self.names(checkpoint) == ["00000000"])
        let bytes = try WALTestBytes.read(checkpoint + "/00000000")
        #expect(bytes.count == stats.bytesWritten && bytes.count % WALFormat.pageSize == 0)
        let snappy = WALTestBytes.fragments(bytes).map { $0.typeByte & WALFormat.snappyFlag != 0 }
        #expect(snappy.contains(true) == compress)

        try WAL.deleteSegments(directory: dir.wal, before: 5)
        #expect(try Self.names(dir.wal) == ["00000005", "00000006", "checkpoint.00000004"])
        let range = try #require(try WAL.segmentRange(directory: dir.wal))
        #expect(range.first == 5 && range.last == 6)
        #expect(wal.segmentRange.first == 5 && wal.segmentRange.last == 6)

        let (replayed, result) = try CheckpointModel.replay(dir.wal)
        #expect(result.corruption == nil && result.checkpoint == 4 && result.segments == [5, 6])
        #expect(CheckpointModel.difference(replayed, model.replay) == nil, "seed \(seed)")

        // The writer carries on in segment 6 and the next one.
        let extra = WALRecord.samples([WALSample(ref: SeriesRef(1), timestamp: CheckpointModel.base + 1_000_000, value: 42)])
        var buffer: [UInt8] = []
        extra.encode(into: &buffer)
        try wal.log(buffer)
        try wal.nextSegment()
        try wal.log(buffer)
        try wal.close()
        model.records += [(6, extra), (7, extra)]
        #expect(CheckpointModel.difference(try CheckpointModel.replay(dir.wal).records, model.replay) == nil, "seed \(seed)")
    }

    @Test("a crash before the rename leaves checkpoint.N.tmp: replay ignores it, the next checkpoint removes it")
    func crashBeforeRename() throws {
        let seed: UInt64 = 0xC4EC_0002
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let (written, wal) = try CheckpointModel.write(directory: dir.wal, seed: seed, lastSegment: Self.lastSegment, compress: true)
        try wal.close()
        _ = try WAL.checkpoint(directory: dir.wal, through: 4, minTime: Self.minTime, compress: true, keepSeries: Self.keep)
        // Undo the rename and tear the segment, as a crash while writing would leave it; plus an older leftover.
        try FileManager.default.moveItem(atPath: dir.wal + "/checkpoint.00000004", toPath: dir.wal + "/checkpoint.00000004.tmp")
        try WALTestBytes.truncate(dir.wal + "/checkpoint.00000004.tmp/00000000", to: 1000)
        try WALTestBytes.write([0xDE, 0xAD], to: dir.wal + "/checkpoint.00000002.tmp/00000000")

        let (replayed, result) = try CheckpointModel.replay(dir.wal)
        #expect(result.checkpoint == nil && result.corruption == nil && result.segments == Array(0...6))
        #expect(CheckpointModel.difference(replayed, written.replay) == nil, "seed \(seed)")
        let model = written.checkpointed(through: 4, minTime: Self.minTime, keep: Self.keep).model
        #expect(CheckpointEntries(replayed).missing(CheckpointEntries(model.replay)) == nil, "seed \(seed)")

        let reopened = try WAL(directory: dir.wal)
        #expect(reopened.currentSegment == 7 && reopened.openWarnings.isEmpty)
        try reopened.close()
        _ = try WAL.checkpoint(directory: dir.wal, through: 4, minTime: Self.minTime, compress: true, keepSeries: Self.keep)
        #expect(try Self.names(dir.wal).filter { $0.hasPrefix("checkpoint") } == ["checkpoint.00000004"])
        #expect(CheckpointModel.difference(try CheckpointModel.replay(dir.wal).records, model.replay) == nil, "seed \(seed)")
    }

    /// Where a crash after the rename stops checkpoint + truncation.
    enum CrashPoint: String, CaseIterable, Sendable {
        case beforeOldCheckpointDeleted, beforeSegmentsDeleted, halfSegmentsDeleted, allSegmentsDeleted
    }

    @Test("a crash after the rename: replay gives exactly what must survive, and the next checkpoint cleans up",
          arguments: CrashPoint.allCases)
    func crashAfterRename(point: CrashPoint) throws {
        let seed: UInt64 = 0xC4EC_0003
        let dir = try WALTestDirectory("crashAfterRename\(point.rawValue)")
        defer { dir.remove() }
        let (written, wal) = try CheckpointModel.write(directory: dir.wal, seed: seed, lastSegment: Self.lastSegment, compress: true)
        try wal.close()
        let allSeries: (SeriesRef) -> Bool = { _ in true }
        _ = try WAL.checkpoint(directory: dir.wal, through: 1, minTime: CheckpointModel.base + 10_000, compress: true, keepSeries: allSeries)
        try WAL.deleteSegments(directory: dir.wal, before: 2)
        let first = written.checkpointed(through: 1, minTime: CheckpointModel.base + 10_000, keep: allSeries).model
        let aside = dir.path + "/aside"
        try FileManager.default.copyItem(atPath: dir.wal + "/checkpoint.00000001", toPath: aside)

        _ = try WAL.checkpoint(directory: dir.wal, through: 4, minTime: Self.minTime, compress: true, keepSeries: Self.keep)
        let second = first.checkpointed(through: 4, minTime: Self.minTime, keep: Self.keep).model
        switch point {
        case .beforeOldCheckpointDeleted: try FileManager.default.moveItem(atPath: aside, toPath: dir.wal + "/checkpoint.00000001")
        case .beforeSegmentsDeleted: break
        case .halfSegmentsDeleted: try WAL.deleteSegments(directory: dir.wal, before: 3)
        case .allSegmentsDeleted: try WAL.deleteSegments(directory: dir.wal, before: 5)
        }

        let (replayed, result) = try CheckpointModel.replay(dir.wal)
        #expect(result.corruption == nil && result.checkpoint == 4 && result.segments == [5, 6])
        #expect(CheckpointEntries(replayed).missing(CheckpointEntries(second.replay)) == nil, "seed \(seed)")
        #expect(CheckpointModel.difference(replayed, second.replay) == nil, "seed \(seed)")

        let reopened = try WAL(directory: dir.wal)
        #expect(reopened.currentSegment == 7 && reopened.openWarnings.isEmpty)
        try reopened.close()
        let stats = try WAL.checkpoint(directory: dir.wal, through: 6, minTime: Self.minTime + 30_000, compress: true, keepSeries: Self.keep)
        #expect(stats.deletedCheckpoints == (point == .beforeOldCheckpointDeleted ? [1, 4] : [4]))
        try WAL.deleteSegments(directory: dir.wal, before: 7)
        #expect(try Self.names(dir.wal) == ["00000007", "checkpoint.00000006"])
        let third = second.checkpointed(through: 6, minTime: Self.minTime + 30_000, keep: Self.keep).model
        #expect(CheckpointModel.difference(try CheckpointModel.replay(dir.wal).records, third.replay) == nil, "seed \(seed)")
    }

    @Test("repeated checkpoints: the previous one is read first, filtered again, then deleted")
    func repeatedCheckpoints() throws {
        let seed: UInt64 = 0xC4EC_0004
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let (written, wal) = try CheckpointModel.write(directory: dir.wal, seed: seed, lastSegment: Self.lastSegment, compress: false)
        let firstKeep: (SeriesRef) -> Bool = { $0.rawValue != 2 }
        let firstMinTime = CheckpointModel.base + 30_000
        let stats1 = try WAL.checkpoint(directory: dir.wal, through: 2, minTime: firstMinTime, compress: false, keepSeries: firstKeep)
        try WAL.deleteSegments(directory: dir.wal, before: 3)
        let model1 = written.checkpointed(through: 2, minTime: firstMinTime, keep: firstKeep).model
        var expected1 = written.checkpointed(through: 2, minTime: firstMinTime, keep: firstKeep).stats
        expected1.segments = [0, 1, 2]
        expected1.bytesWritten = stats1.bytesWritten
        #expect(stats1 == expected1, "seed \(seed)")

        let secondMinTime = CheckpointModel.base + 3 * 30_000 + 15_000
        let stats2 = try WAL.checkpoint(directory: dir.wal, through: 5, minTime: secondMinTime, compress: false, keepSeries: Self.keep)
        let model2 = model1.checkpointed(through: 5, minTime: secondMinTime, keep: Self.keep).model
        var expected2 = model1.checkpointed(through: 5, minTime: secondMinTime, keep: Self.keep).stats
        expected2.previousCheckpoint = 2
        expected2.segments = [3, 4, 5]
        expected2.deletedCheckpoints = [2]
        expected2.bytesWritten = stats2.bytesWritten
        #expect(stats2 == expected2, "seed \(seed)")
        #expect(stats2.recordsRead > written.records.filter { (3...5).contains($0.segment) }.count)
        try WAL.deleteSegments(directory: dir.wal, before: 6)
        #expect(try Self.names(dir.wal) == ["00000006", "checkpoint.00000005"])

        try wal.close()
        let (replayed, result) = try CheckpointModel.replay(dir.wal)
        #expect(result.checkpoint == 5 && result.segments == [6] && result.corruption == nil)
        #expect(CheckpointModel.difference(replayed, model2.replay) == nil, "seed \(seed)")
        let checkpointTimes = model2.records.filter { $0.segment == 5 }.flatMap { $0.record.sampleEntries.map(\.timestamp) }
        #expect(checkpointTimes.min().map { $0 >= secondMinTime } == true)
    }

    @Test("Prometheus 2.42's checkpoint.00000001 is folded into the next checkpoint")
    func prometheusCheckpointAsInput() throws {
        let server = try WALTestFixtures.serverDirectory()
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        try WALTestBytes.copyFile(server + "/checkpoint.00000001/00000000", dir.wal + "/checkpoint.00000001/00000000")
        let fixture = try CheckpointModel.replay(dir.wal).records
        let refs = fixture.flatMap { record -> [SeriesRef] in
            if case .series(let series) = record { series.map(\.ref) } else { [] }
        }
        #expect(fixture.count == 2 && refs.count == 336)

        var model = CheckpointModel(records: fixture.map { (1, $0) })
        let wal = try WAL(directory: dir.wal)
        #expect(wal.currentSegment == 2)
        var buffer: [UInt8] = []
        for segment in 2...3 {
            let samples = refs.prefix(40).map {
                WALSample(ref: $0, timestamp: CheckpointModel.base + Int64(segment) * 1_000, value: Double($0.rawValue))
            }
            buffer.removeAll()
            WALRecord.encodeSamples(samples, into: &buffer)
            try wal.log(buffer)
            model.records.append((segment, .samples(samples)))
            try wal.nextSegment()
        }
        try wal.close()

        let even: (SeriesRef) -> Bool = { $0.rawValue % 2 == 0 }
        let stats = try WAL.checkpoint(directory: dir.wal, through: 3, minTime: CheckpointModel.base + 2_500, compress: true, keepSeries: even)
        let checkpointed = model.checkpointed(through: 3, minTime: CheckpointModel.base + 2_500, keep: even)
        let expectedModel = checkpointed.model
        var expected = checkpointed.stats
        expected.previousCheckpoint = 1
        expected.segments = [2, 3]
        expected.deletedCheckpoints = [1]
        expected.bytesWritten = stats.bytesWritten
        #expect(stats == expected)
        #expect(stats.seriesKept == 168 && stats.samplesKept == 20)
        try WAL.deleteSegments(directory: dir.wal, before: 4)
        #expect(try Self.names(dir.wal) == ["00000004", "checkpoint.00000003"])
        #expect(CheckpointModel.difference(try CheckpointModel.replay(dir.wal).records, expectedModel.replay) == nil)
    }

    @Test("nothing kept: an empty checkpoint segment, and replay continues with the later segments")
    func nothingKept() throws {
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let (written, wal) = try CheckpointModel.write(directory: dir.wal, seed: 0xC4EC_0005, lastSegment: 3, compress: true)
        try wal.close()
        let none: (SeriesRef) -> Bool = { _ in false }
        let stats = try WAL.checkpoint(directory: dir.wal, through: 2, minTime: .max, compress: true, keepSeries: none)
        #expect(stats.recordsWritten == 0 && stats.recordsRead == written.records.filter { $0.segment <= 2 }.count)
        #expect(try WALTestBytes.fileSize(dir.wal + "/checkpoint.00000002/00000000") == 0)
        try WAL.deleteSegments(directory: dir.wal, before: 3)
        let (replayed, result) = try CheckpointModel.replay(dir.wal)
        #expect(result.checkpoint == 2 && result.corruption == nil)
        #expect(CheckpointModel.difference(replayed, written.records.filter { $0.segment == 3 }.map(\.record)) == nil)
    }

    @Test("refused: checkpointing the newest segment or at/below the checkpoint, gaps, corruption, deleting the newest")
    func refusals() throws {
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        #expect(try WAL.segmentRange(directory: dir.wal) == nil)
        try WAL.deleteSegments(directory: dir.wal, before: 3)
        #expect(throws: TSDBError.self) { try WAL.checkpoint(directory: dir.wal, through: 0, minTime: 0, compress: true, keepSeries: Self.keep) }

        let (_, wal) = try CheckpointModel.write(directory: dir.wal, seed: 0xC4EC_0006, lastSegment: Self.lastSegment, compress: true)
        try wal.close()
        func code(_ body: () throws(TSDBError) -> Void) -> TSDBError.Code? {
            do { try body() } catch { return error.code }
            return nil
        }
        let ckpt: (Int) throws(TSDBError) -> Void = { through throws(TSDBError) in
            _ = try WAL.checkpoint(directory: dir.wal, through: through, minTime: 0, compress: true, keepSeries: Self.keep)
        }
        #expect(code { () throws(TSDBError) in try ckpt(6) } == .invalidArgument)
        #expect(code { () throws(TSDBError) in try ckpt(-1) } == .invalidArgument)
        #expect(code { () throws(TSDBError) in try WAL.deleteSegments(directory: dir.wal, before: 7) } == .invalidArgument)
        #expect(try Self.names(dir.wal).count == 7)

        // A corrupt byte in segment 3: refused, nothing left behind, the WAL unchanged.
        let segment3 = dir.wal + "/00000003"
        let original = try WALTestBytes.read(segment3)
        var flipped = original
        flipped[20] ^= 0xFF
        try WALTestBytes.write(flipped, to: segment3)
        #expect(code { () throws(TSDBError) in try ckpt(4) } == .corruption)
        #expect(try Self.names(dir.wal) == (0...6).map(WALFormat.segmentName))
        try WALTestBytes.write(original, to: segment3)

        // A missing segment inside the range.
        try FileManager.default.moveItem(atPath: dir.wal + "/00000002", toPath: dir.path + "/00000002")
        #expect(code { () throws(TSDBError) in try ckpt(4) } == .corruption)
        try FileManager.default.moveItem(atPath: dir.path + "/00000002", toPath: dir.wal + "/00000002")

        try ckpt(3)
        #expect(code { () throws(TSDBError) in try ckpt(3) } == .invalidArgument)
        #expect(code { () throws(TSDBError) in try ckpt(2) } == .invalidArgument)
        // Checkpoint 3 exists, segment 4 missing: a gap to the last checkpoint.
        try FileManager.default.removeItem(atPath: dir.wal + "/00000004")
        #expect(code { () throws(TSDBError) in try ckpt(5) } == .corruption)
        #expect(try Self.names(dir.wal).filter { $0.hasPrefix("checkpoint") } == ["checkpoint.00000003"])
    }
}
