// Deleting series in a block: computing its new tombstones and writing the file atomically
// (Prometheus's Block.Delete and tombstones.WriteFile; spec/tsdb-format.md §5).

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif
package import MetricModel

extension BlockReader {
    /// The block's tombstones with `[minTime, maxTime]` added for every matching series that has a
    /// chunk in the interval. Each new interval is clamped to the series' first chunk start and last
    /// chunk end, as Prometheus does; intervals are merged per series.
    ///
    /// - Throws: `TSDBError` when the index is corrupt or the block is closed.
    package func tombstones(
        deleting matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp
    ) throws(TSDBError) -> [UInt64: [ClosedRange<Int64>]] {
        try reading { () throws(TSDBError) -> [UInt64: [ClosedRange<Int64>]] in
            var stones = tombstones
            for id in try index.postings(matching: matchers) {
                let chunks = try index.series(id).chunks
                guard let first = chunks.first, let last = chunks.last,
                    chunks.contains(where: { $0.minTime <= maxTime && $0.maxTime >= minTime })
                else { continue }
                let interval = max(minTime, first.minTime)...min(maxTime, last.maxTime)
                stones[UInt64(id)] = BlockTombstones.merge((stones[UInt64(id)] ?? []) + [interval])
            }
            return stones
        }
    }

    /// Writes `stones` as `<directory>/tombstones` (via `tombstones.tmp`, fsynced, renamed, directory
    /// fsynced) and sets `stats.numTombstones` in meta.json to the number of intervals.
    ///
    /// - Throws: `TSDBError.block(.io)` when a write fails; `.missingMeta`/`.badMeta` for meta.json.
    package static func writeTombstones(_ stones: [UInt64: [ClosedRange<Int64>]], into directory: URL) throws(TSDBError) {
        try AtomicFile.replace(directory.appendingPathComponent("tombstones").path, with: BlockTombstones.encode(stones))
        let total = UInt64(stones.values.reduce(0) { $0 + $1.count })
        try Compactor.updateMeta(ofBlock: directory) { $0.stats.numTombstones = total }
    }
}
