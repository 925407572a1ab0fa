// Durability: what was committed comes back after a restart, including after a torn WAL tail.

import ChunkEncoding
import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct DBRestartTests {
    @Test(arguments: [true, false])
    func committedSamplesSurviveRestart(compress: Bool) throws {
        try withTempDB { dir in
            var options = DBOptions()
            options.walCompression = compress
            var expected: [Labels: [Sample]] = [:]
            do {
                let db = try DB(directory: dir, options: options, logger: quietTSDBLogger)
                for batch in 0..<20 {
                    var samples: [(Labels, Timestamp, Double)] = []
                    for s in 0..<50 {
                        let labels = Labels(["__name__": "m", "s": "\(s)"])
                        let t = Int64(batch) * 15_000
                        let v = batch == 7 ? StaleNaN.value : Double(batch * s) / 7
                        samples.append((labels, t, v))
                        expected[labels, default: []].append(Sample(t, v))
                    }
                    #expect(try db.appendBatch(samples).allSatisfy { $0 == nil })
                }
                try db.close()
            }
            let reopened = try DB(directory: dir, options: options, logger: quietTSDBLogger)
            defer { try? reopened.close() }
            #expect(reopened.head.numSeries == 50)
            #expect(try reopened.samples() == expected)
            #expect(reopened.metrics.walReplayedSamples.current == 1000)
            // And it keeps accepting appends, which survive another restart.
            _ = try reopened.appendBatch([(Labels(["__name__": "m", "s": "0"]), 1_000_000, 42)])
        }
    }

    @Test func uncleanStopWithoutCloseKeepsCommittedData() throws {
        try withTempDB { dir in
            let labels = Labels(["__name__": "m"])
            do {
                let db = try DB(directory: dir, logger: quietTSDBLogger)
                _ = try db.appendBatch((0..<100).map { (labels, Int64($0) * 1000, Double($0)) })
                // No close(): kill -9 after the acknowledgement. The dead process's lock is free,
                // its lock file left behind.
                db.simulateCrash()
            }
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            #expect(try db.samples()[labels]?.count == 100)
        }
    }

    @Test func tornTailIsTruncatedNotFatal() throws {
        try withTempDB { dir in
            let labels = Labels(["__name__": "m"])
            do {
                let db = try DB(directory: dir, logger: quietTSDBLogger)
                for i in 0..<10 { _ = try db.appendBatch([(labels, Int64(i) * 1000, Double(i))]) }
                try db.close()
            }
            // Tear the last segment in the middle of its last record.
            let wal = dir.appendingPathComponent("wal")
            let segments = try FileManager.default.contentsOfDirectory(atPath: wal.path).sorted()
            let last = wal.appendingPathComponent(try #require(segments.last))
            var bytes = try Data(contentsOf: last)
            // close() pads the page with zeros: cut inside the last record's data instead.
            let lastData = try #require(bytes.lastIndex(where: { $0 != 0 }))
            bytes = bytes.prefix(lastData - 2)
            try bytes.write(to: last)

            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            #expect(db.metrics.walCorruptions.current == 1)
            let stored = try #require(try db.samples()[labels])
            #expect(stored.count == 9)
            #expect(stored == (0..<9).map { Sample(Int64($0) * 1000, Double($0)) })
            // Appending after the repair works and survives the next restart.
            _ = try db.appendBatch([(labels, 50_000, 5)])
        }
    }

    @Test func garbageInWALNeverPreventsStart() throws {
        var rng = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: 0..<UInt64.max, using: &rng)
        var generator = SeededGenerator(seed: seed)
        try withTempDB { dir in
            let labels = Labels(["__name__": "m"])
            do {
                let db = try DB(directory: dir, logger: quietTSDBLogger)
                for i in 0..<200 { _ = try db.appendBatch([(labels, Int64(i) * 1000, Double(i))]) }
                try db.close()
            }
            let wal = dir.appendingPathComponent("wal")
            let segment = wal.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: wal.path).sorted()[0])
            var bytes = try Data(contentsOf: segment)
            let position = Int(generator.next() % UInt64(bytes.count))
            bytes[position] ^= 0xFF
            try bytes.write(to: segment)
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let stored = try db.samples()[labels] ?? []
            // Whatever survives is an exact prefix of what was written.
            #expect(stored == (0..<stored.count).map { Sample(Int64($0) * 1000, Double($0)) }, "seed \(seed)")
        }
    }
}

