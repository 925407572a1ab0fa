// WALWatcher: following a live WAL from a position, across segments, through truncation and
// torn tails, with the series defined before the start.

import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct WALWatcherTests {
    static func options() -> DBOptions {
        var options = DBOptions()
        options.walSegmentSizeBytes = 32 * 1024
        options.walCompression = false
        return options
    }

    /// Appends `batches` commits of 50 series × 1 sample at t = base + batch.
    static func write(_ db: DB, batches: Range<Int>, series: Int = 50) throws {
        for batch in batches {
            _ = try db.appendBatch((0..<series).map { s in (Labels(["__name__": "m", "s": "\(s)"]), Int64(batch) * 1000, Double(batch)) })
        }
    }

    /// Samples read, with their series' labels resolved through the series records seen.
    final class Collector {
        var labels: [UInt64: Labels] = [:]
        var samples: [(Labels, Timestamp, Double)] = []
        var last = WALPosition(segment: -1, offset: 0)

        func known(_ series: [WALSeries]) { for s in series { labels[s.ref.rawValue] = s.labels } }

        func take(_ record: WALRecord, _ position: WALPosition) {
            #expect(last < position)
            last = position
            switch record {
            case .series(let series): known(series)
            case .samples(let list):
                for s in list { samples.append((labels[s.ref.rawValue] ?? .empty, s.timestamp, s.value)) }
            default: break
            }
        }
    }

    @Test func followsFromTheEndAcrossSegments() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
            defer { try? db.close() }
            try Self.write(db, batches: 0..<5)
            let collector = Collector()
            let watcher = try WALWatcher(directory: dir.appendingPathComponent("wal").path, from: nil, knownSeries: collector.known)
            #expect(collector.labels.count == 50)
            #expect(try watcher.pollAll(collector.take) == 0)
            try Self.write(db, batches: 5..<200)
            try watcher.pollAll(collector.take)
            #expect(watcher.position.segment > 0)
            #expect(collector.samples.count == 195 * 50)
            #expect(collector.samples.allSatisfy { $0.0["__name__"] == "m" })
            #expect(Set(collector.samples.map(\.1)) == Set((5..<200).map { Int64($0) * 1000 }))
            #expect(try watcher.pollAll(collector.take) == 0)
        }
    }

    @Test func resumesFromASavedPositionWithEarlierSeries() throws {
        try withTempDB { dir in
            let wal = dir.appendingPathComponent("wal").path
            let db = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
            defer { try? db.close() }
            try Self.write(db, batches: 0..<100)
            // Read half-way, remember where.
            let first = Collector()
            let watcher = try WALWatcher(directory: wal, from: WALPosition(segment: 0, offset: 0), knownSeries: first.known)
            var saved: WALPosition?
            try watcher.pollAll { record, position in
                first.take(record, position)
                if saved == nil && first.samples.count >= 2_500 { saved = position }
            }
            #expect(first.samples.count == 5_000)
            let resumePoint = try #require(saved)
            // A new watcher from there gets the series defined earlier and only what follows.
            let second = Collector()
            let resumed = try WALWatcher(directory: wal, from: resumePoint, knownSeries: second.known)
            #expect(second.labels.count == 50)
            try resumed.pollAll(second.take)
            #expect(second.samples.count == 5_000 - 2_500)
            #expect(second.samples.allSatisfy { $0.0["__name__"] == "m" })
        }
    }

    @Test func skipsSegmentsTruncatedBeforeTheyWereRead() throws {
        try withTempDB { dir in
            let wal = dir.appendingPathComponent("wal").path
            let db = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
            defer { try? db.close() }
            try Self.write(db, batches: 0..<150)
            let segments = try FileManager.default.contentsOfDirectory(atPath: wal).compactMap { Int($0) }.sorted()
            #expect(segments.count > 2)
            // The first segment goes before the watcher reads it.
            try FileManager.default.removeItem(atPath: wal + "/" + String(format: "%08d", segments[0]))
            let collector = Collector()
            let watcher = try WALWatcher(directory: wal, from: WALPosition(segment: 0, offset: 0), knownSeries: collector.known)
            #expect(watcher.segmentsSkipped == 1)
            try watcher.pollAll(collector.take)
            #expect(!collector.samples.isEmpty && collector.samples.count < 150 * 50)
            #expect(watcher.position.segment == segments.last)
        }
    }

    @Test func aTornTailIsReadOnceComplete() throws {
        try withTempDB { dir in
            let wal = dir.appendingPathComponent("wal").path
            let db = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
            try Self.write(db, batches: 0..<3)
            try db.close()
            let segment = try FileManager.default.contentsOfDirectory(atPath: wal).compactMap { Int($0) }.max()!
            let path = wal + "/" + String(format: "%08d", segment)
            let whole = try Data(contentsOf: URL(fileURLWithPath: path))
            let collector = Collector()
            let watcher = try WALWatcher(directory: wal, from: WALPosition(segment: 0, offset: 0), knownSeries: collector.known)
            // Cut the file inside its last record: the watcher stops before that record.
            var cutAt = whole.count - 10
            while cutAt > 0 && whole[cutAt] == 0 { cutAt -= 1 }
            try whole.prefix(cutAt).write(to: URL(fileURLWithPath: path))
            try watcher.pollAll(collector.take)
            let before = collector.samples.count
            #expect(before < 150)
            // The rest arrives: the record is read whole, once.
            try whole.write(to: URL(fileURLWithPath: path))
            try watcher.pollAll(collector.take)
            #expect(collector.samples.count == 150)
        }
    }
}

@Suite struct WALWatcherBudgetTests {
    @Test func pollStopsWhenTheBodySaysSoAndGoesOnFromThere() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: WALWatcherTests.options(), logger: quietTSDBLogger)
            defer { try? db.close() }
            try WALWatcherTests.write(db, batches: 0..<20)
            let collector = WALWatcherTests.Collector()
            let watcher = try WALWatcher(
                directory: dir.appendingPathComponent("wal").path, from: WALPosition(segment: 0, offset: 0),
                knownSeries: collector.known)
            var rounds = 0
            while true {
                var samplesThisRound = 0
                let read = try watcher.poll(while: { record, position in
                    collector.take(record, position)
                    if case .samples(let list) = record { samplesThisRound += list.count }
                    return samplesThisRound < 100
                })
                if read == 0 { break }
                rounds += 1
                #expect(samplesThisRound <= 100)
            }
            #expect(rounds == 10)
            #expect(collector.samples.count == 1_000)
        }
    }
}
