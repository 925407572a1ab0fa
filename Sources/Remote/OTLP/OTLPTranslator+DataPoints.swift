// OTLPTranslator+DataPoints: one OTLP metric's data points as Prometheus samples
// (Prometheus's number_data_points.go and helper.go: addHistogramDataPoints, addSummaryDataPoints).

internal import MetricModel
internal import WireFormat

extension OTLPTranslator {
    /// The label data points never take from their attributes: Prometheus sets it.
    static let reservedAttributes: Set<String> = [Labels.metricNameLabel]

    /// The earliest and latest `time_unix_nano` of the metric's points, or nil without points.
    static func timeRange(_ metric: OTLPMetric) -> (earliest: UInt64, latest: UInt64)? {
        let times: [UInt64]
        switch metric.data {
        case .gauge(let g): times = g.dataPoints.map(\.timeUnixNano)
        case .sum(let s): times = s.dataPoints.map(\.timeUnixNano)
        case .histogram(let h): times = h.dataPoints.map(\.timeUnixNano)
        case .exponentialHistogram(let e): times = e.dataPoints.map(\.timeUnixNano)
        case .summary(let s): times = s.dataPoints.map(\.timeUnixNano)
        case nil: times = []
        }
        guard let earliest = times.min(), let latest = times.max() else { return nil }
        return (earliest, latest)
    }

    /// The metric's kind for the naming rules.
    static func kind(of metric: OTLPMetric) -> OTLPMetricKind {
        switch metric.data {
        case .gauge: .gauge
        case .sum(let s): s.isMonotonic ? .monotonicCounter : .nonMonotonicCounter
        case .histogram: .histogram
        case .exponentialHistogram: .exponentialHistogram
        case .summary: .summary
        case nil: .unknown
        }
    }

    /// Translates one metric: checks its temporality, names it and adds its points' samples.
    mutating func translate(_ metric: OTLPMetric) throws(RemoteWriteError) {
        guard let data = metric.data else {
            throw RemoteWriteError(
                "could not get aggregation temporality for \(metric.name) as it has unsupported metric type Empty")
        }
        let temporality: Opentelemetry_Proto_Metrics_V1_AggregationTemporality? =
            switch data {
            case .sum(let s): s.aggregationTemporality
            case .histogram(let h): h.aggregationTemporality
            case .exponentialHistogram(let e): e.aggregationTemporality
            case .gauge, .summary: nil
            }
        // Only cumulative data is Prometheus data; delta would need converting (Prometheus's
        // --enable-feature=otlp-deltatocumulative), which Sugarmill does not do.
        if let temporality, temporality != .cumulative {
            throw RemoteWriteError("invalid temporality and type combination for metric \(goQuote(metric.name))")
        }
        let name = try metricNamer.name(metric.name, unit: metric.unit, kind: Self.kind(of: metric))
        switch data {
        case .gauge(let gauge):
            guard noteFamily(metric, name, type: "gauge", points: gauge.dataPoints.count) else { return }
            for point in gauge.dataPoints { try addNumber(point, name) }
        case .sum(let sum):
            guard noteFamily(metric, name, type: sum.isMonotonic ? "counter" : "gauge", points: sum.dataPoints.count)
            else { return }
            for point in sum.dataPoints { try addNumber(point, name) }
        case .histogram(let histogram):
            guard noteFamily(metric, name, type: "histogram", points: histogram.dataPoints.count) else { return }
            for point in histogram.dataPoints { try addHistogram(point, name) }
        case .summary(let summary):
            guard noteFamily(metric, name, type: "summary", points: summary.dataPoints.count) else { return }
            for point in summary.dataPoints { try addSummary(point, name) }
        case .exponentialHistogram(let histogram):
            guard noteFamily(metric, name, type: "histogram", points: histogram.dataPoints.count) else { return }
            for point in histogram.dataPoints { try addExponentialHistogram(point, name) }
        }
    }

    /// Records the family's metadata; false (with Prometheus's warning) when it has no points.
    private mutating func noteFamily(_ metric: OTLPMetric, _ name: String, type: String, points: Int) -> Bool {
        guard points > 0 else {
            result.warnings.append("empty data points. \(metric.name) is dropped")
            return false
        }
        if isNewFamily(name) {
            result.metadata.append(
                SeriesMetadata(metricName: name, type: type, help: metric.description_p, unit: OTLPUnit.promName(metric.unit)))
        }
        return true
    }

    /// The value to store: the staleness marker when the point has no recorded value.
    private static func value(_ value: Double, flags: UInt32) -> Double {
        flags & UInt32(Opentelemetry_Proto_Metrics_V1_DataPointFlags.noRecordedValueMask.rawValue) != 0 ? StaleNaN.value : value
    }

    private mutating func addNumber(_ point: Opentelemetry_Proto_Metrics_V1_NumberDataPoint, _ name: String)
        throws(RemoteWriteError)
    {
        let base = try baseLabels(point.attributes, ignoring: Self.reservedAttributes)
        let raw: Double =
            switch point.value {
            case .asInt(let i): Double(i)
            case .asDouble(let d): d
            case nil: 0
            }
        addSample(name, base, timeNanos: point.timeUnixNano, Self.value(raw, flags: point.flags))
    }

    /// `_sum` (when the point has one), `_count`, then cumulative `_bucket{le=…}` ending in `+Inf`.
    private mutating func addHistogram(_ point: Opentelemetry_Proto_Metrics_V1_HistogramDataPoint, _ name: String)
        throws(RemoteWriteError)
    {
        let base = try baseLabels(point.attributes, ignoring: Self.reservedAttributes)
        let time = point.timeUnixNano
        let flags = point.flags
        if point.hasSum { addSample(name + "_sum", base, timeNanos: time, Self.value(point.sum, flags: flags)) }
        addSample(name + "_count", base, timeNanos: time, Self.value(Double(point.count), flags: flags))
        // OTLP counts are per bucket; Prometheus's are cumulative.
        var cumulative: UInt64 = 0
        for i in 0..<min(point.explicitBounds.count, point.bucketCounts.count) {
            cumulative &+= point.bucketCounts[i]
            let le = goFormatShortest(point.explicitBounds[i], exponent: false)
            addSample(name + "_bucket", base, extra: ("le", le), timeNanos: time, Self.value(Double(cumulative), flags: flags))
        }
        addSample(name + "_bucket", base, extra: ("le", "+Inf"), timeNanos: time, Self.value(Double(point.count), flags: flags))
    }

    /// `_sum`, `_count`, then one sample per quantile with a `quantile` label.
    private mutating func addSummary(_ point: Opentelemetry_Proto_Metrics_V1_SummaryDataPoint, _ name: String)
        throws(RemoteWriteError)
    {
        let base = try baseLabels(point.attributes, ignoring: Self.reservedAttributes)
        let time = point.timeUnixNano
        let flags = point.flags
        addSample(name + "_sum", base, timeNanos: time, Self.value(point.sum, flags: flags))
        addSample(name + "_count", base, timeNanos: time, Self.value(Double(point.count), flags: flags))
        for quantile in point.quantileValues {
            let q = goFormatShortest(quantile.quantile, exponent: false)
            addSample(name, base, extra: ("quantile", q), timeNanos: time, Self.value(quantile.value, flags: flags))
        }
    }
}
