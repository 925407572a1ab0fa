// `sugarmill test rules`: promtool's rule unit-test files run against our rule evaluation, with
// promtool's verdicts and error texts (checked against promtool 2.42 when it is installed).

import Foundation
import Rules
import Testing

/// `Tests/Fixtures/rules`, found by walking up from this source file.
enum RuleFixtures {
    static let root: String? = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            let candidate = url.appendingPathComponent("Tests/Fixtures/rules")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            url = url.deletingLastPathComponent()
        }
        return nil
    }()

    static func path(_ name: String) throws -> String {
        try #require(root, "Tests/Fixtures/rules not found above \(#filePath)") + "/" + name
    }
}

@Suite("Rule unit tests (promtool test rules)")
struct RuleUnitTestTests {
    @Test("the fixture's alert and expression tests all pass")
    func passingFile() throws {
        let outcome = RuleUnitTestFile.run(file: try RuleFixtures.path("tests.yml"))
        #expect(outcome.errors == [])
        #expect(outcome.warnings == [])
    }

    @Test("failures are reported in promtool's words: alerts, samples, parse errors, test names")
    func failingFile() throws {
        let outcome = RuleUnitTestFile.run(file: try RuleFixtures.path("failing-tests.yml"))
        #expect(
            outcome.errors == [
                """
                    name: second,
                    alertname: Down, time: 4m, \n        exp:[
                            0:
                              Labels:{alertname="Down", instance="x", job="a", severity="page"}
                              Annotations:{summary="wrong"}
                            ], \n        got:[
                            0:
                              Labels:{alertname="Down", instance="x", job="a", severity="page"}
                              Annotations:{summary="x down, value 0"}
                            ]
                """,
                """
                    expr: "job:up:sum", time: 3m,
                        exp: {__name__="job:up:sum", job="a"} 7E+00
                        got: {__name__="job:up:sum", job="a"} 0E+00
                """,
                #"    expr: "sum(up", time: 1m, err: 1:7: parse error: unclosed left parenthesis"#,
            ])
    }

    @Test("bad test files: YAML, unknown fields, missing alertname, repeated group order, unmatched rule files")
    func badFiles() throws {
        let unknown = try temporaryRuleFile("tests:\n  - interval: 1m\n    bogus: 1\n", name: "t.yml")
        #expect(
            RuleUnitTestFile.run(file: unknown).errors == [
                "yaml: unmarshal errors:\n  line 3: field bogus not found in type main.testGroup"
            ])
        let noName = try temporaryRuleFile("tests:\n  - name: n\n    alert_rule_test:\n      - eval_time: 2m\n", name: "t.yml")
        #expect(
            RuleUnitTestFile.run(file: noName).errors == [
                "an item under alert_rule_test misses required attribute alertname at eval_time 2m (in TestGroup n)"
            ])
        let order = try temporaryRuleFile("group_eval_order: [a, a]\n", name: "t.yml")
        #expect(RuleUnitTestFile.run(file: order).errors == ["group name repeated in evaluation order: a"])
        let missing = try temporaryRuleFile("rule_files: [nothing-*.yml]\ntests: []\n", name: "t.yml")
        let outcome = RuleUnitTestFile.run(file: missing)
        #expect(outcome.errors == [] && outcome.warnings.count == 1 && outcome.warnings[0].hasPrefix("no file match pattern /"))
    }

    @Test("the recording-rule oracle: every compared rule produced series (promtool prints the same ones)")
    func recordingOracleProducesSeries() throws {
        let errors = RuleUnitTestFile.run(file: try RuleFixtures.path("recording-oracle.yml")).errors
        #expect(errors.count == 24)
        #expect(errors.allSatisfy { $0.contains("        got: {__name__=") || $0.contains("        got: {}") }, "\(errors)")
    }

    /// Native histograms in `input_series` and `exp_samples` (`histogram:`), the cases of
    /// Prometheus's own `cmd/promtool/testdata/unittest.yml`, then a wrong one and a bad one.
    @Test("histogram exp_samples are compared as promtool compares them")
    func histogramSamples() throws {
        let tests = try temporaryRuleFile(
            """
            tests:
              - interval: 1m
                input_series:
                  - series: test_histogram
                    values: "{{schema:1 sum:-0.3 count:32.1 z_bucket:7.1 z_bucket_w:0.05 buckets:[5.1 10 7] offset:-3 n_buckets:[4.1 5] n_offset:-5}}"
                  - series: test_histogram_repeat
                    values: "{{sum:3 count:2 buckets:[2]}}x2"
                  - series: test_histogram_increase
                    values: "{{sum:3 count:2 buckets:[2]}}+{{sum:1.3 count:1 buckets:[1]}}x2"
                promql_expr_test:
                  - expr: test_histogram
                    eval_time: 1m
                    exp_samples:
                      - labels: "test_histogram"
                        histogram: "{{schema:1 sum:-0.3 count:32.1 z_bucket:7.1 z_bucket_w:0.05 buckets:[5.1 10 7] offset:-3 n_buckets:[4.1 5] n_offset:-5}}"
                  - expr: test_histogram_repeat
                    eval_time: 2m
                    exp_samples:
                      - labels: "test_histogram_repeat"
                        histogram: "{{count:2 sum:3 counter_reset_hint:not_reset buckets:[2]}}"
                  - expr: test_histogram_increase
                    eval_time: 2m
                    exp_samples:
                      - labels: "test_histogram_increase"
                        histogram: "{{count:4 sum:5.6 counter_reset_hint:not_reset buckets:[4]}}"
            """, name: "t.yml")
        #expect(RuleUnitTestFile.run(file: tests).errors == [])

        let wrong = try temporaryRuleFile(
            """
            tests:
              - interval: 1m
                input_series:
                  - {series: h, values: "{{sum:3 count:2 buckets:[2]}}"}
                promql_expr_test:
                  - expr: h
                    eval_time: 0m
                    exp_samples:
                      - {labels: h, histogram: "{{sum:3 count:5 buckets:[5]}}"}
                  - expr: h
                    eval_time: 0m
                    exp_samples:
                      - {labels: h, histogram: "1"}
            """, name: "t.yml")
        #expect(
            RuleUnitTestFile.run(file: wrong).errors == [
                """
                    expr: "h", time: 0s,
                        exp: {__name__="h"} {{count:5 sum:3 buckets:[5]}}
                        got: {__name__="h"} {{count:2 sum:3 buckets:[2]}}
                """,
                #"    expr: "h", time: 0s, err: labels "h": expected histogram, got 1.000000"#,
            ])
    }

    @Test("a rule that fails to evaluate stops the test group with the rule's error")
    func evaluationError() throws {
        let rules = try temporaryRuleFile("groups: [{name: g, rules: [{record: r, expr: 'x', labels: {a: b}}]}]", name: "r.yml")
        let directory = (rules as NSString).deletingLastPathComponent
        let tests = directory + "/t.yml"
        try """
            rule_files: [r.yml]
            tests:
              - interval: 1m
                input_series:
                  - {series: 'x{a="1"}', values: '1 1'}
                  - {series: 'x{a="2"}', values: '1 1'}
                promql_expr_test:
                  - {expr: r, eval_time: 1m}
            """.write(toFile: tests, atomically: true, encoding: .utf8)
        #expect(
            RuleUnitTestFile.run(file: tests).errors == [
                "    rule: r, time: 0s, err: vector contains metrics with the same labelset after applying rule labels"
            ])
    }
}

@Suite(
    "Rule unit tests: the same verdicts as promtool 2.42",
    .enabled(if: rulesPromtoolPath != nil, "promtool is not installed (apt-get install -y prometheus); skipping interop")
)
struct RuleUnitTestPromtoolTests {
    @Test("promtool test rules gives the same result and error text on the fixtures", arguments: ["tests.yml", "failing-tests.yml", "recording-oracle.yml"])
    func sameOutput(file: String) throws {
        let path = try RuleFixtures.path(file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(rulesPromtoolPath))
        process.arguments = ["test", "rules", path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let outcome = RuleUnitTestFile.run(file: path)
        #expect((process.terminationStatus == 0) == outcome.errors.isEmpty)
        if process.terminationStatus != 0 {
            let ours = "  FAILED:\n" + outcome.errors.map { $0 + "\n" }.joined()
            #expect(Self.sameUpToLastBits(errorText, ours), "promtool:\n\(errorText)\nsugarmill:\n\(ours)")
        }
    }

    /// Equal texts, except that sample values may differ in their last bits: Prometheus sums
    /// series in an order that changes from run to run (its test loader fills a Go map), so
    /// promtool itself prints `3.610169491525424E+00` one run and `3.6101694915254234E+00` the next.
    static func sameUpToLastBits(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.split(separator: "\n", omittingEmptySubsequences: false)
        let right = rhs.split(separator: "\n", omittingEmptySubsequences: false)
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { a, b in
            if a == b { return true }
            let wordsA = a.split(separator: " "), wordsB = b.split(separator: " ")
            guard wordsA.count == wordsB.count else { return false }
            return zip(wordsA, wordsB).allSatisfy { x, y in
                if x == y { return true }
                let trim: (Substring) -> Substring = { $0.hasSuffix(",") ? $0.dropLast() : $0 }
                guard let u = Double(trim(x)), let v = Double(trim(y)) else { return false }
                return abs(u - v) <= 1e-12 * max(abs(u), abs(v))
            }
        }
    }
}
