// The engine's Prometheus self-metrics counted where Prometheus counts them: WAL pages and fsyncs,
// head chunks created and removed, replay time, chunks_head corruptions.

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

    @Test("head chunks: created minus removed is the head's chunk count, across compaction and restart")
    func headChunksCreatedAndRemoved() throws {
        try withTempDB { dir in
            do {
                let db = try AdminTests.compactedDB(dir)
                let m = db.metrics
                // 20 series × 5 two-minute windows; the first four went into blocks.
                #expect(m.headChunksCreated.current == 100)
                #expect(m.headChunksRemoved.current == 80)
                #expect(m.headChunksCreated.current - m.headChunksRemoved.current == db.head.numChunks)
                #expect(m.walPageFlushes.current > 0)
                try db.close()
            }
            let db = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            defer { try? db.close() }
            #expect(db.metrics.headChunksCreated.current == db.head.numChunks && db.head.numChunks == 20)
            #expect(db.metrics.headChunksRemoved.current == 0)
            #expect(db.metrics.dataReplayDuration.current > 0)
            #expect(db.metrics.mmapChunkCorruptions.current == 0)
        }
    }

    @Test("a torn chunks_head file counts as one memory-mapped chunk corruption; a missing one as none", arguments: [true, false])
    func mmapChunkCorruptions(torn: Bool) throws {
        try withTempDB { dir in
            do {
                let db = try DB(directory: dir, logger: quietTSDBLogger)
                _ = try ChunksHeadReplayTests.write(db)
                try db.close()
            }
            let chunksHead = dir.appendingPathComponent("chunks_head")
            if torn {
                let files = try FileManager.default.contentsOfDirectory(atPath: chunksHead.path).sorted()
                let last = chunksHead.appendingPathComponent(try #require(files.last))
                // Cut into the last entry's CRC: a write torn by a crash.
                let bytes = try Data(contentsOf: last)
                try bytes.prefix(bytes.count - 3).write(to: last)
            } else {
                try FileManager.default.removeItem(at: chunksHead)
            }
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            #expect(db.metrics.mmapChunkCorruptions.current == (torn ? 1 : 0))
            #expect(db.metrics.headChunksCreated.current == db.head.numChunks)
        }
    }
}
