// Rule files read as Prometheus's rulefmt reads them: the model, and every error in promtool
// 2.42's words (expected texts captured from `promtool check rules`; Prometheus 3 differences noted).

import Foundation
import MetricModel
import Rules
import Scrape
import Testing

@Suite("Rule files: parsing and validation as rulefmt")
struct RuleFileTests {
    @Test("a valid file decodes to groups, rules, durations, labels and annotations in file order")
    func validFile() throws {
        let text = """
            groups:
              - name: g
                interval: 30s
                query_offset: 1m
                limit: 10
                labels: {team: a}
                rules:
                  - record: job:up:sum
                    expr: sum by (job) (up)
                    labels:
                      z: "1"
                      a: "2"
                  - alert: Down
                    expr: up == 0
                    for: 5m
                    keep_firing_for: 1m
                    labels: {severity: page}
                    annotations:
                      summary: "{{ $labels.instance }} down"
              - name: h
                rules: []
            """
        let parsed = RuleGroupsFile.parse(text)
        #expect(parsed.errors == [])
        let file = try #require(parsed.file)
        #expect(file.groups.count == 2)
        let group = file.groups[0]
        #expect(group.name == "g" && group.intervalMs == 30_000 && group.queryOffsetMs == 60_000 && group.limit == 10)
        #expect(group.labels.map(\.name) == ["team"])
        #expect(group.rules[0].kind == .recording(name: "job:up:sum"))
        #expect(group.rules[0].expr == "sum by (job) (up)")
        #expect(group.rules[0].labels.map(\.name) == ["z", "a"])
        #expect(group.rules[1].kind == .alerting(name: "Down"))
        #expect(group.rules[1].forMs == 300_000 && group.rules[1].keepFiringForMs == 60_000)
        #expect(group.rules[1].annotations.first?.value == "{{ $labels.instance }} down")
        #expect(file.groups[1].intervalMs == nil && file.groups[1].queryOffsetMs == nil && file.groups[1].rules.isEmpty)
    }

    @Test("an empty file and a null groups key are zero groups")
    func emptyFiles() {
        #expect(RuleGroupsFile.parse("").file == RuleGroupsFile())
        #expect(RuleGroupsFile.parse("groups:\n").file == RuleGroupsFile())
        #expect(RuleGroupsFile.parse("# nothing\n").errors == [])
    }

    @Test("semantic errors: positions, group and rule, in Prometheus's order and words")
    func semanticErrors() {
        let text = """
            groups:
              - name: g
                rules:
                  - record: job:up:sum
                    expr: sum by (job (up)
                  - alert: X
                    record: y
                    expr: up
                  - expr: up
                  - record: "a{b}"
                    expr: up
                    for: 1m
                    keep_firing_for: 2m
                    annotations:
                      a: b
                  - alert: T
                    expr: up
                    labels:
                      __name__: x
                  - record: r
              - name: g
                rules: []
              - name: ""
                rules: []
            """
        let errors = RuleGroupsFile.parse(text).errors
        #expect(
            errors == [
                #"5:15: group "g", rule 1, "job:up:sum": could not parse expression: 1:13: parse error: unexpected "(" in grouping opts, expected "," or ")""#,
                #"7:17: 6:16: group "g", rule 2, "X": only one of 'record' and 'alert' must be set"#,
                #"0:0: group "g", rule 3, "": one of 'record' or 'alert' must be set"#,
                #"10:17: group "g", rule 4, "a{b}": invalid field 'annotations' in recording rule"#,
                #"10:17: group "g", rule 4, "a{b}": invalid field 'for' in recording rule"#,
                #"10:17: group "g", rule 4, "a{b}": invalid field 'keep_firing_for' in recording rule"#,
                #"10:17: group "g", rule 4, "a{b}": braces present in the recording rule name; should it be in expr?: a{b}"#,
                #"group "g", rule 5, "T": invalid label name: __name__"#,
                #"0:0: group "g", rule 6, "r": field 'expr' must be set in rule"#,
                #"21:5: groupname: "g" is repeated in the same file"#,
                #"23:5: Groupname must not be empty"#,
            ])
    }

    @Test("legacy name validation refuses names the UTF-8 scheme accepts")
    func legacyNames() {
        let text = """
            groups:
              - name: g
                rules:
                  - record: "bad name"
                    expr: up
                  - alert: A
                    expr: up
                    labels: {"bad-label": x}
                    annotations: {"bad annotation": y}
            """
        #expect(RuleGroupsFile.parse(text).errors == [])
        #expect(
            RuleGroupsFile.parse(text, nameValidation: .legacy).errors == [
                #"4:17: group "g", rule 1, "bad name": invalid recording rule name: bad name"#,
                #"group "g", rule 2, "A": invalid label name: bad-label"#,
                #"group "g", rule 2, "A": invalid annotation name: bad annotation"#,
            ])
    }

    @Test("unknown fields and wrong kinds are go-yaml v3 unmarshal errors, both passes where Prometheus reports both")
    func decodingErrors() {
        #expect(
            RuleGroupsFile.parse("groups:\n  - name: g\n    foo: 1\n    rules:\n      - record: a\n        expr: up\n        bar: 2\n").errors
                == [
                    "yaml: unmarshal errors:\n  line 3: field foo not found in type rulefmt.RuleGroup\n  line 7: field bar not found in type rulefmt.RuleNode"
                ])
        #expect(
            RuleGroupsFile.parse("- a\n").errors == [
                "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into rulefmt.RuleGroups",
                "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into rulefmt.ruleGroups",
            ])
        #expect(
            RuleGroupsFile.parse("groups: {a: 1}\n").errors == [
                "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!map into []rulefmt.RuleGroup",
                "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!map into []yaml.Node",
            ])
        #expect(
            RuleGroupsFile.parse("groups:\n  - name: g\n    name: h\n").errors == [
                "yaml: unmarshal errors:\n  line 3: mapping key \"name\" already defined at line 2"
            ])
        #expect(RuleGroupsFile.parse("groups:\n  - name: g\n    interval: 30\n").errors == [#"not a valid duration string: "30""#])
        #expect(
            RuleGroupsFile.parse("groups:\n  - name: g\n    limit: x\n").errors == [
                "yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `x` into int"
            ])
        #expect(
            RuleGroupsFile.parse("groups: [\n").errors == [
                "yaml: line 1: did not find expected node content", "yaml: line 1: did not find expected node content",
            ])
    }

    @Test("template checks run on alerting rules' labels and annotations only")
    func templateChecks() {
        let text = """
            groups:
              - name: g
                rules:
                  - alert: A
                    expr: up
                    labels: {l: "{{ bad"}
                    annotations: {a: ok, b: "{{ bad"}
                  - record: r
                    expr: up
                    labels: {l: "{{ bad"}
            """
        let check: RuleTemplateCheck = { alert, template in template.contains("{{ bad") ? "broken in \(alert)" : nil }
        #expect(
            RuleGroupsFile.parse(text, templateCheck: check).errors == [
                #"group "g", rule 1, "A": label "l": broken in A"#,
                #"group "g", rule 1, "A": annotation "b": broken in A"#,
            ])
    }

    @Test("the duplicate-rules lint finds rules with the same name and labels, each once")
    func duplicateLint() throws {
        let text = """
            groups:
              - name: g
                rules:
                  - {record: a, expr: up, labels: {x: "1"}}
                  - {record: a, expr: up + 1, labels: {x: "1"}}
                  - {alert: a, expr: up, labels: {x: "1"}}
                  - {record: a, expr: up, labels: {x: "2"}}
            """
        let path = try temporaryRuleFile(text)
        let linted = RuleFileCheck.check(file: path, lintDuplicates: true)
        #expect(linted.onlyLint && linted.ruleCount == 0)
        #expect(
            linted.errors == [
                "lint error 1 duplicate rule(s) found.\nMetric: a\nLabel(s):\n\tx: 1\nMight cause inconsistency while recording expressions"
            ])
        let plain = RuleFileCheck.check(file: path, lintDuplicates: false)
        #expect(plain.errors == [] && plain.ruleCount == 4)
        #expect(RuleFileCheck.check(file: path + ".missing", lintDuplicates: true).errors == ["\(path).missing: open \(path).missing: no such file or directory"])
    }
}

/// `promtool` on the PATH, or nil.
let rulesPromtoolPath: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/promtool" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

@Suite(
    "Rule files: the same verdicts as promtool 2.42",
    .enabled(if: rulesPromtoolPath != nil, "promtool is not installed (apt-get install -y prometheus); skipping interop")
)
struct RuleFilePromtoolTests {
    /// Files on which Prometheus 2.42 and 3 agree (2.42 validates names with the legacy scheme,
    /// has no `query_offset` or group `labels`, and Go's map order makes its label-error order random).
    static let files: [String] = [
        "groups:\n  - name: g\n    interval: 30s\n    rules:\n      - record: a:b\n        expr: sum(up)\n      - alert: A\n        expr: up == 0\n        for: 5m\n",
        "groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum by (job (up)\n      - alert: X\n        record: y\n        expr: up\n      - expr: up\n",
        "groups:\n  - name: g\n    rules:\n      - record: \"bad name\"\n        expr: up\n        for: 1m\n        annotations: {a: b}\n  - name: g\n  - name: \"\"\n",
        "groups:\n  - name: g\n    foo: 1\n    rules:\n      - record: a\n        expr: up\n        bar: 2\n",
        "- a\n", "groups: {a: 1}\n", "groups: [\n", "", "groups:\n  - name: g\n    interval: 30\n",
        "groups:\n  - name: g\n    limit: x\n    rules:\n      - {record: a, expr: 'rate(x[5m])', labels: {a: '1'}}\n",
    ]

    @Test("check rules: the same errors (or rule count) as promtool, file by file", arguments: files.indices)
    func sameVerdict(index: Int) throws {
        let path = try temporaryRuleFile(Self.files[index])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(rulesPromtoolPath))
        process.arguments = ["check", "rules", "--lint=none", path]
        let errors = Pipe()
        let output = Pipe()
        process.standardError = errors
        process.standardOutput = output
        try process.run()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let outputText = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let ours = RuleFileCheck.check(file: path, lintDuplicates: false, nameValidation: .legacy)
        if process.terminationStatus == 0 {
            #expect(ours.errors == [])
            #expect(outputText.contains("SUCCESS: \(ours.ruleCount) rules found"), "\(outputText)")
        } else {
            #expect(errorText == "  FAILED:\n" + ours.errors.map { $0 + "\n" }.joined())
        }
    }
}

@Suite("Rule files: hostile input")
struct RuleFileHostileInputTests {
    /// Rule files cut, spliced and sprinkled with YAML and template punctuation: every one parses
    /// or gives errors, never traps; an accepted file's templates expand without trapping either.
    @Test("5,000 mutated rule files: errors or groups, never a crash")
    func mutatedFiles() throws {
        let seeds = try ["rules.yml", "recording-rules.yml", "failing-rules.yml"].map {
            try String(contentsOfFile: try RuleFixtures.path($0), encoding: .utf8)
        }
        let pieces = ["{{", "}}", "{{ $labels.", "| humanize", "printf \"%d\"", ":", "- ", "\n  ", "[", "]", "{", "}", "'", "\"",
            "&a", "*a", "!!binary", "\t", "expr: ", "for: 1x", "record: ", "alert: ", "{{ range . }}", "{{ end }}", "\u{0}", "é"]
        var random = SeededGenerator(seed: 2026)
        var accepted = 0
        for _ in 0..<5_000 {
            var bytes = Array(seeds[Int.random(in: 0..<seeds.count, using: &random)].utf8)
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let at = Int.random(in: 0...bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.insert(contentsOf: Array(pieces.randomElement(using: &random)!.utf8), at: at)
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &random)))
                default: if at < bytes.count { bytes[at] = UInt8.random(in: 0x20...0x7E, using: &random) }
                }
            }
            let parsed = RuleGroupsFile.parse(String(decoding: bytes, as: UTF8.self), templateCheck: RuleTemplates.parseCheck)
            guard let file = parsed.file, parsed.errors.isEmpty else { continue }
            accepted += 1
            let expand = RuleTemplates.expansion(externalLabels: .empty, externalURL: "http://x", query: nil)
            for rule in file.groups.flatMap(\.rules) {
                for (_, text) in rule.labels + rule.annotations {
                    _ = expand(text, rule.name, ["instance": "a"], 1.5, 0)
                }
            }
        }
        #expect(accepted > 100, "too few mutants parsed to exercise templates: \(accepted)")
    }
}
