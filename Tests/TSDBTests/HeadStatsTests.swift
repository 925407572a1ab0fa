// The head's cardinality statistics (`/api/v1/status/tsdb`) and the WAL replay status.

import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct HeadStatsTests {
    @Test func cardinalityListsCountAsPrometheusDoes() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            var batch: [(Labels, Timestamp, Double)] = []
            for i in 0..<5 { batch.append((Labels(["__name__": "http_requests", "code": "\(200 + i)", "job": "api"]), 1000, 1)) }
            for i in 0..<3 { batch.append((Labels(["__name__": "up", "instance": "h\(i)", "job": "node"]), 1000, 1)) }
            _ = try db.appendBatch(batch)
            let stats = db.head.postingsStats(limit: 2)
            #expect(stats.seriesCountByMetricName == [.init(name: "http_requests", count: 5), .init(name: "up", count: 3)])
            // code has 5 values, instance 3, __name__ 2, job 2: the top two.
            #expect(stats.labelValueCountByLabelName == [.init(name: "code", count: 5), .init(name: "instance", count: 3)])
            #expect(
                stats.seriesCountByLabelValuePair == [
                    .init(name: "job=api", count: 5), .init(name: "__name__=http_requests", count: 5),
                ].sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) })
            // 2 + 5 + 3 + 2 distinct pairs.
            #expect(stats.numLabelPairs == 12)
            // Bytes per pair: name and value each with a one-byte length; "__name__"=8,
            // "http_requests"=13 → (9 + 14) × 5 series, "up" → (9 + 3) × 3.
            let all = db.head.postingsStats(limit: 10)
            #expect(all.memoryInBytesByLabelName.first { $0.name == "__name__" }?.count == 23 * 5 + 12 * 3)
            #expect(all.labelValueCountByLabelName.count == 4)
        }
    }

    @Test func walReplayStatusNamesTheSegmentsRead() throws {
        try withTempDB { dir in
            var options = DBOptions()
            options.walSegmentSizeBytes = 32 * 1024
            options.walCompression = false
            do {
                let db = try DB(directory: dir, options: options, logger: quietTSDBLogger)
                #expect(db.walReplayStatus == WALReplayStatus(min: 0, max: 0, current: 0))
                for batch in 0..<200 {
                    var samples: [(Labels, Timestamp, Double)] = []
                    for s in 0..<100 { samples.append((Labels(["__name__": "m", "s": "\(s)"]), Int64(batch) * 1000, 1)) }
                    _ = try db.appendBatch(samples)
                }
                try db.close()
            }
            let segments = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("wal").path)
                .compactMap { Int($0) }.sorted()
            #expect(segments.count > 1)
            let reopened = try DB(directory: dir, options: options, logger: quietTSDBLogger)
            defer { try? reopened.close() }
            #expect(reopened.walReplayStatus == WALReplayStatus(min: segments.first!, max: segments.last!, current: segments.last!))
        }
    }
}
