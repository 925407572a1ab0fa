// Head truncation after compaction: old chunks dropped, empty series collected, appends continue.

import ChunkEncoding
import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct HeadTruncateTests {
    let hour: Int64 = 3_600_000

    /// `old` only before 2h (one sample a minute); `live` from 1h to 3h.
    func appendOldAndLive(_ db: DB) throws -> (old: Labels, live: Labels) {
        let old = Labels(["__name__": "old"])
        let live = Labels(["__name__": "live"])
        _ = try db.appendBatch((0..<60).map { (old, Int64($0) * 60_000, 1) })
        _ = try db.appendBatch((60..<180).map { (live, Int64($0) * 60_000, Double($0)) })
        return (old, live)
    }

    @Test func dropsOldChunksAndEmptySeries() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let (old, live) = try appendOldAndLive(db)
            #expect(db.head.numSeries == 2)
            let removed = db.head.truncate(before: 2 * hour)
            #expect(removed.seriesRemoved == 1)
            // The old series' one chunk and the live one's first-hour chunk.
            #expect(removed.chunksRemoved == 2)
            #expect(db.head.numSeries == 1)
            let all = try db.samples()
            #expect(all[old] == nil)
            let liveSamples = try #require(all[live])
            #expect(liveSamples.first?.timestamp == 2 * hour)
            #expect(liveSamples.count == 60)
            #expect(liveSamples.last == Sample(179 * 60_000, 179))
            #expect(db.head.minTime == 2 * hour)
            #expect(try db.labelValues(name: "__name__", matchers: [], minTime: .min, maxTime: .max) == ["live"])
            // Below the new bound is out of bounds; a removed series comes back as a new one.
            #expect(try db.appendBatch([(old, 2 * hour - 1, 1)]) == [.outOfBounds])
            #expect(try db.appendBatch([(old, 3 * hour, 7)]) == [nil])
            #expect(try db.samples()[old] == [Sample(3 * hour, 7)])
            #expect(db.head.numSeries == 2)
        }
    }

    @Test func truncationForgetsTombstonesOfDroppedDataAndSeries() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let (_, live) = try appendOldAndLive(db)
            // Two deletions in `live` (one before the truncation point, one after) and one in `old`.
            let liveMatcher = try LabelMatcher(.equal, "__name__", "live")
            try db.delete(matchers: [liveMatcher], minTime: 70 * 60_000, maxTime: 80 * 60_000)
            try db.delete(matchers: [liveMatcher], minTime: 150 * 60_000, maxTime: 160 * 60_000)
            try db.delete(matchers: [try LabelMatcher(.equal, "__name__", "old")], minTime: 0, maxTime: 10 * 60_000)
            #expect(db.head.tombstones.count == 3)
            db.head.truncate(before: 2 * hour)
            // `old` is gone with its tombstone; `live` keeps only the interval still in the head.
            #expect(db.head.tombstones.count == 1)
            let liveSamples = try #require(try db.samples()[live])
            #expect(liveSamples.count == 60 - 11)
            #expect(!liveSamples.contains { (150 * 60_000...160 * 60_000).contains($0.timestamp) })
        }
    }

    @Test func pendingSeriesSurvivesTruncation() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let s = Labels(["__name__": "s"])
            _ = try db.appendBatch([(s, 1000, 1)])
            let app = db.appender()
            _ = try app.append(nil, s, 3 * hour, 2)
            db.head.truncate(before: 2 * hour)
            try app.commit()
            #expect(try db.samples()[s] == [Sample(3 * hour, 2)])
        }
    }

    @Test func manySeriesRemovedAndReaddedKeepsTableConsistent() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            // Enough series that every ref stripe's table holds long probe runs (removal shifts them back).
            let labels = (0..<6_000).map { Labels(["__name__": "m", "i": "\($0)"]) }
            _ = try db.appendBatch(labels.enumerated().map { ($1, $0 % 3 == 0 ? 1000 : 3 * hour, 1) })
            db.head.truncate(before: 2 * hour)
            #expect(db.head.numSeries == 4_000)
            #expect(try db.samples().count == 4_000, "every survivor is still found by ref")
            // Every survivor is still found by label lookup (same ref), every removed one recreated.
            let errors = try db.appendBatch(labels.map { ($0, 4 * hour, 2) })
            #expect(errors.allSatisfy { $0 == nil })
            #expect(db.head.numSeries == 6_000)
            let all = try db.samples()
            #expect(all.count == 6_000)
            #expect(all.values.allSatisfy { $0.last == Sample(4 * hour, 2) })
        }
    }
}
