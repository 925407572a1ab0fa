// RemoteMetadata: metric metadata that arrived by remote write (1.0's `metadata`, 2.0's per-series
// metadata), served by /api/v1/metadata next to what scrapes found.

internal import NIOConcurrencyHelpers

/// Distinct metadata per metric family, from pushed data. Bounded: at most `maxFamilies` families
/// (further ones are not recorded) and `maxPerFamily` distinct entries each (the newest kept).
/// Thread-safety: all methods may be called concurrently.
package final class RemoteMetadata: Sendable {
    // Safety: `families` only under its lock.
    private let families = NIOLockedValueBox<[String: [APIMetadata]]>([:])
    let maxFamilies: Int
    let maxPerFamily: Int

    package init(maxFamilies: Int = 100_000, maxPerFamily: Int = 10) {
        self.maxFamilies = maxFamilies
        self.maxPerFamily = maxPerFamily
    }

    /// Records `metadata` for `family`; an entry already known moves to the newest place.
    package func record(_ family: String, _ metadata: APIMetadata) {
        families.withLockedValue { families in
            if families[family] == nil && families.count >= maxFamilies { return }
            var entries = families[family, default: []]
            if entries.last == metadata { return }
            entries.removeAll { $0 == metadata }
            entries.append(metadata)
            if entries.count > maxPerFamily { entries.removeFirst(entries.count - maxPerFamily) }
            families[family] = entries
        }
    }

    /// Every family's entries, oldest first.
    package func all() -> [String: [APIMetadata]] { families.withLockedValue { $0 } }
}
