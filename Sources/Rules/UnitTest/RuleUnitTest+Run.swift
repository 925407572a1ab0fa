// Running a rule unit-test file as `promtool test rules` runs it: load the input series, evaluate
// every group at each evaluation interval from time 0, compare firing alerts at the asked times
// and expression results, and report differences in promtool's words.

import Logging
package import MetricModel
import PromQL
import Scrape

extension RuleUnitTestFile {
    /// The outcome of one test file: promtool's error texts (empty when every test passed) and
    /// warnings (rule-file patterns that matched nothing).
    package struct Outcome: Sendable {
        package var errors: [String] = []
        package var warnings: [String] = []
    }

    /// Reads and runs the test file at `path`.
    package static func run(file path: String) -> Outcome {
        var outcome = Outcome()
        let text: String
        do {
            text = String(decoding: try ConfigFile.contents(of: path), as: UTF8.self)
        } catch {
            return Outcome(errors: [error.message])
        }
        var file: RuleUnitTestFile
        do { file = try parse(text) } catch { return Outcome(errors: [error.message]) }
        let directory = ConfigPaths.directory(of: path)
        var ruleFiles: [String] = []
        for pattern in file.ruleFiles {
            let resolved = pattern.isEmpty || pattern.hasPrefix("/") ? pattern : ConfigPaths.join(directory, pattern)
            let matches = ConfigPaths.glob(resolved)
            if matches.isEmpty { outcome.warnings.append("no file match pattern \(resolved)") }
            ruleFiles += matches
        }
        file.ruleFiles = ruleFiles
        var order: [String: Int] = [:]
        for (index, name) in file.groupEvaluationOrder.enumerated() {
            guard order[name] == nil else {
                outcome.errors = ["group name repeated in evaluation order: \(name)"]
                return outcome
            }
            order[name] = index
        }
        for test in file.tests {
            outcome.errors += file.run(test, order: order)
        }
        return outcome
    }

    /// One test group; its errors.
    private func run(_ test: TestGroup, order: [String: Int]) -> [String] {
        let intervalMs = test.intervalMs ?? evaluationIntervalMs
        var script = "load \(ModelDuration.format(milliseconds: intervalMs))\n"
        for input in test.inputSeries { script += "  \(input.series) \(input.values)\n" }
        let storage: MemoryRuleStorage
        do {
            storage = MemoryRuleStorage(try MemoryStorage(loading: script))
        } catch {
            return ["\(error)"]
        }
        var options = RuleManagerOptions()
        options.evaluationIntervalMs = intervalMs
        var groups: [RuleGroup] = []
        for ruleFile in ruleFiles {
            let loaded = RuleGroupsFile.load(file: ruleFile, templateCheck: RuleTemplates.parseCheck)
            guard let definitions = loaded.file, loaded.errors.isEmpty else { return loaded.errors }
            for definition in definitions.groups {
                groups.append(RuleManager.group(definition, file: ruleFile, options: options, shouldRestore: false))
            }
        }
        // Groups named in group_eval_order first, in that order; the rest as the files list them.
        groups = groups.enumerated().sorted { lhs, rhs in
            (order[lhs.element.name] ?? 0, lhs.offset) < (order[rhs.element.name] ?? 0, rhs.offset)
        }.map(\.element)

        for alertTest in test.alertTests where alertTest.alertName.isEmpty {
            let inGroup = test.name.isEmpty ? "" : " (in TestGroup \(test.name))"
            return [
                "an item under alert_rule_test misses required attribute alertname at eval_time \(ModelDuration.format(milliseconds: alertTest.evalTimeMs))\(inGroup)"
            ]
        }
        let query = RuleQueries.engine(querier: storage, options: EngineOptions())
        let context = RuleEvaluationContext(
            storage: storage, query: query,
            expandTemplate: RuleTemplates.expansion(externalLabels: test.externalLabels, externalURL: test.externalURL, query: query),
            notify: { _, _ in }, logger: Logger(label: "sugarmill.rules.test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let alertTimes = Set(test.alertTests.map(\.evalTimeMs)).sorted()
        let maxTime = (test.alertTests.map(\.evalTimeMs) + test.expressionTests.map(\.evalTimeMs)).max() ?? 0
        var errors: [String] = []
        var next = 0
        var time: Int64 = 0
        while time <= maxTime {
            var evaluationErrors: [String] = []
            for group in groups {
                group.evaluate(at: time, context: context)
                for rule in group.rules {
                    if let error = rule.status.lastError {
                        evaluationErrors.append("    rule: \(rule.name), time: \(goDurationString(milliseconds: time)), err: \(error)")
                    }
                }
            }
            errors += evaluationErrors
            if !evaluationErrors.isEmpty { return errors }
            // Alerts asked for at a time in [time, time + interval) are compared with this evaluation.
            while next < alertTimes.count && alertTimes[next] >= time && alertTimes[next] < time + evaluationIntervalMs {
                errors += compareAlerts(at: alertTimes[next], test: test, groups: groups)
                next += 1
            }
            time += evaluationIntervalMs
        }
        for expressionTest in test.expressionTests {
            errors += compare(expressionTest, query: query)
        }
        return errors
    }
}
