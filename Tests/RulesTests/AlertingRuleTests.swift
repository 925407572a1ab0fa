// Alerting rules through their life: pending for `for`, firing, resolved and kept 15 minutes;
// `keep_firing_for`; ALERTS / ALERTS_FOR_STATE series; what is sent to the notifier and when;
// `for` state restored after a restart.

import MetricModel
import PromQL
import Rules
import Testing

@Suite("Alerting rules")
struct AlertingRuleTests {
    static let minute: Timestamp = 60_000

    static let downRule = """
        groups:
          - name: g
            rules:
              - alert: Down
                expr: up == 0
                for: 2m
                labels: {severity: page}
                annotations: {summary: "$labels.instance is down"}
        """

    /// `up{instance="a"}` 0 for 10 minutes, then 1; `up{instance="b"}` always 1.
    static func downSeries() -> [(String, [(Timestamp, Double)])] {
        [
            (#"up{instance="a",job="j"}"#, (0...20).map { (Timestamp($0) * minute, $0 < 10 ? 0 : 1) }),
            (#"up{instance="b",job="j"}"#, (0...20).map { (Timestamp($0) * minute, 1) }),
        ]
    }

    @Test("pending, then firing after `for`, then resolved: states, ALERTS series and notifications")
    func lifecycle() throws {
        let harness = try RuleHarness(series: Self.downSeries())
        let group = try harness.group(Self.downRule)
        guard case .alerting(let rule) = group.rules[0] else { Issue.record("not an alerting rule"); return }

        group.evaluate(at: 0, context: harness.context)
        let pending = try #require(rule.activeAlerts.first)
        #expect(rule.activeAlerts.count == 1 && pending.state == .pending && pending.activeAt == 0)
        #expect(pending.labels == (try labels(#"{alertname="Down",instance="a",job="j",severity="page"}"#)))
        #expect(pending.annotations == Labels(["summary": "a is down"]))
        #expect(harness.sent.take().isEmpty)  // pending alerts are not sent

        group.evaluate(at: Self.minute, context: harness.context)
        #expect(rule.activeAlerts.first?.state == .pending)
        group.evaluate(at: 2 * Self.minute, context: harness.context)
        let firing = try #require(rule.activeAlerts.first)
        #expect(firing.state == .firing && firing.firedAt == 2 * Self.minute)
        let sent = harness.sent.take()
        #expect(sent.count == 1 && sent.first?.expr == "up == 0")
        #expect(sent.first?.alerts.first?.validUntil == 2 * Self.minute + 4 * 60_000)
        #expect(rule.ruleState == .firing)

        // Not resent before the resend delay has passed; resent after.
        group.evaluate(at: 3 * Self.minute, context: harness.context)
        #expect(harness.sent.take().isEmpty)
        group.evaluate(at: 3 * Self.minute + 1, context: harness.context)
        #expect(harness.sent.take().count == 1)

        // up{instance="a"} is 1 from minute 10: resolved, sent once as resolved, kept 15 minutes.
        group.evaluate(at: 10 * Self.minute, context: harness.context)
        #expect(rule.activeAlerts.isEmpty && rule.ruleState == .inactive)
        let resolved = harness.sent.take()
        #expect(resolved.first?.alerts.first?.resolvedAt == 10 * Self.minute)
        #expect(resolved.first?.alerts.first?.state == .inactive)
        group.evaluate(at: 11 * Self.minute, context: harness.context)
        #expect(rule.allAlerts.count == 1)
        group.evaluate(at: 25 * Self.minute + 1, context: harness.context)
        #expect(rule.allAlerts.isEmpty)

        let alerts = try harness.samples("ALERTS")
        let pendingSeries = try #require(alerts[#"{__name__="ALERTS", alertname="Down", alertstate="pending", instance="a", job="j", severity="page"}"#])
        #expect(pendingSeries.map(\.timestamp).prefix(2) == [0, Self.minute] && pendingSeries.dropLast().allSatisfy { $0.value == 1 })
        #expect(pendingSeries.last.map { StaleNaN.isStale($0.value) && $0.timestamp == 2 * Self.minute } == true)
        let firingSeries = try #require(alerts[#"{__name__="ALERTS", alertname="Down", alertstate="firing", instance="a", job="j", severity="page"}"#])
        #expect(firingSeries.first?.timestamp == 2 * Self.minute)
        #expect(firingSeries.last.map { StaleNaN.isStale($0.value) && $0.timestamp == 10 * Self.minute } == true)
        let forState = try harness.samples("ALERTS_FOR_STATE")
        #expect(forState.count == 1 && forState.values.first?.first == Sample(0, 0))
    }

    @Test("a pending alert whose condition clears is dropped without being sent")
    func pendingClears() throws {
        let harness = try RuleHarness(series: [("up", [(0, 0), (Self.minute, 1)])])
        let group = try harness.group(Self.downRule)
        guard case .alerting(let rule) = group.rules[0] else { Issue.record("not an alerting rule"); return }
        group.evaluate(at: 0, context: harness.context)
        #expect(rule.activeAlerts.count == 1)
        group.evaluate(at: Self.minute, context: harness.context)
        #expect(rule.allAlerts.isEmpty && harness.sent.take().isEmpty)
    }

    @Test("keep_firing_for keeps an alert firing after its condition clears, then resolves it")
    func keepFiringFor() throws {
        let harness = try RuleHarness(series: [("up", [(0, 0), (Self.minute, 1), (10 * Self.minute, 1)])])
        let group = try harness.group("groups: [{name: g, rules: [{alert: Down, expr: up == 0, keep_firing_for: 2m}]}]")
        guard case .alerting(let rule) = group.rules[0] else { Issue.record("not an alerting rule"); return }
        group.evaluate(at: 0, context: harness.context)
        #expect(rule.activeAlerts.first?.state == .firing)  // no `for`: fires at once
        group.evaluate(at: Self.minute, context: harness.context)
        #expect(rule.activeAlerts.first?.state == .firing && rule.activeAlerts.first?.keepFiringSince == Self.minute)
        group.evaluate(at: 2 * Self.minute, context: harness.context)
        #expect(rule.activeAlerts.first?.state == .firing)
        group.evaluate(at: 3 * Self.minute, context: harness.context)
        #expect(rule.activeAlerts.isEmpty && rule.allAlerts.first?.resolvedAt == 3 * Self.minute)
    }

    @Test("more alerts than the group's limit is an error and drops every alert")
    func alertLimit() throws {
        let harness = try RuleHarness(series: Self.downSeries())
        let group = try harness.group("groups: [{name: g, limit: 1, rules: [{alert: Up, expr: up >= 0}]}]")
        guard case .alerting(let rule) = group.rules[0] else { Issue.record("not an alerting rule"); return }
        group.evaluate(at: 0, context: harness.context)
        #expect(rule.status.lastError == "exceeded limit of 1 with 2 alerts" && rule.allAlerts.isEmpty)
    }

    @Test("a group that restores writes no ALERTS until restored, then moves activeAt by the downtime")
    func restoreForState() throws {
        // Before the restart the alert had been active since second 600 and was last written at 900 s
        // (5 minutes pending of a 30-minute `for`); the server was down until 1200 s.
        let harness = try RuleHarness(series: [
            ("up", (0...40).map { (Timestamp($0) * Self.minute, 0) }),
            (#"ALERTS_FOR_STATE{alertname="Down"}"#, [(600_000, 600), (900_000, 600)]),
        ])
        let group = try harness.group(
            "groups: [{name: g, rules: [{alert: Down, expr: up == 0, for: 30m}]}]", shouldRestore: true)
        guard case .alerting(let rule) = group.rules[0] else { Issue.record("not an alerting rule"); return }
        group.evaluate(at: 1_200_000, context: harness.context)
        group.evaluate(at: 1_260_000, context: harness.context)
        #expect(try harness.samples("ALERTS").isEmpty)
        #expect(rule.activeAlerts.first?.activeAt == 1_200_000)
        group.restoreForState(at: 1_260_000, context: harness.context)
        // Active at 600 s, down from 900 s to 1260 s: it counts as active since 600 + 360 = 960 s.
        #expect(rule.activeAlerts.first?.activeAt == 960_000)
        group.evaluate(at: 1_320_000, context: harness.context)
        #expect(try harness.samples(#"ALERTS{alertstate="pending"}"#).values.first == [Sample(1_320_000, 1)])
        #expect(try harness.samples("ALERTS_FOR_STATE", from: 1_300_000).values.first == [Sample(1_320_000, 960)])
    }

    @Test("restoring near the end of `for` leaves the grace period before firing")
    func restoreGracePeriod() throws {
        // 28 of 30 minutes spent pending before going down: less than the 10-minute grace remains.
        let harness = try RuleHarness(series: [
            ("up", (0...60).map { (Timestamp($0) * Self.minute, 0) }),
            (#"ALERTS_FOR_STATE{alertname="Down"}"#, [(28 * Self.minute, 0)]),
        ])
        let group = try harness.group("groups: [{name: g, rules: [{alert: Down, expr: up == 0, for: 30m}]}]", shouldRestore: true)
        guard case .alerting(let rule) = group.rules[0] else { Issue.record("not an alerting rule"); return }
        group.evaluate(at: 40 * Self.minute, context: harness.context)
        group.restoreForState(at: 40 * Self.minute, context: harness.context)
        #expect(rule.activeAlerts.first?.activeAt == 40 * Self.minute + 10 * Self.minute - 30 * Self.minute)
    }
}
