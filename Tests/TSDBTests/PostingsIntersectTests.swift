// Postings intersection: the galloping path for very unequal lists answers as the merge does.

@testable import TSDB
import MetricModel
import Testing

@Suite struct PostingsIntersectTests {
    /// A sorted, duplicate-free list of `count` IDs below `limit` (deterministic; `count` must
    /// be well below `limit`).
    static func list(_ count: Int, below limit: UInt64, seed: UInt64) -> [UInt64] {
        precondition(UInt64(count) * 2 <= limit)
        var state = seed
        var ids = Set<UInt64>()
        while ids.count < count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            ids.insert((state >> 33) % limit)
        }
        return ids.sorted()
    }

    @Test(arguments: [(1, 10_000), (7, 10_000), (50, 100_000), (300, 5_000), (2_000, 3_000), (0, 100)])
    func gallopingAgreesWithTheMerge(sizes: (Int, Int)) {
        for seed in UInt64(1)...20 {
            let limit = UInt64(max(20_000, 2 * sizes.1))
            let small = Self.list(sizes.0, below: limit, seed: seed)
            let large = Self.list(sizes.1, below: limit, seed: seed &+ 1_000)
            let expected = BlockPostings.merged(small, large)
            #expect(BlockPostings.intersect(small, large) == expected)
            #expect(BlockPostings.intersect(large, small) == expected)
            #expect(expected == Array(Set(small).intersection(large)).sorted())
        }
    }

    @Test func edgesOfTheLongList() {
        let large = Array(UInt32(0)..<10_000)
        #expect(BlockPostings.intersect([0], large) == [0])
        #expect(BlockPostings.intersect([9_999], large) == [9_999])
        #expect(BlockPostings.intersect([10_000, 20_000], large) == [])
        #expect(BlockPostings.intersect([5, 6, 7, 9_998, 9_999], large) == [5, 6, 7, 9_998, 9_999])
    }
}

@Suite struct SetMatcherPostingsTests {
    @Test func literalAlternativesAreLookedUpValueByValue() throws {
        let set = try LabelMatcher(.regexMatch, "i", "7|3|x\\.y")
        #expect(set.setMatches == ["3", "7", "x.y"])
        #expect(try LabelMatcher(.equal, "i", "3").setMatches == ["3"])
        #expect(try LabelMatcher(.regexMatch, "i", "3.*").setMatches == nil)
        #expect(try LabelMatcher(.regexNoMatch, "i", "3|7").setMatches == nil)
    }

    /// Blocks and head answer `=~"a|b"` as they answer the equivalent scan (`=~"(a|b)"`, which
    /// takes the general regex path).
    @Test func setMatchersSelectWhatTheScanSelects() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: DBBlockCompactionTests.options(), logger: quietTSDBLogger)
            defer { try? db.close() }
            _ = try DBBlockCompactionTests.fill(db, minutes: 12)
            try db.compact()
            #expect(!db.blocks.isEmpty)
            for (set, scan) in [("3|7|42", "(3|7|42)"), ("0", "(0)"), ("nope|9", "(nope|9)")] {
                let viaSet = try db.samples([LabelMatcher(.regexMatch, "s", set)])
                let viaScan = try db.samples([LabelMatcher(.regexMatch, "s", scan)])
                #expect(viaSet == viaScan)
                #expect(!viaSet.isEmpty)
            }
        }
    }
}
