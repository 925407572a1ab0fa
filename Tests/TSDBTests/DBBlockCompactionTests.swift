// DB maintenance: head blocks merged into larger ones, parents deleted, retention applied.

import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct DBBlockCompactionTests {
    static let minute: Int64 = 60_000

    static func options(retention: Int64? = nil) -> DBOptions {
        var options = DBOptions()
        options.minBlockDurationMs = 2 * minute
        options.maxBlockDurationMs = 6 * minute
        options.retentionMs = retention
        options.walSegmentSizeBytes = 32 * 1024
        return options
    }

    /// 10 series, a sample every 10 s for `minutes` minutes.
    static func fill(_ db: DB, minutes: Int) throws -> [Labels: [Sample]] {
        var expected: [Labels: [Sample]] = [:]
        for step in 0..<(minutes * 6) {
            var batch: [(Labels, Timestamp, Double)] = []
            for s in 0..<10 {
                let labels = Labels(["__name__": "m", "s": "\(s)"])
                let sample = Sample(Int64(step) * 10_000, Double(step * 10 + s))
                batch.append((labels, sample.timestamp, sample.value))
                expected[labels, default: []].append(sample)
            }
            _ = try db.appendBatch(batch)
        }
        return expected
    }

    @Test func headBlocksAreMergedIntoLevelTwo() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
            let expected = try Self.fill(db, minutes: 20)
            try db.compact()
            let metas = db.blocks.map(\.meta)
            // Head blocks of 2 min: [0,2) … [14,16); then [0,6) and [6,12) merged, newest left alone.
            #expect(metas.contains { $0.minTime == 0 && $0.maxTime == 6 * Self.minute && $0.compaction.level == 2 })
            #expect(metas.contains { $0.minTime == 6 * Self.minute && $0.maxTime == 12 * Self.minute && $0.compaction.level == 2 })
            #expect(metas.filter { $0.compaction.level == 1 }.allSatisfy { $0.minTime >= 12 * Self.minute })
            #expect(try db.samples() == expected)
            // The merged-away blocks are gone from disk.
            let dirs = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { ULID($0) != nil }
            #expect(dirs.count == metas.count)
            try db.close()
            let reopened = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
            defer { try? reopened.close() }
            #expect(try reopened.samples() == expected)
        }
    }

    @Test func parentsLeftByACrashAreDeletedAtStart() throws {
        try withTempDB { dir in
            let expected: [Labels: [Sample]]
            var parentCopies: [URL] = []
            do {
                let db = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
                expected = try Self.fill(db, minutes: 20)
                try db.compactHead()
                // Keep copies of the level-1 blocks, compact, then put them back: a crash after the
                // merged block was renamed in but before its parents were deleted.
                for block in db.blocks {
                    let copy = dir.deletingLastPathComponent().appendingPathComponent("copy-\(UUID().uuidString)")
                    try FileManager.default.copyItem(at: block.directory, to: copy)
                    parentCopies.append(copy)
                }
                try db.compact()
                try db.close()
            }
            for copy in parentCopies {
                let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: copy.appendingPathComponent("meta.json"))) as! [String: Any]
                let target = dir.appendingPathComponent(meta["ulid"] as! String)
                if !FileManager.default.fileExists(atPath: target.path) { try FileManager.default.moveItem(at: copy, to: target) }
                try? FileManager.default.removeItem(at: copy)
            }
            let db = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
            defer { try? db.close() }
            #expect(try db.samples() == expected)
            #expect(db.blocks.allSatisfy { block in !db.blocks.contains { $0.meta.compaction.parents?.contains { $0.ulid == block.meta.ulid } ?? false } })
        }
    }

    @Test func retentionDeletesOldBlocks() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: Self.options(retention: 8 * Self.minute), logger: quietTSDBLogger)
            defer { try? db.close() }
            _ = try Self.fill(db, minutes: 20)
            try db.compact()
            let newest = db.blocks.map(\.meta.maxTime).max() ?? 0
            #expect(!db.blocks.isEmpty)
            #expect(db.blocks.allSatisfy { $0.meta.maxTime > newest - 8 * Self.minute })
            let oldest = try db.samples().values.compactMap(\.first?.timestamp).min() ?? 0
            #expect(oldest >= 6 * Self.minute)
        }
    }

    @Test func retentionSetWhileOpenTakesOverAtTheNextCompaction() throws {
        try withTempDB { dir in
            // Opened with a day's retention, then held to 8 minutes (a tenant's retention_period).
            let db = try DB(directory: dir, options: Self.options(retention: 24 * 60 * Self.minute), logger: quietTSDBLogger)
            defer { try? db.close() }
            _ = try Self.fill(db, minutes: 20)
            try db.compact()
            let kept = db.blocks.count
            #expect(db.blocks.map(\.meta.minTime).min() == 0)
            db.setRetention(ms: 8 * Self.minute)
            #expect(db.retentionMs == 8 * Self.minute)
            try db.compact()
            let newest = db.blocks.map(\.meta.maxTime).max() ?? 0
            #expect(db.blocks.count < kept)
            #expect(db.blocks.allSatisfy { $0.meta.maxTime > newest - 8 * Self.minute })
            db.setRetention(ms: 0)
            #expect(db.retentionMs == 24 * 60 * Self.minute)
        }
    }
}
