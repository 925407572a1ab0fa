// The engine's Prometheus self-metrics counted where Prometheus counts them: WAL pages and fsyncs.

import ChunkEncoding
import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct TSDBMetricsTests {
    @Test("WAL page flushes and completed pages as Prometheus's page-at-a-time writer counts them; fsyncs timed")
    func walPagesAndFsyncs() throws {
        try withTempDB { dir in
            let metrics = TSDBMetrics()
            let page = WALFormat.pageSize
            let wal = try WAL(directory: dir.path, options: WAL.Options(compress: false), metrics: metrics)
            // One record inside the first page: one flush, no page completed.
            try wal.log([UInt8](repeating: 1, count: 100))
            #expect(metrics.walPageFlushes.current == 1 && metrics.walCompletedPages.current == 0)
            // A record filling the rest of page 0 and going on in page 1: a flush for each page, page 0 completed.
            try wal.log([UInt8](repeating: 2, count: page + 1000))
            #expect(metrics.walPageFlushes.current == 3 && metrics.walCompletedPages.current == 1)
            // Cutting the segment pads page 1 (one more flush, completed) and fsyncs the old segment.
            try wal.nextSegment()
            #expect(metrics.walPageFlushes.current == 4 && metrics.walCompletedPages.current == 2)
            #expect(metrics.walFsyncDuration.snapshot.count == 1)
            // Nothing written to the new segment: closing flushes nothing, but fsyncs.
            try wal.close()
            #expect(metrics.walPageFlushes.current == 4 && metrics.walCompletedPages.current == 2)
            #expect(wal.pagesCompleted == 2)
            let fsyncs = metrics.walFsyncDuration.snapshot
            #expect(fsyncs.count == 2 && fsyncs.sum >= 0 && fsyncs.quantiles.map(\.quantile) == [0.5, 0.9, 0.99])
        }
    }
}
