// A query that took the block list just before compaction closed some of its blocks is answered
// from the list after it, with every sample.

@testable import TSDB
import ChunkEncoding
import MetricModel
import Testing

@Suite struct QueryDuringCompactionTests {
    @Test func blocksClosedUnderAQueryAreReadAgainFromTheirReplacement() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: DBBlockCompactionTests.options(), logger: quietTSDBLogger)
            defer { try? db.close() }
            let expected = try DBBlockCompactionTests.fill(db, minutes: 20)
            try db.compactHead()
            let parents = db.blocks.count
            var attempts = 0
            let series = try db.reading { querier -> [SeriesData] in
                attempts += 1
                // The race, made certain: this querier's blocks are merged and closed before it reads.
                if attempts == 1 { try db.compact() }
                return try querier.select(
                    matchers: [try LabelMatcher(.equal, "__name__", "m")], minTime: .min, maxTime: .max, sorted: true)
            }
            #expect(attempts == 2)
            #expect(db.blocks.count < parents)
            var got: [Labels: [Sample]] = [:]
            for s in series {
                var iterator = SeriesSampleIterator(s.chunks)
                while iterator.next() { got[s.labels, default: []].append(Sample(iterator.timestamp, iterator.value)) }
            }
            #expect(got == expected)
        }
    }

    @Test func aClosedDatabaseStillFailsAfterAFewRounds() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: DBBlockCompactionTests.options(), logger: quietTSDBLogger)
            _ = try DBBlockCompactionTests.fill(db, minutes: 10)
            try db.compactHead()
            let querier = db.querier
            try db.close()
            var attempts = 0
            #expect(throws: TSDBError.self) {
                try db.reading { _ in
                    attempts += 1
                    return try querier.select(matchers: [try LabelMatcher(.equal, "__name__", "m")], minTime: .min, maxTime: .max, sorted: true)
                }
            }
            #expect(attempts == 5)
        }
    }
}
