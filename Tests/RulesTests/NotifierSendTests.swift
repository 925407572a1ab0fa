// Sending to a test Alertmanager: the request Prometheus makes (path, headers, JSON body, auth),
// batches, and what happens when an Alertmanager is slow, down, answers an error or has a
// network fault injected: errors counted, batches dropped, the notifier carrying on.

import Foundation
import MetricModel
import Rules
import Scrape
import Synchronization
import Testing

@Suite struct NotifierSendTests {
    static func config(_ port: Int, _ extra: String = "") -> String {
        """
        alerting:
          alertmanagers:
            - static_configs: [{targets: ['127.0.0.1:\(port)']}]
        \(extra.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
        """
    }

    @Test func alertsArriveAsPrometheusSendsThem() async throws {
        let alertmanager = TestAlertmanager()
        try await alertmanager.serve { port in
            let notifier = try NotifierTest.notifier(Self.config(port))
            let url = "http://127.0.0.1:\(port)/api/v2/alerts"
            try await NotifierTest.running(notifier) {
                notifier.send([
                    NotifierAlert(
                        labels: Labels(["alertname": "Down", "job": "node"]), annotations: Labels(["summary": "node is down"]),
                        startsAt: 1_700_000_000_000, endsAt: 1_700_000_240_000, generatorURL: "http://sugarmill/graph"),
                ])
                #expect(await NotifierTest.eventually { notifier.metrics.sent(url) == 1 })
            }
            let request = try #require(alertmanager.requests.first)
            #expect(alertmanager.requests.count == 1)
            #expect(request.path == "/api/v2/alerts")
            #expect(request.contentType == "application/json")
            #expect(request.userAgent.hasPrefix("Sugarmill/"))
            #expect(request.authorization == nil)
            #expect(request.body == #"""
                [{"annotations":{"summary":"node is down"},"endsAt":"2023-11-14T22:17:20.000Z",\#
                "startsAt":"2023-11-14T22:13:20.000Z","generatorURL":"http://sugarmill/graph","labels":{"alertname":"Down","job":"node"}}]
                """#)
            #expect(notifier.metrics.errors(url) == 0)
            #expect(notifier.metrics.latencyCount(url) == 1)
            #expect(notifier.metrics.dropped.current == 0)
        }
    }

    @Test(arguments: [
        ("basic_auth: {username: alice, password: s3cret}", "Basic YWxpY2U6czNjcmV0"),
        ("authorization: {credentials: t0ken}", "Bearer t0ken"),
        ("authorization: {type: Token, credentials: abc}", "Token abc"),
        ("bearer_token: legacy", "Bearer legacy"),
    ])
    func authorizationHeader(option: String, header: String) async throws {
        let alertmanager = TestAlertmanager()
        try await alertmanager.serve { port in
            let notifier = try NotifierTest.notifier(Self.config(port, option))
            try await NotifierTest.running(notifier) {
                notifier.send([NotifierTest.alert("A")])
                #expect(await NotifierTest.eventually { !alertmanager.requests.isEmpty })
            }
            #expect(alertmanager.requests.first?.authorization == header)
        }
    }

    @Test func pathPrefixIsPutBeforeTheAPIPath() async throws {
        let alertmanager = TestAlertmanager()
        try await alertmanager.serve(path: "/alertmanager/api/v2/alerts") { port in
            let notifier = try NotifierTest.notifier(Self.config(port, "path_prefix: /alertmanager/"))
            #expect(notifier.alertmanagers().active == ["http://127.0.0.1:\(port)/alertmanager/api/v2/alerts"])
            try await NotifierTest.running(notifier) {
                notifier.send([NotifierTest.alert("A")])
                #expect(await NotifierTest.eventually { notifier.metrics.sent(notifier.alertmanagers().active[0]) == 1 })
            }
            #expect(alertmanager.requests.map(\.path) == ["/alertmanager/api/v2/alerts"])
            #expect(notifier.metrics.errors(notifier.alertmanagers().active[0]) == 0)
        }
    }

    /// Batches of at most `maxBatchSize`, oldest first.
    @Test func queuedAlertsGoInBatches() async throws {
        let alertmanager = TestAlertmanager()
        try await alertmanager.serve { port in
            let notifier = try NotifierTest.notifier(Self.config(port)) { $0.maxBatchSize = 3 }
            notifier.send((0..<7).map { NotifierTest.alert("A\($0)") })
            #expect(notifier.metrics.queueLength.load(ordering: .relaxed) == 7)
            try await NotifierTest.running(notifier) {
                #expect(await NotifierTest.eventually { alertmanager.alertCount == 7 })
            }
            #expect(alertmanager.requests.map { $0.body.components(separatedBy: #""labels":"#).count - 1 } == [3, 3, 1])
            #expect(alertmanager.requests.first?.body.contains(#""alertname":"A0""#) == true)
            #expect(notifier.metrics.queueLength.load(ordering: .relaxed) == 0)
        }
    }

    @Test func slowAlertmanagerTimesOutAndTheBatchIsDropped() async throws {
        // It answers after 10 s; the send gives up at its 200 ms timeout (the bound leaves room
        // for a machine the rest of the suite loads).
        let alertmanager = TestAlertmanager(delay: .seconds(10))
        try await alertmanager.serve { port in
            let notifier = try NotifierTest.notifier(Self.config(port, "timeout: 200ms"))
            let url = notifier.alertmanagers().active[0]
            let start = ContinuousClock.now
            try await NotifierTest.running(notifier) {
                notifier.send([NotifierTest.alert("A"), NotifierTest.alert("B")])
                #expect(await NotifierTest.eventually { notifier.metrics.errors(url) == 2 })
            }
            #expect(ContinuousClock.now - start < .seconds(8), "the send gave up at its timeout")
            #expect(notifier.metrics.dropped.current == 2)
            #expect(notifier.metrics.sent(url) == 2, "Prometheus counts failed alerts as sent too")
        }
    }

    @Test func unreachableAlertmanagerIsCountedAndNeverFatal() async throws {
        // Connection attempts are retried until the send's timeout, which then fails it.
        let notifier = try NotifierTest.notifier(Self.config(1, "timeout: 300ms"))
        let url = "http://127.0.0.1:1/api/v2/alerts"
        try await NotifierTest.running(notifier) {
            notifier.send([NotifierTest.alert("A")])
            #expect(await NotifierTest.eventually { notifier.metrics.dropped.current == 1 })
            notifier.send([NotifierTest.alert("B"), NotifierTest.alert("C")])
            #expect(await NotifierTest.eventually { notifier.metrics.dropped.current == 3 })
        }
        #expect(notifier.metrics.errors(url) == 3)
    }

    @Test func errorStatusIsAFailure() async throws {
        let alertmanager = TestAlertmanager(status: 500)
        try await alertmanager.serve { port in
            let notifier = try NotifierTest.notifier(Self.config(port))
            let url = notifier.alertmanagers().active[0]
            try await NotifierTest.running(notifier) {
                notifier.send([NotifierTest.alert("A")])
                #expect(await NotifierTest.eventually { notifier.metrics.dropped.current == 1 })
                alertmanager.status.withLock { $0 = 202 }
                notifier.send([NotifierTest.alert("B")])
                #expect(await NotifierTest.eventually { notifier.metrics.sent(url) == 2 })
            }
            #expect(notifier.metrics.errors(url) == 1)
            #expect(notifier.metrics.dropped.current == 1, "any 2xx is a success")
        }
    }

    /// A set is served when one of its Alertmanagers took the batch; every set tried must be.
    @Test func oneAlertmanagerOfASetIsEnough() async throws {
        let alertmanager = TestAlertmanager()
        try await alertmanager.serve { port in
            let notifier = try NotifierTest.notifier("""
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ['127.0.0.1:\(port)', '127.0.0.1:1']}]
                      # The healthy one must answer within it even on a loaded machine.
                      timeout: 3s
                """)
            try await NotifierTest.running(notifier) {
                notifier.send([NotifierTest.alert("A")])
                #expect(await NotifierTest.eventually { notifier.metrics.errors("http://127.0.0.1:1/api/v2/alerts") == 1 })
            }
            #expect(alertmanager.alertCount == 1)
            #expect(notifier.metrics.dropped.current == 0)

            let twoSets = try NotifierTest.notifier("""
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ['127.0.0.1:\(port)']}]
                    - static_configs: [{targets: ['127.0.0.1:1']}]
                      timeout: 300ms
                """)
            try await NotifierTest.running(twoSets) {
                twoSets.send([NotifierTest.alert("A")])
                #expect(await NotifierTest.eventually { twoSets.metrics.dropped.current == 1 })
            }
            #expect(alertmanager.alertCount == 2)
        }
    }

    /// A set whose own alert relabeling leaves nothing is not tried (nothing counted as
    /// dropped); a set with `api_version: ~` (empty) is tried and fails, as in Prometheus.
    @Test func setsThatCannotTakeTheBatch() async throws {
        let alertmanager = TestAlertmanager()
        try await alertmanager.serve { port in
            let filtered = try NotifierTest.notifier(Self.config(port, "alert_relabel_configs: [{regex: '.*', source_labels: [alertname], action: drop}]"))
            try await NotifierTest.running(filtered) {
                filtered.send([NotifierTest.alert("A")])
                #expect(await NotifierTest.eventually { filtered.metrics.queueLength.load(ordering: .relaxed) == 0 })
            }
            #expect(filtered.metrics.dropped.current == 0)

            let unversioned = try NotifierTest.notifier(Self.config(port, "api_version: ~"))
            try await NotifierTest.running(unversioned) {
                unversioned.send([NotifierTest.alert("A")])
                #expect(await NotifierTest.eventually { unversioned.metrics.dropped.current == 1 })
            }
            #expect(alertmanager.requests.isEmpty)
        }
    }

    @Test func injectedFaultsFailSendsUntilCleared() async throws {
        let alertmanager = TestAlertmanager()
        try await alertmanager.serve { port in
            let notifier = try NotifierTest.notifier(Self.config(port))
            let url = notifier.alertmanagers().active[0]
            NetworkFaults.inject(.reset, on: .alertmanager(url: url), times: 1)
            defer { NetworkFaults.clear(.alertmanager(url: url)) }
            try await NotifierTest.running(notifier) {
                notifier.send([NotifierTest.alert("A")])
                #expect(await NotifierTest.eventually { notifier.metrics.errors(url) == 1 })
                notifier.send([NotifierTest.alert("B")])
                #expect(await NotifierTest.eventually { alertmanager.alertCount == 1 })
            }
            #expect(notifier.metrics.dropped.current == 1)
            #expect(alertmanager.requests.first?.body.contains(#""alertname":"B""#) == true)
        }
    }

    @Test func queuedAlertsAreDrainedOnShutdown() async throws {
        let alertmanager = TestAlertmanager()
        try await alertmanager.serve { port in
            let notifier = try NotifierTest.notifier(Self.config(port)) { $0.maxBatchSize = 2 }
            notifier.send((0..<5).map { NotifierTest.alert("A\($0)") })
            let task = Task { try await notifier.run() }
            task.cancel()
            try await task.value
            #expect(alertmanager.alertCount == 5)
            #expect(notifier.metrics.queueLength.load(ordering: .relaxed) == 0)
            notifier.send([NotifierTest.alert("late")])
            #expect(notifier.metrics.queueLength.load(ordering: .relaxed) == 0, "a stopped notifier takes no alerts")
            await #expect(throws: NotifierError.self) { try await notifier.run() }
        }
    }

    /// `stop()` (a graceful shutdown) lets batches in flight and the queue go out before
    /// `run()` returns; alerts sent while it drains are sent too.
    @Test func stopDrainsTheQueueThenRunReturns() async throws {
        let alertmanager = TestAlertmanager(delay: .milliseconds(100))
        try await alertmanager.serve { port in
            let notifier = try NotifierTest.notifier(Self.config(port)) { $0.maxBatchSize = 1 }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await notifier.run() }
                notifier.send([NotifierTest.alert("A0"), NotifierTest.alert("A1")])
                #expect(await NotifierTest.eventually { alertmanager.requests.count == 1 })
                notifier.stop()
                notifier.send([NotifierTest.alert("A2")])
                try await group.waitForAll()
            }
            #expect(alertmanager.alertNames == ["A0", "A1", "A2"])
            #expect(notifier.metrics.dropped.current == 0)
        }
    }

    @Test func withoutDrainingQueuedAlertsAreDropped() async throws {
        let notifier = try NotifierTest.notifier(Self.config(1, "timeout: 300ms")) { $0.drainOnShutdown = false }
        notifier.send((0..<5).map { NotifierTest.alert("A\($0)") })
        let task = Task { try await notifier.run() }
        task.cancel()
        try await task.value
        #expect(notifier.metrics.dropped.current == 5, "sent and failed, or left in the queue")
        #expect(notifier.metrics.queueLength.load(ordering: .relaxed) == 0)
    }

    @Test func metricsAreWrittenUnderPrometheusNames() async throws {
        let alertmanager = TestAlertmanager()
        try await alertmanager.serve { port in
            let notifier = try NotifierTest.notifier(Self.config(port)) { $0.queueCapacity = 50 }
            let url = notifier.alertmanagers().active[0]
            try await NotifierTest.running(notifier) {
                notifier.send([NotifierTest.alert("A"), NotifierTest.alert("B")])
                #expect(await NotifierTest.eventually { notifier.metrics.sent(url) == 2 })
            }
            let text = notifier.metrics.exposition()
            for line in [
                "# TYPE prometheus_notifications_alertmanagers_discovered gauge",
                "prometheus_notifications_alertmanagers_discovered 1",
                "prometheus_notifications_dropped_total 0",
                "prometheus_notifications_errors_total{alertmanager=\"\(url)\"} 0",
                "prometheus_notifications_sent_total{alertmanager=\"\(url)\"} 2",
                "prometheus_notifications_queue_capacity 50",
                "prometheus_notifications_queue_length 0",
                "# TYPE prometheus_notifications_latency_seconds summary",
                "prometheus_notifications_latency_seconds_count{alertmanager=\"\(url)\"} 1",
                "prometheus_notifications_latency_histogram_seconds_bucket{alertmanager=\"\(url)\",le=\"+Inf\"} 1",
            ] {
                #expect(text.contains(line + "\n"), "\(line)")
            }
            #expect(text.contains("prometheus_notifications_latency_seconds{alertmanager=\"\(url)\",quantile=\"0.99\"} "))
            let names = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE") }.map { $0.split(separator: " ")[2] }
            #expect(names == names.sorted())
        }
    }
}
