// The engine's Prometheus self-metrics counted where Prometheus counts them: WAL pages and fsyncs,
// head chunks created and removed, replay time, chunks_head corruptions, first-compaction chunk
// histograms, block bytes and symbol tables, vertical compactions, retention by limit, and
// tombstone cleanup.

import ChunkEncoding
import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct TSDBMetricsTests {
    static let minute: Int64 = 60_000

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

    @Test("head compaction: chunk histograms, block bytes and symbol tables, WAL truncation time")
    func headCompaction() throws {
        try withTempDB { dir in
            let db = try AdminTests.compactedDB(dir)
            defer { try? db.close() }
            let m = db.metrics
            // 4 blocks × 20 series, one chunk each of 24 samples 5 s apart (115 s).
            let sizes = m.compactionChunkSize.snapshot
            let samples = m.compactionChunkSamples.snapshot
            let ranges = m.compactionChunkRange.snapshot
            #expect(sizes.count == 80 && samples.count == 80 && ranges.count == 80)
            #expect(samples.sum == 80 * 24 && ranges.sum == 80 * 115_000)
            let chunkBytes = try db.blocks.flatMap { try $0.select(matchers: [], minTime: .min, maxTime: .max, sorted: true) }
                .flatMap(\.chunks).map(\.bytes.count).reduce(0, +)
            #expect(sizes.sum == Double(chunkBytes))
            // 24 samples: above the 20.25 bound, within 30.375; 115 s: above 102400 ms, within 409600.
            #expect(samples.cumulativeCounts[4] == 0 && samples.cumulativeCounts[5] == 80)
            #expect(ranges.cumulativeCounts[5] == 0 && ranges.cumulativeCounts[6] == 80)
            #expect(m.compactionPopulatingBlock.current == 0)
            #expect(m.verticalCompactions.current == 0)
            try expectBlockGauges(db)
            #expect(m.storageBlocksBytes.current > 0 && m.symbolTableSizeBytes.current > 0)
            #expect(m.walTruncateDuration.snapshot.count == 4)
            #expect(m.walTruncateDuration.snapshot.quantiles.isEmpty)
            #expect(m.walFsyncDuration.snapshot.count >= 4)
        }
    }

    @Test("retention counts the limit that deleted blocks, once per run; block bytes follow the block set")
    func retentionByLimit() throws {
        try withTempDB { dir in
            let db = try AdminTests.compactedDB(dir)
            defer { try? db.close() }
            // Blocks [0,2) … [6,8) min: the first three merge into [0,6), which 2 min of retention then deletes.
            db.setRetention(ms: 2 * Self.minute)
            try db.compact()
            #expect(db.blocks.map(\.meta.minTime) == [6 * Self.minute])
            #expect(db.metrics.timeRetentions.current == 1 && db.metrics.sizeRetentions.current == 0)
            try expectBlockGauges(db)
            try db.compact()
            #expect(db.metrics.timeRetentions.current == 1)
        }
        try withTempDB { dir in
            var options = HeadCompactionTests.options()
            options.retentionBytes = 1
            let db = try DB(directory: dir, options: options, logger: quietTSDBLogger)
            defer { try? db.close() }
            let rounds = Dictionary(grouping: HeadCompactionTests.data(), by: { $0.1 })
            for t in rounds.keys.sorted() { _ = try db.appendBatch(rounds[t]!) }
            try db.compact()
            #expect(db.blocks.isEmpty)
            #expect(db.metrics.sizeRetentions.current == 1 && db.metrics.timeRetentions.current == 0)
            #expect(db.metrics.storageBlocksBytes.current == 0 && db.metrics.symbolTableSizeBytes.current == 0)
        }
    }

    @Test("compacting overlapping blocks counts a vertical compaction; only first compactions feed the chunk histograms")
    func verticalCompactions() throws {
        try withBlockTempDir { dir in
            let hour = CompactorTests.hour
            let metrics = TSDBMetrics()
            let compactor = Compactor(ranges: Compactor.blockRanges(minBlockDuration: 2 * hour, maxBlockDuration: 36 * hour), metrics: metrics)
            let a = try CompactorTests.writeBlock(CompactorTests.seededSeries(seed: 1, minTime: 0, maxTime: 2 * hour), 0, 2 * hour, in: dir, 1)
            let b = try CompactorTests.writeBlock(
                CompactorTests.seededSeries(seed: 2, minTime: hour, maxTime: 3 * hour), hour, 3 * hour, in: dir, 2)
            let c = try CompactorTests.writeBlock(
                CompactorTests.seededSeries(seed: 3, minTime: 3 * hour, maxTime: 5 * hour), 3 * hour, 5 * hour, in: dir, 3)
            defer { [a, b, c].forEach { $0.close() } }
            _ = try compactor.compact([a, c], into: dir, ulid: CompactorTests.id(10))
            #expect(metrics.verticalCompactions.current == 0)
            _ = try compactor.compact([a, b], into: dir, ulid: CompactorTests.id(11))
            #expect(metrics.verticalCompactions.current == 1)
            #expect(metrics.compactionPopulatingBlock.current == 0)
            #expect(metrics.compactionChunkSize.snapshot.count == 0)
            let meta = try #require(try compactor.compact([c], into: dir, ulid: CompactorTests.id(12), firstCompaction: true))
            #expect(metrics.compactionChunkSize.snapshot.count == Int(meta.stats.numChunks))
            #expect(metrics.compactionChunkSamples.snapshot.sum == Double(meta.stats.numSamples))
        }
    }

    @Test("tombstone cleanup is timed, and the chunks of the rewritten blocks are first-compaction chunks")
    func tombstoneCleanup() throws {
        try withTempDB { dir in
            let db = try AdminTests.compactedDB(dir)
            defer { try? db.close() }
            let before = Set(db.blocks.map(\.meta.ulid))
            let chunksBefore = db.metrics.compactionChunkSize.snapshot.count
            // Samples of one series in the blocks [0,2), [2,4) and [4,6) min.
            try db.delete(matchers: [try AdminTests.eq("s", "1")], minTime: 100_000, maxTime: 300_000)
            try db.cleanTombstones()
            #expect(db.metrics.tombstoneCleanupDuration.snapshot.count == 1)
            let rewritten = db.blocks.filter { !before.contains($0.meta.ulid) }
            #expect(rewritten.count == 3)
            let written = rewritten.map { Int($0.meta.stats.numChunks) }.reduce(0, +)
            #expect(db.metrics.compactionChunkSize.snapshot.count - chunksBefore == written)
            try expectBlockGauges(db)
        }
    }

    /// `prometheus_tsdb_storage_blocks_bytes` is what the loaded blocks' files take on disk, and the
    /// symbol table gauge their readers' symbol tables (16 bytes a symbol).
    func expectBlockGauges(_ db: DB, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let onDisk = try db.blocks.map { try Compactor.blockSizeBytes($0.directory) }.reduce(0, +)
        #expect(db.metrics.storageBlocksBytes.current == Double(onDisk), sourceLocation: sourceLocation)
        let symbols = try db.blocks.map { try $0.symbols().count }.reduce(0, +)
        #expect(db.metrics.symbolTableSizeBytes.current == Double(symbols * 16), sourceLocation: sourceLocation)
    }
}
