// A data directory whose WAL was written by Prometheus 2.42 opens in Sugarmill with its samples.

import ChunkEncoding
import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct DBPrometheusDataTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/prometheus-2.42/server-2.42")

    /// The uncompressed WAL holds a tombstone record (admin delete of series 294 over 4 s):
    /// its 5 samples are replayed but hidden, as Prometheus hides them.
    @Test(arguments: [("wal-uncompressed", 360, 2722, 2717), ("wal-snappy", 336, 970, 970)])
    func opensPrometheusWAL(folder: String, series: Int, samples: Int, visible: Int) throws {
        try withTempDB { dir in
            let wal = dir.appendingPathComponent("wal")
            try FileManager.default.createDirectory(at: wal, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: Self.fixtures.appendingPathComponent(folder).appendingPathComponent("00000000"),
                to: wal.appendingPathComponent("00000000"))
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            #expect(db.head.numSeries == series)
            #expect(db.metrics.walCorruptions.current == 0)
            #expect(db.metrics.walReplayedSamples.current == samples)
            let all = try db.samples()
            #expect(all.values.reduce(0) { $0 + $1.count } == visible)
            // A self-scraped Prometheus always has `up` for itself.
            let up = try db.samples([try LabelMatcher(.equal, "__name__", "up")])
            #expect(up.count == 1)
            #expect(up.values.first?.allSatisfy { $0.value == 1 } == true)
            // New appends continue the WAL in a new segment, after Prometheus's.
            _ = try db.appendBatch([(Labels(["__name__": "after"]), 1_795_705_180_000, 1)])
            #expect(FileManager.default.fileExists(atPath: wal.appendingPathComponent("00000001").path))
        }
    }
}
