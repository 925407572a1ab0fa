// Builders for OTLP test requests.

import Remote
import WireFormat

typealias KeyValue = Opentelemetry_Proto_Common_V1_KeyValue
typealias AnyValue = Opentelemetry_Proto_Common_V1_AnyValue
typealias Metric = Opentelemetry_Proto_Metrics_V1_Metric
typealias NumberPoint = Opentelemetry_Proto_Metrics_V1_NumberDataPoint
typealias HistogramPoint = Opentelemetry_Proto_Metrics_V1_HistogramDataPoint
typealias SummaryPoint = Opentelemetry_Proto_Metrics_V1_SummaryDataPoint

/// 2023-11-14T22:13:20Z in nanoseconds, and the same in milliseconds.
let baseNanos: UInt64 = 1_700_000_000_000_000_000
let baseMs: Int64 = 1_700_000_000_000

func kv(_ key: String, _ value: String) -> KeyValue {
    var pair = KeyValue()
    pair.key = key
    pair.value.stringValue = value
    return pair
}

func kv(_ key: String, _ value: AnyValue) -> KeyValue {
    var pair = KeyValue()
    pair.key = key
    pair.value = value
    return pair
}

func numberPoint(_ value: Double, at nanos: UInt64 = baseNanos, _ attributes: [KeyValue] = [], flags: UInt32 = 0) -> NumberPoint {
    var point = NumberPoint()
    point.asDouble = value
    point.timeUnixNano = nanos
    point.startTimeUnixNano = nanos >= 60_000_000_000 ? nanos - 60_000_000_000 : 0
    point.attributes = attributes
    point.flags = flags
    return point
}

func gauge(_ name: String, unit: String = "", _ points: [NumberPoint]) -> Metric {
    var metric = Metric()
    metric.name = name
    metric.unit = unit
    metric.gauge.dataPoints = points
    return metric
}

func sum(
    _ name: String, unit: String = "", monotonic: Bool = true,
    temporality: Opentelemetry_Proto_Metrics_V1_AggregationTemporality = .cumulative, _ points: [NumberPoint]
) -> Metric {
    var metric = Metric()
    metric.name = name
    metric.unit = unit
    metric.description_p = "help of \(name)"
    metric.sum.dataPoints = points
    metric.sum.isMonotonic = monotonic
    metric.sum.aggregationTemporality = temporality
    return metric
}

func histogram(
    _ name: String, unit: String = "", temporality: Opentelemetry_Proto_Metrics_V1_AggregationTemporality = .cumulative,
    _ points: [HistogramPoint]
) -> Metric {
    var metric = Metric()
    metric.name = name
    metric.unit = unit
    metric.histogram.dataPoints = points
    metric.histogram.aggregationTemporality = temporality
    return metric
}

func request(resource: [KeyValue], scope: String = "", _ metrics: [Metric]) -> OTLPExportRequest {
    var request = OTLPExportRequest()
    var resourceMetrics = Opentelemetry_Proto_Metrics_V1_ResourceMetrics()
    resourceMetrics.resource.attributes = resource
    var scopeMetrics = Opentelemetry_Proto_Metrics_V1_ScopeMetrics()
    scopeMetrics.scope.name = scope
    scopeMetrics.scope.version = scope.isEmpty ? "" : "1.2.3"
    scopeMetrics.metrics = metrics
    resourceMetrics.scopeMetrics = [scopeMetrics]
    request.resourceMetrics = [resourceMetrics]
    return request
}

/// The service attributes most tests use: job `shop/cart`, instance `pod-1`.
let service = [kv("service.name", "cart"), kv("service.namespace", "shop"), kv("service.instance.id", "pod-1")]
