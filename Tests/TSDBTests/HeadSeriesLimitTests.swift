// Series limits on the head (a tenant's max_global_series_per_user / _per_metric): new series
// refused past the limit, existing ones untouched, series restored from the WAL counted.

import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct HeadSeriesLimitTests {
    func series(_ name: String, _ i: Int) -> Labels { Labels(["__name__": name, "i": "\(i)"]) }

    @Test func newSeriesAreRefusedPastTheLimits() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            db.head.seriesLimits.maxSeries = 3
            db.head.seriesLimits.maxSeriesPerMetric = 2
            let errors = try db.appendBatch([(series("a", 0), 1000, 1), (series("a", 1), 1000, 1), (series("a", 2), 1000, 1)])
            #expect(errors == [nil, nil, .seriesLimit(perMetric: true, limit: 2)])
            // Another metric takes the last place; then nothing new fits, old series still append.
            #expect(try db.appendBatch([(series("b", 0), 1000, 1)]) == [nil])
            #expect(
                try db.appendBatch([(series("c", 0), 2000, 1), (series("a", 0), 2000, 2)])
                    == [.seriesLimit(perMetric: false, limit: 3), nil])
            #expect(db.head.numSeries == 3)
            #expect(try db.samples()[series("a", 0)] == [Sample(1000, 1), Sample(2000, 2)])
            // Raised at runtime: takes effect for the next series.
            db.head.seriesLimits.maxSeries = 0
            #expect(try db.appendBatch([(series("c", 0), 3000, 1)]) == [nil])
        }
    }

    @Test func seriesRestoredAtOpenCountTowardTheLimit() throws {
        try withTempDB { dir in
            do {
                let db = try DB(directory: dir, logger: quietTSDBLogger)
                _ = try db.appendBatch((0..<5).map { (series("a", $0), 1000, 1) })
                try db.close()
            }
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            db.head.seriesLimits.maxSeries = 2
            #expect(db.head.numSeries == 5)
            #expect(try db.appendBatch([(series("a", 4), 2000, 1), (series("a", 5), 2000, 1)]) == [nil, .seriesLimit(perMetric: false, limit: 2)])
        }
    }
}
