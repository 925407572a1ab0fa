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
///
/// ```swift
/// let step = try RelabelConfig(sourceLabels: ["__name__"], regex: "go_.*", action: .drop)
/// Labels(["__name__": "go_goroutines"]).relabeled([step])  // nil: dropped
/// ```
///
/// Label names are validated with Prometheus 3's default scheme, UTF-8: any non-empty name.
/// (The `legacy` scheme, `[a-zA-Z_][a-zA-Z0-9_]*` plus `${…}` templates in `target_label`, is
/// not implemented.)
package struct RelabelConfig: Sendable {
    package var sourceLabels: [String]
    package var separator: String
    /// The pattern as written (Prometheus's `regex`); matched anchored, `^(?s:…)$`.
    package var regexPattern: String
    /// The compiled `^(?s:regexPattern)$`; set a replacement only to an anchored expression.
    package var regex: RE2Regex {
        didSet { shortcut = Self.shortcut(for: regex) }
    }
    package var modulus: UInt64
    package var targetLabel: String
    package var replacement: String
    package var action: RelabelAction
    /// The byte test that decides `regex` without the regex engine, where there is one.
    private(set) var shortcut: PatternShortcut?

    /// Whether `regex` is decided by a byte test without the regex engine (a name, names
    /// joined by `|`, `prefix.*`, `.*suffix`, `.*infix.*`, or the default `(.*)`).
    package var hasFastPath: Bool { shortcut != nil }

    /// Prometheus's `DefaultRelabelConfig` values.
    package static let defaultSeparator = ";"
    package static let defaultRegex = "(.*)"
    package static let defaultReplacement = "$1"

    /// - Throws: `RelabelConfigError` with Prometheus's text for an invalid regex or an invalid
    ///   combination (e.g. "relabel configuration for replace action requires 'target_label' value").
    package init(
        sourceLabels: [String] = [], separator: String = ";", regex: String = "(.*)", modulus: UInt64 = 0,
        targetLabel: String = "", replacement: String = "$1", action: RelabelAction = .replace
    ) throws(RelabelConfigError) {
        self.sourceLabels = sourceLabels
        self.separator = separator
        self.regexPattern = regex
        self.regex = try Self.compile(regex)
        self.modulus = modulus
        self.targetLabel = targetLabel
        self.replacement = replacement
        self.action = action
        self.shortcut = Self.shortcut(for: self.regex)
        try validate()
    }

    /// Compiles `pattern` as Prometheus's `relabel.NewRegexp` does: the text `^(?s:pattern)$`
    /// as one expression, so errors read as Go's do and a pattern Go accepts is accepted.
    private static func compile(_ pattern: String) throws(RelabelConfigError) -> RE2Regex {
        do {
            return try RE2Regex(anchoredPrefix + pattern + anchoredSuffix)
        } catch {
            throw RelabelConfigError(error.description, regexSyntaxError: error)
        }
    }

    private static let anchoredPrefix = "^(?s:"
    private static let anchoredSuffix = ")$"

    private static func shortcut(for regex: RE2Regex) -> PatternShortcut? {
        let text = regex.pattern
        guard text.hasPrefix(anchoredPrefix), text.hasSuffix(anchoredSuffix) else { return nil }
        return PatternShortcut(pattern: String(text.dropFirst(anchoredPrefix.count).dropLast(anchoredSuffix.count)))
    }
}

/// An invalid relabeling step, with Prometheus's wording.
package struct RelabelConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    /// The cause when the regex does not parse; `message` is then its text.
    package var regexSyntaxError: RegexSyntaxError?

    package init(_ message: String, regexSyntaxError: RegexSyntaxError? = nil) {
        self.message = message
        self.regexSyntaxError = regexSyntaxError
    }

    package var description: String { message }
}
