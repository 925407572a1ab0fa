// The data and hooks an alert's label and annotation templates get from the rule that expands
// them (Prometheus's `template.AlertTemplateData`, `QueryFunc` and the definitions
// `rulefmt` and `rules/alerting.go` put before every template).

/// What an alert's templates see: `.Labels`, `.ExternalLabels`, `.ExternalURL`, `.Value`.
///
/// ```swift
/// let data = AlertTemplateData(labels: ["instance": "a:9100"], externalLabels: [:],
///                              externalURL: "http://prometheus:9090", value: 0)
/// ```
package struct AlertTemplateData: Sendable {
    package var labels: [String: String]
    package var externalLabels: [String: String]
    package var externalURL: String
    package var value: Double

    package init(labels: [String: String], externalLabels: [String: String], externalURL: String, value: Double) {
        self.labels = labels
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.value = value
    }
}

/// One sample a template's `query` function returns.
package struct TemplateQuerySample: Sendable, Equatable {
    package var labels: [String: String]
    package var value: Double

    package init(labels: [String: String], value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// Runs a PromQL instant query at a time (ms since epoch) for the `query` template function.
/// What it throws is shown to the template's reader as `error calling query: <description>`.
package typealias TemplateQueryFunction = @Sendable (_ query: String, _ time: Int64) throws -> [TemplateQuerySample]

/// Prometheus's fixed parts of alert templates.
package enum AlertTemplate {
    /// The four definitions Prometheus puts before every alert template, so that templates can
    /// say `$labels`, `$externalLabels`, `$externalURL` and `$value`.
    package static let alertTemplateDefinitions =
        "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}"

    /// The name Prometheus gives the templates of the alerting rule `alertName`, which its
    /// error messages show: `__alert_<alertname>`.
    package static func templateName(alertName: String) -> String {
        "__alert_" + alertName
    }
}
