// Spans as an OTLP `ExportTraceServiceRequest` (opentelemetry-proto's trace.proto), written by
// hand: a few fields, no generated code.

import Tracing

/// Appends protobuf fields to a byte buffer.
struct ProtobufWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var n = value
        while n >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        bytes.append(UInt8(n))
    }

    mutating func tag(_ field: UInt64, _ wireType: UInt64) { varint(field << 3 | wireType) }

    mutating func varintField(_ field: UInt64, _ value: UInt64) {
        tag(field, 0)
        varint(value)
    }

    mutating func fixed64Field(_ field: UInt64, _ value: UInt64) {
        tag(field, 1)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func bytesField(_ field: UInt64, _ value: some Collection<UInt8>) {
        tag(field, 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func stringField(_ field: UInt64, _ value: String) { bytesField(field, Array(value.utf8)) }

    mutating func messageField(_ field: UInt64, _ build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        build(&inner)
        bytesField(field, inner.bytes)
    }
}

enum OTLPTraceEncoding {
    /// `ExportTraceServiceRequest{resource_spans: [{resource, scope_spans: [{scope, spans}]}]}`.
    static func request(_ spans: [FinishedSpan], resource: [(String, String)]) -> [UInt8] {
        var out = ProtobufWriter()
        out.messageField(1) { resourceSpans in
            resourceSpans.messageField(1) { message in
                for (key, value) in resource { message.messageField(1) { keyValue(&$0, key, .string(value)) } }
            }
            resourceSpans.messageField(2) { scopeSpans in
                scopeSpans.messageField(1) { $0.stringField(1, "sugarmill") }
                for span in spans { scopeSpans.messageField(2) { encode(span, into: &$0) } }
            }
        }
        return out.bytes
    }

    static func encode(_ span: FinishedSpan, into out: inout ProtobufWriter) {
        out.bytesField(1, bigEndian(span.traceID.high) + bigEndian(span.traceID.low))
        out.bytesField(2, bigEndian(span.spanID))
        if span.parentSpanID != 0 { out.bytesField(4, bigEndian(span.parentSpanID)) }
        out.stringField(5, span.name)
        out.varintField(6, kind(span.kind))
        out.fixed64Field(7, span.startNanoseconds)
        out.fixed64Field(8, span.endNanoseconds)
        span.attributes.forEach { key, value in out.messageField(9) { keyValue(&$0, key, value) } }
        for event in span.events {
            out.messageField(11) { message in
                message.fixed64Field(1, event.nanosecondsSinceEpoch)
                message.stringField(2, event.name)
                event.attributes.forEach { key, value in message.messageField(3) { keyValue(&$0, key, value) } }
            }
        }
        if let status = span.status {
            out.messageField(15) { message in
                if let text = status.message { message.stringField(2, text) }
                message.varintField(3, status.code == .ok ? 1 : 2)
            }
        }
    }

    /// `KeyValue{key, value: AnyValue}`; arrays and other kinds as their text.
    static func keyValue(_ out: inout ProtobufWriter, _ key: String, _ value: SpanAttribute) {
        out.stringField(1, key)
        out.messageField(2) { any in
            switch value {
            case .string(let text): any.stringField(1, text)
            case .bool(let flag): any.varintField(2, flag ? 1 : 0)
            case .int32(let number): any.varintField(3, UInt64(bitPattern: Int64(number)))
            case .int64(let number): any.varintField(3, UInt64(bitPattern: number))
            case .double(let number): any.fixed64Field(4, number.bitPattern)
            default: any.stringField(1, "\(value)")
            }
        }
    }

    /// OTLP's `SpanKind` numbers.
    static func kind(_ kind: SpanKind) -> UInt64 {
        switch kind {
        case .internal: 1
        case .server: 2
        case .client: 3
        case .producer: 4
        case .consumer: 5
        }
    }

    static func bigEndian(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
}
