// HeadTombstones: deleted intervals of head series, applied at query time (Prometheus's head
// `tombstones.MemTombstones`, filled by `DB.delete` and by WAL replay of Tombstones records).

internal import ChunkEncoding
internal import MetricModel

/// Deleted time intervals per head series ref, merged (overlapping and adjacent ones joined).
///
/// ```swift
/// head.tombstones.add(ref: 7, 0...999)
/// head.tombstones.intervals(ref: 7)   // [0...999]
/// ```
///
/// Thread-safety: all methods may be called concurrently; one lock guards the map. Readers take
/// a copy (``snapshot()``) once per query, so the lock is never held while chunks are re-encoded.
package final class HeadTombstones: @unchecked Sendable {
    // Safety: `stones` is read and written only under `lock`.
    private let lock = Lock()
    private var stones: [UInt64: [ClosedRange<Int64>]] = [:]

    package init() {}

    /// Adds `[minTime, maxTime]` to the series' deleted intervals.
    package func add(ref: UInt64, _ interval: ClosedRange<Int64>) {
        lock.withLock {
            stones[ref] = BlockTombstones.merge((stones[ref] ?? []) + [interval])
        }
    }

    /// The series' deleted intervals, sorted and merged; nil when there are none.
    package func intervals(ref: UInt64) -> [ClosedRange<Int64>]? {
        lock.withLock { stones[ref] }
    }

    /// Every series' deleted intervals (a copy; cheap while nothing is deleted).
    package func snapshot() -> [UInt64: [ClosedRange<Int64>]] {
        lock.withLock { stones }
    }

    /// After head truncation (Prometheus's `TruncateBefore` and `DeleteTombstones`): drops intervals
    /// that end before `minTime`, whose samples left the head, and every interval of `removedRefs`,
    /// series the head no longer has. Without this, deletions would pile up until the next restart.
    package func truncate(before minTime: Int64, removedRefs: some Sequence<UInt64>) {
        lock.withLock {
            for ref in removedRefs { stones[ref] = nil }
            for (ref, intervals) in stones {
                let kept = intervals.filter { $0.upperBound >= minTime }
                if kept.count != intervals.count { stones[ref] = kept.isEmpty ? nil : kept }
            }
        }
    }

    /// Number of deleted intervals over all series.
    package var count: Int {
        lock.withLock { stones.values.reduce(0) { $0 + $1.count } }
    }

    /// `series` without the samples inside `deleted`: chunks are filtered (XOR re-encoded) as a
    /// block's tombstones are applied; nil when no chunk is left. A chunk that cannot be decoded
    /// is kept unchanged (head chunks are written by us, so this does not happen in practice).
    static func applying(_ deleted: [ClosedRange<Int64>]?, to series: SeriesData) -> SeriesData? {
        guard let deleted, !deleted.isEmpty else { return series }
        var kept: [ChunkData] = []
        kept.reserveCapacity(series.chunks.count)
        for chunk in series.chunks {
            do {
                kept += try BlockReader.removing(deleted, from: chunk)
            } catch {
                kept.append(chunk)
            }
        }
        return kept.isEmpty ? nil : SeriesData(labels: series.labels, chunks: kept)
    }
}
