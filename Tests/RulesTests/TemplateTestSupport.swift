// Shared set-up for the template tests: Prometheus's test expander (template_test.go) and
// Go-typed data.

import Rules

/// What one expansion gave: its output or its error text.
enum Expansion: Equatable, CustomStringConvertible {
    case output(String)
    case failure(String)

    var description: String {
        switch self {
        case .output(let s): "output \(s.debugDescription)"
        case .failure(let s): "failure \(s.debugDescription)"
        }
    }
}

/// Expands `text` as Prometheus's `testTemplateExpansion` does: name "test", evaluation time
/// 1353755652000 ms, external URL http://testhost:9090/path/prefix, and a query function
/// that returns `queryResult`.
func expandAsPrometheusTest(
    _ text: String, input: TemplateValue = .invalid, queryResult: [TemplateQuerySample] = [],
    name: String = "test"
) -> Expansion {
    let expander = TemplateExpander(
        text: text, name: name, value: input, timestamp: 1_353_755_652_000,
        query: { _, _ in queryResult }, externalURL: "http://testhost:9090/path/prefix")
    do {
        return .output(try expander.expand())
    } catch {
        return .failure(error.message)
    }
}

/// Expands `text` against an alert's data, with Prometheus's definitions of `$labels` etc.
/// in front, as alerting rules do.
func expandAlert(
    _ text: String, labels: [String: String] = [:], value: Double = 0, externalLabels: [String: String] = [:],
    alertName: String = "X", queryResult: [TemplateQuerySample] = []
) -> Expansion {
    let data = AlertTemplateData(
        labels: labels, externalLabels: externalLabels, externalURL: "http://prometheus:9090", value: value)
    let expander = TemplateExpander(
        text: AlertTemplate.alertTemplateDefinitions + text, name: AlertTemplate.templateName(alertName: alertName),
        data: data, timestamp: 1_353_755_652_000, query: { _, _ in queryResult }, externalURL: "http://prometheus:9090")
    do {
        return .output(try expander.expand())
    } catch {
        return .failure(error.message)
    }
}

extension TemplateValue {
    static func floats(_ values: [Double]) -> TemplateValue { .slice(values.map { .float($0) }, .slice(.float64)) }
    static func strings(_ values: [String]) -> TemplateValue { .slice(values.map { .text($0) }, .slice(.string)) }
    static func int64s(_ values: [Int64]) -> TemplateValue { .slice(values.map { .int($0, .int64) }, .slice(.int64)) }
    static func uint64s(_ values: [UInt64]) -> TemplateValue { .slice(values.map { .uint($0, .uint64) }, .slice(.uint64)) }
    static func ints(_ values: [Int]) -> TemplateValue { .slice(values.map { .integer($0) }, .slice(.int)) }
    static func uints(_ values: [UInt]) -> TemplateValue { .slice(values.map { .uint(UInt64($0), .uint) }, .slice(.uint)) }
}
