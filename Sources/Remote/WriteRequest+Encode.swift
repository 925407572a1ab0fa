// Encoding a WriteRequest: for tests, benchmarks and (later) the remote-write sender.

package import MetricModel

extension WriteRequest {
    /// Encodes series as an uncompressed protobuf `prometheus.WriteRequest`.
    ///
    /// Labels are written in the order given by `labels` (sorted for a valid `Labels`);
    /// `rawLabels` lets tests send invalid label lists.
    package static func encode(_ series: [(labels: [(String, String)], samples: [Sample])]) -> [UInt8] {
        var out: [UInt8] = []
        var ts: [UInt8] = []
        var item: [UInt8] = []
        for (labels, samples) in series {
            ts.removeAll(keepingCapacity: true)
            for (name, value) in labels {
                item.removeAll(keepingCapacity: true)
                appendString(field: 1, Array(name.utf8), &item)
                appendString(field: 2, Array(value.utf8), &item)
                appendBytes(field: 1, item, &ts)
            }
            for sample in samples {
                item.removeAll(keepingCapacity: true)
                item.append(0x09)  // field 1, fixed64
                var bits = sample.value.bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { item.append(contentsOf: $0) }
                item.append(0x10)  // field 2, varint
                appendVarint(UInt64(bitPattern: sample.timestamp), &item)
                appendBytes(field: 2, item, &ts)
            }
            appendBytes(field: 1, ts, &out)
        }
        return out
    }

    /// Encodes `Labels` values (already sorted).
    package static func encode(_ series: [(Labels, [Sample])]) -> [UInt8] {
        encode(series.map { (labels: $0.0.pairs.map { ($0.name, $0.value) }, samples: $0.1) })
    }

    static func appendVarint(_ value: UInt64, _ out: inout [UInt8]) {
        var n = value
        while n >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        out.append(UInt8(n))
    }

    static func appendBytes(field: UInt64, _ bytes: [UInt8], _ out: inout [UInt8]) {
        appendVarint(field << 3 | 2, &out)
        appendVarint(UInt64(bytes.count), &out)
        out.append(contentsOf: bytes)
    }

    static func appendString(field: UInt64, _ bytes: [UInt8], _ out: inout [UInt8]) {
        appendBytes(field: field, bytes, &out)
    }
}
