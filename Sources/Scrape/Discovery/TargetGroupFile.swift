// The target-group document of file and HTTP service discovery (Prometheus's
// `targetgroup.Group` JSON/YAML): a list of `{targets: [...], labels: {...}}`.

internal import Yams
import MetricModel

enum TargetGroupFile {
    /// Parses a JSON or YAML list of target groups. Fields other than `targets` and `labels`
    /// are errors, as Prometheus's strict unmarshalling makes them.
    static func parse(_ text: String) throws(DiscoveryError) -> [(targets: [String], labels: Labels)] {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw DiscoveryError("\(error)") }
        guard let root else { return [] }
        guard case .sequence(let list) = root else { throw DiscoveryError("target groups must be a list") }
        var groups: [(targets: [String], labels: Labels)] = []
        for item in list {
            guard case .mapping(let mapping) = item else { throw DiscoveryError("a target group must be a mapping") }
            var targets: [String] = []
            var builder = LabelsBuilder()
            for (key, value) in mapping {
                switch key.string {
                case "targets":
                    if case .scalar(let s) = value, s.string == "null" || s.string == "~" || s.string.isEmpty { continue }
                    guard case .sequence(let items) = value else { throw DiscoveryError("targets must be a list") }
                    for t in items {
                        guard case .scalar(let s) = t else { throw DiscoveryError("a target must be a string") }
                        targets.append(s.string)
                    }
                case "labels":
                    if case .scalar(let s) = value, s.string == "null" || s.string == "~" || s.string.isEmpty { continue }
                    guard case .mapping(let labels) = value else { throw DiscoveryError("labels must be a mapping") }
                    for (name, labelValue) in labels {
                        guard let name = name.string, case .scalar(let v) = labelValue else {
                            throw DiscoveryError("label values must be strings")
                        }
                        guard !name.isEmpty else { throw DiscoveryError("\"\" is not a valid label name") }
                        builder.set(name, v.string)
                    }
                default:
                    throw DiscoveryError("field \(key.string ?? "?") not found in type targetgroup.Group")
                }
            }
            groups.append((targets, builder.labels()))
        }
        return groups
    }
}

/// A discovery source that cannot be read, with the reason.
package struct DiscoveryError: Error, Sendable, CustomStringConvertible {
    package var message: String
    init(_ message: String) { self.message = message }
    package var description: String { message }
}
