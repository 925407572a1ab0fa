// The scrape cache (Prometheus's `scrapeCache`): per target, the series seen in recent scrapes
// by their exposed text, so that an unchanged series skips label parsing, relabeling and the
// storage's lookup; and the series of the last two scrapes, to find those that disappeared.

import MetricModel

/// One target's memory of its series. Used by one scrape loop at a time.
final class ScrapeCache {
    struct Entry {
        var ref: SeriesRef
        var labels: Labels
        /// The scrape (``iteration``) that last saw the series.
        var lastIteration: UInt64
    }

    /// By the series text as exposed (name and labels exactly as in the body).
    private(set) var series: [SeriesText: Entry] = [:]
    /// Exposed texts that metric relabeling dropped, with the scrape that last saw them.
    private var dropped: [SeriesText: UInt64] = [:]
    /// Series appended in this scrape and the previous one, for staleness.
    private var current: [SeriesRef: Labels] = [:]
    private var previous: [SeriesRef: Labels] = [:]
    /// Counts scrapes.
    private(set) var iteration: UInt64 = 0
    /// Entries after the last successful scrape (to flush a cache that only grows).
    private var successfulCount = 0

    /// The cached series for `text`, and whether this scrape already saw it.
    func get(_ text: SeriesText) -> (entry: Entry, seenThisScrape: Bool)? {
        guard let index = series.index(forKey: text) else { return nil }
        let seen = series.values[index].lastIteration == iteration
        series.values[index].lastIteration = iteration
        return (series.values[index], seen)
    }

    func add(_ text: SeriesText, ref: SeriesRef, labels: Labels) {
        series[text.copied()] = Entry(ref: ref, labels: labels, lastIteration: iteration)
    }

    func updateRef(_ text: SeriesText, _ ref: SeriesRef) {
        if let index = series.index(forKey: text) { series.values[index].ref = ref }
    }

    func addDropped(_ text: SeriesText) {
        dropped[text.copied()] = iteration
    }

    func isDropped(_ text: SeriesText) -> Bool {
        guard let index = dropped.index(forKey: text) else { return false }
        dropped.values[index] = iteration
        return true
    }

    /// Marks the series as appended in this scrape.
    func trackStaleness(_ ref: SeriesRef, _ labels: Labels) {
        current[ref] = labels
    }

    /// Series appended in the previous scrape but not in this one.
    func forEachStale(_ body: (SeriesRef, Labels) throws -> Bool) rethrows {
        for (ref, labels) in previous where current[ref] == nil {
            if try !body(ref, labels) { return }
        }
    }

    /// Ends a scrape: this scrape's series become the previous ones. With `flush` (a successful,
    /// non-empty scrape) entries not seen in it are dropped.
    func iterationDone(flush: Bool) {
        var flush = flush
        let count = series.count + dropped.count
        if flush {
            successfulCount = count
        } else if count > successfulCount * 2 + 1000 {
            // Failed scrapes with changing series would grow the cache without end.
            flush = true
        }
        if flush {
            series = series.filter { $0.value.lastIteration == iteration }
            dropped = dropped.filter { $0.value == iteration }
        }
        swap(&previous, &current)
        current.removeAll(keepingCapacity: true)
        iteration &+= 1
    }
}

/// A series as exposed (`name{labels}` bytes), as a dictionary key hashed over its bytes at once.
struct SeriesText: Hashable {
    var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    /// Its own storage: a key that outlives the scrape body it was sliced from.
    func copied() -> SeriesText { SeriesText(ArraySlice(Array(bytes))) }

    static func == (lhs: SeriesText, rhs: SeriesText) -> Bool {
        lhs.bytes.count == rhs.bytes.count && lhs.bytes.elementsEqual(rhs.bytes)
    }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
