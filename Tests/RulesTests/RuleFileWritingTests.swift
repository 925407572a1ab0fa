// Rule groups written as YAML (tenants' rule files, the ruler API's replies) read back as equal
// groups; one group's text (the ruler API's upload) checked as a group of a file is.

import MetricModel
import Rules
import Testing

@Suite("Rule files: writing, and parsing one group")
struct RuleFileWritingTests {
    static let group = RuleGroupDefinition(
        name: "g", intervalMs: 30_000, queryOffsetMs: 0, limit: 5, labels: [("team", "a")],
        rules: [
            RuleDefinition(kind: .recording(name: "job:up:sum"), expr: "sum by (job) (up)", labels: [("z", "1")]),
            RuleDefinition(
                kind: .alerting(name: "Down"), expr: "up == 0", forMs: 300_000, keepFiringForMs: 60_000,
                labels: [("severity", "page")], annotations: [("summary", "{{ $labels.instance }} down")]),
        ])

    @Test("golden: a group as a rule file, zero-valued fields left out")
    func golden() {
        let plain = RuleGroupDefinition(name: "h", rules: [RuleDefinition(kind: .recording(name: "r"), expr: "up")])
        #expect(
            RuleGroupsFile(groups: [Self.group, plain]).yaml() == """
                groups:
                  - name: g
                    interval: 30s
                    query_offset: 0s
                    limit: 5
                    labels:
                      team: a
                    rules:
                      - record: job:up:sum
                        expr: "sum by (job) (up)"
                        labels:
                          z: "1"
                      - alert: Down
                        expr: "up == 0"
                        for: 5m
                        keep_firing_for: 1m
                        labels:
                          severity: page
                        annotations:
                          summary: "{{ $labels.instance }} down"
                  - name: h
                    rules:
                      - record: r
                        expr: up

                """)
        #expect(RuleGroupsFile().yaml() == "groups: []\n")
        #expect(RuleGroupsFile.yaml(namespaces: []) == "{}\n")
        #expect(RuleGroupsFile.yaml(namespaces: [("a/b", [plain])]).hasPrefix("\"a/b\":\n  - name: h\n"))
    }

    @Test("strings YAML would take for something else, or could not hold raw, read back as written", arguments: [
        "yes", "No", "on", "null", "~", "123", "1e3", "0x1F", ".inf", "", " lead", "trail ", "a: b", "job:", "- x", "#c",
        "&a", "*a", "!t", "{x}", "[x]", "'q'", "\"dq\"", "back\\slash", "line\nbreak", "tab\there", "\u{7f}\u{85}\u{2028}",
        "ünï", "😀", "%", "@", "`",
    ])
    func roundTrip(text: String) throws {
        let group = RuleGroupDefinition(
            name: text.isEmpty ? "x" : text,
            labels: text.isEmpty ? [] : [("l", text)],
            rules: [
                RuleDefinition(kind: .alerting(name: "A"), expr: "up", labels: [("l", text)], annotations: [("d", text)])
            ])
        let file = RuleGroupsFile(groups: [group])
        let parsed = RuleGroupsFile.parse(file.yaml())
        #expect(parsed.errors == [], "\(file.yaml())")
        #expect(parsed.file == file, "\(file.yaml())")
        let single = RuleGroupsFile.parseGroup(group.yaml())
        #expect(single.errors == [] && single.group == group, "\(group.yaml())")
    }

    @Test("every field of a group reads back")
    func roundTripAllFields() throws {
        let file = RuleGroupsFile(groups: [Self.group, RuleGroupDefinition(name: "empty")])
        #expect(RuleGroupsFile.parse(file.yaml()).file == file)
        #expect(RuleGroupsFile.parseGroup(Self.group.yaml()).group == Self.group)
    }

    @Test("one group: checked as a group of a file, positions counted in its own text")
    func parseGroupErrors() {
        #expect(RuleGroupsFile.parseGroup("").errors == ["invalid rules configuration: rule group name must not be empty"])
        #expect(
            RuleGroupsFile.parseGroup("name: g\nrules:\n  - record: a\n    expr: sum(\n").errors == [
                "4:11: group \"g\", rule 1, \"a\": could not parse expression: 1:5: parse error: unclosed left parenthesis"
            ])
        #expect(
            RuleGroupsFile.parseGroup("name: g\nbogus: 1\nrules: []\n").errors == [
                "yaml: unmarshal errors:\n  line 2: field bogus not found in type rulefmt.RuleGroup"
            ])
        #expect(
            RuleGroupsFile.parseGroup("- name: g\n").errors == [
                "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into rulefmt.RuleGroup"
            ])
        #expect(RuleGroupsFile.parseGroup("rules: [{record: a, expr: up}]").errors == ["1:1: Groupname must not be empty"])
        #expect(
            RuleGroupsFile.parseGroup("name: g\nrules: [{record: a, expr: up, for: 1m}]").errors == [
                "2:18: group \"g\", rule 1, \"a\": invalid field 'for' in recording rule"
            ])
        #expect(RuleGroupsFile.parseGroup("name: [").errors.count == 1)
    }
}
