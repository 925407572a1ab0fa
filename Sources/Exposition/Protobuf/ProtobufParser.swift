// ProtobufParser: a pull parser for the protobuf exposition format — the `PrometheusProto`
// scrape protocol, `application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;
// encoding=delimited`: MetricFamily messages, each preceded by its length as a uvarint. It
// yields what Prometheus's model/textparse/protobufparse.go yields, in the same order.

package import MetricModel

/// What one call to ``ProtobufParser/next()`` found.
package enum ProtobufEntry: Sendable, Hashable {
    /// A family's HELP (given for every non-empty family, even with empty text).
    case help(name: String, text: String)
    /// A family's UNIT, only when the family has one.
    case unit(name: String, unit: String)
    /// A family's TYPE.
    case type(name: String, type: MetricType)
    /// A float sample; read it through the parser's accessors (`labels`, `value`, …).
    case series
    /// A native histogram sample; read ``ProtobufParser/histogram`` or
    /// ``ProtobufParser/floatHistogram`` (exactly one is set).
    case histogram
}

/// Parses a protobuf exposition (a stream of delimited `io.prometheus.client.MetricFamily`).
///
/// Per non-empty family it yields `.help`, `.unit` (if set) and `.type`, then per metric:
/// - counter, gauge, untyped: one `.series` with the metric's value;
/// - summary: `_count`, `_sum`, then one series per quantile (`quantile` label);
/// - histogram and gauge histogram: a `.histogram` when the metric has a native part (a span,
///   a zero threshold or a zero count; `ignoreNativeHistograms` off), then the classic series
///   (`_count`, `_sum`, `_bucket{le=…}` up to `+Inf`, added when missing) when it has no native
///   part, or when it has classic buckets and `parseClassicHistograms` is on; with
///   `convertClassicHistogramsToNHCB`, a histogram without a native part is also yielded as a
///   `.histogram` with custom buckets (its classic series then only with `parseClassicHistograms`).
///
/// Labels are `__name__` (with the suffix) plus the metric's labels, sorted, empty values
/// dropped; `le` and `quantile` values are formatted as Prometheus formats them (`1.0`, `+Inf`).
/// A `timestamp_ms` of 0 means none, as in Prometheus.
///
/// ```swift
/// var parser = ProtobufParser(body, options: .init(parseClassicHistograms: true))
/// while let entry = try parser.next() {
///     switch entry {
///     case .series: store(parser.labels, parser.timestamp ?? now, parser.value)
///     case .histogram: store(parser.labels, parser.timestamp ?? now, parser.histogram, parser.floatHistogram)
///     default: break  // metadata
///     }
/// }
/// ```
/// Throws `ExpositionError` (never traps) on malformed wire format (`.invalidProtobuf`), an
/// empty or non-UTF-8 name, non-UTF-8 help or label value (`.invalidUTF8`), an unknown metric
/// type, a repeated label name (`.invalidLabels`), or a native histogram whose spans and
/// buckets disagree or, with `validateHistograms`, that Prometheus's validation refuses
/// (`.invalidHistogram`).
///
/// Complexity: O(n) in the input; labels are built once per yielded series.
package struct ProtobufParser {
    /// What to make of histograms (the scrape config's native-histogram switches).
    package struct Options: Sendable, Hashable {
        /// Treat every histogram as classic (`scrape_native_histograms: false`).
        package var ignoreNativeHistograms: Bool
        /// Also yield the classic series of a histogram that has a native part
        /// (`always_scrape_classic_histograms`).
        package var parseClassicHistograms: Bool
        /// Also yield each classic histogram as a native histogram with custom buckets (NHCB,
        /// schema -53), after its classic series, which are then only yielded with
        /// `parseClassicHistograms` (`convert_classic_histograms_to_nhcb`).
        package var convertClassicHistogramsToNHCB: Bool
        /// Check each native histogram as Prometheus's head appender does (schema, spans,
        /// negative counts, count vs buckets) and throw `.invalidHistogram` if it fails. Turn
        /// off when the caller validates later, after bucket limits have lowered the schema.
        package var validateHistograms: Bool

        /// Options; by default native histograms are parsed, not also as classic, and validated.
        package init(
            ignoreNativeHistograms: Bool = false, parseClassicHistograms: Bool = false,
            convertClassicHistogramsToNHCB: Bool = false, validateHistograms: Bool = true
        ) {
            self.ignoreNativeHistograms = ignoreNativeHistograms
            self.parseClassicHistograms = parseClassicHistograms
            self.convertClassicHistogramsToNHCB = convertClassicHistogramsToNHCB
            self.validateHistograms = validateHistograms
        }
    }

    /// One thing to yield for the current family or metric.
    enum Item: Equatable {
        case help, unit, type
        /// The value of a counter, gauge or untyped metric.
        case value
        case count, sum
        case quantile(Int)
        /// A classic bucket; `index == buckets.count` is the added `+Inf` bucket.
        case bucket(Int)
        case native
        /// A classic histogram converted to custom buckets.
        case nhcb
    }

    let bytes: [UInt8]
    package let options: Options
    /// Where the next MetricFamily's length prefix starts.
    var position = 0
    var family = MetricFamilyMessage()
    var familyName = ""
    var familyType: MetricType = .unknown
    var nextMetric = 0
    var metric = MetricMessage()
    var items: [Item] = []
    var nextItem = 0
    var current: Item = .help

    /// Reused scratch for label assembly.
    var labelScratch = LabelScratch()

    /// The current sample's labels (`__name__` included), valid after `.series` / `.histogram`.
    /// Their bytes are unique per series, a good scrape-cache key.
    package private(set) var labels = Labels.empty
    /// The current sample's metric name, with its `_count`/`_sum`/`_bucket` suffix.
    package private(set) var metricName = ""
    /// The current float sample's value.
    package private(set) var value: Double = 0
    /// The current sample's own timestamp in milliseconds; nil when `timestamp_ms` is 0.
    package private(set) var timestamp: Timestamp? = nil
    /// The current native histogram when it has integer counts.
    package internal(set) var histogram: Histogram? = nil
    /// The current native histogram when it has float counts (`sample_count_float` or
    /// `zero_count_float` positive).
    package internal(set) var floatHistogram: FloatHistogram? = nil

    /// A parser over `bytes` (shared, not copied).
    package init(_ bytes: [UInt8], options: Options = Options()) {
        self.bytes = bytes
        self.options = options
    }

    /// The type of the current family.
    package var metricType: MetricType { familyType }

    /// The created (start) timestamp of the current counter, summary or histogram in
    /// milliseconds; nil when absent or 0, as Prometheus treats 0.
    package var createdTimestamp: Timestamp? {
        let start: TimestampMessage?
        switch familyType {
        case .counter: start = metric.counterStart
        case .summary: start = metric.summary.start
        case .histogram, .gaugeHistogram: start = metric.histogram.start
        default: start = nil
        }
        guard let ms = start?.milliseconds, ms != 0 else { return nil }
        return ms
    }

    /// The next entry; nil at the end of the input.
    package mutating func next() throws(ExpositionError) -> ProtobufEntry? {
        while true {
            if nextItem < items.count {
                current = items[nextItem]
                nextItem += 1
                return try emit(current)
            }
            if nextMetric < family.metrics.count {
                try decodeMetric()
                planMetric()
                continue
            }
            if position >= bytes.count { return nil }
            try decodeFamily()
        }
    }

    // MARK: Decoding

    private mutating func decodeFamily() throws(ExpositionError) {
        var reader = ProtobufReader(bytes, position..<bytes.count)
        let start = position
        let length = try reader.varint()
        guard reader.offset - start <= 5 else {
            throw ExpositionError(.invalidProtobuf, "clientpb: invalid varint encountered", byteOffset: start)
        }
        guard length <= UInt64(bytes.count - reader.offset) else {
            throw ExpositionError(
                .invalidProtobuf,
                "clientpb: insufficient length of buffer, expected at least \(UInt64(reader.offset - start) + length) "
                    + "bytes, got \(bytes.count - start) bytes", byteOffset: start)
        }
        let body = reader.offset..<(reader.offset + Int(length))
        position = body.upperBound
        var inner = ProtobufReader(bytes, body)
        try family.decode(&inner)
        nextMetric = 0
        items.removeAll(keepingCapacity: true)
        nextItem = 0
        // Empty families yield nothing, not even metadata.
        if family.metrics.isEmpty { return }
        try decodeMetric()

        let name = family.name
        guard !name.isEmpty, GoQuote.isValidUTF8(bytes, name) else {
            throw ExpositionError(
                .invalidUTF8, "invalid metric name: \(String(decoding: bytes[name], as: UTF8.self))",
                byteOffset: name.lowerBound)
        }
        familyName = String(decoding: bytes[name], as: UTF8.self)
        guard GoQuote.isValidUTF8(bytes, family.help) else {
            throw ExpositionError(
                .invalidUTF8, "invalid help for metric \"\(familyName)\"", byteOffset: family.help.lowerBound)
        }
        switch family.type {
        case 0: familyType = .counter
        case 1: familyType = .gauge
        case 2: familyType = .summary
        case 3: familyType = .unknown
        case 4: familyType = .histogram
        case 5: familyType = .gaugeHistogram
        default:
            throw ExpositionError(
                .invalidMetricType, "unknown metric type for metric \"\(familyName)\": \(family.type)",
                byteOffset: name.lowerBound)
        }
        items.append(.help)
        if !family.unit.isEmpty { items.append(.unit) }
        items.append(.type)
        planMetric()
    }

    private mutating func decodeMetric() throws(ExpositionError) {
        var reader = ProtobufReader(bytes, family.metrics[nextMetric])
        nextMetric += 1
        try metric.decode(&reader)
    }

    /// Appends the entries of the metric just decoded (Prometheus's order).
    private mutating func planMetric() {
        if nextItem == items.count {
            items.removeAll(keepingCapacity: true)
            nextItem = 0
        }
        switch familyType {
        case .counter, .gauge, .unknown:
            items.append(.value)
        case .summary:
            items.append(.count)
            items.append(.sum)
            for k in metric.summary.quantiles.indices { items.append(.quantile(k)) }
        case .histogram, .gaugeHistogram:
            let h = metric.histogram
            let native = !options.ignoreNativeHistograms && h.isNative
            let convert = !native && options.convertClassicHistogramsToNHCB
            if native { items.append(.native) }
            let classicSeries =
                native
                ? options.parseClassicHistograms && !h.buckets.isEmpty
                : !options.convertClassicHistogramsToNHCB || options.parseClassicHistograms
            if classicSeries {
                items.append(.count)
                items.append(.sum)
                // Buckets up to the first +Inf one; a +Inf bucket is added when there is none.
                var k = 0
                while true {
                    items.append(.bucket(k))
                    if k >= h.buckets.count || h.buckets[k].upperBound == .infinity { break }
                    k += 1
                }
            }
            if convert { items.append(.nhcb) }
        default:
            break
        }
    }

    // MARK: Entries

    private mutating func emit(_ item: Item) throws(ExpositionError) -> ProtobufEntry {
        histogram = nil
        floatHistogram = nil
        switch item {
        case .help:
            return .help(name: familyName, text: String(decoding: bytes[family.help], as: UTF8.self))
        case .unit:
            return .unit(name: familyName, unit: String(decoding: bytes[family.unit], as: UTF8.self))
        case .type:
            return .type(name: familyName, type: familyType)
        default:
            break
        }
        timestamp = metric.timestampMs != 0 ? metric.timestampMs : nil
        let h = metric.histogram
        var suffix = ""
        var special: (name: String, value: String)? = nil
        switch item {
        case .value:
            switch familyType {
            case .counter: value = metric.counter
            case .gauge: value = metric.gauge
            default: value = metric.untyped
            }
        case .count:
            suffix = "_count"
            value = familyType == .summary ? Double(metric.summary.sampleCount) : h.count
        case .sum:
            suffix = "_sum"
            value = familyType == .summary ? metric.summary.sampleSum : h.sampleSum
        case .quantile(let k):
            let q = metric.summary.quantiles[k]
            value = q.value
            special = ("quantile", OpenMetricsFloat.format(q.quantile))
        case .bucket(let k):
            suffix = "_bucket"
            if k < h.buckets.count {
                value = h.buckets[k].count
                special = ("le", OpenMetricsFloat.format(h.buckets[k].upperBound))
            } else {
                value = h.count
                special = ("le", "+Inf")
            }
        case .native:
            try buildNativeHistogram()
        case .nhcb:
            try buildCustomBucketsHistogram()
        case .help, .unit, .type:
            break
        }
        metricName = suffix.isEmpty ? familyName : familyName + suffix
        labels = try labelScratch.labels(
            bytes, metricName: metricName, pairs: metric.labels, special: special)
        return item == .native || item == .nhcb ? .histogram : .series
    }
}
