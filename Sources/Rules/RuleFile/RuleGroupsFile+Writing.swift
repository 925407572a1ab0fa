// Writing rule groups as YAML that `RuleGroupsFile.parse` (and Prometheus's `rulefmt`) reads back
// as equal groups: the per-tenant rule files and the ruler API's replies (Mimir's
// `GET …/config/v1/rules`, which prints `rulefmt.RuleGroup`s).

import MetricModel
import YAML

extension RuleGroupsFile {
    /// The groups as a rule file (`groups:` and one entry per group), or `groups: []` for none.
    ///
    /// ```swift
    /// let text = RuleGroupsFile(groups: [group]).yaml()
    /// RuleGroupsFile.parse(text).file == RuleGroupsFile(groups: [group])   // true
    /// ```
    package func yaml() -> String {
        guard !groups.isEmpty else { return "groups: []\n" }
        return "groups:\n" + groups.map { $0.yamlItem(indent: 2) }.joined()
    }
}

extension RuleGroupsFile {
    /// Groups by namespace as Mimir's ruler API lists them: a mapping of each namespace to the
    /// sequence of its groups, in the order given; `{}` for none.
    ///
    /// ```swift
    /// RuleGroupsFile.yaml(namespaces: [("team", [group])])  // "team:\n  - name: g\n    rules: …"
    /// ```
    package static func yaml(namespaces: [(name: String, groups: [RuleGroupDefinition])]) -> String {
        guard !namespaces.isEmpty else { return "{}\n" }
        return namespaces.map { namespace in
            RuleYAML.scalar(namespace.name) + ":\n" + namespace.groups.map { $0.yamlItem(indent: 2) }.joined()
        }.joined()
    }
}

extension RuleGroupDefinition {
    /// The group as a top-level YAML mapping (`name: …` first), as the ruler API prints one group.
    package func yaml() -> String {
        lines().map { $0 + "\n" }.joined()
    }

    /// The group as an entry of a YAML sequence (`- name: …`) indented by `indent` spaces.
    package func yamlItem(indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        return lines().enumerated().map { index, line in pad + (index == 0 ? "- " : "  ") + line + "\n" }.joined()
    }

    /// The mapping's lines, unindented. Fields at their zero value are left out, as Prometheus
    /// leaves them out (`omitempty`), except a `query_offset` given as 0.
    private func lines() -> [String] {
        typealias Y = RuleYAML
        var out = ["name: \(Y.scalar(name))"]
        if let intervalMs { out.append("interval: \(PrometheusDuration.format(milliseconds: intervalMs))") }
        if let queryOffsetMs { out.append("query_offset: \(PrometheusDuration.format(milliseconds: queryOffsetMs))") }
        if limit != 0 { out.append("limit: \(limit)") }
        out += Y.map("labels", labels)
        if rules.isEmpty { out.append("rules: []") } else { out.append("rules:") }
        for rule in rules {
            var ruleLines: [String] = []
            switch rule.kind {
            case .recording(let name): ruleLines.append("record: \(Y.scalar(name))")
            case .alerting(let name): ruleLines.append("alert: \(Y.scalar(name))")
            }
            ruleLines.append("expr: \(Y.scalar(rule.expr))")
            if rule.forMs != 0 { ruleLines.append("for: \(PrometheusDuration.format(milliseconds: rule.forMs))") }
            if rule.keepFiringForMs != 0 {
                ruleLines.append("keep_firing_for: \(PrometheusDuration.format(milliseconds: rule.keepFiringForMs))")
            }
            ruleLines += Y.map("labels", rule.labels)
            ruleLines += Y.map("annotations", rule.annotations)
            out += ruleLines.enumerated().map { index, line in (index == 0 ? "  - " : "    ") + line }
        }
        return out
    }
}

/// Scalars and string maps of the rule-file writer.
enum RuleYAML {
    /// `text` plain when it is a name that every YAML reader takes as that string (letters,
    /// digits, `_`, `:` but not last, not a word YAML 1.1 reads as a boolean or null), else
    /// double-quoted.
    static func scalar(_ text: String) -> String {
        isPlainSafe(text) ? text : YAMLQuoting.doubleQuoted(text)
    }

    /// Words go-yaml v2 (YAML 1.1) reads as a boolean or null.
    private static let reserved: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
    ]

    private static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.utf8.first, !reserved.contains(text) else { return false }
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a || byte == 0x5f }
        guard isLetter(first), text.utf8.last != 0x3a else { return false }
        return text.utf8.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x3a }
    }

    /// `key:` and its entries one a line, indented by two; nothing for an empty map.
    static func map(_ key: String, _ pairs: [(name: String, value: String)]) -> [String] {
        guard !pairs.isEmpty else { return [] }
        return ["\(key):"] + pairs.map { "  \(scalar($0.name)): \(scalar($0.value))" }
    }
}
