// Encoding a WriteRequest: for tests, benchmarks and (later) the remote-write sender.

package import MetricModel

extension WriteRequest {
    /// Encodes series as an uncompressed protobuf `prometheus.WriteRequest`.
    ///
    /// Labels are written in the order given by `labels` (sorted for a valid `Labels`);
    /// `rawLabels` lets tests send invalid label lists.
    package static func encode(_ series: [(labels: [(String, String)], samples: [Sample])]) -> [UInt8] {
        encode(series.map { (labels: $0.labels, samples: $0.samples, histograms: []) })
    }

    /// Encodes series with native histograms (TimeSeries field 4) as a `prometheus.WriteRequest`.
    package static func encode(
        _ series: [(labels: [(String, String)], samples: [Sample], histograms: [(Timestamp, DecodedHistogram.Value)])]
    ) -> [UInt8] {
        var out: [UInt8] = []
        var ts: [UInt8] = []
        var item: [UInt8] = []
        for (labels, samples, histograms) in series {
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
            for (timestamp, histogram) in histograms {
                item.removeAll(keepingCapacity: true)
                appendHistogram(histogram, timestamp: timestamp, &item)
                appendBytes(field: 4, item, &ts)
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

    /// A `Histogram` message (the same in 1.0 and 2.0): integer histograms with `count_int`,
    /// `zero_count_int` and packed sint64 deltas, float ones with the float fields and packed doubles.
    package static func appendHistogram(_ value: DecodedHistogram.Value, timestamp: Timestamp, _ out: inout [UInt8]) {
        func key(_ field: UInt64, _ wire: UInt64) { appendVarint(field << 3 | wire, &out) }
        func double(_ field: UInt64, _ v: Double) {
            key(field, 1)
            withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        }
        func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
        func spans(_ field: UInt64, _ spans: [BucketSpan]) {
            for span in spans {
                var item: [UInt8] = []
                item.append(0x08)
                appendVarint(zigzag(Int64(span.offset)), &item)
                item.append(0x10)
                appendVarint(UInt64(span.length), &item)
                appendBytes(field: field, item, &out)
            }
        }
        func packed(_ field: UInt64, _ values: [Int64]) {
            guard !values.isEmpty else { return }
            var item: [UInt8] = []
            for v in values { appendVarint(zigzag(v), &item) }
            appendBytes(field: field, item, &out)
        }
        func packed(_ field: UInt64, _ values: [Double]) {
            guard !values.isEmpty else { return }
            var item: [UInt8] = []
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { item.append(contentsOf: $0) } }
            appendBytes(field: field, item, &out)
        }
        let schema: Int32
        let hint: CounterResetHint
        switch value {
        case .integer(let h):
            key(1, 0)
            appendVarint(h.count, &out)
            double(3, h.sum)
            schema = h.schema
            hint = h.counterResetHint
            key(4, 0)
            appendVarint(zigzag(Int64(schema)), &out)
            double(5, h.zeroThreshold)
            key(6, 0)
            appendVarint(h.zeroCount, &out)
            spans(8, h.negativeSpans)
            packed(9, h.negativeBuckets)
            spans(11, h.positiveSpans)
            packed(12, h.positiveBuckets)
            packed(16, h.customValues)
        case .float(let h):
            double(2, h.count)
            double(3, h.sum)
            schema = h.schema
            hint = h.counterResetHint
            key(4, 0)
            appendVarint(zigzag(Int64(schema)), &out)
            double(5, h.zeroThreshold)
            double(7, h.zeroCount)
            spans(8, h.negativeSpans)
            packed(10, h.negativeBuckets)
            spans(11, h.positiveSpans)
            packed(13, h.positiveBuckets)
            packed(16, h.customValues)
        }
        key(14, 0)
        appendVarint(UInt64(hint.rawValue), &out)
        key(15, 0)
        appendVarint(UInt64(bitPattern: timestamp), &out)
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
    /// Native histograms to include, with their timestamps.
    package var histograms: [(Timestamp, DecodedHistogram.Value)]
    /// Exemplars to include, with no labels of their own.
    package var exemplars: [Sample] = []
    /// Metric type number (`Metadata.MetricType`), help and unit.
    package var metadata: (type: UInt64, help: String, unit: String)?

    package init(
        labels: [(String, String)], samples: [Sample], histograms: [(Timestamp, DecodedHistogram.Value)] = [],
        exemplars: [Sample] = [],
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
            for (timestamp, histogram) in s.histograms {
                item.removeAll(keepingCapacity: true)
                appendHistogram(histogram, timestamp: timestamp, &item)
                appendBytes(field: 3, item, &ts)
            }
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
