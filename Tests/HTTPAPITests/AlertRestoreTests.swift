// `for` state across a real restart: alerts written as ALERTS_FOR_STATE into the TSDB (WAL) are
// read back after the database reopens, and the restored alert counts the time it was pending
// before the restart (Prometheus's RestoreForState).

import Foundation
import Logging
import MetricModel
import PromQL
import Rules
import TSDB
import Testing

@Suite struct AlertRestoreTests {
    static let rules = "groups: [{name: g, rules: [{alert: Down, expr: up == 0, for: 30m, labels: {severity: page}}]}]"

    static func context(_ db: DB) -> RuleEvaluationContext {
        RuleEvaluationContext(
            storage: db, query: RuleQueries.engine(querier: db, options: EngineOptions()),
            expandTemplate: { text, _, _, _, _ in text }, notify: { _, _ in }, logger: quietLogger)
    }

    static func group(shouldRestore: Bool) throws -> RuleGroup {
        let definition = try #require(RuleGroupsFile.parse(rules).file?.groups.first)
        return RuleManager.group(definition, file: "rules.yml", options: RuleManagerOptions(), shouldRestore: shouldRestore)
    }

    @Test func pendingTimeSurvivesARestart() async throws {
        let minute: Timestamp = 60_000
        let start: Timestamp = 1_700_000_000_000
        try await withTemporaryDirectory { dir in
            // Before: `up` is 0 from `start`; the alert is pending for 10 minutes.
            do {
                let db = try DB(directory: dir, logger: quietLogger)
                let app = db.appender()
                for i in 0...60 { _ = try app.append(nil, Labels(["__name__": "up", "job": "j"]), start + Timestamp(i) * minute, 0) }
                try app.commit()
                let group = try Self.group(shouldRestore: false)
                for i in 0...10 { group.evaluate(at: start + Timestamp(i) * minute, context: Self.context(db)) }
                guard case .alerting(let rule) = group.rules[0] else { Issue.record("not an alerting rule"); return }
                #expect(rule.activeAlerts.first?.state == .pending && rule.activeAlerts.first?.activeAt == start)
                try db.close()
            }
            // After a restart 5 minutes later: the alert is active since `start` + the 5 minutes down.
            let db = try DB(directory: dir, logger: quietLogger)
            defer { try? db.close() }
            let group = try Self.group(shouldRestore: true)
            let back = start + 15 * minute
            group.evaluate(at: back, context: Self.context(db))
            group.evaluate(at: back + minute, context: Self.context(db))
            group.restoreForState(at: back + minute, context: Self.context(db))
            guard case .alerting(let rule) = group.rules[0] else { Issue.record("not an alerting rule"); return }
            // Last written at start+10m with activeAt = start: down from start+10m to start+16m.
            #expect(rule.activeAlerts.first?.activeAt == start + 6 * minute)
            // Fires 30 minutes after that, not 30 minutes after the restart.
            group.evaluate(at: start + 35 * minute, context: Self.context(db))
            #expect(rule.activeAlerts.first?.state == .pending)
            group.evaluate(at: start + 36 * minute, context: Self.context(db))
            #expect(rule.activeAlerts.first?.state == .firing)
        }
    }
}
