// Compactor: Prometheus's levelled block compaction (tsdb/compact.go LeveledCompactor) — block ranges,
// and merging several blocks into one new block (spec/tsdb-format.md §1.3, §1.4).

/// Merges persisted blocks into bigger ones, the way Prometheus's `LeveledCompactor` does.
///
/// The planner (``plan(_:)``, in `Compactor+Plan.swift`) picks the block directories to merge next;
/// ``compact(_:into:ulid:)`` (in `Compactor+Compact.swift`) merges them into one new block. Deletion of
/// the merged inputs and retention are in `Compactor+Deletion.swift`.
///
/// ```swift
/// let compactor = Compactor(ranges: Compactor.blockRanges(minBlockDuration: 7_200_000,
///                                                         maxBlockDuration: 129_600_000))
/// let ids = compactor.plan(blocks.map(\.meta))
/// if !ids.isEmpty {
///     let inputs = blocks.filter { ids.contains($0.meta.ulid) }
///     let meta = try compactor.compact(inputs, into: dataDirectory, ulid: ULID(timestampMs: now, random: rng))
///     // reload: the inputs are now parents of `meta` (or marked deletable when meta is nil)
/// }
/// ```
///
/// Thread-safety: a value type without state; ``compact(_:into:ulid:)`` does blocking I/O and must not
/// run concurrently with another compaction of the same blocks (the DB's compaction lock).
package struct Compactor: Sendable {
    /// The block ranges in milliseconds, ascending: `ranges[0]` is the head block size, and a level
    /// merge fills one of `ranges[1...]`.
    package let ranges: [Int64]
    /// Where ``compact(_:into:ulid:firstCompaction:)`` counts vertical compactions, flags the block
    /// being populated and observes first-compaction chunks (Prometheus's compactor metrics).
    package let metrics: TSDBMetrics?

    /// A compactor for the given block ranges (ascending, milliseconds), e.g.
    /// ``blockRanges(minBlockDuration:maxBlockDuration:)``. With fewer than two ranges only overlapping
    /// blocks and blocks with many tombstones are compacted, as in Prometheus.
    package init(ranges: [Int64], metrics: TSDBMetrics? = nil) {
        self.ranges = ranges
        self.metrics = metrics
    }

    /// Prometheus's `ExponentialBlockRanges`: `steps` ranges starting at `minBlockDuration`, each
    /// `stepSize` times the previous one. `(2h, 10, 3)` gives `[2h, 6h, 18h, 54h, 162h, …]`.
    /// Stops early rather than overflow `Int64`.
    package static func exponentialRanges(minBlockDuration: Int64, steps: Int, stepSize: Int64) -> [Int64] {
        var ranges: [Int64] = []
        ranges.reserveCapacity(max(steps, 0))
        var current = minBlockDuration
        for _ in 0..<max(steps, 0) {
            ranges.append(current)
            let (next, overflow) = current.multipliedReportingOverflow(by: stepSize)
            if overflow { break }
            current = next
        }
        return ranges
    }

    /// The ranges Prometheus's `tsdb.Open` uses: ``exponentialRanges(minBlockDuration:steps:stepSize:)``
    /// with 10 steps of ×3, cut before the first range longer than `maxBlockDuration` (which is raised
    /// to `minBlockDuration` when smaller). Defaults (2h, 36h) give `[2h, 6h, 18h]`.
    package static func blockRanges(minBlockDuration: Int64, maxBlockDuration: Int64) -> [Int64] {
        let maxDuration = max(maxBlockDuration, minBlockDuration)
        let all = exponentialRanges(minBlockDuration: minBlockDuration, steps: 10, stepSize: 3)
        return Array(all.prefix { $0 <= maxDuration })
    }

    /// Prometheus's default `--storage.tsdb.max-block-duration`: 31 days, or a tenth of the time
    /// retention when that is smaller. With neither time nor size retention set Prometheus retains
    /// 15 days, so pass `15 * 86_400_000` then (giving 36h).
    package static func defaultMaxBlockDuration(retentionMs: Int64?) -> Int64 {
        let thirtyOneDays: Int64 = 31 * 24 * 3_600_000
        guard let retentionMs, retentionMs > 0 else { return thirtyOneDays }
        return min(retentionMs / 10, thirtyOneDays)
    }
}
