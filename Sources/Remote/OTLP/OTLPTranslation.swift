// The result of translating an OTLP metrics export into Prometheus samples, and the settings
// of the translation (Prometheus's `otlp:` configuration section, with its defaults).

package import MetricModel
package import WireFormat

/// The body of `POST …/v1/metrics` (opentelemetry.proto.collector.metrics.v1).
package typealias OTLPExportRequest = Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceRequest
/// Its answer: empty, or with `partial_success` when some data points were not stored.
package typealias OTLPExportResponse = Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceResponse
typealias OTLPKeyValue = Opentelemetry_Proto_Common_V1_KeyValue
typealias OTLPMetric = Opentelemetry_Proto_Metrics_V1_Metric
typealias OTLPScopeMetrics = Opentelemetry_Proto_Metrics_V1_ScopeMetrics

/// How OTLP metrics become Prometheus series. The defaults are Prometheus 3's
/// (`docs/configuration/configuration.md`, `otlp:`), which Sugarmill does not read from the
/// configuration file yet.
package struct OTLPTranslationSettings: Sendable {
    /// `translation_strategy`: `UnderscoreEscapingWithSuffixes` (true, the default) or
    /// `UnderscoreEscapingWithoutSuffixes` (false). The UTF-8 strategies are not offered.
    package var addMetricSuffixes = true
    /// `label_name_underscore_sanitization` and `label_name_preserve_multiple_underscores`.
    package var labelNamer = OTLPLabelNamer()
    /// `promote_scope_metadata`: add `otel_scope_name`, `otel_scope_version`,
    /// `otel_scope_schema_url` and `otel_scope_<attribute>` labels (off by default).
    package var promoteScopeMetadata = false
    /// `keep_identifying_resource_attributes`: also put `service.name`, `service.namespace` and
    /// `service.instance.id` on `target_info`.
    package var keepIdentifyingResourceAttributes = false
    /// The query lookback delta (`--query.lookback-delta`): `target_info` gets a sample every
    /// half of it across each resource's time span, so that it is found at every instant.
    package var lookbackDeltaMs: Int64 = 5 * 60 * 1000
    /// At most this many `target_info` samples per resource (the latest ones): a body whose
    /// points span years would otherwise ask for millions. Prometheus has no such cap.
    package var maxTargetInfoSamplesPerResource = 1000

    package init() {}
}

/// One float sample produced by the translation.
package struct OTLPSample: Sendable, Equatable {
    package var labels: Labels
    package var timestamp: Timestamp
    package var value: Double
    /// A `target_info` sample: made up by the translation, so one the head refuses (older
    /// than what an earlier body stored) is skipped rather than failing the body.
    package var isTargetInfo: Bool

    package init(labels: Labels, timestamp: Timestamp, value: Double, isTargetInfo: Bool = false) {
        self.labels = labels
        self.timestamp = timestamp
        self.value = value
        self.isTargetInfo = isTargetInfo
    }

    /// Equality by value bits, so stale markers compare exactly.
    package static func == (lhs: OTLPSample, rhs: OTLPSample) -> Bool {
        lhs.labels == rhs.labels && lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
    }
}

/// An OTLP export translated into Prometheus samples (Prometheus's `FromMetrics`).
package struct OTLPTranslation: Sendable {
    /// The samples, in the order Prometheus appends them; `target_info` last, per label set in
    /// time order.
    package var samples: [OTLPSample] = []
    /// Type, help and unit of each metric family that got samples, in first-seen order.
    package var metadata: [SeriesMetadata] = []
    /// Metrics that could not be translated, in Prometheus's words (delta temporality, names
    /// that normalise to nothing, …). Prometheus 3 stores nothing of such a request.
    package var errors: [String] = []
    /// Translated anyway, but worth a log line (empty metrics, label names that collided).
    package var warnings: [String] = []
    /// Native histograms from exponential-histogram points, in the order of the points.
    package var histograms: [OTLPHistogramSample] = []

    package init() {}
}
