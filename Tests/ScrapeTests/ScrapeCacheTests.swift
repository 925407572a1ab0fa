// The scrape cache finds a target's series whatever their order (the next-slot guess is only a
// shortcut), never matches a different text, and flags a series seen twice in one scrape.

import MetricModel
@testable import Scrape
import Testing

@Suite struct ScrapeCacheTests {
    static let texts = [#"a{x="1"}"#, #"a{x="2"}"#, "b", #"c{y="z"}"#].map { Array($0.utf8) }

    func get(_ cache: inout ScrapeCache, _ text: String) -> ScrapeCache.Entry? {
        Array(text.utf8).withUnsafeBytes { cache.get($0) }
    }

    @Test func findsSeriesInAnyOrder() {
        var cache = ScrapeCache()
        for (i, text) in Self.texts.enumerated() {
            text.withUnsafeBytes { _ = cache.add(SeriesKey(borrowing: $0), ref: SeriesRef(UInt64(i + 1)), labels: .empty) }
        }
        cache.iterationDone(flush: true)
        for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 2, 3, 0]] {
            for i in order {
                let entry = Self.texts[i].withUnsafeBytes { cache.get($0) }
                #expect(entry?.ref == SeriesRef(UInt64(i + 1)), "order \(order), series \(i)")
                #expect(entry?.seenThisScrape == false)
            }
            #expect(get(&cache, #"a{x="3"}"#) == nil)
            #expect(get(&cache, #"a{x="1""#) == nil)
            #expect(get(&cache, "") == nil)
            cache.iterationDone(flush: true)
        }
    }

    @Test func aSeriesTwiceInOneScrapeIsFlagged() {
        var cache = ScrapeCache()
        Self.texts[0].withUnsafeBytes { _ = cache.add(SeriesKey(borrowing: $0), ref: SeriesRef(7), labels: .empty) }
        cache.iterationDone(flush: true)
        #expect(get(&cache, #"a{x="1"}"#)?.seenThisScrape == false)
        #expect(get(&cache, #"a{x="1"}"#)?.seenThisScrape == true)
    }
}
