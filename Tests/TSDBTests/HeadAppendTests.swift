// Head append rules: out of order, out of bounds, duplicates, staleness bits, chunk cutting.

import ChunkEncoding
import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct HeadAppendTests {
    let up = Labels(["__name__": "up", "job": "a"])

    @Test func outOfOrderRejectedWithDistinctError() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            #expect(try db.appendBatch([(up, 2000, 1)]) == [nil])
            #expect(try db.appendBatch([(up, 1000, 1)]) == [.outOfOrder])
            #expect(db.metrics.outOfOrderSamples.current == 1)
        }
    }

    @Test func outOfOrderWithinOneBatch() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let errors = try db.appendBatch([(up, 2000, 1), (up, 1000, 2), (up, 3000, 3)])
            #expect(errors == [nil, .outOfOrder, nil])
            #expect(try db.samples()[up] == [Sample(2000, 1), Sample(3000, 3)])
        }
    }

    @Test func duplicateTimestamp() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            _ = try db.appendBatch([(up, 1000, 1)])
            #expect(try db.appendBatch([(up, 1000, 1)]) == [nil])  // same value: idempotent
            #expect(try db.appendBatch([(up, 1000, 2)]) == [.duplicateSampleForTimestamp])
            // NaN with the same bits is the same value; a different NaN payload is not.
            _ = try db.appendBatch([(up, 2000, StaleNaN.value)])
            #expect(try db.appendBatch([(up, 2000, StaleNaN.value)]) == [nil])
            #expect(try db.appendBatch([(up, 2000, Double(bitPattern: StaleNaN.normalNaNBits))]) == [.duplicateSampleForTimestamp])
            #expect(try db.samples()[up]?.count == 2)
        }
    }

    @Test func outOfBoundsOlderThanHalfAChunkRange() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let hour: Int64 = 3_600_000
            _ = try db.appendBatch([(up, 10 * hour, 1)])
            let other = Labels(["__name__": "other"])
            // Another series, but more than chunkRange/2 (1h) before the head's max time.
            #expect(try db.appendBatch([(other, 10 * hour - hour - 1, 1)]) == [.outOfBounds])
            #expect(try db.appendBatch([(other, 10 * hour - hour, 1)]) == [nil])
            #expect(db.metrics.outOfBoundSamples.current == 1)
        }
    }

    @Test func staleAndNaNBitsStoredExactly() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let values: [UInt64] = [
                StaleNaN.bits, StaleNaN.normalNaNBits, (-0.0).bitPattern, Double.infinity.bitPattern, 0x7FF8_0000_0000_0000,
            ]
            _ = try db.appendBatch(values.enumerated().map { (up, Int64($0.offset) * 1000, Double(bitPattern: $0.element)) })
            let stored = try #require(try db.samples()[up])
            #expect(stored.map(\.value.bitPattern) == values)
        }
    }

    @Test func chunksCutAt120SamplesAtSteadyRate() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            // 480 samples at 15 s, all inside one 2h range: Prometheus cuts 4 chunks of 120.
            let start: Int64 = 7_200_000 * 100
            _ = try db.appendBatch((0..<480).map { (up, start + Int64($0) * 15_000, Double($0)) })
            let series = try db.select(matchers: [try LabelMatcher(.equal, "job", "a")], minTime: .min, maxTime: .max, sorted: true)
            let counts = series[0].chunks.map { XORIterator($0.bytes).sampleCount }
            #expect(counts == [120, 120, 120, 120])
        }
    }

    @Test func chunksNeverSpanTheRangeBoundary() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let boundary: Int64 = 7_200_000 * 100
            _ = try db.appendBatch((0..<20).map { (up, boundary - 50_000 + Int64($0) * 10_000, 1) })
            let chunks = try db.select(matchers: [try LabelMatcher(.equal, "job", "a")], minTime: .min, maxTime: .max, sorted: true)[0].chunks
            #expect(chunks.count == 2)
            #expect(chunks[0].maxTime < boundary)
            #expect(chunks[1].minTime >= boundary)
        }
    }

    @Test func rollbackDiscards() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let app = db.appender()
            _ = try app.append(nil, up, 1000, 1)
            app.rollback()
            #expect(try db.samples()[up] == nil)
            // The rolled-back sample does not make a later, older sample out of order.
            #expect(try db.appendBatch([(up, 500, 1)]) == [nil])
        }
    }

    @Test func refReuseAppendsToSameSeries() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let app = db.appender()
            let ref = try app.append(nil, up, 1000, 1)
            #expect(try app.append(ref, up, 2000, 2) == ref)
            try app.commit()
            #expect(db.head.numSeries == 1)
            #expect(try db.samples()[up]?.count == 2)
        }
    }

    @Test func matchersSelectLikePrometheus() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let a = Labels(["__name__": "m", "env": "prod"])
            let b = Labels(["__name__": "m", "env": "dev"])
            let c = Labels(["__name__": "m"])
            _ = try db.appendBatch([(a, 1, 1), (b, 1, 1), (c, 1, 1)])
            func names(_ matchers: [LabelMatcher]) throws -> Set<Labels> {
                Set(try db.select(matchers: matchers, minTime: 0, maxTime: 10, sorted: true).map(\.labels))
            }
            let name = try LabelMatcher(.equal, "__name__", "m")
            #expect(try names([name, LabelMatcher(.notEqual, "env", "prod")]) == [b, c])
            #expect(try names([name, LabelMatcher(.equal, "env", "")]) == [c])
            #expect(try names([name, LabelMatcher(.regexMatch, "env", "prod|")]) == [a, c])
            #expect(try names([name, LabelMatcher(.regexNoMatch, "env", ".+")]) == [c])
            #expect(try names([name, LabelMatcher(.regexMatch, "env", "d.*")]) == [b])
            #expect(try names([LabelMatcher(.equal, "__name__", "nope")]).isEmpty)
            #expect(try db.labelValues(name: "env", matchers: [], minTime: .min, maxTime: .max) == ["dev", "prod"])
            #expect(try db.labelNames(matchers: [], minTime: .min, maxTime: .max) == ["__name__", "env"])
        }
    }
}

@Suite struct HeadPostingsBytesTests {
    /// Label values are told apart by their bytes, as in Prometheus: "K" and the Kelvin sign
    /// (canonically equivalent for Swift's String ==) are two series and two values.
    @Test func canonicallyEquivalentValuesStayApart() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let kelvinSign = Labels(["__name__": "t", "unit": "\u{212A}"])
            let letterK = Labels(["__name__": "t", "unit": "K"])
            _ = try db.appendBatch([(kelvinSign, 1000, 1), (letterK, 1000, 2)])
            let selected = try db.select(
                matchers: [try LabelMatcher(.equal, "unit", "K")], minTime: 0, maxTime: 2000, sorted: true)
            #expect(selected.map(\.labels) == [letterK])
            let values = try db.labelValues(name: "unit", matchers: [], minTime: 0, maxTime: 2000)
            #expect(values.count == 2)
        }
    }
}

/// `--storage.tsdb.creation-grace-period` (issue #10): a sample stamped far in the future is
/// refused, so it cannot drag the head's end there and make every present-day sample out of
/// bounds after it — which is what happens without the limit (Prometheus's behaviour).
@Suite struct CreationGracePeriodTests {
    static func now() -> Timestamp { Timestamp(Date().timeIntervalSince1970 * 1000) }

    static func append(_ db: DB, _ name: String, _ t: Timestamp) -> AppendError? {
        let app = db.appender()
        do {
            _ = try app.append(nil, Labels(["__name__": name]), t, 1)
            try app.commit()
            return nil
        } catch let error as AppendError {
            app.rollback()
            return error
        } catch {
            Issue.record("commit failed: \(error)")
            return nil
        }
    }

    @Test func farFutureSamplesAreRefusedAndCannotPoisonTheHead() throws {
        try withTempDB { dir in
            var options = DBOptions()
            options.creationGracePeriodMs = 60_000
            let db = try DB(directory: dir, options: options, logger: quietTSDBLogger)
            defer { try? db.close() }
            let now = Self.now()
            #expect(Self.append(db, "a", now) == nil)
            #expect(Self.append(db, "a", now + 30_000) == nil, "within the grace period")
            #expect(Self.append(db, "future", Timestamp.max) == .outOfBounds)
            #expect(Self.append(db, "future", now + 3_600_000) == .outOfBounds)
            #expect(db.metrics.outOfBoundSamples.current == 2)
            #expect(Self.append(db, "b", now + 1_000) == nil, "present-day samples still land")
        }
    }

    @Test func withoutTheLimitOneFutureSampleMakesThePresentOutOfBounds() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let now = Self.now()
            #expect(Self.append(db, "future", now + 10 * 3_600_000) == nil)
            #expect(Self.append(db, "b", now) == .outOfBounds)
        }
    }
}
