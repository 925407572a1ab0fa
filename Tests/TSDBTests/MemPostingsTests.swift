// MemPostings: 32-bit lists, widened to 64 bits when a ref outgrows them, with the same answers.

@testable import TSDB
import MetricModel
import Testing

@Suite struct MemPostingsTests {
    static func series(_ job: String, _ instance: String) -> Labels {
        Labels(["__name__": "up", "job": job, "instance": instance])
    }

    static func check(_ postings: MemPostings, big: UInt64) throws {
        #expect(postings.allRefs() == [1, 2, 3, big])
        #expect(postings.refs(matching: [try LabelMatcher(.equal, "job", "node")]) == [1, 3, big])
        #expect(postings.refs(matching: [try LabelMatcher(.regexMatch, "instance", "a|c")]) == [1, big])
        #expect(postings.refs(matching: [try LabelMatcher(.notEqual, "job", "node")]) == [2])
        #expect(postings.refs(matching: [try LabelMatcher(.equal, "__name__", "up"), try LabelMatcher(.regexNoMatch, "instance", "b")]) == [1, big])
        #expect(postings.count(name: "job", value: "node") == 3)
        #expect(postings.labelNames() == ["__name__", "instance", "job"])
        #expect(postings.labelValues("instance") == ["a", "b", "c"])
    }

    @Test func refsPastThirtyTwoBitsWidenEveryList() throws {
        let big = UInt64(UInt32.max) + 7
        let postings = MemPostings()
        postings.add(SeriesRef(2), Self.series("api", "b"))
        postings.add(SeriesRef(1), Self.series("node", "a"))  // out of order, as in WAL replay
        postings.add(SeriesRef(3), Self.series("node", "b"))
        postings.add(SeriesRef(big), Self.series("node", "c"))
        try Self.check(postings, big: big)
        postings.add(SeriesRef(big + 1), Self.series("api", "c"))
        postings.delete([(big + 1, Self.series("api", "c"))])
        try Self.check(postings, big: big)
        postings.delete([(3, Self.series("node", "b")), (big, Self.series("node", "c"))])
        #expect(postings.allRefs() == [1, 2])
        #expect(postings.labelValues("instance") == ["a", "b"])
    }

    @Test func narrowListsAnswerAlike() throws {
        let postings = MemPostings()
        postings.add(SeriesRef(1), Self.series("node", "a"))
        postings.add(SeriesRef(2), Self.series("api", "b"))
        postings.add(SeriesRef(3), Self.series("node", "b"))
        postings.add(SeriesRef(9), Self.series("node", "c"))
        try Self.check(postings, big: 9)
    }
}
