// BlockWriter: writes series as a new, Prometheus-compatible block directory, atomically
// (spec/tsdb-format.md §1.1–§1.3, §2, §4, §5).

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif
package import MetricModel

/// Writes persistent blocks that Prometheus 2.42+ and `promtool tsdb` open.
///
/// ```swift
/// let meta = try BlockWriter.write(series: series, minTime: 0, maxTime: 7_200_000,
///                                  into: dataDirectory, ulid: ULID(timestampMs: now, random: SystemRandomNumberGenerator()))
/// // dataDirectory/<ULID>/{meta.json, index, chunks/000001, tombstones}
/// ```
///
/// Written from the same input, the files are the same bytes: for blocks read from Prometheus 2.42,
/// `index`, `chunks/NNNNNN` and `tombstones` come out identical to what Prometheus wrote.
package enum BlockWriter {
    /// Writes `series` (sorted by labels; each series' chunks time-ordered, non-overlapping, XOR
    /// encoding 1) as a new block directory `parent/<ULID>`: built in `parent/<ULID>.tmp-for-creation`,
    /// every file fsynced, then renamed, and the parent directory fsynced. Returns the meta.
    /// Series with no chunks are dropped. `minTime`/`maxTime` are the block's half-open range
    /// `[minTime, maxTime)`.
    ///
    /// - Parameters:
    ///   - level: `compaction.level` (1 for blocks cut from the head or imported).
    ///   - sources: `compaction.sources`; defaults to `[ulid]`, as a level-1 block lists itself. Sorted on write.
    ///   - parents: `compaction.parents`. Prometheus deletes every block listed here on its next reload.
    /// - Throws: `TSDBError.block(.invalidArgument)` when series are unsorted or duplicated, chunks overlap,
    ///   fall outside `[minTime, maxTime)` or use an encoding other than 1–3; `.io` when a system call
    ///   fails (including when `parent/<ULID>` already exists). Nothing is left behind on failure.
    /// - Complexity: O(total chunk bytes + series · labels); the index is built in memory. Blocking I/O.
    package static func write(
        series: [SeriesData], minTime: Int64, maxTime: Int64, into parent: URL, ulid: ULID, level: Int = 1,
        sources: [ULID]? = nil, parents: [BlockMeta.BlockDesc]? = nil
    ) throws(TSDBError) -> BlockMeta {
        try write(
            series: series, minTime: minTime, maxTime: maxTime, into: parent, ulid: ulid, level: level, sources: sources,
            parents: parents, segmentSizeBytes: ChunkSegmentWriter.defaultSegmentSizeBytes
        )
    }

    /// ``write(series:minTime:maxTime:into:ulid:level:sources:parents:)`` with a chosen chunk segment size
    /// (Prometheus's `--storage.tsdb.max-block-chunk-segment-size`; default 512 MiB).
    package static func write(
        series: [SeriesData], minTime: Int64, maxTime: Int64, into parent: URL, ulid: ULID, level: Int = 1,
        sources: [ULID]? = nil, parents: [BlockMeta.BlockDesc]? = nil, segmentSizeBytes: Int
    ) throws(TSDBError) -> BlockMeta {
        let kept = series.filter { !$0.chunks.isEmpty }
        try validate(kept, minTime: minTime, maxTime: maxTime)

        let finalPath = parent.appendingPathComponent(ulid.string).path
        let tmpPath = finalPath + ".tmp-for-creation"
        guard !BlockFile.exists(finalPath) else {
            throw TSDBError.block(.io, "block directory already exists", path: finalPath, errnoCode: EEXIST)
        }
        if BlockFile.exists(tmpPath) { try removeTree(tmpPath) }

        var stats = BlockMeta.Stats(numSeries: UInt64(kept.count))
        for s in kept {
            stats.numChunks += UInt64(s.chunks.count)
            for chunk in s.chunks { stats.numSamples += UInt64(chunk.bytes[0]) << 8 | UInt64(chunk.bytes[1]) }
        }
        let meta = BlockMeta(
            ulid: ulid, minTime: minTime, maxTime: maxTime, stats: stats,
            compaction: BlockMeta.Compaction(level: level, sources: (sources ?? [ulid]).sorted(), parents: parents)
        )

        try BlockFile.makeDirectory(tmpPath)
        do {
            try writeContents(kept, meta: meta, directory: tmpPath, segmentSizeBytes: segmentSizeBytes)
            try BlockFile.syncDirectory(tmpPath)
            try BlockFile.rename(tmpPath, to: finalPath)
        } catch {
            try? removeTree(tmpPath)
            throw error
        }
        try BlockFile.syncDirectory(parent.path)
        return meta
    }

    /// Writes `chunks/`, `index`, `tombstones` and `meta.json` into `directory`, each fsynced.
    private static func writeContents(
        _ series: [SeriesData], meta: BlockMeta, directory: String, segmentSizeBytes: Int
    ) throws(TSDBError) {
        let chunksPath = directory + "/chunks"
        try BlockFile.makeDirectory(chunksPath)
        var chunkWriter = ChunkSegmentWriter(directory: chunksPath, segmentSizeBytes: segmentSizeBytes)
        var indexSeries: [IndexWriter.Series] = []
        indexSeries.reserveCapacity(series.count)
        do {
            for s in series {
                let refs = try chunkWriter.write(s.chunks)
                let metas = zip(s.chunks, refs).map { BlockChunkMeta(minTime: $0.minTime, maxTime: $0.maxTime, ref: $1) }
                indexSeries.append(IndexWriter.Series(labels: s.labels, chunks: metas))
            }
            try chunkWriter.finish()
        } catch {
            chunkWriter.abandon()
            throw error
        }
        try BlockFile.syncDirectory(chunksPath)
        try BlockFile.write(try IndexWriter.encode(indexSeries), to: directory + "/index")
        try BlockFile.write(BlockTombstones.empty, to: directory + "/tombstones")
        try BlockFile.write(meta.encoded(), to: directory + "/meta.json")
    }

    /// Checks what the format and Prometheus's readers rely on (spec §1.2, §2, §4.3).
    private static func validate(_ series: [SeriesData], minTime: Int64, maxTime: Int64) throws(TSDBError) {
        guard minTime < maxTime else {
            throw TSDBError.block(.invalidArgument, "block range [\(minTime), \(maxTime)) is empty")
        }
        var previous: Labels?
        for s in series {
            if let previous, Labels.compare(previous, s.labels) >= 0 {
                throw TSDBError.block(.invalidArgument, "series \(s.labels) is not after \(previous): series must be sorted and unique")
            }
            previous = s.labels
            var lastMaxTime: Int64?
            for chunk in s.chunks {
                guard (1...3).contains(chunk.encoding), chunk.bytes.count >= 2 else {
                    throw TSDBError.block(.invalidArgument, "series \(s.labels): unsupported or empty chunk (encoding \(chunk.encoding))")
                }
                guard chunk.minTime <= chunk.maxTime, chunk.minTime >= minTime, chunk.maxTime < maxTime else {
                    throw TSDBError.block(
                        .invalidArgument,
                        "series \(s.labels): chunk [\(chunk.minTime), \(chunk.maxTime)] outside the block range [\(minTime), \(maxTime))"
                    )
                }
                if let lastMaxTime, chunk.minTime <= lastMaxTime {
                    throw TSDBError.block(.invalidArgument, "series \(s.labels): chunks overlap or are out of order at \(chunk.minTime)")
                }
                lastMaxTime = chunk.maxTime
            }
        }
    }

    private static func removeTree(_ path: String) throws(TSDBError) {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw TSDBError.block(.io, "remove directory: \(error)", path: path)
        }
    }
}
