// W3C `traceparent` on API requests: a query's storage reads run with the request's trace as
// `TraceContext.current` (so remote reads carry it on), whichever thread evaluates the query.

import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MetricModel
import NIOConcurrencyHelpers
import Testing

/// An empty storage that notes the trace each read ran in.
final class TraceRecordingQuerier: Querier {
    let traces = NIOLockedValueBox<[String?]>([])

    func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData] {
        traces.withLockedValue { $0.append(TraceContext.current?.traceID) }
        return []
    }

    func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] { [] }

    func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] { [] }
}

@Suite struct TraceContextAPITests {
    @Test func queriesReadWithTheRequestsTrace() async throws {
        let querier = TraceRecordingQuerier()
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.queryable = querier }) { client, _ in
                let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
                for uri in ["/api/v1/query?query=up", "/api/v1/query_range?query=up&start=0&end=600&step=60"] {
                    try await client.execute(uri: uri, method: .get, headers: [HTTPField.Name("traceparent")!: trace]) {
                        #expect($0.status == .ok)
                    }
                }
                try await client.execute(uri: "/api/v1/query?query=up", method: .get, headers: [HTTPField.Name("traceparent")!: "garbage"]) {
                    #expect($0.status == .ok)
                }
                try await client.execute(uri: "/api/v1/query?query=up", method: .get) { #expect($0.status == .ok) }
            }
        }
        #expect(querier.traces.withLockedValue { $0 } == ["4bf92f3577b34da6a3ce929d0e0e4736", "4bf92f3577b34da6a3ce929d0e0e4736", nil, nil])
    }
}
