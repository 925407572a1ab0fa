// Compactor planning: which blocks to merge next (Prometheus's LeveledCompactor.Plan, selectDirs,
// selectOverlappingDirs and splitByRange in tsdb/compact.go).

extension Compactor {
    /// The blocks to compact next, in ascending `minTime` order; `[]` when there is nothing to do.
    ///
    /// Prometheus's `Plan`, in its order of preference:
    /// 1. **Overlapping blocks** (vertical compaction): the first group of blocks whose ranges overlap,
    ///    walking by `minTime`. Blocks marked `failed` are included, as in Prometheus.
    /// 2. **Levelled merge**: leaving out the newest block (largest `minTime`, the one just cut from the
    ///    head), for each range `ranges[1...]` in ascending order, the blocks are grouped by aligned
    ///    windows of that range (``splitByRange(_:range:)``). The first group of two or more blocks,
    ///    none `failed`, that either spans the whole window or ends before the newest remaining block's
    ///    `minTime` is chosen. Gaps inside a window do not matter.
    /// 3. **Tombstones**: walking from the newest remaining block back, a block spanning at least
    ///    `ranges[ranges.count / 2]` with `numTombstones / (numSeries + 1) > 5%` is rewritten alone. The
    ///    walk stops at the first block shorter than that, which is rewritten only if it has at least as
    ///    many tombstones as series (probably fully deleted).
    ///
    /// Blocks that ``blocksToDelete(_:)`` names (marked `deletable`, or parents of another block in
    /// `metas`) are left out: they are deleted at the next reload, before Prometheus would plan.
    /// Prometheus 3.x also keeps blocks hinted `from-stale-series` apart from others; no Sugarmill
    /// component writes that hint, so it is not handled.
    ///
    /// - Complexity: O(n log n + n · ranges.count) for n blocks.
    package func plan(_ metas: [BlockMeta]) -> [ULID] {
        let doomed = Self.blocksToDelete(metas)
        let candidates = metas.filter { !doomed.contains($0.ulid) }
            .sorted { ($0.minTime, $0.ulid) < ($1.minTime, $1.ulid) }
        guard !candidates.isEmpty else { return [] }

        let overlapping = Self.selectOverlapping(candidates)
        if !overlapping.isEmpty { return overlapping.map(\.ulid) }

        // Leave out the newest block: a full block range of time to back it up before it is merged.
        let settled = Array(candidates.dropLast())
        let levelled = selectLevelled(settled)
        if !levelled.isEmpty { return levelled.map(\.ulid) }

        return selectTombstoned(settled).map { [$0.ulid] } ?? []
    }

    /// The first run of overlapping blocks in `sorted` (ascending `minTime`), in that order.
    static func selectOverlapping(_ sorted: [BlockMeta]) -> [BlockMeta] {
        guard sorted.count >= 2 else { return [] }
        var result: [BlockMeta] = []
        var globalMaxTime = sorted[0].maxTime
        for i in 1..<sorted.count {
            let meta = sorted[i]
            if meta.minTime < globalMaxTime {
                if result.isEmpty { result.append(sorted[i - 1]) }
                result.append(meta)
            } else if !result.isEmpty {
                break
            }
            globalMaxTime = max(globalMaxTime, meta.maxTime)
        }
        return result
    }

    /// Prometheus's `selectDirs`: the first group of consecutive blocks that fills a window of one of
    /// `ranges[1...]` (or lies wholly before the newest block of `sorted`), skipping groups with a
    /// `failed` block.
    func selectLevelled(_ sorted: [BlockMeta]) -> [BlockMeta] {
        guard ranges.count >= 2, let newest = sorted.last else { return [] }
        let highTime = newest.minTime
        for range in ranges.dropFirst() {
            for group in Self.splitByRange(sorted, range: range) {
                if group.contains(where: { $0.compaction.failed == true }) { continue }
                let minTime = group[0].minTime
                let maxTime = group[group.count - 1].maxTime
                if (maxTime &- minTime == range || maxTime <= highTime) && group.count > 1 {
                    return group
                }
            }
        }
        return []
    }

    /// Prometheus's tombstone rule (the end of `LeveledCompactor.plan`): a block worth rewriting alone.
    func selectTombstoned(_ sorted: [BlockMeta]) -> BlockMeta? {
        guard !ranges.isEmpty else { return nil }
        let bigEnough = ranges[ranges.count / 2]
        for meta in sorted.reversed() {
            let stats = meta.stats
            if meta.maxTime &- meta.minTime < bigEnough {
                // A small block is worth it only when (probably) entirely deleted.
                if stats.numTombstones > 0 && stats.numTombstones >= stats.numSeries { return meta }
                break
            }
            if Double(stats.numTombstones) / Double(stats.numSeries + 1) > 0.05 { return meta }
        }
        return nil
    }

    /// Prometheus's `splitByRange`: groups consecutive blocks of `sorted` (ascending `minTime`) by the
    /// aligned window `[t0, t0 + range)` their first block starts in; a block that does not fit in its
    /// window (misaligned, or itself longer than `range`) is skipped.
    ///
    /// Blocks `[0,10) [10,20) [50,60) [90,100)` with range 30 give `[[0,10) [10,20)], [[50,60)], [[90,100)]]`.
    static func splitByRange(_ sorted: [BlockMeta], range: Int64) -> [[BlockMeta]] {
        guard range > 0 else { return [] }
        var groups: [[BlockMeta]] = []
        var i = 0
        while i < sorted.count {
            let meta = sorted[i]
            // Start of the aligned window holding meta.minTime (floor division, also for negative times).
            let t0: Int64 = meta.minTime >= 0 ? range &* (meta.minTime / range) : range &* ((meta.minTime &- range &+ 1) / range)
            let windowEnd = t0 &+ range
            if meta.maxTime > windowEnd {
                i += 1
                continue
            }
            var group: [BlockMeta] = []
            while i < sorted.count && sorted[i].maxTime <= windowEnd {
                group.append(sorted[i])
                i += 1
            }
            if !group.isEmpty { groups.append(group) }
        }
        return groups
    }
}
