// A full disk during compaction fails the compaction, not the database, and loses nothing
// (issue #3, "Bad input"). ENOSPC is injected through IOFaults for files under the data directory.

import Foundation
import Glibc
import MetricModel
import Testing
import TSDB

@Suite struct DiskFullCompactionTests {
    @Test func headCompactionOnFullDiskLosesNothingAndSucceedsLater() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            let rounds = Dictionary(grouping: HeadCompactionTests.data(), by: { $0.1 })
            for t in rounds.keys.sorted() { _ = try db.appendBatch(rounds[t]!) }
            let headMinTime = db.head.minTime

            IOFaults.failWrites(under: dir.path, errno: ENOSPC)
            #expect(throws: (any Error).self) { try db.compact() }
            IOFaults.clear(under: dir.path)

            #expect(db.metrics.compactionsFailed.current == 1)
            #expect(db.blocks.isEmpty)
            #expect(db.head.minTime == headMinTime, "the head must not be truncated when the block was not written")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp") }
            #expect(leftovers.isEmpty, "temporary block directories must be removed: \(leftovers)")
            #expect(try db.samples() == HeadCompactionTests.expected())

            // Space is back: the next round compacts as if nothing happened.
            let written = try db.compactHead()
            #expect(written.count == 4)
            #expect(try db.samples() == HeadCompactionTests.expected())
            try db.close()

            let reopened = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            defer { try? reopened.close() }
            #expect(reopened.blocks.count == 4)
            #expect(try reopened.samples() == HeadCompactionTests.expected())
        }
    }

    @Test func blockCompactionOnFullDiskKeepsTheInputBlocks() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            let rounds = Dictionary(grouping: HeadCompactionTests.data(), by: { $0.1 })
            for t in rounds.keys.sorted() { _ = try db.appendBatch(rounds[t]!) }
            try db.compactHead()  // four 2-minute blocks: three of them make a 6-minute level-2 block
            let before = Set(db.blocks.map(\.meta.ulid))
            #expect(before.count == 4)

            IOFaults.failWrites(under: dir.path, errno: ENOSPC)
            #expect(throws: (any Error).self) { try db.compact() }
            IOFaults.clear(under: dir.path)

            #expect(Set(db.blocks.map(\.meta.ulid)) == before, "input blocks stay until the merged block is in place")
            #expect(db.metrics.compactionsFailed.current == 1)
            #expect(try db.samples() == HeadCompactionTests.expected())

            try db.compact()
            #expect(db.blocks.contains { $0.meta.compaction.level == 2 })
            #expect(try db.samples() == HeadCompactionTests.expected())
            try db.close()
            let reopened = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            defer { try? reopened.close() }
            #expect(try reopened.samples() == HeadCompactionTests.expected())
        }
    }
}
