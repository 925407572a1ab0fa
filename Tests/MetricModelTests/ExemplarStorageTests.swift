// ExemplarStorage: the newest exemplars in one ring, per-series order, Prometheus's refusals.

import MetricModel
import Testing

@Suite struct ExemplarStorageTests {
    static let a = Labels(["__name__": "req_total", "job": "a"])
    static let b = Labels(["__name__": "req_total", "job": "b"])

    static func exemplar(_ t: Timestamp, _ trace: String = "t") -> StoredExemplar {
        StoredExemplar(labels: Labels(["trace_id": trace]), value: Double(t), timestamp: t)
    }

    @Test func ringKeepsTheNewestAcrossSeries() throws {
        let store = ExemplarStorage(capacity: 3)
        try store.append(Self.exemplar(1), for: Self.a)
        try store.append(Self.exemplar(2), for: Self.b)
        try store.append(Self.exemplar(3), for: Self.a)
        try store.append(Self.exemplar(4), for: Self.b)  // replaces a's first
        #expect(store.count == 3)
        let all = store.select(minTime: .min, maxTime: .max, matcherSets: [[try LabelMatcher(.equal, "__name__", "req_total")]])
        #expect(all.map(\.series) == [Self.a, Self.b])
        #expect(all[0].exemplars.map(\.timestamp) == [3])
        #expect(all[1].exemplars.map(\.timestamp) == [2, 4])
        let onlyB = store.select(minTime: 3, maxTime: 10, matcherSets: [[try LabelMatcher(.equal, "job", "b")]])
        #expect(onlyB.count == 1 && onlyB[0].exemplars.map(\.timestamp) == [4])
    }

    /// The ring is grown as exemplars arrive (past its first reservation) and wraps at capacity.
    @Test func ringGrowsToCapacityThenWraps() throws {
        let store = ExemplarStorage(capacity: 150)
        for t in Timestamp(1)...100 { try store.append(Self.exemplar(t), for: t % 2 == 0 ? Self.a : Self.b) }
        #expect(store.count == 100)
        for t in Timestamp(101)...400 { try store.append(Self.exemplar(t), for: t % 2 == 0 ? Self.a : Self.b) }
        #expect(store.count == 150)
        let all = store.select(minTime: .min, maxTime: .max, matcherSets: [[try LabelMatcher(.equal, "__name__", "req_total")]])
        #expect(all.flatMap { $0.exemplars.map(\.timestamp) }.sorted() == Array(251...400))
        #expect(all[0].exemplars.map(\.timestamp) == Array(stride(from: 252, through: 400, by: 2)))
    }

    @Test func refusesOutOfOrderAndLongLabelsAndIgnoresRepeats() throws {
        let store = ExemplarStorage(capacity: 10)
        try store.append(Self.exemplar(5), for: Self.a)
        try store.append(Self.exemplar(5), for: Self.a)  // the same again: accepted, stored once
        #expect(store.count == 1)
        #expect(throws: ExemplarError.outOfOrder) { try store.append(Self.exemplar(4), for: Self.a) }
        try store.append(Self.exemplar(4), for: Self.b)  // other series: its own order
        let long = StoredExemplar(labels: Labels(["trace_id": String(repeating: "x", count: 121)]), value: 1, timestamp: 9)
        #expect(throws: ExemplarError.labelsTooLong) { try store.append(long, for: Self.a) }
        let fits = StoredExemplar(labels: Labels(["trace_id": String(repeating: "x", count: 120)]), value: 1, timestamp: 9)
        try store.append(fits, for: Self.a)
        #expect(store.count == 3)
    }
}
