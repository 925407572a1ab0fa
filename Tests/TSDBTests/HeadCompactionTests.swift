// Head compaction: head ranges become blocks, the head and WAL are truncated, nothing lost or doubled.

import ChunkEncoding
import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct HeadCompactionTests {
    static let minute: Int64 = 60_000

    static func options() -> DBOptions {
        var options = DBOptions()
        options.minBlockDurationMs = 2 * minute  // blocks of 2 minutes, as tests can ask Prometheus for
        options.walSegmentSizeBytes = 32 * 1024
        return options
    }

    /// 20 series, one sample every 5 s for 10 minutes.
    static func data() -> [(Labels, Timestamp, Double)] {
        var out: [(Labels, Timestamp, Double)] = []
        for step in 0..<120 {
            for s in 0..<20 {
                out.append((Labels(["__name__": "m", "s": "\(s)"]), Int64(step) * 5_000, Double(step * 100 + s)))
            }
        }
        return out
    }

    static func expected() -> [Labels: [Sample]] {
        var result: [Labels: [Sample]] = [:]
        for (labels, t, v) in data() { result[labels, default: []].append(Sample(t, v)) }
        return result
    }

    @Test func compactsOldRangesIntoBlocks() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
            // Commit one scrape round at a time, as a scraper would.
            let rounds = Dictionary(grouping: Self.data(), by: { $0.1 })
            for t in rounds.keys.sorted() { _ = try db.appendBatch(rounds[t]!) }
            let written = try db.compactHead()
            // Head spans 0..595 s; compaction continues while it spans more than 1.5 ranges (3 min).
            #expect(written.map(\.minTime) == [0, 120_000, 240_000, 360_000])
            #expect(written.map(\.maxTime) == [120_000, 240_000, 360_000, 480_000])
            #expect(written.allSatisfy { $0.stats.numSeries == 20 && $0.stats.numSamples == 20 * 24 })
            #expect(db.blocks.count == 4)
            #expect(db.head.minTime == 480_000)
            #expect(try db.samples() == Self.expected())
            // Appends older than the newest block are out of bounds now.
            #expect(try db.appendBatch([(Labels(["__name__": "m", "s": "0"]), 470_000, 1)]) == [.outOfBounds])
            // The WAL was checkpointed.
            let wal = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("wal").path)
            #expect(wal.contains { $0.hasPrefix("checkpoint.") })
            try db.close()

            let reopened = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
            defer { try? reopened.close() }
            #expect(reopened.blocks.count == 4)
            #expect(try reopened.samples() == Self.expected())
        }
    }

    @Test func crashBeforeCheckpointDuplicatesNothing() throws {
        try withTempDB { dir in
            // Write the data, copy the WAL aside, compact, then put the pre-compaction WAL back:
            // the state after a crash between the block rename and the WAL checkpoint.
            let walCopy = dir.appendingPathComponent("wal-copy")
            do {
                let db = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
                let rounds = Dictionary(grouping: Self.data(), by: { $0.1 })
                for t in rounds.keys.sorted() { _ = try db.appendBatch(rounds[t]!) }
                try db.close()
            }
            try FileManager.default.copyItem(at: dir.appendingPathComponent("wal"), to: walCopy)
            do {
                let db = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
                try db.compactHead()
                try db.close()
            }
            try FileManager.default.removeItem(at: dir.appendingPathComponent("wal"))
            try FileManager.default.moveItem(at: walCopy, to: dir.appendingPathComponent("wal"))
            let db = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
            defer { try? db.close() }
            #expect(db.blocks.count == 4)
            #expect(db.metrics.walSkippedOldSamples.current == 20 * 96)
            #expect(try db.samples() == Self.expected())
        }
    }

    @Test func leftoverTemporaryBlockIsRemovedAndCorruptBlockSkipped() throws {
        try withTempDB { dir in
            do {
                let db = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
                let rounds = Dictionary(grouping: Self.data(), by: { $0.1 })
                for t in rounds.keys.sorted() { _ = try db.appendBatch(rounds[t]!) }
                try db.compactHead()
                try db.close()
            }
            let blocks = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { ULID($0) != nil }.sorted()
            #expect(blocks.count == 4)
            // A half-written block from a crash, and a block whose index lost its magic number.
            let tmp = dir.appendingPathComponent("01ARZ3NDEKTSV4RRFFQ69G5FAV.tmp-for-creation")
            try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
            let index = dir.appendingPathComponent(blocks[1]).appendingPathComponent("index")
            var bytes = try Data(contentsOf: index)
            bytes[0] = 0
            try bytes.write(to: index)

            let db = try DB(directory: dir, options: Self.options(), logger: quietTSDBLogger)
            defer { try? db.close() }
            #expect(!FileManager.default.fileExists(atPath: tmp.path))
            #expect(db.blocks.count == 3)
            #expect(db.metrics.blockOpenFailures.current == 1)
            // The rest of the data still answers: everything but the middle block's range.
            let expected = Self.expected().mapValues { $0.filter { $0.timestamp < 120_000 || $0.timestamp >= 240_000 } }
            #expect(try db.samples() == expected)
        }
    }
}

@Suite struct HeadCompactionAppenderTests {
    /// An appender opened before the head became compactable may hold a sample inside the range
    /// being persisted: compaction waits for it, so the acknowledged sample ends up in the block.
    @Test func compactionWaitsForOverlappingAppenders() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            defer { try? db.close() }
            let late = Labels(["__name__": "late"])
            let early = db.appender()  // created on an empty head: may append at any time
            _ = try early.append(nil, late, 1_000, 42)
            let rounds = Dictionary(grouping: HeadCompactionTests.data(), by: { $0.1 })
            for t in rounds.keys.sorted() { _ = try db.appendBatch(rounds[t]!) }
            let finished = Counter()
            let thread = Thread {
                _ = try? db.compactHead()
                finished.add()
            }
            thread.start()
            Thread.sleep(forTimeInterval: 0.2)
            #expect(finished.current == 0)  // still waiting for `early`
            try early.commit()
            let deadline = Date().addingTimeInterval(10)
            while finished.current == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            #expect(finished.current == 1)
            #expect(try db.samples()[late] == [Sample(1_000, 42)])
            #expect(db.blocks.first?.meta.minTime == 0)
        }
    }
}
