// ProtobufParser+Labels: the label set of one protobuf sample — `__name__`, the metric's
// LabelPairs (validated as Prometheus's decoder validates them) and `le`/`quantile` — sorted,
// empty values dropped, repeated names refused; plus the exemplars of the current sample.

package import MetricModel

/// Reusable scratch space for assembling a protobuf sample's labels.
struct LabelScratch {
    /// One label: its name and value, in the input or in `extra`.
    struct Part {
        var inExtra: Bool
        var name: Range<Int>
        var value: Range<Int>
    }

    private var parts: [Part] = []
    private var extra: [UInt8] = []
    private var out: [UInt8] = []
    private static let nameLabel = Array("__name__".utf8)

    /// The sorted label set of a sample.
    ///
    /// - Parameters:
    ///   - pairs: payloads of the metric's `LabelPair` messages.
    ///   - special: the `le` or `quantile` label of a classic bucket or quantile series.
    /// - Throws: `.invalidUTF8` for an empty or non-UTF-8 label name or a non-UTF-8 value,
    ///   `.invalidLabels` for a name given twice (with non-empty values).
    mutating func labels(
        _ bytes: [UInt8], metricName: String, pairs: [Range<Int>], special: (name: String, value: String)?
    ) throws(ExpositionError) -> Labels {
        parts.removeAll(keepingCapacity: true)
        extra.removeAll(keepingCapacity: true)
        add(Self.nameLabel, Array(metricName.utf8))
        if let special { add(Array(special.name.utf8), Array(special.value.utf8)) }
        for payload in pairs {
            var reader = ProtobufReader(bytes, payload)
            let (name, value) = try LabelPairMessage.decode(&reader)
            guard !name.isEmpty, GoQuote.isValidUTF8(bytes, name) else {
                throw ExpositionError(
                    .invalidUTF8, "invalid label name: \(String(decoding: bytes[name], as: UTF8.self))",
                    byteOffset: payload.lowerBound)
            }
            guard GoQuote.isValidUTF8(bytes, value) else {
                throw ExpositionError(
                    .invalidUTF8, "invalid label value: \(String(decoding: bytes[value], as: UTF8.self))",
                    byteOffset: payload.lowerBound)
            }
            parts.append(Part(inExtra: false, name: name, value: value))
        }
        // Label sets are small: insertion sort by name bytes.
        var i = 1
        while i < parts.count {
            let x = parts[i]
            var j = i - 1
            while j >= 0 && compareNames(parts[j], x, bytes) > 0 {
                parts[j + 1] = parts[j]
                j -= 1
            }
            parts[j + 1] = x
            i += 1
        }
        out.removeAll(keepingCapacity: true)
        var previous: Part? = nil
        for part in parts where !part.value.isEmpty {
            if let previous, compareNames(previous, part, bytes) == 0 {
                let name = part.inExtra ? extra[part.name] : bytes[part.name]
                throw ExpositionError(
                    .invalidLabels, "label name \"\(String(decoding: name, as: UTF8.self))\" is not unique: invalid sample",
                    byteOffset: part.name.lowerBound)
            }
            previous = part
            if part.inExtra {
                LabelsEncoding.appendString(extra[part.name], to: &out)
                LabelsEncoding.appendString(extra[part.value], to: &out)
            } else {
                LabelsEncoding.appendString(bytes[part.name], to: &out)
                LabelsEncoding.appendString(bytes[part.value], to: &out)
            }
        }
        return Labels(encoded: out)
    }

    private mutating func add(_ name: [UInt8], _ value: [UInt8]) {
        let n = extra.count..<(extra.count + name.count)
        extra.append(contentsOf: name)
        let v = extra.count..<(extra.count + value.count)
        extra.append(contentsOf: value)
        parts.append(Part(inExtra: true, name: n, value: v))
    }

    private func compareNames(_ a: Part, _ b: Part, _ bytes: [UInt8]) -> Int {
        let x = a.inExtra ? extra[a.name] : bytes[a.name]
        let y = b.inExtra ? extra[b.name] : bytes[b.name]
        var i = x.startIndex
        var j = y.startIndex
        while i < x.endIndex && j < y.endIndex {
            if x[i] != y[j] { return x[i] < y[j] ? -1 : 1 }
            i += 1
            j += 1
        }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }
}

extension ProtobufParser {
    /// The exemplars of the current sample, as Prometheus's `Exemplar()` returns them one by one:
    /// - a counter: its exemplar, if it has one;
    /// - a classic `_bucket` series: that bucket's exemplar, with or without timestamp;
    /// - a native histogram (or one converted from classic buckets): the histogram's `exemplars` that have a timestamp, or, when that
    ///   field is empty, the buckets' exemplars that have one;
    /// - anything else: none.
    ///
    /// Labels are sorted; timestamps are milliseconds (`seconds*1000 + nanos/1e6`).
    package func exemplars() throws(ExpositionError) -> [Exemplar] {
        switch current {
        case .value:
            guard familyType == .counter, !metric.counterExemplar.isEmpty else { return [] }
            return [try makeExemplar(metric.counterExemplar)]
        case .bucket(let k):
            let buckets = metric.histogram.buckets
            guard k < buckets.count, !buckets[k].exemplar.isEmpty else { return [] }
            return [try makeExemplar(buckets[k].exemplar)]
        case .native, .nhcb:
            var result: [Exemplar] = []
            let h = metric.histogram
            if !h.exemplars.isEmpty {
                for payload in h.exemplars {
                    let e = try makeExemplar([payload])
                    if e.timestamp != nil { result.append(e) }
                }
            } else {
                for bucket in h.buckets where !bucket.exemplar.isEmpty {
                    let e = try makeExemplar(bucket.exemplar)
                    if e.timestamp != nil { result.append(e) }
                }
            }
            return result
        default:
            return []
        }
    }

    private func makeExemplar(_ payloads: [Range<Int>]) throws(ExpositionError) -> Exemplar {
        let message = try ExemplarMessage.decode(bytes, payloads)
        var pairs: [(String, String)] = []
        for (name, value) in message.labels {
            pairs.append((String(decoding: bytes[name], as: UTF8.self), String(decoding: bytes[value], as: UTF8.self)))
        }
        return Exemplar(labels: Labels(pairs), value: message.value, timestamp: message.timestamp?.milliseconds)
    }
}
