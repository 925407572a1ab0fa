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
                appendSample(sample, &item)
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

/// One series of a remote write 2.0 request to encode.
package struct V2Series: Sendable {
    package var labels: [(String, String)]
    package var samples: [Sample]
    /// Empty native histograms to include (the receiver counts them, for tests).
    package var histograms = 0
    /// Exemplars to include, with no labels of their own.
    package var exemplars: [Sample] = []
    /// Metric type number (`Metadata.MetricType`), help and unit.
    package var metadata: (type: UInt64, help: String, unit: String)?

    package init(
        labels: [(String, String)], samples: [Sample], histograms: Int = 0, exemplars: [Sample] = [],
        metadata: (type: UInt64, help: String, unit: String)? = nil
    ) {
        self.labels = labels
        self.samples = samples
        self.histograms = histograms
        self.exemplars = exemplars
        self.metadata = metadata
    }
}

extension WriteRequest {
    /// Encodes series as an uncompressed `io.prometheus.write.v2.Request`: a symbol table
    /// starting with "" and label references into it, in the order given.
    package static func encodeV2(_ series: [V2Series]) -> [UInt8] {
        var symbols: [String] = [""]
        var index: [String: UInt64] = ["": 0]
        func ref(_ s: String) -> UInt64 {
            if let i = index[s] { return i }
            index[s] = UInt64(symbols.count)
            symbols.append(s)
            return UInt64(symbols.count - 1)
        }
        var body: [UInt8] = []
        var ts: [UInt8] = []
        var item: [UInt8] = []
        for s in series {
            ts.removeAll(keepingCapacity: true)
            item.removeAll(keepingCapacity: true)
            for (name, value) in s.labels {
                appendVarint(ref(name), &item)
                appendVarint(ref(value), &item)
            }
            appendBytes(field: 1, item, &ts)
            for sample in s.samples {
                item.removeAll(keepingCapacity: true)
                appendSample(sample, &item)
                appendBytes(field: 2, item, &ts)
            }
            for _ in 0..<s.histograms { appendBytes(field: 3, [], &ts) }
            for exemplar in s.exemplars {
                item.removeAll(keepingCapacity: true)
                item.append(0x11)  // field 2, fixed64
                var bits = exemplar.value.bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { item.append(contentsOf: $0) }
                item.append(0x18)  // field 3, varint
                appendVarint(UInt64(bitPattern: exemplar.timestamp), &item)
                appendBytes(field: 4, item, &ts)
            }
            if let m = s.metadata {
                item.removeAll(keepingCapacity: true)
                item.append(0x08)
                appendVarint(m.type, &item)
                item.append(0x18)
                appendVarint(ref(m.help), &item)
                item.append(0x20)
                appendVarint(ref(m.unit), &item)
                appendBytes(field: 5, item, &ts)
            }
            appendBytes(field: 5, ts, &body)
        }
        var out: [UInt8] = []
        for symbol in symbols { appendString(field: 4, Array(symbol.utf8), &out) }
        return out + body
    }

    static func appendSample(_ sample: Sample, _ item: inout [UInt8]) {
        item.append(0x09)  // field 1, fixed64
        var bits = sample.value.bitPattern.littleEndian
        withUnsafeBytes(of: &bits) { item.append(contentsOf: $0) }
        item.append(0x10)  // field 2, varint
        appendVarint(UInt64(bitPattern: sample.timestamp), &item)
    }
}
