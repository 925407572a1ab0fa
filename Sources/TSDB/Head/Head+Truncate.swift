// Head truncation after compaction: drop what is now in a block, and garbage-collect empty series.

package import MetricModel
internal import Synchronization
internal import ChunkEncoding

extension Head {
    /// Drops chunks ending before `minTime` (persisted in a block by now), raises the bound
    /// below which appends are out of bounds, and removes series left without data.
    ///
    /// A series with an uncommitted sample is kept. Removal order keeps the unretained hash
    /// table safe: the series leaves the table (no new lookups), is marked removed (appenders
    /// holding it retry), and only then is its owning reference dropped.
    /// - Returns: the number of series removed, and of chunks dropped (those of removed series included).
    @discardableResult
    package func truncate(before minTime: Timestamp) -> (seriesRemoved: Int, chunksRemoved: Int) {
        raiseMinValidTime(to: minTime)
        var removed: [MemSeries] = []
        var chunksRemoved = 0
        for stripe in refStripes {
            stripe.lock.withLock {
                for series in stripe.series {
                    let (dropped, empty) = series.truncateChunks(before: minTime)
                    chunksRemoved += dropped
                    if empty { removed.append(series) }
                }
            }
        }
        for series in removed {
            let hashStripe = hashStripes[Int(series.labels.hash & Self.stripeMask)]
            hashStripe.lock.withLock { hashStripe.table.remove(hash: series.labels.hash, series) }
            let rs = refStripe(series.ref)
            let gone: Bool = rs.lock.withLock {
                // An appender may have claimed it since the scan: keep it then.
                guard series.pendingOwner == .nobody, series.chunks.isEmpty, !series.hasOpenChunk else {
                    return false
                }
                series.removed = true
                rs.series.remove(ref: series.ref.rawValue)
                return true
            }
            if !gone {
                // Put it back in the table; it lives on.
                hashStripe.lock.withLock { hashStripe.table.insert(hash: series.labels.hash, series) }
            }
        }
        let deleted = removed.filter(\.removed)
        postings.delete(deleted.map { ($0.ref.rawValue, $0.labels) })
        tombstones.truncate(before: minTime, removedRefs: deleted.lazy.map(\.ref.rawValue))
        adjustSeriesCount(by: -deleted.count)
        resetMinTime(to: minTime)
        return (deleted.count, chunksRemoved)
    }

    /// Raises `minValidTime` (never lowers it).
    func raiseMinValidTime(to t: Timestamp) {
        var current = minValidTime.load(ordering: .relaxed)
        while t > current {
            let (done, original) = minValidTime.compareExchange(expected: current, desired: t, ordering: .relaxed)
            if done { break }
            current = original
        }
    }
}
