// Reading `relabel_configs` / `metric_relabel_configs` entries as Prometheus's
// `relabel.Config.UnmarshalYAML` does; building and validating them is `RelabelConfig.init`'s job.

import MetricModel
import Relabel
import YAML

/// A relabeling step as written, with Prometheus's defaults for missing fields. A field given
/// as null takes Go's zero value (`regex: ~` is the empty regex), as in Prometheus.
struct RelabelFields {
    var sourceLabels: [String] = []
    var separator = ";"
    var regex = "(.*)"
    var modulus: UInt64 = 0
    var targetLabel = ""
    var replacement = "$1"
    /// nil when written as null: Prometheus's "relabel action cannot be empty".
    var action: RelabelAction? = .replace

    static let fieldNames: Set<String> = [
        "source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action",
    ]

    /// The validated step.
    ///
    /// - Throws: `ConfigError` with `RelabelConfig`'s (Prometheus's) text.
    func validated() throws(ConfigError) -> RelabelConfig {
        guard let action else { throw ConfigError("relabel action cannot be empty") }
        do throws(RelabelConfigError) {
            return try RelabelConfig(
                sourceLabels: sourceLabels, separator: separator, regex: regex, modulus: modulus,
                targetLabel: targetLabel, replacement: replacement, action: action)
        } catch {
            throw ConfigError(error.message)
        }
    }
}

extension ConfigDecoder {
    /// A list of relabeling steps; a null entry stays nil (Prometheus's "empty or null … rule").
    func relabelList(_ node: Node) throws(ConfigError) -> [RelabelFields?] {
        try optionalElements(node, goType: "[]*relabel.Config") { item throws(ConfigError) in try relabelFields(item) }
    }

    /// One relabeling step (`relabel.plain` in go-yaml's errors).
    ///
    /// - Throws: `ConfigError` "unknown relabel action \"x\"" or `"" is not a valid label name`,
    ///   at once, as Prometheus's unmarshal functions do.
    private func relabelFields(_ node: Node) throws(ConfigError) -> RelabelFields? {
        let mark = typeErrorCount
        var step = RelabelFields()
        try fields(of: node, goType: "relabel.plain", known: RelabelFields.fieldNames) { key, value throws(ConfigError) in
            switch key {
            case "source_labels":
                guard let items = elements(value, goType: "model.LabelNames") else { return }
                step.sourceLabels = []
                for item in items {
                    // model.LabelName checks itself unless null.
                    guard let name = try stringBytes(item, goType: "model.LabelName") else { continue }
                    if !item.isGoNull && !LabelNameCheck.isValid(name, scheme: .utf8) {
                        throw ConfigError("\(GoString.quote(bytes: name)) is not a valid label name")
                    }
                    step.sourceLabels.append(String(decoding: name, as: UTF8.self))
                }
            case "separator": step.separator = try string(value) ?? ""
            case "regex":
                // Compiled (and its errors reported) by RelabelConfig.init, at validation.
                step.regex = value.isGoNull ? "" : try string(value) ?? ""
            case "modulus": step.modulus = try unsigned(value, goType: "uint64") ?? 0
            case "target_label": step.targetLabel = try string(value) ?? ""
            case "replacement": step.replacement = try string(value) ?? ""
            default:
                if value.isGoNull {
                    step.action = nil
                } else if let text = try string(value) {
                    do throws(RelabelConfigError) {
                        step.action = try RelabelAction(parsing: text)
                    } catch {
                        throw ConfigError(error.message)
                    }
                }
            }
        }
        return hadTypeErrors(since: mark) ? nil : step
    }
}
