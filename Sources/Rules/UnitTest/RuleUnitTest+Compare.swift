// Comparing what rules produced with what a unit test expects, and wording the differences as
// promtool does (`alertname: X, time: 5m, exp:[…], got:[…]`, `expr: "…", time: 3m, exp: … got: …`).

import MetricModel
import PromQL
import Scrape

extension RuleUnitTestFile {
    /// Firing alerts of the rules named by the tests at `time`, against each test's expectation.
    func compareAlerts(at time: Int64, test: TestGroup, groups: [RuleGroup]) -> [String] {
        let tests = test.alertTests.filter { $0.evalTimeMs == time }
        let names = Set(tests.map(\.alertName))
        var got: [String: [LabelsAndAnnotations]] = [:]
        for group in groups {
            for case .alerting(let rule) in group.rules where names.contains(rule.name) {
                got[rule.name, default: []] += rule.activeAlerts.filter { $0.state == .firing }.map {
                    LabelsAndAnnotations(labels: $0.labels, annotations: $0.annotations)
                }
            }
        }
        var errors: [String] = []
        for alertTest in tests {
            let expected = alertTest.expected.map { expected in
                var labels = Dictionary(expected.labels, uniquingKeysWith: { $1 })
                labels["alertname"] = alertTest.alertName
                return LabelsAndAnnotations(
                    labels: Labels(labels), annotations: Labels(Dictionary(expected.annotations, uniquingKeysWith: { $1 })))
            }.sorted()
            let actual = (got[alertTest.alertName] ?? []).sorted()
            guard expected != actual else { continue }
            let name = test.name.isEmpty ? "" : "    name: \(test.name),\n"
            errors.append(
                "\(name)    alertname: \(alertTest.alertName), time: \(ModelDuration.format(milliseconds: alertTest.evalTimeMs)), \n"
                    + "        exp:\(Self.indent(Self.describe(expected), "            ")), \n"
                    + "        got:\(Self.indent(Self.describe(actual), "            "))")
        }
        return errors
    }

    /// One `promql_expr_test`.
    func compare(_ test: ExpressionTest, query: RuleQueryFunction) -> [String] {
        let prefix = "    expr: \(goQuote(test.expr)), time: \(ModelDuration.format(milliseconds: test.evalTimeMs))"
        let got: [VectorSample]
        do {
            got = try query(try parseExpr(test.expr), test.evalTimeMs)
        } catch {
            return ["\(prefix), err: \(error)"]
        }
        var expected: [ComparedSample] = []
        for sample in test.expected {
            do {
                let matchers = try parseMetricSelector(sample.labels)
                var histogram = ""
                if !sample.histogram.isEmpty {
                    do {
                        histogram = try SeriesDescription.histogram(parsing: sample.histogram).testExpression
                    } catch {
                        return ["\(prefix), err: labels \(goQuote(sample.labels)): \(error)"]
                    }
                }
                expected.append(ComparedSample(
                    labels: Labels(matchers.map { ($0.name, $0.value) }), value: sample.value, histogram: histogram))
            } catch {
                return ["\(prefix), err: labels \(goQuote(sample.labels)): \(error)"]
            }
        }
        let expectedSorted = expected.sorted { $0.labels < $1.labels }
        let gotSorted = got.map {
            ComparedSample(labels: $0.labels, value: $0.histogram == nil ? $0.value : 0, histogram: $0.histogram?.testExpression ?? "")
        }.sorted { $0.labels < $1.labels }
        let same =
            expectedSorted.count == gotSorted.count
            && zip(expectedSorted, gotSorted).allSatisfy { exp, got in
                exp.labels == got.labels && exp.histogram == got.histogram
                    && (fuzzyCompare ? Self.almostEqual(exp.value, got.value) : exp.value == got.value)
            }
        if same { return [] }
        return ["\(prefix),\n        exp: \(Self.describe(expectedSorted))\n        got: \(Self.describe(gotSorted))"]
    }

    /// `fuzzy_compare`: equal within a relative 1e-9 (NaN equals NaN, infinities themselves).
    static func almostEqual(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        return abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    }

    /// promtool's `parsedSamplesString`: `{…} 1E+00, {…} {{count:2 sum:3}}`, or `nil`.
    static func describe(_ samples: [ComparedSample]) -> String {
        guard !samples.isEmpty else { return "nil" }
        return samples.map {
            "\($0.labels) " + ($0.histogram.isEmpty ? goFormatShortest($0.value, exponent: true).replacing("e", with: "E") : $0.histogram)
        }.joined(separator: ", ")
    }

    /// promtool's `labelsAndAnnotations.String()`.
    static func describe(_ alerts: [LabelsAndAnnotations]) -> String {
        guard !alerts.isEmpty else { return "[]" }
        var text = "["
        for (index, alert) in alerts.enumerated() {
            text += (index == 0 ? "\n" : ",\n") + "\(index):"
            text += indent("\nLabels:\(alert.labels)\nAnnotations:\(alert.annotations)", "  ")
        }
        return text + "\n]"
    }

    /// promtool's `indentLines`: every line after the first prefixed with `prefix`.
    static func indent(_ text: String, _ prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            index == 0 ? String(line) : prefix + line
        }.joined(separator: "\n")
    }
}

/// A sample as `promql_expr_test` compares it (promtool's `parsedSample`): a native histogram
/// by its series-notation text, its float then 0.
struct ComparedSample {
    var labels: Labels
    var value: Double
    var histogram: String
}

/// An alert as unit tests compare it.
struct LabelsAndAnnotations: Equatable, Comparable {
    var labels: Labels
    var annotations: Labels

    static func < (lhs: LabelsAndAnnotations, rhs: LabelsAndAnnotations) -> Bool {
        lhs.labels != rhs.labels ? lhs.labels < rhs.labels : lhs.annotations < rhs.annotations
    }
}
