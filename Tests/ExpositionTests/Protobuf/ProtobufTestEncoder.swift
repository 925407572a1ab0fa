// ProtobufTestEncoder: writes protobuf wire format by hand for the protobuf exposition tests,
// plus builders for the io.prometheus.client messages (field numbers from metrics.proto).

import Exposition
import MetricModel

/// A protobuf message under construction.
struct PB {
    var bytes: [UInt8] = []

    static func uvarint(_ v: UInt64) -> [UInt8] {
        var v = v
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }

    static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

    mutating func key(_ field: UInt64, _ wire: UInt64) { bytes += Self.uvarint(field << 3 | wire) }

    mutating func varint(_ field: UInt64, _ v: UInt64) {
        key(field, 0)
        bytes += Self.uvarint(v)
    }

    mutating func sint(_ field: UInt64, _ v: Int64) { varint(field, Self.zigzag(v)) }

    mutating func double(_ field: UInt64, _ v: Double) {
        key(field, 1)
        let bits = v.bitPattern
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k)))) }
    }

    mutating func raw(_ field: UInt64, _ payload: [UInt8]) {
        key(field, 2)
        bytes += Self.uvarint(UInt64(payload.count))
        bytes += payload
    }

    mutating func string(_ field: UInt64, _ s: String) { raw(field, Array(s.utf8)) }

    mutating func message(_ field: UInt64, _ m: PB) { raw(field, m.bytes) }

    mutating func packedSint(_ field: UInt64, _ values: [Int64]) {
        raw(field, values.flatMap { Self.uvarint(Self.zigzag($0)) })
    }

    mutating func packedDouble(_ field: UInt64, _ values: [Double]) {
        var p = PB()
        for v in values {
            let bits = v.bitPattern
            for k in 0..<8 { p.bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k)))) }
        }
        raw(field, p.bytes)
    }
}

/// Builders for metrics.proto messages.
enum Proto {
    static func labelPair(_ name: String, _ value: String) -> PB {
        var p = PB()
        p.string(1, name)
        p.string(2, value)
        return p
    }

    static func timestamp(seconds: Int64, nanos: Int32) -> PB {
        var p = PB()
        p.varint(1, UInt64(bitPattern: seconds))
        p.varint(2, UInt64(bitPattern: Int64(nanos)))
        return p
    }

    static func exemplar(_ labels: [(String, String)], _ value: Double, timestamp: PB? = nil) -> PB {
        var p = PB()
        for (n, v) in labels { p.message(1, labelPair(n, v)) }
        p.double(2, value)
        if let timestamp { p.message(3, timestamp) }
        return p
    }

    static func span(_ offset: Int32, _ length: UInt32) -> PB {
        var p = PB()
        p.sint(1, Int64(offset))
        p.varint(2, UInt64(length))
        return p
    }

    static func bucket(_ cumulative: UInt64, _ upperBound: Double, exemplar: PB? = nil) -> PB {
        var p = PB()
        p.varint(1, cumulative)
        p.double(2, upperBound)
        if let exemplar { p.message(3, exemplar) }
        return p
    }

    /// A `Metric` with labels, one typed value message (field number, payload) and a timestamp.
    static func metric(_ labels: [(String, String)] = [], _ field: UInt64, _ payload: PB, timestampMs: Int64? = nil) -> PB {
        var p = PB()
        for (n, v) in labels { p.message(1, labelPair(n, v)) }
        p.message(field, payload)
        if let timestampMs { p.varint(6, UInt64(bitPattern: timestampMs)) }
        return p
    }

    static func value(_ v: Double) -> PB {
        var p = PB()
        p.double(1, v)
        return p
    }

    /// A `MetricFamily` (type: 0 counter, 1 gauge, 2 summary, 3 untyped, 4 histogram, 5 gauge histogram).
    static func family(_ name: String, help: String = "", type: UInt64, unit: String = "", metrics: [PB]) -> PB {
        var p = PB()
        p.string(1, name)
        if !help.isEmpty { p.string(2, help) }
        if type != 0 { p.varint(3, type) }
        for m in metrics { p.message(4, m) }
        if !unit.isEmpty { p.string(5, unit) }
        return p
    }

    /// Families as a delimited stream.
    static func stream(_ families: [PB]) -> [UInt8] {
        families.flatMap { PB.uvarint(UInt64($0.bytes.count)) + $0.bytes }
    }
}

/// Runs a parser to the end and renders every entry as one line (the format of
/// Tests/Fixtures/prometheus-protobuf/expected-*.txt).
func dumpProtobuf(_ bytes: [UInt8], _ options: ProtobufParser.Options) throws -> [String] {
    var parser = ProtobufParser(bytes, options: options)
    var lines: [String] = []
    func hex(_ v: Double) -> String {
        let s = String(v.bitPattern, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
    func labels(_ l: Labels) -> String { "{" + l.pairs.map { "\($0.name)=\($0.value)" }.joined(separator: ",") + "}" }
    func customValues(_ v: [Double]) -> String { v.isEmpty ? "" : " cv=[\(v.map(hex).joined(separator: " "))]" }
    func spans(_ s: [BucketSpan]) -> String { s.map { "\($0.offset):\($0.length)" }.joined(separator: " ") }
    while let entry = try parser.next() {
        switch entry {
        case .help(let name, let text): lines.append("help \(name) \(text)")
        case .unit(let name, let unit): lines.append("unit \(name) \(unit)")
        case .type(let name, let type): lines.append("type \(name) \(type.rawValue)")
        case .series, .histogram:
            let ex = try parser.exemplars().map { "\(labels($0.labels)):\(hex($0.value)):\($0.timestamp.map(String.init) ?? "-")" }
            let head =
                "\(labels(parser.labels)) t=\(parser.timestamp.map(String.init) ?? "-") "
                + "st=\(parser.createdTimestamp.map(String.init) ?? "-") ex=\(ex.isEmpty ? "-" : ex.joined(separator: ";"))"
            if entry == .series {
                lines.append("series \(head) v=\(hex(parser.value))")
            } else if let h = parser.histogram {
                lines.append(
                    "histogram \(head) int hint=\(h.counterResetHint == .gauge ? "gauge" : "unknown") schema=\(h.schema) "
                        + "count=\(h.count) sum=\(hex(h.sum)) zt=\(hex(h.zeroThreshold)) zc=\(h.zeroCount) "
                        + "pos=[\(spans(h.positiveSpans))]/[\(h.positiveBuckets.map(String.init).joined(separator: " "))] "
                        + "neg=[\(spans(h.negativeSpans))]/[\(h.negativeBuckets.map(String.init).joined(separator: " "))]"
                        + customValues(h.customValues))
            } else if let h = parser.floatHistogram {
                lines.append(
                    "histogram \(head) float hint=\(h.counterResetHint == .gauge ? "gauge" : "unknown") schema=\(h.schema) "
                        + "count=\(hex(h.count)) sum=\(hex(h.sum)) zt=\(hex(h.zeroThreshold)) zc=\(hex(h.zeroCount)) "
                        + "pos=[\(spans(h.positiveSpans))]/[\(h.positiveBuckets.map(hex).joined(separator: " "))] "
                        + "neg=[\(spans(h.negativeSpans))]/[\(h.negativeBuckets.map(hex).joined(separator: " "))]"
                        + customValues(h.customValues))
            } else {
                lines.append("histogram \(head) MISSING")
            }
        }
    }
    return lines
}
