// What `Notifier.send` queues: external labels an alert lacks, alert relabeling (global and per
// set), and the oldest alerts dropped when the queue is full.

import MetricModel
import Rules
import Scrape
import Synchronization
import Testing

@Suite struct NotifierQueueTests {
    @Test func fullQueueDropsTheOldest() async throws {
        let alertmanager = TestAlertmanager()
        try await alertmanager.serve { port in
            let notifier = try NotifierTest.notifier(NotifierSendTests.config(port)) { $0.queueCapacity = 4 }
            notifier.send((0..<3).map { NotifierTest.alert("A\($0)") })
            notifier.send((3..<6).map { NotifierTest.alert("A\($0)") })
            #expect(notifier.metrics.dropped.current == 2)
            #expect(notifier.metrics.queueLength.load(ordering: .relaxed) == 4)
            try await NotifierTest.running(notifier) {
                #expect(await NotifierTest.eventually { alertmanager.alertCount == 4 })
            }
            #expect(alertmanager.alertNames == ["A2", "A3", "A4", "A5"])
        }
    }

    /// A batch larger than the whole queue keeps its newest alerts.
    @Test func batchLargerThanTheQueueKeepsItsNewest() async throws {
        let alertmanager = TestAlertmanager()
        try await alertmanager.serve { port in
            let notifier = try NotifierTest.notifier(NotifierSendTests.config(port)) { $0.queueCapacity = 4 }
            notifier.send([NotifierTest.alert("Old")])
            notifier.send((0..<6).map { NotifierTest.alert("A\($0)") })
            #expect(notifier.metrics.dropped.current == 2 + 1)
            try await NotifierTest.running(notifier) {
                #expect(await NotifierTest.eventually { alertmanager.alertCount == 4 })
            }
            #expect(alertmanager.alertNames == ["A2", "A3", "A4", "A5"])
        }
    }

    @Test func externalLabelsDoNotOverrideAlertLabels() async throws {
        let alertmanager = TestAlertmanager()
        try await alertmanager.serve { port in
            let notifier = try NotifierTest.notifier(
                NotifierSendTests.config(port), externalLabels: Labels(["cluster": "eu-1", "replica": "a"]))
            try await NotifierTest.running(notifier) {
                notifier.send([NotifierTest.alert("A", ["replica": "own"]), NotifierTest.alert("B")])
                #expect(await NotifierTest.eventually { alertmanager.alertCount == 2 })
            }
            let body = try #require(alertmanager.requests.first?.body)
            #expect(body.contains(#""labels":{"alertname":"A","cluster":"eu-1","replica":"own"}"#))
            #expect(body.contains(#""labels":{"alertname":"B","cluster":"eu-1","replica":"a"}"#))
        }
    }

    /// `alert_relabel_configs` sees the external labels, changes alerts and drops them; a set's
    /// own `alert_relabel_configs` applies to that set only.
    @Test func alertRelabelingChangesAndDropsAlerts() async throws {
        let first = TestAlertmanager()
        let second = TestAlertmanager()
        try await first.serve { firstPort in
            try await second.serve { secondPort in
                let notifier = try NotifierTest.notifier("""
                    alerting:
                      alert_relabel_configs:
                        - {source_labels: [severity], regex: debug, action: drop}
                        - {regex: replica, action: labeldrop}
                        - {source_labels: [cluster], target_label: origin, replacement: 'from-$1'}
                      alertmanagers:
                        - static_configs: [{targets: ['127.0.0.1:\(firstPort)']}]
                        - static_configs: [{targets: ['127.0.0.1:\(secondPort)']}]
                          alert_relabel_configs:
                            - {source_labels: [severity], regex: page, action: keep}
                    """, externalLabels: Labels(["cluster": "eu", "replica": "a"]))
                try await NotifierTest.running(notifier) {
                    notifier.send([
                        NotifierTest.alert("Page", ["severity": "page"]),
                        NotifierTest.alert("Debug", ["severity": "debug"]),
                        NotifierTest.alert("Ticket", ["severity": "ticket"]),
                    ])
                    #expect(await NotifierTest.eventually { first.alertCount == 2 && second.alertCount == 1 })
                }
                let all = try #require(first.requests.first?.body)
                #expect(all.contains(#""labels":{"alertname":"Page","cluster":"eu","origin":"from-eu","severity":"page"}"#))
                #expect(all.contains(#""alertname":"Ticket""#) && !all.contains("Debug") && !all.contains("replica"))
                #expect(second.requests.first?.body.contains(#""alertname":"Page""#) == true)
                #expect(notifier.metrics.sent(notifier.alertmanagers().active[1]) == 1, "counted after the set's relabeling")
                #expect(notifier.metrics.dropped.current == 0, "relabeling drops are not counted as dropped")
            }
        }
    }

    @Test func reloadReplacesExternalLabelsAndRelabeling() throws {
        let notifier = try NotifierTest.notifier("alerting: {alert_relabel_configs: [{regex: x, action: labeldrop}]}")
        notifier.send([NotifierTest.alert("A", ["x": "1"])])
        #expect(notifier.metrics.queueLength.load(ordering: .relaxed) == 1)
        try notifier.applyConfig(
            try NotifierTest.alerting("alerting: {alert_relabel_configs: [{source_labels: [env], regex: dev, action: drop}]}"),
            externalLabels: Labels(["env": "dev"]))
        notifier.send([NotifierTest.alert("B")])
        #expect(notifier.metrics.queueLength.load(ordering: .relaxed) == 1, "dropped by the new relabeling on the new external label")
    }
}
