// Where queries run: the memory of quick queries, and answers that do not depend on where a
// query ran (in place, on the pool, or in place first and then again on the pool).

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import PromQL
import Testing
import TSDB

@Suite struct QueryPlacementTests {
    static let budget = InlineBudget(maxChunks: 1000, maxDuration: .milliseconds(10))

    @Test func keysAreTextSpanAndStep() throws {
        let instant = try #require(QueryPlacement.key(query: "up", range: nil))
        #expect(instant == QueryPlacement.Key(query: "up", spanMs: 0, step: ""))
        let range = try #require(QueryPlacement.key(query: "up", range: ("100", "3700", "15")))
        #expect(range == QueryPlacement.Key(query: "up", spanMs: 3_600_000, step: "15"))
        // The same span later is the same dashboard panel.
        #expect(QueryPlacement.key(query: "up", range: ("200", "3800", "15")) == range)
        #expect(QueryPlacement.key(query: "up", range: ("x", "3700", "15")) == nil)
        #expect(QueryPlacement.key(query: nil, range: nil) == nil)
        let long = String(repeating: "a", count: QueryPlacement.maxQueryLength + 1)
        #expect(QueryPlacement.key(query: long, range: nil) == nil)
    }

    @Test func quickMeansAtMostHalfTheBudget() {
        let placement = QueryPlacement(budget: Self.budget)
        let key = QueryPlacement.Key(query: "up", spanMs: 0, step: "")
        #expect(!placement.isQuick(key), "unknown queries run on the pool")
        placement.record(key, duration: .milliseconds(5))
        #expect(placement.isQuick(key))
        placement.record(key, duration: .milliseconds(6))
        #expect(!placement.isQuick(key))
        placement.record(key, duration: .microseconds(300))
        #expect(placement.isQuick(key))
        placement.record(key, duration: nil)
        #expect(!placement.isQuick(key), "over the inline budget: back to the pool")
        placement.record(key, duration: .microseconds(300))
        #expect(!placement.isQuick(key), "and it stays there")
    }

    @Test func memoryStartsOverWhenFull() {
        let placement = QueryPlacement(budget: Self.budget)
        let first = QueryPlacement.Key(query: "q0", spanMs: 0, step: "")
        for i in 0..<QueryPlacement.capacity {
            placement.record(QueryPlacement.Key(query: "q\(i)", spanMs: 0, step: ""), duration: .zero)
        }
        #expect(placement.isQuick(first))
        placement.record(QueryPlacement.Key(query: "new", spanMs: 0, step: ""), duration: .zero)
        #expect(!placement.isQuick(first))
        #expect(placement.isQuick(QueryPlacement.Key(query: "new", spanMs: 0, step: "")))
    }

    /// A budget of no chunks at all: the second request of a query runs in place, gives up at its
    /// first selection and runs again on the pool. All three answers must be the same.
    @Test(arguments: [
        InlineBudget(maxChunks: 0, maxDuration: .seconds(60)),
        InlineBudget(maxChunks: 1_000_000, maxDuration: .seconds(60)),
    ])
    func answersDoNotDependOnWhereTheQueryRan(budget: InlineBudget) async throws {
        nonisolated(unsafe) var placement: QueryPlacement?
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: {
                $0.inlineQueryBudget = budget
                placement = $0.placement
            }) { client, _ in
                #expect(try await client.push(QueryAPITests.data).0 == 204)
                let instant = "/api/v1/query?query=sum(up)&time=120"
                let range = "/api/v1/query_range?query=up&start=90&end=130&step=10"
                for uri in [instant, range] {
                    let (code, first) = try await client.getText(uri)
                    #expect(code == 200 && first.contains(#""status":"success""#))
                    for _ in 0..<2 {
                        let (again, body) = try await client.getText(uri)
                        #expect(again == 200)
                        #expect(body == first)
                    }
                }
            }
        }
        let p = try #require(placement)
        let key = try #require(QueryPlacement.key(query: "sum(up)", range: nil))
        // Quick on the pool, then over the zero budget in place: no longer quick.
        #expect(p.isQuick(key) == (budget.maxChunks > 0))
    }
}

@Suite struct ParsedQueriesTests {
    @Test func remembersParsesNotErrors() throws {
        let parsed = ParsedQueries()
        let text = "sum by (job) (rate(x[5m]))"
        let expr = try parsed.parse(text)
        #expect(try parsed.parse(text) == expr)
        #expect(try parsed.parse(text) == (try parseExpr(text)))
        for _ in 0..<2 {
            #expect(throws: ParseError.self) { try parsed.parse("sum(") }
        }
        // Past capacity the memory starts over; answers stay the same.
        for i in 0..<ParsedQueries.capacity { _ = try parsed.parse("x\(i)") }
        #expect(try parsed.parse(text) == expr)
    }
}
