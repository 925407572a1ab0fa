// A test Alertmanager (an in-process Hummingbird server on 127.0.0.1) that records what it is
// sent, and helpers to load an `alerting:` section and run a notifier.

import Foundation
import Hummingbird
import Logging
import MetricModel
import Rules
import Scrape
import Synchronization
import Testing

/// What one request to the test Alertmanager carried.
struct ReceivedRequest: Sendable {
    var path: String
    var contentType: String
    var userAgent: String
    var authorization: String?
    var body: String
}

/// An Alertmanager whose answers a test decides; it records every request.
final class TestAlertmanager: Sendable {
    let received = Mutex<[ReceivedRequest]>([])
    /// The status to answer with.
    let status: Mutex<Int>
    /// How long to wait before answering (a hanging Alertmanager).
    let delay: Mutex<Duration>

    init(status: Int = 200, delay: Duration = .zero) {
        self.status = Mutex(status)
        self.delay = Mutex(delay)
    }

    var requests: [ReceivedRequest] { received.withLock { $0 } }

    /// How many alerts it was sent.
    var alertCount: Int {
        requests.reduce(0) { count, request in count + request.body.components(separatedBy: #""labels":"#).count - 1 }
    }

    /// The `alertname` of each alert it was sent, in order.
    var alertNames: [String] {
        requests.flatMap { request in
            request.body.components(separatedBy: #""alertname":""#).dropFirst().map { String($0.prefix { $0 != "\"" }) }
        }
    }

    func handle(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 16 << 20)
        received.withLock {
            $0.append(ReceivedRequest(
                path: request.uri.path, contentType: request.headers[.contentType] ?? "",
                userAgent: request.headers[.userAgent] ?? "", authorization: request.headers[.authorization],
                body: String(buffer: body)))
        }
        let delay = delay.withLock { $0 }
        if delay > .zero { try await Task.sleep(for: delay) }
        return Response(status: .init(code: status.withLock { $0 }))
    }

    /// Serves on a free port for the duration of `body`, at `path` (and any other path, with 404).
    func serve<T: Sendable>(path: String = "/api/v2/alerts", _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Router()
        router.post(RouterPath(path)) { request, _ in try await self.handle(request) }
        let port = Mutex<Int?>(nil)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
            logger: Logger(label: "test-alertmanager", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            while port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
            let result = try await body(port.withLock { $0! })
            group.cancelAll()
            return result
        }
    }
}

enum NotifierTest {
    /// The `alerting:` section of `yaml` (a whole prometheus.yml) loaded from `directory`.
    static func alerting(_ yaml: String, directory: String = "/tmp") throws -> AlertingConfig {
        try PrometheusConfig.load(yaml: yaml, filename: "prometheus.yml", directory: directory).alerting
    }

    /// A notifier for `yaml`'s `alerting:` section.
    static func notifier(
        _ yaml: String, externalLabels: Labels = .empty, _ change: (inout NotifierOptions) -> Void = { _ in }
    ) throws -> Notifier {
        var options = NotifierOptions()
        change(&options)
        let notifier = Notifier(options: options)
        try notifier.applyConfig(try alerting(yaml), externalLabels: externalLabels)
        return notifier
    }

    /// Runs `notifier` for the duration of `body`, then cancels it and waits for it to stop.
    static func running<T: Sendable>(_ notifier: Notifier, _ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await notifier.run() }
            let result = try await body()
            group.cancelAll()
            try await group.waitForAll()
            return result
        }
    }

    /// Waits until `condition` holds, polling every 10 ms, `limit` worth of polls at least (counted
    /// in polls: a starved stretch of the suite cannot use the wait up); returns whether it did.
    static func eventually(within limit: Duration = .seconds(60), _ condition: () -> Bool) async -> Bool {
        let polls = limit / .milliseconds(10)
        for _ in 0..<Int(polls.rounded(.up)) {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    static func alert(_ name: String, _ labels: [String: String] = [:], startsAt: Int64 = 1_700_000_000_000) -> NotifierAlert {
        var all = labels
        all["alertname"] = name
        return NotifierAlert(labels: Labels(all), startsAt: startsAt)
    }
}
