// Issue #11's acceptance, in the suite: the whole server (config file, scrape, rules, notifier)
// with a real Alertmanager (Debian's `prometheus-alertmanager`): an alerting rule over scraped
// data fires, Alertmanager receives it with its labels and rendered annotations (seen through
// its webhook), and it resolves when the condition clears.

import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SugarmillServer
import Synchronization
import Testing

/// Debian's Alertmanager binary, or nil.
let alertmanagerPath: String? = ["/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager", "/usr/bin/alertmanager"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite(
    "Alerting end to end with a real Alertmanager",
    .enabled(if: alertmanagerPath != nil, "prometheus-alertmanager is not installed (apt-get install -y prometheus-alertmanager)")
)
struct AlertingEndToEndTests {
    /// Webhook notifications Alertmanager delivered, as decoded JSON.
    final class Notifications: Sendable {
        let received = Mutex<[Data]>([])

        func add(_ body: Data) { received.withLock { $0.append(body) } }

        /// The alerts of every notification with `status`.
        func alerts(status: String) -> [[String: Any]] {
            let bodies = received.withLock { $0 }
            let notifications = bodies.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            return notifications.filter { ($0["status"] as? String) == status }.flatMap { $0["alerts"] as? [[String: Any]] ?? [] }
        }
    }

    @Test("a rule over scraped data fires in Alertmanager with its labels and annotations, then resolves")
    func firesAndResolves() async throws {
        let exposition = ScrapeEndToEndTests.Exposition()
        exposition.state.withLock { $0.body = "probe_success 0\n" }
        let notifications = Notifications()
        let hookRouter = Router()
        hookRouter.post("/hook") { request, context in
            let body = try await request.body.collect(upTo: 1 << 20)
            notifications.add(Data(body.readableBytesView))
            return HTTPResponse.Status.ok
        }
        let hook = Application(router: hookRouter, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await withTemporaryDirectory { dir in
            try await ScrapeEndToEndTests.exporter(exposition).test(.live) { exporterClient in
                try await hook.test(.live) { hookClient in
                    let exporterPort = try #require(exporterClient.port)
                    let alertmanagerPort = try freeTCPPort()
                    let alertmanager = try Self.startAlertmanager(
                        directory: dir, port: alertmanagerPort, webhook: "http://127.0.0.1:\(try #require(hookClient.port))/hook")
                    defer {
                        alertmanager.terminate()
                        alertmanager.waitUntilExit()
                    }
                    let config = try Self.writeConfig(directory: dir, exporterPort: exporterPort, alertmanagerPort: alertmanagerPort)
                    var options = ServerOptions()
                    options.configFile = config
                    options.externalURL = "http://sugarmill.test:9090"
                    try await withRunningServer(options, directory: dir) { _ in
                        let instance = "127.0.0.1:\(exporterPort)"
                        #expect(try await ScrapeEndToEndTests.eventually(60) { !notifications.alerts(status: "firing").isEmpty })
                        let firing = try #require(notifications.alerts(status: "firing").first)
                        #expect(
                            firing["labels"] as? [String: String] == [
                                "alertname": "ProbeFailing", "instance": instance, "job": "probe", "severity": "page", "env": "e2e",
                            ])
                        #expect(
                            firing["annotations"] as? [String: String] == [
                                "summary": "\(instance) is failing (value 0)", "runbook": "http://sugarmill.test:9090/runbooks/probe",
                            ])
                        #expect((firing["generatorURL"] as? String)?.hasPrefix("http://sugarmill.test:9090/graph?g0.expr=probe_success") == true)
                        #expect(notifications.alerts(status: "resolved").isEmpty)

                        // The condition clears: Alertmanager is told the alert resolved.
                        exposition.state.withLock { $0.body = "probe_success 1\n" }
                        #expect(try await ScrapeEndToEndTests.eventually(60) { !notifications.alerts(status: "resolved").isEmpty })
                        let resolved = try #require(notifications.alerts(status: "resolved").first)
                        #expect((resolved["labels"] as? [String: String])?["alertname"] == "ProbeFailing")
                        #expect(resolved["status"] as? String == "resolved")
                    }
                }
            }
        }
    }

    static func writeConfig(directory: URL, exporterPort: Int, alertmanagerPort: Int) throws -> String {
        let rules = directory.appendingPathComponent("rules.yml").path
        try """
            groups:
              - name: probes
                interval: 1s
                rules:
                  - alert: ProbeFailing
                    expr: probe_success == 0
                    for: 2s
                    labels:
                      severity: page
                    annotations:
                      summary: "{{ $labels.instance }} is failing (value {{ $value }})"
                      runbook: "{{ $externalURL }}/runbooks/{{ $labels.job }}"
            """.write(toFile: rules, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("prometheus.yml").path
        try """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
              external_labels:
                env: e2e
            rule_files: [rules.yml]
            alerting:
              alertmanagers:
                - static_configs:
                    - targets: ["127.0.0.1:\(alertmanagerPort)"]
            scrape_configs:
              - job_name: probe
                static_configs:
                  - targets: ["127.0.0.1:\(exporterPort)"]
            """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    /// Alertmanager with one webhook receiver that is told at once, and of resolutions.
    static func startAlertmanager(directory: URL, port: Int, webhook: String) throws -> Process {
        let config = directory.appendingPathComponent("alertmanager.yml").path
        try """
            route:
              receiver: hook
              group_by: [alertname]
              group_wait: 0s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: hook
                webhook_configs:
                  - url: "\(webhook)"
                    send_resolved: true
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(alertmanagerPath))
        process.arguments = [
            "--config.file=\(config)", "--storage.path=\(directory.appendingPathComponent("am").path)",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

/// Runs the whole server (`Server.run`) with `options` on 127.0.0.1 (`port`, or a free one), its
/// data in `directory/data`, logging only what is critical, while `body` runs with that port;
/// stops it after `body` returns or throws.
func withRunningServer<T>(
    _ options: ServerOptions, directory: URL, port: Int? = nil, _ body: (Int) async throws -> T
) async throws -> T {
    let port = try port ?? freeTCPPort()
    var options = options
    options.storagePath = directory.appendingPathComponent("data").path
    options.listenAddress = "127.0.0.1:\(port)"
    var logger = Logger(label: "server-under-test")
    logger.logLevel = .critical
    let server = Server(options: options, logger: logger)
    let running = Task { try await server.run() }
    // Stopped as SIGTERM stops it: cancelling the task mid-request trips NIO's assertions.
    let result: T
    do {
        result = try await body(port)
    } catch {
        await server.lifecycle.shutdown()
        _ = await running.result
        throw error
    }
    await server.lifecycle.shutdown()
    _ = await running.result
    return result
}

/// Polls `condition` every 100 ms, `seconds` worth of polls at least. Counted in polls, not wall
/// time, so a stretch where the rest of the suite holds the concurrency pool's threads (and holds
/// up what is waited for as well) cannot use the wait up.
func eventuallyAsync(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<Int((seconds * 10).rounded(.up)) {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

/// `runTool` on a thread of its own (never a concurrency-pool thread, which the rest of the
/// suite needs): the standard output.
func runProcess(_ executable: String, _ arguments: [String]) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try runTool(executable, arguments, mergingErrors: false).output })
        }
    }
}

/// A TCP port nothing listens on right now (the kernel's pick for port 0).
func freeTCPPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}
