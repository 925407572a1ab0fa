// W3C traceparent parsing as the recommendation's rules say, and child spans of a trace.

import MetricModel
import Testing

@Suite struct TraceContextTests {
    @Test func validHeadersParse() throws {
        let context = try #require(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        #expect(context.traceID == "4bf92f3577b34da6a3ce929d0e0e4736" && context.spanID == "00f067aa0ba902b7" && context.flags == "01")
        #expect(context.traceparent == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        // A later version is read by its first four fields.
        #expect(TraceContext(traceparent: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra")?.flags == "00")
    }

    @Test(arguments: [
        "", "00", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    ])
    func malformedHeadersAreIgnored(header: String) {
        #expect(TraceContext(traceparent: header) == nil)
    }

    @Test func childSpansKeepTheTraceAndFlags() throws {
        let parent = try #require(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        let children = (0..<100).map { _ in parent.child() }
        #expect(children.allSatisfy { $0.traceID == parent.traceID && $0.flags == "01" && $0.spanID.count == 16 })
        #expect(Set(children.map(\.spanID)).count == 100 && !children.contains { $0.spanID == parent.spanID })
        #expect(children.allSatisfy { TraceContext(traceparent: $0.traceparent) == $0 })
    }
}
