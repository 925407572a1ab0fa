// Compactor.compact: merging blocks into one new block (Prometheus's LeveledCompactor.Compact,
// CompactBlockMetas and DefaultBlockPopulator.PopulateBlock in tsdb/compact.go).

internal import ChunkEncoding
#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif
internal import MetricModel

extension Compactor {
    /// Merges `blocks` into one new block `parent/<ulid>`, written atomically by ``BlockWriter``.
    ///
    /// The new block covers `[min(minTime), max(maxTime))` of the inputs. Series are merged by labels;
    /// chunks that do not overlap are copied as they are, overlapping ones (vertical compaction) are
    /// merged with one sample per timestamp — an earlier block in `blocks` wins a tie — and re-encoded
    /// (``FanoutQuerier``'s chunk merge). Tombstones are applied (``BlockReader/select(matchers:minTime:maxTime:sorted:)``
    /// already does), samples outside the new range are dropped, and the new block gets an empty
    /// tombstones file. Its meta (Prometheus's `CompactBlockMetas`): `level` = max(input levels) + 1,
    /// `sources` = the union of the inputs' sources, sorted, `parents` = the inputs in the given order.
    ///
    /// As in Prometheus:
    /// - When nothing is left (every sample deleted), no block is written, every input's meta.json is
    ///   rewritten with `compaction.deletable = true`, and the result is `nil`. The in-memory
    ///   ``BlockReader/meta`` of the inputs does not change: reload them, or treat them as deletable.
    /// - When merging or writing fails, every input's meta.json is rewritten (best effort) with
    ///   `compaction.failed = true`, so that ``plan(_:)`` stops choosing them for levelled merges; then
    ///   the error is rethrown. A `.closed` input (deleted under us) is not a reason to mark them.
    ///
    /// - Parameters:
    ///   - blocks: open input blocks, normally the ones ``plan(_:)`` chose (in its order).
    ///   - parent: the data directory to create the block in.
    ///   - ulid: the new block's ULID (Prometheus uses the current wall-clock time).
    ///   - firstCompaction: the new block becomes a level-1 block (tombstone cleanup rewrites one
    ///     so): its chunks are observed in the compaction chunk histograms of ``metrics``, which
    ///     Prometheus records for level-1 writes only.
    /// - Returns: the new block's meta, or `nil` when the merge is empty.
    /// - Throws: `TSDBError.block(.invalidArgument)` for no inputs, or a non-XOR (native histogram) chunk
    ///   that crosses the new range or overlaps another input's chunk: only XOR samples can be
    ///   re-encoded, and dropping the chunk would lose data. The inputs' read errors; `.io` from writing.
    /// - Complexity: all series of all inputs are held in memory at once (``BlockWriter`` takes the
    ///   whole block). Blocking I/O: run it off the cooperative pool.
    package func compact(
        _ blocks: [BlockReader], into parent: URL, ulid: ULID, firstCompaction: Bool = false
    ) throws(TSDBError) -> BlockMeta? {
        guard !blocks.isEmpty else { throw TSDBError.block(.invalidArgument, "compaction needs at least one block") }
        let metas = blocks.map(\.meta)
        let minTime = metas.map(\.minTime).min() ?? 0
        let maxTime = metas.map(\.maxTime).max() ?? 0
        if Self.overlap(metas) { metrics?.verticalCompactions.add() }

        let written: BlockMeta?
        do {
            written = try populating { () throws(TSDBError) -> BlockMeta? in
                let series = try Self.mergedSeries(blocks, minTime: minTime, maxTime: maxTime)
                if series.isEmpty { return nil }
                let meta = try BlockWriter.write(
                    series: series, minTime: minTime, maxTime: maxTime, into: parent, ulid: ulid,
                    level: (metas.map(\.compaction.level).max() ?? 0) + 1,
                    sources: Set(metas.flatMap(\.compaction.sources)).sorted(),
                    parents: metas.map { BlockMeta.BlockDesc(ulid: $0.ulid, minTime: $0.minTime, maxTime: $0.maxTime) }
                )
                if firstCompaction { metrics?.observeFirstCompaction(of: series) }
                return meta
            }
        } catch {
            if error.code != .closed {
                for block in blocks { try? Self.updateMeta(ofBlock: block.directory) { $0.compaction.failed = true } }
            }
            throw error
        }
        if written == nil {
            for block in blocks { try Self.updateMeta(ofBlock: block.directory) { $0.compaction.deletable = true } }
        }
        return written
    }

    /// Whether a block of `metas`, taken in order, starts before the end of those before it (what
    /// Prometheus's `populateBlock` counts as a vertical compaction).
    static func overlap(_ metas: [BlockMeta]) -> Bool {
        guard var maxTime = metas.first?.maxTime else { return false }
        for meta in metas.dropFirst() {
            if meta.minTime < maxTime { return true }
            maxTime = max(maxTime, meta.maxTime)
        }
        return false
    }

    /// Runs `body` under ``TSDBMetrics/populatingBlock(_:)`` when there are metrics.
    private func populating<T>(_ body: () throws(TSDBError) -> T) throws(TSDBError) -> T {
        guard let metrics else { return try body() }
        return try metrics.populatingBlock(body)
    }

    /// Every series of `blocks` within `[minTime, maxTime)`, sorted by labels, one entry per label set.
    ///
    /// Each block's series come out of its index in label order; a k-way merge joins equal label sets
    /// and hands their chunk lists (in block order) to ``FanoutQuerier``'s chunk merge.
    static func mergedSeries(_ blocks: [BlockReader], minTime: Int64, maxTime: Int64) throws(TSDBError) -> [SeriesData] {
        var lists: [[SeriesData]] = []
        lists.reserveCapacity(blocks.count)
        for block in blocks {
            // Blocks are half-open, chunk ranges closed: read [minTime, maxTime - 1], as Prometheus does.
            var series = try block.select(matchers: [], minTime: minTime, maxTime: maxTime &- 1, sorted: true)
            try trim(&series, minTime: minTime, maxTime: maxTime)
            if !isSortedByLabels(series) { series.sort { $0.labels < $1.labels } }
            lists.append(series)
        }
        if lists.count == 1 { return lists[0] }

        var result: [SeriesData] = []
        result.reserveCapacity(lists.map(\.count).max() ?? 0)
        var cursors = [Int](repeating: 0, count: lists.count)
        var sameLabels: [[ChunkData]] = []
        while true {
            var smallest: Labels?
            for k in lists.indices where cursors[k] < lists[k].count {
                let labels = lists[k][cursors[k]].labels
                if let current = smallest, Labels.compare(labels, current) >= 0 { continue }
                smallest = labels
            }
            guard let labels = smallest else { break }
            sameLabels.removeAll(keepingCapacity: true)
            for k in lists.indices where cursors[k] < lists[k].count {
                guard Labels.compare(lists[k][cursors[k]].labels, labels) == 0 else { continue }
                sameLabels.append(lists[k][cursors[k]].chunks)
                cursors[k] += 1
            }
            if sameLabels.count > 1 { try checkMergeable(sameLabels, labels) }
            let chunks = FanoutQuerier.mergeChunks(sameLabels)
            if !chunks.isEmpty { result.append(SeriesData(labels: labels, chunks: chunks)) }
        }
        return result
    }

    /// Drops the samples of `series` outside `[minTime, maxTime)` (a block may hold samples outside its
    /// declared range; Prometheus drops them at compaction, spec §1.2), and series left without chunks.
    static func trim(_ series: inout [SeriesData], minTime: Int64, maxTime: Int64) throws(TSDBError) {
        var outside: [ClosedRange<Int64>] = []
        if minTime > .min { outside.append(.min...(minTime - 1)) }
        outside.append(maxTime...(.max))
        for i in series.indices {
            let chunks = series[i].chunks
            // Fast path: every chunk inside the range (always so for blocks we wrote).
            guard chunks.contains(where: { $0.minTime < minTime || $0.maxTime >= maxTime }) else { continue }
            var kept: [ChunkData] = []
            for chunk in chunks {
                kept += try BlockReader.removing(outside, from: chunk)
            }
            series[i] = SeriesData(labels: series[i].labels, chunks: kept)
        }
        series.removeAll { $0.chunks.isEmpty }
    }

    /// Throws when a native-histogram chunk that overlaps a chunk of another block cannot be
    /// decoded: the merge would keep only its samples before the damage, and the inputs are
    /// deleted afterwards. Slow path, taken only when such a chunk is present.
    private static func checkMergeable(_ lists: [[ChunkData]], _ labels: Labels) throws(TSDBError) {
        guard lists.contains(where: { $0.contains { $0.encoding != XORChunk.encoding } }) else { return }
        let tagged = lists.enumerated().flatMap { source, list in list.map { (source, $0) } }
            .sorted { $0.1.minTime < $1.1.minTime }
        for (i, (source, chunk)) in tagged.enumerated() {
            for (otherSource, other) in tagged[(i + 1)...] {
                if other.minTime > chunk.maxTime { break }
                guard otherSource != source else { continue }
                for merged in [chunk, other] where merged.encoding != XORChunk.encoding {
                    do throws(DecodeError) { _ = try ChunkSamples.decode(merged) } catch {
                        throw TSDBError.block(
                            .badChunks, "series \(labels): overlapping chunk of encoding \(merged.encoding) cannot be merged: \(error)")
                    }
                }
            }
        }
    }

    private static func isSortedByLabels(_ series: [SeriesData]) -> Bool {
        zip(series, series.dropFirst()).allSatisfy { Labels.compare($0.labels, $1.labels) < 0 }
    }
}
