// W3C Trace Context (`traceparent`): the trace a request belongs to, carried from the request
// that started work (a query) to the requests that work makes (remote reads), each as a new
// span of the same trace.

/// A parsed `traceparent` header: version 00's trace id, parent (span) id and flags.
///
/// ```swift
/// let context = TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
/// context?.child().traceparent  // "00-4bf92f3577b34da6a3ce929d0e0e4736-<new span>-01"
/// ```
package struct TraceContext: Sendable, Equatable {
    /// 32 lowercase hex digits, not all zero.
    package var traceID: String
    /// 16 lowercase hex digits, not all zero.
    package var spanID: String
    /// Two hex digits (`01`: sampled).
    package var flags: String

    /// The context of the request being served, if it came with one.
    @TaskLocal package static var current: TraceContext?

    /// Parses a header as the W3C recommendation says: version `00` exactly, later versions by
    /// their first four fields; anything malformed (upper case, zero ids, version `ff`) is nil.
    package init?(traceparent header: String) {
        let fields = header.split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count >= 4, fields[0].count == 2, Self.isHex(fields[0]), fields[0] != "ff" else { return nil }
        if fields[0] == "00" && fields.count != 4 { return nil }
        guard fields[1].count == 32, fields[2].count == 16, fields[3].count == 2,
            Self.isHex(fields[1]), Self.isHex(fields[2]), Self.isHex(fields[3]),
            fields[1].contains(where: { $0 != "0" }), fields[2].contains(where: { $0 != "0" })
        else { return nil }
        traceID = String(fields[1])
        spanID = String(fields[2])
        flags = String(fields[3])
    }

    package init(traceID: String, spanID: String, flags: String) {
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags
    }

    /// The header: `00-<trace>-<span>-<flags>`.
    package var traceparent: String { "00-\(traceID)-\(spanID)-\(flags)" }

    /// A new span of the same trace, for a request made on this one's behalf.
    package func child() -> TraceContext {
        var span: UInt64 = 0
        while span == 0 { span = UInt64.random(in: 1...UInt64.max) }
        let hex = String(span, radix: 16)
        return TraceContext(traceID: traceID, spanID: String(repeating: "0", count: 16 - hex.count) + hex, flags: flags)
    }

    private static func isHex(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
