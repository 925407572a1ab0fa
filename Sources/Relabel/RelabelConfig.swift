// One relabeling step (`relabel_configs`, `metric_relabel_configs`, `write_relabel_configs`),
// with Prometheus's defaults and validation (`model/relabel/relabel.go`).

package import MetricModel

/// What a relabeling step does.
package enum RelabelAction: String, Sendable, CaseIterable {
    case replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase

    /// The action named `text`, case-insensitively, as Prometheus reads it.
    ///
    /// - Throws: `RelabelConfigError` "unknown relabel action \"…\"".
    package init(parsing text: String) throws(RelabelConfigError) {
        guard let action = RelabelAction(rawValue: text.lowercased()) else {
            throw RelabelConfigError("unknown relabel action \"\(text)\"")
        }
        self = action
    }
}

/// A relabeling step, built with Prometheus's defaults (`separator: ;`, `regex: (.*)`,
/// `replacement: $1`, `action: replace`) and validated as Prometheus validates it.
package struct RelabelConfig: Sendable {
    package var sourceLabels: [String]
    package var separator: String
    /// The pattern as written (Prometheus's `regex`); matched anchored, `^(?s:…)$`.
    package var regexPattern: String
    package var regex: RE2Regex
    package var modulus: UInt64
    package var targetLabel: String
    package var replacement: String
    package var action: RelabelAction

    /// - Throws: `RelabelConfigError` with Prometheus's text for an invalid regex or an invalid
    ///   combination (e.g. "relabel configuration for replace action requires 'target_label' value").
    package init(
        sourceLabels: [String] = [], separator: String = ";", regex: String = "(.*)", modulus: UInt64 = 0,
        targetLabel: String = "", replacement: String = "$1", action: RelabelAction = .replace
    ) throws(RelabelConfigError) {
        fatalError("to be implemented in the Relabel work")
    }
}

/// An invalid relabeling step, with Prometheus's wording.
package struct RelabelConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
