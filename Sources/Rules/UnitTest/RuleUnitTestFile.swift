// promtool's rule unit-test file (`promtool test rules`): rule files, input series in the
// PromQL test notation, and the alerts and expression results expected at given times.

package import MetricModel
package import Scrape
import YAML

/// A rule unit-test file.
package struct RuleUnitTestFile: Sendable {
    /// Rule files, resolved against the test file's directory and globbed.
    package var ruleFiles: [String] = []
    /// `evaluation_interval` (default 1m): how often the groups are evaluated.
    package var evaluationIntervalMs: Int64 = 60_000
    /// `group_eval_order`: groups named here are evaluated first, in this order.
    package var groupEvaluationOrder: [String] = []
    package var tests: [TestGroup] = []
    /// `fuzzy_compare`: expression results compared with a relative tolerance.
    package var fuzzyCompare = false

    /// One `tests:` entry: its own data and expectations.
    package struct TestGroup: Sendable {
        package var name = ""
        /// `interval` of the input series (default: the evaluation interval, as Prometheus 3 does).
        package var intervalMs: Int64?
        package var inputSeries: [(series: String, values: String)] = []
        package var alertTests: [AlertTest] = []
        package var expressionTests: [ExpressionTest] = []
        package var externalLabels: Labels = .empty
        package var externalURL = ""
    }

    /// The firing alerts of one rule expected at one time.
    package struct AlertTest: Sendable {
        package var evalTimeMs: Int64 = 0
        package var alertName = ""
        package var expected: [(labels: [(String, String)], annotations: [(String, String)])] = []
    }

    /// An expression's expected result at one time.
    package struct ExpressionTest: Sendable {
        package var expr = ""
        package var evalTimeMs: Int64 = 0
        package var expected: [ExpectedSample] = []
    }

    /// An `exp_samples` entry: labels and a float, or a native histogram in the series notation
    /// (`{{schema:0 count:3 sum:5 buckets:[1 2]}}`), whose presence makes the value ignored.
    package struct ExpectedSample: Sendable {
        package var labels = ""
        package var value = 0.0
        package var histogram = ""
    }
}

extension RuleUnitTestFile {
    /// Decodes a test file as promtool does (go-yaml v2, strict).
    ///
    /// - Throws: `ConfigError` with go-yaml's or the duration parser's text.
    package static func parse(_ text: String) throws(ConfigError) -> RuleUnitTestFile {
        var file = RuleUnitTestFile()
        let root: Node?
        do { root = try Composer.compose(text) } catch { throw ConfigError(error.message) }
        guard let root else { return file }
        let decoder = ConfigDecoder()
        let known: Set<String> = ["rule_files", "evaluation_interval", "group_eval_order", "tests", "fuzzy_compare"]
        try decoder.fields(of: root, goType: "main.unitTestFile", known: known) { key, value throws(ConfigError) in
            switch key {
            case "rule_files": file.ruleFiles = try decoder.strings(value) ?? []
            case "evaluation_interval": file.evaluationIntervalMs = try decoder.duration(value) ?? file.evaluationIntervalMs
            case "group_eval_order": file.groupEvaluationOrder = try decoder.strings(value) ?? []
            case "fuzzy_compare": file.fuzzyCompare = try decoder.bool(value) ?? false
            default:
                for item in decoder.elements(value, goType: "[]main.testGroup") ?? [] {
                    file.tests.append(try decoder.testGroup(item))
                }
            }
        }
        if let error = decoder.unmarshalError { throw error }
        if file.evaluationIntervalMs == 0 { file.evaluationIntervalMs = 60_000 }
        return file
    }
}

extension ConfigDecoder {
    fileprivate func testGroup(_ node: Node) throws(ConfigError) -> RuleUnitTestFile.TestGroup {
        var group = RuleUnitTestFile.TestGroup()
        let known: Set<String> = [
            "interval", "input_series", "alert_rule_test", "promql_expr_test", "external_labels", "external_url", "name",
        ]
        try fields(of: node, goType: "main.testGroup", known: known) { key, value throws(ConfigError) in
            switch key {
            case "interval": group.intervalMs = try duration(value)
            case "name": group.name = try string(value) ?? ""
            case "external_url": group.externalURL = try string(value) ?? ""
            case "external_labels": group.externalLabels = Labels(try stringPairs(value, goType: "labels.Labels").map { ($0.name, $0.value) })
            case "input_series":
                for item in elements(value, goType: "[]main.series") ?? [] {
                    var series = (series: "", values: "")
                    try fields(of: item, goType: "main.series", known: ["series", "values"]) { key, value throws(ConfigError) in
                        if key == "series" { series.series = try string(value) ?? "" } else { series.values = try string(value) ?? "" }
                    }
                    group.inputSeries.append(series)
                }
            case "alert_rule_test":
                for item in elements(value, goType: "[]main.alertTestCase") ?? [] { group.alertTests.append(try alertTest(item)) }
            default:
                for item in elements(value, goType: "[]main.promqlTestCase") ?? [] {
                    group.expressionTests.append(try expressionTest(item))
                }
            }
        }
        return group
    }

    private func alertTest(_ node: Node) throws(ConfigError) -> RuleUnitTestFile.AlertTest {
        var test = RuleUnitTestFile.AlertTest()
        try fields(of: node, goType: "main.alertTestCase", known: ["eval_time", "alertname", "exp_alerts"]) { key, value throws(ConfigError) in
            switch key {
            case "eval_time": test.evalTimeMs = try duration(value) ?? 0
            case "alertname": test.alertName = try string(value) ?? ""
            default:
                for item in elements(value, goType: "[]main.alert") ?? [] {
                    var expected = (labels: [(String, String)](), annotations: [(String, String)]())
                    try fields(of: item, goType: "main.alert", known: ["exp_labels", "exp_annotations"]) { key, value throws(ConfigError) in
                        let pairs = try stringPairs(value).map { ($0.name, $0.value) }
                        if key == "exp_labels" { expected.labels = pairs } else { expected.annotations = pairs }
                    }
                    test.expected.append(expected)
                }
            }
        }
        return test
    }

    private func expressionTest(_ node: Node) throws(ConfigError) -> RuleUnitTestFile.ExpressionTest {
        var test = RuleUnitTestFile.ExpressionTest()
        try fields(of: node, goType: "main.promqlTestCase", known: ["expr", "eval_time", "exp_samples"]) { key, value throws(ConfigError) in
            switch key {
            case "expr": test.expr = try string(value) ?? ""
            case "eval_time": test.evalTimeMs = try duration(value) ?? 0
            default:
                for item in elements(value, goType: "[]main.sample") ?? [] {
                    var sample = RuleUnitTestFile.ExpectedSample()
                    try fields(of: item, goType: "main.sample", known: ["labels", "value", "histogram"]) { key, value throws(ConfigError) in
                        switch key {
                        case "labels": sample.labels = try string(value) ?? ""
                        case "histogram": sample.histogram = try string(value) ?? ""
                        default: sample.value = try float(value) ?? 0
                        }
                    }
                    test.expected.append(sample)
                }
            }
        }
        return test
    }
}
