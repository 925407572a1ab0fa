// Which blocks to delete: replaced by a compaction, marked deletable, or past retention (Prometheus's
// DB.reloadBlocks, deletableBlocks, BeyondTimeRetention and BeyondSizeRetention in tsdb/db.go), and the
// meta.json rewrite that marks blocks deletable or failed (writeMetaFile in tsdb/block.go).

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

extension Compactor {
    /// Blocks to delete on reload: every block marked `compaction.deletable`, and every ULID listed in the
    /// `compaction.parents` of a block in `metas` (spec §1.4 step 6).
    ///
    /// Parents are named whether or not they are in `metas`, as in Prometheus: after a crash between
    /// writing a compacted block and deleting its inputs, the inputs are found again this way, even
    /// when one of them no longer opens. Delete each by renaming `<data>/<ULID>` to
    /// `<ULID>.tmp-for-deletion` and removing that; skip a ULID whose directory does not exist.
    /// Retention is separate: ``beyondRetention(_:retentionMs:retentionBytes:sizes:)``.
    package static func blocksToDelete(_ metas: [BlockMeta]) -> Set<ULID> {
        var result = Set<ULID>()
        for meta in metas {
            if meta.compaction.deletable == true { result.insert(meta.ulid) }
            for parent in meta.compaction.parents ?? [] { result.insert(parent.ulid) }
        }
        return result
    }

    /// Blocks past the time or size retention, as Prometheus's `BeyondTimeRetention` and
    /// `BeyondSizeRetention` decide it (Prometheus 3.x); ``beyondRetention(_:retentionMs:retentionBytes:sizes:headSizeBytes:)``
    /// with no head or WAL bytes.
    package static func beyondRetention(
        _ metas: [BlockMeta], retentionMs: Int64?, retentionBytes: Int64?, sizes: [ULID: Int64]
    ) -> Set<ULID> {
        beyondRetention(metas, retentionMs: retentionMs, retentionBytes: retentionBytes, sizes: sizes, headSizeBytes: 0)
    }

    /// Blocks past the time or size retention (Prometheus 3.x `BeyondTimeRetention`, `BeyondSizeRetention`).
    ///
    /// Blocks are ordered newest first by `maxTime`.
    /// - **Time** (`retentionMs` > 0): the first block other than the newest whose `maxTime` is at least
    ///   `retentionMs` before the newest block's `maxTime`, and every older block. The newest block is
    ///   never removed by time. (Prometheus 2.x used "more than"; 3.x uses "at least".)
    /// - **Size** (`retentionBytes` > 0): starting from `headSizeBytes` (Prometheus counts the WAL and
    ///   `chunks_head` here), add block sizes newest first; the first block that takes the total over
    ///   `retentionBytes`, and every older block. This can include the newest block.
    ///
    /// - Parameters:
    ///   - sizes: bytes on disk per block (``blockSizeBytes(_:)``); a block missing here counts as 0.
    ///   - headSizeBytes: bytes of the WAL and head chunk files, counted first.
    /// - Returns: the union of both rules.
    package static func beyondRetention(
        _ metas: [BlockMeta], retentionMs: Int64?, retentionBytes: Int64?, sizes: [ULID: Int64], headSizeBytes: Int64
    ) -> Set<ULID> {
        beyondTimeRetention(metas, retentionMs: retentionMs)
            .union(beyondSizeRetention(metas, retentionBytes: retentionBytes, sizes: sizes, headSizeBytes: headSizeBytes))
    }

    /// The time rule of ``beyondRetention(_:retentionMs:retentionBytes:sizes:headSizeBytes:)`` alone
    /// (Prometheus's `BeyondTimeRetention`, which counts `prometheus_tsdb_time_retentions_total`).
    package static func beyondTimeRetention(_ metas: [BlockMeta], retentionMs: Int64?) -> Set<ULID> {
        guard let retentionMs, retentionMs > 0 else { return [] }
        let blocks = newestFirst(metas)
        guard let newest = blocks.first else { return [] }
        for i in blocks.indices.dropFirst() where newest.maxTime &- blocks[i].maxTime >= retentionMs {
            return Set(blocks[i...].map(\.ulid))
        }
        return []
    }

    /// The size rule of ``beyondRetention(_:retentionMs:retentionBytes:sizes:headSizeBytes:)`` alone
    /// (Prometheus's `BeyondSizeRetention`, which counts `prometheus_tsdb_size_retentions_total`).
    package static func beyondSizeRetention(
        _ metas: [BlockMeta], retentionBytes: Int64?, sizes: [ULID: Int64], headSizeBytes: Int64 = 0
    ) -> Set<ULID> {
        guard let retentionBytes, retentionBytes > 0 else { return [] }
        let blocks = newestFirst(metas)
        var total = headSizeBytes
        for i in blocks.indices {
            total &+= sizes[blocks[i].ulid] ?? 0
            if total > retentionBytes { return Set(blocks[i...].map(\.ulid)) }
        }
        return []
    }

    /// Newest first by `maxTime`; ties by ULID, newest first, so the order does not depend on the input order.
    private static func newestFirst(_ metas: [BlockMeta]) -> [BlockMeta] {
        metas.sorted { ($0.maxTime, $0.ulid) > ($1.maxTime, $1.ulid) }
    }

    /// The bytes a block takes on disk, as Prometheus's `Block.Size()` counts them: `chunks/*`, `index`,
    /// `tombstones` and `meta.json` (every regular file under the directory).
    ///
    /// - Throws: `TSDBError.block(.io)` when the directory cannot be listed.
    package static func blockSizeBytes(_ directory: URL) throws(TSDBError) -> Int64 {
        let names: [String]
        do {
            names = try FileManager.default.subpathsOfDirectory(atPath: directory.path)
        } catch {
            throw TSDBError.block(.io, "list block directory: \(error)", path: directory.path)
        }
        var total: Int64 = 0
        for name in names {
            total += POSIXIO.regularFileSize(directory.appendingPathComponent(name).path) ?? 0
        }
        return total
    }

    /// Rewrites `<directory>/meta.json` after `change`, the way Prometheus's `writeMetaFile` does:
    /// written to `meta.json.tmp`, fsynced, renamed over `meta.json`, directory fsynced. Reads the meta
    /// from disk first, so an in-memory ``BlockReader/meta`` that is out of date does not matter.
    ///
    /// ```swift
    /// try Compactor.updateMeta(ofBlock: blockDirectory) { $0.compaction.deletable = true }
    /// ```
    ///
    /// - Throws: `TSDBError.block(.missingMeta)`, `.badMeta` when meta.json cannot be read; `.io` when writing fails.
    package static func updateMeta(ofBlock directory: URL, _ change: (inout BlockMeta) -> Void) throws(TSDBError) {
        let path = directory.appendingPathComponent("meta.json").path
        let (bytes, failure) = POSIXIO.readFile(path)
        if failure == ENOENT { throw TSDBError.block(.missingMeta, "meta.json: file does not exist", path: path) }
        if failure != 0 { throw TSDBError.block(.io, "meta.json: read", path: path, errnoCode: failure) }
        var meta: BlockMeta
        do {
            meta = try JSONDecoder().decode(BlockMeta.self, from: Data(bytes))
        } catch {
            throw TSDBError.block(.badMeta, "meta.json: invalid JSON: \(error)", path: path)
        }
        change(&meta)
        try AtomicFile.replace(path, with: meta.encoded())
    }
}
