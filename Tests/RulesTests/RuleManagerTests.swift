// The rule manager: rule files loaded by glob into running groups; a reload keeps unchanged
// groups, carries alerts and series into changed ones, refuses bad files without touching the
// running rules, and marks a removed group's series stale.

import Foundation
import MetricModel
import PromQL
import Rules
import Testing

@Suite("Rule manager: loading and reloading rule files")
struct RuleManagerTests {
    static let downRules = """
        groups:
          - name: g
            interval: 1h
            rules:
              - alert: Down
                expr: up == 0
                for: 10m
              - record: r
                expr: sum(up)
        """

    @Test("files are globbed into groups sorted by file and name; a bad file keeps the running rules")
    func loadAndRefuse() async throws {
        let harness = try RuleHarness()
        let manager = RuleManager(context: harness.context)
        let first = try temporaryRuleFile(Self.downRules, name: "b.yml")
        let directory = (first as NSString).deletingLastPathComponent
        try "groups: [{name: z, rules: []}, {name: a, rules: []}]".write(toFile: directory + "/a.yml", atomically: true, encoding: .utf8)
        try await manager.apply(ruleFiles: [directory + "/*.yml"], options: RuleManagerOptions())
        #expect(manager.groups.map { "\(($0.file as NSString).lastPathComponent):\($0.name)" } == ["a.yml:a", "a.yml:z", "b.yml:g"])
        #expect(manager.groups.last?.intervalMs == 3_600_000 && manager.groups.first?.intervalMs == 60_000)

        try "groups: [{name: a, rules: [{record: 'x', expr: 'sum('}]}]".write(toFile: directory + "/a.yml", atomically: true, encoding: .utf8)
        await #expect(throws: RuleLoadError.self) {
            try await manager.apply(ruleFiles: [directory + "/*.yml"], options: RuleManagerOptions())
        }
        #expect(manager.groups.count == 3)
        await manager.shutdown()
        #expect(manager.groups.isEmpty)
    }

    @Test("a reload keeps an unchanged group as it is and carries alerts into a changed one")
    func reloadCarriesState() async throws {
        let harness = try RuleHarness(series: [("up", (0...30).map { (Timestamp($0) * 60_000, 0) })])
        let manager = RuleManager(context: harness.context)
        let file = try temporaryRuleFile(Self.downRules)
        try await manager.apply(ruleFiles: [file], options: RuleManagerOptions())
        let original = try #require(manager.groups.first)
        original.evaluate(at: 0, context: harness.context)
        original.evaluate(at: 60_000, context: harness.context)

        try await manager.apply(ruleFiles: [file], options: RuleManagerOptions())
        #expect(manager.groups.first === original)

        // The group changes (another rule): the new group starts with the old alert, still active since 0.
        try (Self.downRules + "\n      - record: other\n        expr: count(up)\n").write(toFile: file, atomically: true, encoding: .utf8)
        try await manager.apply(ruleFiles: [file], options: RuleManagerOptions())
        let changed = try #require(manager.groups.first)
        #expect(changed !== original && changed.rules.count == 3)
        guard case .alerting(let rule) = changed.rules[0] else { Issue.record("not an alerting rule"); return }
        #expect(rule.activeAlerts.first?.activeAt == 0)
        changed.evaluate(at: 600_000, context: harness.context)
        #expect(rule.activeAlerts.first?.state == .firing)
        await manager.shutdown()
    }

    @Test("a rule a reload removes gets stale markers at the group's next evaluation")
    func removedRuleGoesStale() async throws {
        let harness = try RuleHarness(series: [("up", [(0, 1), (60_000, 1)])])
        let manager = RuleManager(context: harness.context)
        let file = try temporaryRuleFile(Self.downRules)
        try await manager.apply(ruleFiles: [file], options: RuleManagerOptions())
        manager.groups.first?.evaluate(at: 0, context: harness.context)
        #expect(try harness.samples("r") == [#"{__name__="r"}"#: [Sample(0, 1)]])

        try Self.downRules.replacingOccurrences(of: "record: r", with: "record: renamed").write(toFile: file, atomically: true, encoding: .utf8)
        try await manager.apply(ruleFiles: [file], options: RuleManagerOptions())
        manager.groups.first?.evaluate(at: 60_000, context: harness.context)
        let r = try #require(try harness.samples("r")[#"{__name__="r"}"#])
        #expect(r.count == 2 && StaleNaN.isStale(r[1].value) && r[1].timestamp == 60_000)
        #expect(try harness.samples("renamed") == [#"{__name__="renamed"}"#: [Sample(60_000, 1)]])
        await manager.shutdown()
    }

    @Test("groups evaluate on their own: a 1s group writes results without being driven")
    func runsOnSchedule() async throws {
        let now = Timestamp(Date().timeIntervalSince1970 * 1000)
        let harness = try RuleHarness(series: [("up", [(now - 1000, 1)])])
        let manager = RuleManager(context: harness.context)
        let file = try temporaryRuleFile("groups: [{name: g, interval: 1s, rules: [{record: r, expr: sum(up)}]}]")
        try await manager.apply(ruleFiles: [file], options: RuleManagerOptions())
        // Generous: on a machine loaded by the rest of the suite the group's task may wait long for a thread.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, try harness.samples("r").isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        #expect(try harness.samples("r").values.first?.first?.value == 1)
        let metrics = try #require(manager.groups.first?.metrics)
        #expect(metrics.iterations >= 1 && metrics.evaluations >= 1 && metrics.evaluationFailures == 0)
        await manager.shutdown()
    }
}

@Suite("Rule group slots")
struct RuleGroupSlotTests {
    /// Observed on Prometheus 2.42 (Debian) with this rule file at /tmp/promslot/rules.yml:
    /// group `slot-a` (10s) wrote samples at …028.581, …038.581; `slot-b` (7s) at …032.075, …039.075.
    @Test("groups evaluate at the instants Prometheus 2.42 chooses for the same name, file and interval")
    func sameSlotsAsPrometheus() throws {
        let text = """
            groups:
              - {name: slot-a, interval: 10s, rules: [{record: a, expr: vector(1)}]}
              - {name: slot-b, interval: 7s, rules: [{record: b, expr: vector(2)}]}
            """
        let definitions = try #require(RuleGroupsFile.parse(text).file?.groups)
        let groups = definitions.map {
            RuleManager.group($0, file: "/tmp/promslot/rules.yml", options: RuleManagerOptions(), shouldRestore: false)
        }
        #expect(groups[0].evaluationTime(atOrBefore: 1_795_785_030_000 * 1_000_000) == 1_795_785_028_581)
        #expect(groups[0].evaluationTime(atOrBefore: 1_795_785_038_582 * 1_000_000) == 1_795_785_038_581)
        #expect(groups[0].evaluationTime(atOrBefore: 1_795_785_038_580 * 1_000_000) == 1_795_785_028_581)
        #expect(groups[1].evaluationTime(atOrBefore: 1_795_785_033_000 * 1_000_000) == 1_795_785_032_075)
        #expect(groups[1].evaluationTime(atOrBefore: 1_795_785_046_074 * 1_000_000) == 1_795_785_039_075)
    }
}
