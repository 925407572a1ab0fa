// FederationWriter: the body of a /federate answer — federated samples, already in name order,
// grouped into metric families and written in the negotiated format as Prometheus's
// web/federate.go groups and writes them.

internal import Exposition
package import MetricModel

/// The newest sample of a federated series: a float, or a native histogram with float counts
/// (integer histograms are converted, as Prometheus's federation converts them).
enum FederatedValue {
    case float(Double)
    case histogram(FloatHistogram)

    /// Whether this is a stale marker, which no exposition format can carry.
    var isStale: Bool {
        switch self {
        case .float(let v): return StaleNaN.isStale(v)
        case .histogram(let h): return StaleNaN.isStale(h.sum)
        }
    }
}

/// Writes federated samples in one format, starting a family wherever Prometheus starts one.
///
/// A family holds one kind of sample: a new one starts when the metric name changes, when
/// floats give way to histograms or back, and when a histogram's gauge-ness (counter-reset hint
/// `gauge`) changes — so one name can have several families, which Prometheus accepts from
/// federation. Floats are `untyped`; histograms `histogram` or `gauge_histogram`. In the text
/// format native histograms are left out (it cannot express them) and custom-bucket ones are
/// written as classic histograms, as everywhere.
///
/// ```swift
/// var writer = FederationWriter(format: .protobufDelimited, external: [("instance", "")])
/// writer.append(labels, timestamp, .histogram(h))
/// let body = writer.finish()
/// ```
struct FederationWriter {
    let format: FederationFormat
    /// External labels (with `instance`), sorted by name: added to a series without them.
    let external: [(name: String, value: String)]
    private var text: [UInt8] = []
    private var protobuf = MetricFamilyEncoder()
    /// The open family: its name, and whether it holds histograms and gauge histograms.
    private var family: (name: String, histograms: Bool, gauge: Bool)?

    init(format: FederationFormat, external: [(name: String, value: String)]) {
        self.format = format
        self.external = external
    }

    /// Adds a series' sample (not a stale marker); samples must come in metric-name order.
    mutating func append(_ labels: Labels, _ timestamp: Timestamp, _ value: FederatedValue) {
        var histogram: FloatHistogram? = nil
        if case .histogram(let h) = value {
            if format == .text && !h.usesCustomBuckets { return }
            histogram = h
        }
        // Nameless series cannot be exposed.
        guard let name = labels.metricName, !name.isEmpty else { return }
        let gauge = histogram?.counterResetHint == .gauge
        let sameFamily = family.map { open in
            open.name == name && open.histograms == (histogram != nil) && (histogram == nil || open.gauge == gauge)
        }
        if sameFamily != true { startFamily(name, histograms: histogram != nil, gauge: gauge) }
        let pairs = Self.exposedLabels(labels, external: external)
        switch (format, value) {
        case (.text, .float(let v)):
            appendTextSample(name, pairs, nil, v, timestamp)
        case (.text, .histogram(let h)):
            let buckets = Self.classicBuckets(h)
            for bucket in buckets {
                appendTextSample(name + "_bucket", pairs, goFormatG(bucket.upperBound), bucket.cumulativeCount, timestamp)
            }
            if !buckets.contains(where: { $0.upperBound == .infinity }) {
                appendTextSample(name + "_bucket", pairs, "+Inf", h.count, timestamp)
            }
            appendTextSample(name + "_sum", pairs, nil, h.sum, timestamp)
            appendTextSample(name + "_count", pairs, nil, h.count, timestamp)
        case (.protobufDelimited, _):
            protobuf.startMetric()
            for (n, v) in pairs { protobuf.appendLabel(name: n, value: v) }
            switch value {
            case .float(let v):
                protobuf.finishMetric(untyped: v, timestampMs: timestamp)
            case .histogram(let h) where h.usesCustomBuckets:
                protobuf.finishMetric(classicHistogram: Self.classicBuckets(h), count: h.count, sum: h.sum, timestampMs: timestamp)
            case .histogram(let h):
                protobuf.finishMetric(nativeHistogram: h, timestampMs: timestamp)
            }
        }
    }

    /// The answer's bytes.
    mutating func finish() -> [UInt8] {
        switch format {
        case .text:
            return text
        case .protobufDelimited:
            protobuf.finishFamily()
            return protobuf.bytes
        }
    }

    private mutating func startFamily(_ name: String, histograms: Bool, gauge: Bool) {
        family = (name, histograms, gauge)
        switch format {
        case .text:
            // The text format has one histogram type for both.
            text.append(contentsOf: Array("# TYPE \(name) \(histograms ? "histogram" : "untyped")\n".utf8))
        case .protobufDelimited:
            protobuf.startFamily(name: name, type: histograms ? (gauge ? .gaugeHistogram : .histogram) : .untyped)
        }
    }

    /// The labels a federated series is exposed with: its own in order, without `__name__` and
    /// empty values, then each external label it lacks (an empty value counts as lacking).
    static func exposedLabels(_ labels: Labels, external: [(name: String, value: String)]) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for (n, value) in labels.pairs where n != Labels.metricNameLabel && !value.isEmpty { pairs.append((n, value)) }
        for (n, value) in external where labels[n].map({ $0.isEmpty }) ?? true { pairs.append((n, value)) }
        return pairs
    }

    /// A custom-bucket histogram as classic cumulative buckets, one per custom bound (Prometheus's
    /// `makeClassicHistogram`): the `+Inf` bucket is not among them; it is the count.
    static func classicBuckets(_ h: FloatHistogram) -> [(upperBound: Double, cumulativeCount: Double)] {
        var perBound = [Double](repeating: 0, count: h.customValues.count)
        var index = 0
        var position = 0
        for span in h.positiveSpans {
            index += Int(span.offset)
            for _ in 0..<span.length {
                if position < h.positiveBuckets.count, index >= 0, index < perBound.count {
                    perBound[index] += h.positiveBuckets[position]
                }
                position += 1
                index += 1
            }
        }
        var cumulative = 0.0
        return zip(h.customValues, perBound).map { bound, count in
            cumulative += count
            return (bound, cumulative)
        }
    }

    /// One line of the text format: `name{labels,le="…"} value timestamp`.
    private mutating func appendTextSample(
        _ name: String, _ pairs: [(String, String)], _ le: String?, _ value: Double, _ timestamp: Timestamp
    ) {
        text.append(contentsOf: Array(name.utf8))
        var first = true
        func startLabel(_ n: String) {
            text.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            text.append(contentsOf: Array(n.utf8))
            text.append(contentsOf: Array("=\"".utf8))
        }
        for (n, v) in pairs {
            startLabel(n)
            PrometheusAPI.appendEscapedLabelValue(v, to: &text)
            text.append(UInt8(ascii: "\""))
        }
        if let le {
            startLabel("le")
            text.append(contentsOf: Array(le.utf8))
            text.append(UInt8(ascii: "\""))
        }
        if !first { text.append(UInt8(ascii: "}")) }
        text.append(contentsOf: Array(" \(goFormatG(value)) \(timestamp)\n".utf8))
    }
}
