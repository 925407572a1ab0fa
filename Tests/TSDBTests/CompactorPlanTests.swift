// Compactor planning, deletion and retention on hand-made metas (no I/O): Prometheus's Plan
// (levelled, overlapping, tombstones), reloadBlocks' parent deletion, time and size retention.

import Foundation
import MetricModel
import TSDB
import Testing

@Suite("Compactor: plan, blocksToDelete, retention")
struct CompactorPlanTests {
    static let hour: Int64 = 3_600_000
    /// Prometheus's defaults: 2h head blocks, 36h max block (15d retention) → [2h, 6h, 18h].
    static let compactor = Compactor(ranges: Compactor.blockRanges(minBlockDuration: 2 * hour, maxBlockDuration: 36 * hour))

    /// A deterministic ULID per number.
    static func id(_ n: UInt64) -> ULID { ULID(timestampMs: 1_700_000_000_000 + Int64(n), random: SeededGenerator(seed: n)) }

    /// A meta for block number `n` covering `[minHour, maxHour)` hours.
    static func meta(
        _ n: UInt64, _ minHour: Int64, _ maxHour: Int64, level: Int = 1, series: UInt64 = 100, tombstones: UInt64 = 0,
        failed: Bool? = nil, deletable: Bool? = nil, parents: [ULID] = []
    ) -> BlockMeta {
        BlockMeta(
            ulid: id(n), minTime: minHour * hour, maxTime: maxHour * hour,
            stats: BlockMeta.Stats(numSamples: series * 100, numSeries: series, numChunks: series, numTombstones: tombstones),
            compaction: BlockMeta.Compaction(
                level: level, sources: [id(n)], parents: parents.isEmpty ? nil : parents.map { BlockMeta.BlockDesc(ulid: $0, minTime: 0, maxTime: 1) },
                deletable: deletable, failed: failed
            )
        )
    }

    @Test("block ranges: ExponentialBlockRanges, cut at the max block duration")
    func ranges() {
        let h = Self.hour
        #expect(Compactor.exponentialRanges(minBlockDuration: 2 * h, steps: 4, stepSize: 3) == [2 * h, 6 * h, 18 * h, 54 * h])
        #expect(Compactor.exponentialRanges(minBlockDuration: 2 * h, steps: 10, stepSize: 3).count == 10)
        #expect(Compactor.exponentialRanges(minBlockDuration: Int64.max / 2, steps: 10, stepSize: 3).count == 1)
        #expect(Self.compactor.ranges == [2 * h, 6 * h, 18 * h])
        #expect(Compactor.blockRanges(minBlockDuration: 2 * h, maxBlockDuration: 31 * 24 * h) == [2 * h, 6 * h, 18 * h, 54 * h, 162 * h, 486 * h])
        #expect(Compactor.blockRanges(minBlockDuration: 2 * h, maxBlockDuration: h) == [2 * h])
        #expect(Compactor.defaultMaxBlockDuration(retentionMs: 15 * 24 * h) == 36 * h)
        #expect(Compactor.defaultMaxBlockDuration(retentionMs: 3650 * 24 * h) == 31 * 24 * h)
        #expect(Compactor.defaultMaxBlockDuration(retentionMs: nil) == 31 * 24 * h)
    }

    @Test("levelled: three 2h blocks become one 6h block only once a newer block exists")
    func levelled() {
        let three = [Self.meta(1, 0, 2), Self.meta(2, 2, 4), Self.meta(3, 4, 6)]
        // The newest block is left out; the two remaining ones neither fill 6h nor end before it.
        #expect(Self.compactor.plan(three).isEmpty)
        let four = three + [Self.meta(4, 6, 8)]
        #expect(Self.compactor.plan(four) == [Self.id(1), Self.id(2), Self.id(3)])
        #expect(Self.compactor.plan(four.reversed()) == [Self.id(1), Self.id(2), Self.id(3)], "input order does not matter")
        // After that merge: 6h block + newest 2h block → nothing.
        #expect(Self.compactor.plan([Self.meta(5, 0, 6, level: 2), Self.meta(4, 6, 8)]).isEmpty)
        // One failed block keeps its window from a levelled merge.
        let failed = [Self.meta(1, 0, 2), Self.meta(2, 2, 4, failed: true), Self.meta(3, 4, 6), Self.meta(4, 6, 8)]
        #expect(Self.compactor.plan(failed).isEmpty)
        #expect(Self.compactor.plan([Self.meta(1, 0, 2)]).isEmpty)
        #expect(Self.compactor.plan([]).isEmpty)
    }

    @Test("levelled: gaps inside a window, windows before the newest block, and the next level")
    func levelledGapsAndLevels() {
        // [0,2) and [4,6) span the 6h window [0,6) despite the gap.
        #expect(Self.compactor.plan([Self.meta(1, 0, 2), Self.meta(2, 4, 6), Self.meta(3, 6, 8)]) == [Self.id(1), Self.id(2)])
        // [0,2) [2,4) do not fill [0,6) but end before the newest remaining block (at 8h): merged.
        let gap = [Self.meta(1, 0, 2), Self.meta(2, 2, 4), Self.meta(3, 8, 10), Self.meta(4, 10, 12)]
        #expect(Self.compactor.plan(gap) == [Self.id(1), Self.id(2)])
        // …but not while [2,4) is itself the newest remaining block.
        #expect(Self.compactor.plan([Self.meta(1, 0, 2), Self.meta(2, 2, 4), Self.meta(3, 8, 10)]).isEmpty)
        // Three 6h level-2 blocks fill an 18h window.
        let sixes = [Self.meta(1, 0, 6, level: 2), Self.meta(2, 6, 12, level: 2), Self.meta(3, 12, 18, level: 2), Self.meta(4, 18, 20)]
        #expect(Self.compactor.plan(sixes) == [Self.id(1), Self.id(2), Self.id(3)])
        // [18,20) [20,22) fill no 6h window yet (and 22h is the newest remaining start): the 18h merge wins.
        #expect(Self.compactor.plan(sixes + [Self.meta(5, 20, 22), Self.meta(6, 22, 24)]) == [Self.id(1), Self.id(2), Self.id(3)])
        // Once [18,24) is full, the smaller range is tried first.
        let mixed = sixes + [Self.meta(5, 20, 22), Self.meta(6, 22, 24), Self.meta(7, 24, 26)]
        #expect(Self.compactor.plan(mixed) == [Self.id(4), Self.id(5), Self.id(6)])
        // A block straddling a 6h boundary cannot join a 6h merge, and no 18h window is full yet.
        #expect(Self.compactor.plan([Self.meta(1, 5, 7), Self.meta(2, 7, 9), Self.meta(3, 9, 11)]).isEmpty)
        // Negative times use floored windows: [-6,0) is one window.
        #expect(Self.compactor.plan([Self.meta(1, -6, -4), Self.meta(2, -4, -2), Self.meta(3, -2, 0), Self.meta(4, 0, 2)])
            == [Self.id(1), Self.id(2), Self.id(3)])
    }

    @Test("overlapping blocks are compacted first, newest and failed ones included")
    func overlapping() {
        let metas = [Self.meta(1, 0, 2), Self.meta(2, 2, 4), Self.meta(3, 4, 6), Self.meta(4, 6, 8), Self.meta(5, 7, 9, failed: true)]
        #expect(Self.compactor.plan(metas) == [Self.id(4), Self.id(5)])
        // Only the first overlapping group; a block overlapping the group's extent joins it.
        let groups = [Self.meta(1, 0, 4), Self.meta(2, 1, 2), Self.meta(3, 3, 5), Self.meta(4, 10, 12), Self.meta(5, 11, 13)]
        #expect(Self.compactor.plan(groups) == [Self.id(1), Self.id(2), Self.id(3)])
        // Touching ranges ([0,2) and [2,4)) do not overlap.
        #expect(Compactor(ranges: [2 * Self.hour]).plan([Self.meta(1, 0, 2), Self.meta(2, 2, 4)]).isEmpty)
    }

    @Test("a block with more than 5% tombstones is rewritten alone; small blocks only when fully deleted")
    func tombstones() {
        // ranges[3 / 2] = 6h: blocks of at least 6h qualify at > 5% tombstones per series.
        let big = [Self.meta(1, 0, 18, level: 3, series: 100, tombstones: 6), Self.meta(2, 18, 24, level: 2), Self.meta(3, 24, 26)]
        #expect(Self.compactor.plan(big) == [Self.id(1)])
        let few = [Self.meta(1, 0, 18, level: 3, series: 100, tombstones: 5), Self.meta(2, 18, 24, level: 2), Self.meta(3, 24, 26)]
        #expect(Self.compactor.plan(few).isEmpty, "5 / 101 is below 5%")
        // A 2h block: only when it has as many tombstones as series; the walk stops at it.
        let small = [Self.meta(1, 0, 18, level: 3, tombstones: 50), Self.meta(2, 18, 20, series: 10, tombstones: 10), Self.meta(3, 24, 26)]
        #expect(Self.compactor.plan(small) == [Self.id(2)])
        let smallPartly = [Self.meta(1, 0, 18, level: 3, tombstones: 50), Self.meta(2, 18, 20, series: 10, tombstones: 9), Self.meta(3, 24, 26)]
        #expect(Self.compactor.plan(smallPartly).isEmpty, "the walk stops at the first small block")
        // The newest block is never rewritten for tombstones.
        #expect(Self.compactor.plan([Self.meta(2, 18, 24, level: 2), Self.meta(1, 24, 48, level: 3, tombstones: 99)]).isEmpty)
    }

    @Test("plan ignores blocks that are already replaced or deletable")
    func planSkipsDoomed() {
        let child = Self.meta(9, 0, 6, level: 2, parents: [Self.id(1), Self.id(2), Self.id(3)])
        // A crash left the parents next to their child: no vertical compaction of child and parents.
        let metas = [Self.meta(1, 0, 2), Self.meta(2, 2, 4), Self.meta(3, 4, 6), child, Self.meta(4, 6, 8)]
        #expect(Self.compactor.plan(metas).isEmpty)
        let deletable = [Self.meta(1, 0, 2, deletable: true), Self.meta(2, 1, 3), Self.meta(3, 4, 6)]
        #expect(Self.compactor.plan(deletable).isEmpty)
    }

    @Test("blocksToDelete: parents of loaded blocks (present or not) and deletable blocks")
    func blocksToDelete() {
        let metas = [
            Self.meta(1, 0, 2), Self.meta(2, 2, 4), Self.meta(3, 0, 4, level: 2, parents: [Self.id(1), Self.id(2)]),
            Self.meta(4, 4, 6, deletable: true), Self.meta(5, 6, 8, level: 2, parents: [Self.id(99)]), Self.meta(6, 8, 10),
        ]
        #expect(Compactor.blocksToDelete(metas) == [Self.id(1), Self.id(2), Self.id(4), Self.id(99)])
        #expect(Compactor.blocksToDelete([Self.meta(1, 0, 2)]).isEmpty)
    }

    @Test("time retention: blocks ending at least the retention before the newest block's end")
    func timeRetention() {
        let metas = (0..<5).map { Self.meta(UInt64($0), Int64($0) * 2, Int64($0) * 2 + 2) }  // ends 2h…10h
        let ids = metas.map(\.ulid)
        func beyond(_ retentionMs: Int64?) -> Set<ULID> {
            Compactor.beyondRetention(metas.reversed(), retentionMs: retentionMs, retentionBytes: nil, sizes: [:])
        }
        #expect(beyond(4 * Self.hour) == Set(ids[0...2]), "10h − 6h = 4h ≥ 4h")
        #expect(beyond(4 * Self.hour + 1) == Set(ids[0...1]))
        #expect(beyond(1) == Set(ids[0...3]), "the newest block is never removed by time")
        #expect(beyond(100 * Self.hour).isEmpty)
        #expect(beyond(nil).isEmpty && beyond(0).isEmpty)
        #expect(Compactor.beyondRetention([metas[0]], retentionMs: 1, retentionBytes: nil, sizes: [:]).isEmpty)
    }

    @Test("size retention: drop the oldest blocks until the rest fit, the head counted first")
    func sizeRetention() {
        let metas = (0..<5).map { Self.meta(UInt64($0), Int64($0) * 2, Int64($0) * 2 + 2) }
        let ids = metas.map(\.ulid)
        let sizes = Dictionary(uniqueKeysWithValues: ids.map { ($0, Int64(100)) })
        func beyond(_ bytes: Int64?, head: Int64 = 0) -> Set<ULID> {
            Compactor.beyondRetention(metas, retentionMs: nil, retentionBytes: bytes, sizes: sizes, headSizeBytes: head)
        }
        #expect(beyond(250) == Set(ids[0...2]), "newest two fit in 250 bytes")
        #expect(beyond(200) == Set(ids[0...2]), "exactly full still fits")
        #expect(beyond(250, head: 60) == Set(ids[0...3]))
        #expect(beyond(50) == Set(ids), "even the newest block goes when it alone is too big")
        #expect(beyond(500).isEmpty && beyond(nil).isEmpty && beyond(0).isEmpty)
        // Both rules together: the union.
        let both = Compactor.beyondRetention(metas, retentionMs: 6 * Self.hour, retentionBytes: 350, sizes: sizes)
        #expect(both == Set(ids[0...1]))
        let union = Compactor.beyondRetention(metas, retentionMs: 4 * Self.hour, retentionBytes: 450, sizes: sizes)
        #expect(union == Set(ids[0...2]))
    }
}
