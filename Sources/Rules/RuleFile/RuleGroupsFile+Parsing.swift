// Reading a rule file as Prometheus's `rulefmt.Parse` reads it: go-yaml v3 with known fields
// only, then the semantic checks (RuleGroupsFile+Validation), every error in Prometheus's words.

package import Scrape
import YAML

extension RuleGroupsFile {
    /// Parses and validates a rule file's text.
    ///
    /// Returns the groups when there is no error, else every error found, as Prometheus lists
    /// them (`promtool check rules` prints them one a line):
    /// ```swift
    /// let (file, errors) = RuleGroupsFile.parse("groups: [{name: g, rules: [{record: a, expr: 'up'}]}]")
    /// // file?.groups[0].rules[0].name == "a", errors == []
    /// ```
    package static func parse(
        _ text: String, nameValidation: NameValidationScheme = .utf8, templateCheck: RuleTemplateCheck? = nil
    ) -> (file: RuleGroupsFile?, errors: [String]) {
        let root: Node?
        do {
            root = try Composer.compose(text)
        } catch {
            // Both of Prometheus's passes (strict decode, then into yaml.Node) fail alike.
            return (nil, [error.message, error.message])
        }
        guard let root else { return (RuleGroupsFile(), []) }

        var decoded = DecodedFile()
        let decoder = ConfigDecoder(dialect: .goYAMLv3)
        do {
            decoded = try decoder.ruleGroups(root)
        } catch {
            return (nil, [error.message] + (secondPassError(root).map { [$0] } ?? []))
        }
        var errors: [String] = []
        if let error = decoder.unmarshalError { errors.append(error.message) }
        if let error = secondPassError(root) { errors.append(error) }
        if !errors.isEmpty { return (nil, errors) }

        let validation = decoded.validate(nameValidation: nameValidation, templateCheck: templateCheck)
        return validation.isEmpty ? (decoded.file, []) : (decoded.file, validation)
    }

    /// Parses and validates the text of one group: the body of the ruler API's
    /// `POST …/rules/{namespace}`, the mapping a rule file has under `groups:`. It is checked as a
    /// group of a file is, in Prometheus's words, positions counted in this text.
    ///
    /// ```swift
    /// let (group, errors) = RuleGroupsFile.parseGroup("name: g\nrules: [{record: a, expr: up}]")
    /// // group?.rules[0].name == "a", errors == []
    /// ```
    package static func parseGroup(
        _ text: String, nameValidation: NameValidationScheme = .utf8, templateCheck: RuleTemplateCheck? = nil
    ) -> (group: RuleGroupDefinition?, errors: [String]) {
        let root: Node?
        do { root = try Composer.compose(text) } catch { return (nil, [error.message]) }
        // An empty body: Mimir's words, as rulefmt has none for a missing group.
        guard let root, !root.isNullValue else { return (nil, ["invalid rules configuration: rule group name must not be empty"]) }
        let decoder = ConfigDecoder(dialect: .goYAMLv3)
        var decoded = DecodedFile()
        do {
            if let group = try decoder.ruleGroup(root) { decoded.groups = [group] }
        } catch {
            return (nil, [error.message])
        }
        if let error = decoder.unmarshalError { return (nil, [error.message]) }
        let errors = decoded.validate(nameValidation: nameValidation, templateCheck: templateCheck)
        return errors.isEmpty ? (decoded.file.groups.first, []) : (nil, errors)
    }

    /// Prometheus's second pass, `yaml.Unmarshal` into `struct{ Groups []yaml.Node }`: not
    /// strict, so only a root or `groups` of the wrong kind fails it.
    private static func secondPassError(_ root: Node) -> String? {
        let decoder = ConfigDecoder(dialect: .goYAMLv3)
        switch root {
        case .mapping(let mapping):
            if let groups = mapping["groups"], !groups.isNullValue, case .sequence = groups {
            } else if let groups = mapping["groups"], !groups.isNullValue {
                decoder.mismatch(groups, into: "[]yaml.Node")
            }
        case _ where root.isNullValue: break
        default: decoder.mismatch(root, into: "rulefmt.ruleGroups")
        }
        return decoder.unmarshalError?.message
    }
}

/// Checks that an alerting rule's label or annotation template parses; throws the parse error's
/// text (`template: __alert_X:1: unclosed action`). The template engine supplies it.
package typealias RuleTemplateCheck = @Sendable (_ alertName: String, _ template: String) -> String?

/// A decoded file with where each rule's fields were written, for the errors.
struct DecodedFile {
    struct RuleNodes {
        var record: Mark?
        var alert: Mark?
        var expr: Mark?
        var recordText = ""
        var alertText = ""
        var forMs: Int64 = 0
        var keepFiringForMs: Int64 = 0
        var labels: [(name: String, value: String)] = []
        var annotations: [(name: String, value: String)] = []
        var exprText = ""
    }

    struct GroupNodes {
        var mark: Mark
        var name = ""
        var intervalMs: Int64?
        var queryOffsetMs: Int64?
        var limit = 0
        var labels: [(name: String, value: String)] = []
        var rules: [RuleNodes] = []
    }

    var groups: [GroupNodes] = []

    /// The file the nodes describe (meaningful once validated).
    var file: RuleGroupsFile {
        RuleGroupsFile(
            groups: groups.map { group in
                RuleGroupDefinition(
                    name: group.name, intervalMs: group.intervalMs, queryOffsetMs: group.queryOffsetMs,
                    limit: group.limit, labels: group.labels,
                    rules: group.rules.map { rule in
                        RuleDefinition(
                            kind: rule.alertText.isEmpty ? .recording(name: rule.recordText) : .alerting(name: rule.alertText),
                            expr: rule.exprText, forMs: rule.forMs, keepFiringForMs: rule.keepFiringForMs,
                            labels: rule.labels, annotations: rule.annotations)
                    })
            })
    }
}

extension ConfigDecoder {
    /// `rulefmt.RuleGroups`.
    fileprivate func ruleGroups(_ root: Node) throws(ConfigError) -> DecodedFile {
        var file = DecodedFile()
        try fields(of: root, goType: "rulefmt.RuleGroups", known: ["groups"]) { _, value throws(ConfigError) in
            guard let items = elements(value, goType: "[]rulefmt.RuleGroup") else { return }
            for item in items {
                if let group = try ruleGroup(item) { file.groups.append(group) }
            }
        }
        return file
    }

    fileprivate func ruleGroup(_ node: Node) throws(ConfigError) -> DecodedFile.GroupNodes? {
        var group = DecodedFile.GroupNodes(mark: node.mark)
        let known: Set<String> = ["name", "interval", "query_offset", "limit", "rules", "labels"]
        let isStruct = try fields(of: node, goType: "rulefmt.RuleGroup", known: known) { key, value throws(ConfigError) in
            switch key {
            case "name": group.name = try string(value) ?? group.name
            case "interval": group.intervalMs = try duration(value) ?? group.intervalMs
            case "query_offset": if !value.isGoNull { group.queryOffsetMs = try duration(value) }
            case "limit": group.limit = try signed(value).map { Int($0) } ?? group.limit
            case "labels": group.labels = try stringPairs(value)
            default:
                guard let items = elements(value, goType: "[]rulefmt.RuleNode") else { return }
                for item in items {
                    if let rule = try ruleNode(item) { group.rules.append(rule) }
                }
            }
        }
        return isStruct ? group : nil
    }

    private func ruleNode(_ node: Node) throws(ConfigError) -> DecodedFile.RuleNodes? {
        var rule = DecodedFile.RuleNodes()
        let known: Set<String> = ["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]
        let isStruct = try fields(of: node, goType: "rulefmt.RuleNode", known: known) { key, value throws(ConfigError) in
            switch key {
            // `yaml.Node` fields: any node, its scalar text (a collection's is empty).
            case "record": (rule.record, rule.recordText) = (value.mark, value.scalarValue ?? "")
            case "alert": (rule.alert, rule.alertText) = (value.mark, value.scalarValue ?? "")
            case "expr": (rule.expr, rule.exprText) = (value.mark, value.scalarValue ?? "")
            case "for": rule.forMs = try duration(value) ?? rule.forMs
            case "keep_firing_for": rule.keepFiringForMs = try duration(value) ?? rule.keepFiringForMs
            case "labels": rule.labels = try stringPairs(value)
            default: rule.annotations = try stringPairs(value)
            }
        }
        return isStruct ? rule : nil
    }

}

extension ConfigDecoder {
    /// A `map[string]string` (or `labels.Labels`), in file order.
    func stringPairs(_ node: Node, goType: String = "map[string]string") throws(ConfigError) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        _ = try mapEntries(node, goType: goType) { key, value throws(ConfigError) in
            guard let text = try string(value) else { return false }
            pairs.append((String(decoding: key, as: UTF8.self), text))
            return true
        }
        return pairs
    }
}
