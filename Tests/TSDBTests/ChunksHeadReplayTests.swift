// Restart with chunks_head/: completed head chunks are attached from disk and their samples are
// not replayed from the WAL again (Prometheus's loadMmappedChunks); whatever is missing or torn
// in chunks_head/ comes from the WAL, so nothing is lost or doubled either way.

import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct ChunksHeadReplayTests {
    static let series = (0..<3).map { Labels(["__name__": "m", "s": "\($0)"]) }

    /// 600 samples 15 s apart per series: several completed chunks each, plus an open one.
    static func write(_ db: DB) throws -> [Labels: [Sample]] {
        var expected: [Labels: [Sample]] = [:]
        for step in 0..<600 {
            let batch = series.enumerated().map { ($1, Int64(step) * 15_000, Double(step * 10 + $0)) }
            _ = try db.appendBatch(batch)
            for (labels, t, v) in batch { expected[labels, default: []].append(Sample(t, v)) }
        }
        return expected
    }

    @Test func restartAttachesCompletedChunksAndSkipsTheirSamples() throws {
        try withTempDB { dir in
            let expected: [Labels: [Sample]]
            do {
                let db = try DB(directory: dir, logger: quietTSDBLogger)
                expected = try Self.write(db)
                try db.close()
            }
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            #expect(db.metrics.mmappedChunksLoaded.current >= 3 * 4)
            // Only the open chunks' samples were replayed.
            #expect(db.metrics.walReplayedSamples.current < 3 * 600 / 2)
            #expect(try db.samples() == expected)
            #expect(db.head.minTime == 0 && db.head.maxTime == 599 * 15_000)
            // Old samples stay out of order; new ones append.
            let first = Self.series[0]
            let old = try db.appendBatch([(first, 598 * 15_000 + 1, 1)])
            #expect(old == [.outOfOrder], "\(old)")
            #expect(try db.appendBatch([(first, 600 * 15_000, 1)]) == [nil])
        }
    }

    @Test(arguments: ["deleted", "torn"])
    func damagedChunksHeadIsRebuiltFromTheWAL(_ damage: String) throws {
        try withTempDB { dir in
            let expected: [Labels: [Sample]]
            do {
                let db = try DB(directory: dir, logger: quietTSDBLogger)
                expected = try Self.write(db)
                try db.close()
            }
            let chunksHead = dir.appendingPathComponent("chunks_head")
            let files = try FileManager.default.contentsOfDirectory(atPath: chunksHead.path).sorted()
            #expect(!files.isEmpty)
            switch damage {
            case "deleted":
                try FileManager.default.removeItem(at: chunksHead)
            default:
                // Cut the newest file in the middle of an entry, as a crash during a write would.
                let last = chunksHead.appendingPathComponent(files.last!)
                let bytes = try Data(contentsOf: last)
                try bytes.prefix(bytes.count / 2 + 3).write(to: last)
            }
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            #expect(try db.samples() == expected)
        }
    }

    @Test func restartAfterHeadCompactionDuplicatesNothing() throws {
        try withTempDB { dir in
            var options = DBOptions()
            options.minBlockDurationMs = 30 * 60_000  // 30-minute blocks: the 2.5 h of data compacts
            let expected: [Labels: [Sample]]
            do {
                let db = try DB(directory: dir, options: options, logger: quietTSDBLogger)
                expected = try Self.write(db)
                #expect(try !db.compactHead().isEmpty)
                try db.close()
            }
            let db = try DB(directory: dir, options: options, logger: quietTSDBLogger)
            defer { try? db.close() }
            #expect(!db.blocks.isEmpty)
            #expect(try db.samples() == expected)
        }
    }
}
