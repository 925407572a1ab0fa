// The ref table owns the head's series through unmanaged references: a truncated series is
// freed, and so is every series when the head goes away.

import Foundation
import MetricModel
import Testing
@testable import TSDB

@Suite struct RefTableOwnershipTests {
    @Test func removedAndRemainingSeriesAreFreed() throws {
        try withTempDB { dir in
            weak var removed: MemSeries?
            weak var kept: MemSeries?
            do {
                let db = try DB(directory: dir, logger: quietTSDBLogger)
                let old = Labels(["__name__": "old"])
                let live = Labels(["__name__": "live"])
                _ = try db.appendBatch([(old, 0, 1), (live, 3 * 3_600_000, 2)])
                removed = db.head.getOrCreate(labels: old).series
                kept = db.head.getOrCreate(labels: live).series
                #expect(removed != nil && kept != nil)
                #expect(db.head.truncate(before: 2 * 3_600_000).seriesRemoved == 1)
                #expect(removed == nil)
                #expect(kept != nil)
                #expect(db.head.series(ref: kept!.ref) === kept)
                try db.close()
            }
            #expect(kept == nil)
        }
    }
}
