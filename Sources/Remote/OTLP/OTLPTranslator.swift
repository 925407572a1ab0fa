// OTLPTranslator: OTLP metrics → Prometheus samples, as Prometheus 3's OTLP receiver does
// (storage/remote/otlptranslator/prometheusremotewrite: metrics_to_prw.go, helper.go,
// number_data_points.go) with its default settings. This file walks resources, scopes and
// metrics and builds the labels; the data points are in OTLPTranslator+DataPoints.swift and
// `target_info` in OTLPTranslator+TargetInfo.swift.

package import MetricModel
internal import WireFormat

/// Translates OTLP metric exports into Prometheus samples. One translator per request.
///
/// ```swift
/// var translator = OTLPTranslator()
/// let result = translator.translate(request)
/// // result.samples: e.g. {__name__="http_requests_total", job="shop/cart", instance="pod-1", method="GET"}
/// ```
///
/// Labels of a data point: its attributes with sanitized names (values of names that collide
/// after sanitization joined with `;`, in key order; empty values dropped), then `job` from
/// `service.namespace/service.name` and `instance` from `service.instance.id`, then (when
/// promoted) the scope's labels, then `__name__` and `le` or `quantile`.
package struct OTLPTranslator {
    package var settings: OTLPTranslationSettings
    let metricNamer: OTLPMetricNamer
    /// Sanitized label names by attribute key.
    private var labelNames: [String: String] = [:]
    /// The current resource's `job` and `instance` ("" when absent).
    private var job = ""
    private var instance = ""
    /// The current scope's labels when scope metadata is promoted.
    private var scopeLabels: [(String, String)] = []
    /// Label names whose collision was reported already.
    private var reportedCollisions: Set<String> = []
    /// Whether attributes being turned into labels are a resource's (for warnings).
    private var fromResource = false
    /// `target_info` timestamps by label set, merged across resources.
    var targetInfo: [Labels: Set<Timestamp>] = [:]
    var targetInfoOrder: [Labels] = []
    private var familiesSeen: Set<String> = []
    var result = OTLPTranslation()

    package init(settings: OTLPTranslationSettings = OTLPTranslationSettings()) {
        self.settings = settings
        self.metricNamer = OTLPMetricNamer(addSuffixes: settings.addMetricSuffixes)
    }

    /// Translates every metric of `request`. Errors do not stop the walk: each is recorded in
    /// the result and the metric skipped, as Prometheus does.
    package mutating func translate(_ request: OTLPExportRequest) -> OTLPTranslation {
        for resourceMetrics in request.resourceMetrics {
            let attributes = resourceMetrics.resource.attributes
            setResource(attributes)
            var earliest = UInt64.max
            var latest = UInt64.min
            for scopeMetrics in resourceMetrics.scopeMetrics {
                do throws(RemoteWriteError) {
                    try setScope(scopeMetrics)
                } catch {
                    result.errors.append(error.message)
                    continue
                }
                for metric in scopeMetrics.metrics {
                    if let range = Self.timeRange(metric) {
                        earliest = min(earliest, range.earliest)
                        latest = max(latest, range.latest)
                    }
                    do throws(RemoteWriteError) {
                        try translate(metric)
                    } catch {
                        result.errors.append(error.message)
                    }
                }
            }
            if earliest != .max {
                do throws(RemoteWriteError) {
                    try addTargetInfo(attributes, earliest: earliest, latest: latest)
                } catch {
                    result.errors.append(error.message)
                }
            }
        }
        emitTargetInfo()
        return result
    }

    // MARK: - Resource and scope

    static let serviceName = "service.name"
    static let serviceNamespace = "service.namespace"
    static let serviceInstanceID = "service.instance.id"

    /// The first value of `key` among `attributes`, as pdata's `Map.Get` finds it.
    static func value(of key: String, in attributes: [OTLPKeyValue]) -> String? {
        attributes.first(where: { $0.key == key })?.value.promString
    }

    private mutating func setResource(_ attributes: [OTLPKeyValue]) {
        job = ""
        if let name = Self.value(of: Self.serviceName, in: attributes) {
            if let namespace = Self.value(of: Self.serviceNamespace, in: attributes) {
                job = namespace + "/" + name
            } else {
                job = name
            }
        }
        instance = Self.value(of: Self.serviceInstanceID, in: attributes) ?? ""
    }

    private mutating func setScope(_ scopeMetrics: OTLPScopeMetrics) throws(RemoteWriteError) {
        scopeLabels = []
        let scope = scopeMetrics.scope
        guard settings.promoteScopeMetadata, !scope.name.isEmpty else { return }
        var labels: [(String, String)] = []
        for attribute in scope.attributes {
            labels.append((try labelName("otel_scope_" + attribute.key), attribute.value.promString))
        }
        labels.append(("otel_scope_name", scope.name))
        labels.append(("otel_scope_version", scope.version))
        labels.append(("otel_scope_schema_url", scopeMetrics.schemaURL))
        scopeLabels = labels
    }

    // MARK: - Labels

    /// The label name for an attribute key, cached for the request.
    mutating func labelName(_ key: String) throws(RemoteWriteError) -> String {
        if let name = labelNames[key] { return name }
        let name = try settings.labelNamer.name(key)
        labelNames[key] = name
        return name
    }

    /// The labels every series of a data point (or a resource's `target_info`) shares, in the
    /// order Prometheus sets them; later pairs win, empty values mean "absent".
    mutating func baseLabels(
        _ attributes: [OTLPKeyValue], ignoring ignored: Set<String>, withScope: Bool = true
    ) throws(RemoteWriteError) -> [(String, String)] {
        // Sorted by key (stably) so that colliding values join in a fixed order.
        let sorted = attributes.filter { !ignored.contains($0.key) }
            .map { (key: $0.key, value: $0.value.promString) }
            .enumerated()
            .sorted { a, b in
                a.element.key == b.element.key
                    ? a.offset < b.offset : a.element.key.utf8.lexicographicallyPrecedes(b.element.key.utf8)
            }
            .map(\.element)
        var values: [String: String] = [:]
        var order: [String] = []
        for (key, value) in sorted {
            let name = try labelName(key)
            if let existing = values[name], !existing.isEmpty {
                try reportCollision(on: name, among: sorted.map(\.key))
                values[name] = existing + ";" + value
            } else {
                if values[name] == nil { order.append(name) }
                values[name] = value
            }
        }
        var labels = order.map { ($0, values[$0]!) }
        if !job.isEmpty { labels.append(("job", job)) }
        if !instance.isEmpty { labels.append(("instance", instance)) }
        if withScope { labels += scopeLabels }
        return labels
    }

    /// Records, once per label name and request, which attribute keys were joined into it.
    private mutating func reportCollision(on name: String, among keys: [String]) throws(RemoteWriteError) {
        guard reportedCollisions.insert(name).inserted else { return }
        var colliding: [String] = []
        for key in keys where !colliding.contains(key) {
            if try labelName(key) == name { colliding.append(key) }
        }
        let quoted = colliding.map { goQuote($0) }.joined(separator: ", ")
        result.warnings.append(
            "OTLP \(fromResource ? "resource" : "data point") attributes \(quoted) collide as label \(goQuote(name)) after name sanitization, values are concatenated with ';'"
        )
    }

    /// Appends a sample of the series `base` + `__name__` = `name` (+ `extra`).
    mutating func addSample(
        _ name: String, _ base: [(String, String)], extra: (String, String)? = nil, timeNanos: UInt64, _ value: Double
    ) {
        var pairs = base
        if let extra { pairs.append(extra) }
        pairs.append((Labels.metricNameLabel, name))
        result.samples.append(OTLPSample(labels: Labels(pairs), timestamp: Self.milliseconds(timeNanos), value: value))
    }

    /// OTLP nanoseconds as Prometheus milliseconds (Go's `int64(ns) / 1e6`).
    static func milliseconds(_ nanos: UInt64) -> Timestamp {
        Int64(truncatingIfNeeded: nanos) / 1_000_000
    }

    /// Whether `result` already has metadata for the family `name`; records it when not.
    mutating func isNewFamily(_ name: String) -> Bool {
        familiesSeen.insert(name).inserted
    }

    /// Marks the attributes that follow as a resource's (true) or a data point's.
    mutating func setAttributeSource(resource: Bool) {
        fromResource = resource
    }
}
