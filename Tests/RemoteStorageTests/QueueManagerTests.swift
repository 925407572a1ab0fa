// The remote-write sender against an in-process receiver: what arrives, retries, drops,
// relabeling and external labels, 2.0 messages, and resuming from the saved position.

import Foundation
import Hummingbird
import HTTPTypes
import Logging
import MetricModel
import NIOConcurrencyHelpers
import NIOCore
import Relabel
import Remote
import RemoteStorage
import Scrape
import Synchronization
import Snappy
import Testing
import TSDB

let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A remote-write receiver whose answers a test decides; it records what it stored.
final class Receiver: Sendable {
    let stored = NIOLockedValueBox<[Labels: [Sample]]>([:])
    /// Native histograms received: series, timestamp and count.
    let histograms = NIOLockedValueBox<[Labels: [(Timestamp, Double)]]>([:])
    let requests = NIOLockedValueBox<[(contentType: String, retryAttempt: String?)]>([])
    /// Status codes to answer, in turn; 204 once exhausted.
    let script: NIOLockedValueBox<[Int]>

    init(script: [Int] = []) { self.script = NIOLockedValueBox(script) }

    func handle(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 << 20)
        let contentType = request.headers[.contentType] ?? ""
        requests.withLockedValue { $0.append((contentType, request.headers[HTTPField.Name("Retry-Attempt")!])) }
        let status = script.withLockedValue { $0.isEmpty ? 204 : $0.removeFirst() }
        guard status == 204 else { return Response(status: .init(code: status)) }
        var decoded = WriteRequest()
        var scratch: [UInt8] = []
        let bytes = Array(body.readableBytesView)
        if contentType.contains("v2") {
            try decoded.decodeV2(snappyBody: bytes.withUnsafeBytes { $0 }, scratch: &scratch)
        } else {
            try decoded.decode(snappyBody: bytes, scratch: &scratch)
        }
        stored.withLockedValue { stored in
            for i in decoded.series.indices {
                stored[decoded.labels(of: i), default: []] += decoded.series[i].samples.map { decoded.samples[$0] }
            }
        }
        histograms.withLockedValue { histograms in
            for h in decoded.histograms {
                let count: Double
                switch h.value {
                case .integer(let v): count = Double(v.count)
                case .float(let v): count = v.count
                }
                histograms[decoded.labels(of: h.series), default: []].append((h.timestamp, count))
            }
        }
        return Response(status: .noContent)
    }

    var sampleCount: Int { stored.withLockedValue { $0.values.reduce(0) { $0 + $1.count } } }
}

/// Runs `receiver` on a free port for the duration of `body`.
func withReceiver<T: Sendable>(_ receiver: Receiver, _ body: @Sendable (Int) async throws -> T) async throws -> T {
    let router = Router()
    router.post("/write") { request, _ in try await receiver.handle(request) }
    return try await withServer(router, body)
}

/// Serves `router` on a free 127.0.0.1 port for the duration of `body`, which gets the port.
func withServer<T: Sendable>(
    _ router: Router<BasicRequestContext>, _ body: @Sendable (Int) async throws -> T
) async throws -> T {
    let port = NIOLockedValueBox<Int?>(nil)
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in port.withLockedValue { $0 = channel.localAddress?.port } }, logger: quiet)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        while port.withLockedValue({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        let result = try await body(port.withLockedValue { $0! })
        group.cancelAll()
        return result
    }
}

@Suite(.serialized) struct QueueManagerTests {
    static func config(_ port: Int, _ change: (inout RemoteWriteConfig) -> Void = { _ in }) -> RemoteWriteConfig {
        var config = RemoteWriteConfig(url: "http://127.0.0.1:\(port)/write")
        config.name = "test"
        config.queue.batchSendDeadlineMs = 50
        config.queue.minBackoffMs = 10
        config.queue.maxBackoffMs = 20
        config.queue.maxSamplesPerSend = 100
        change(&config)
        return config
    }

    /// Saves the WAL's start as the queue's position, so that it sends everything there is (a
    /// first start would begin at the WAL's end, racing the test's appends).
    static func fromTheStart(_ config: RemoteWriteConfig, _ dir: URL) throws {
        let directory = dir.appendingPathComponent("remote_write")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("0 0 \(config.url)\n".utf8).write(to: directory.appendingPathComponent("\(config.displayName).progress"))
    }

    /// Runs a queue over `dir`'s WAL until `done` holds (at most 20 s), then stops it.
    static func run(
        _ config: RemoteWriteConfig, _ dir: URL, external: Labels = .empty, acknowledged: Int = 0,
        until done: @Sendable () -> Bool
    ) async throws -> QueueManager {
        let queue = try QueueManager(
            config: config, walDirectory: dir.appendingPathComponent("wal").path,
            progressDirectory: dir.appendingPathComponent("remote_write").path, externalLabels: external, logger: quiet,
            pollIntervalMs: 20)
        let task = Task { await queue.run() }
        let deadline = ContinuousClock.now + .seconds(20)
        // `acknowledged`: also wait until the sender saw that many samples stored (the receiver
        // counts them before it answers).
        while !(done() && queue.metrics.samplesSent.current >= acknowledged) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        await task.value
        await queue.shutdown()
        return queue
    }

    static func append(_ db: DB, _ batches: Range<Int>, series: Int = 10) throws {
        for b in batches {
            let app = db.appender()
            for s in 0..<series {
                _ = try app.append(nil, Labels(["__name__": s % 2 == 0 ? "keep_me" : "drop_me", "s": "\(s)"]), Int64(b) * 1000, Double(b))
            }
            try app.commit()
        }
    }

    @Test(arguments: ["prometheus.WriteRequest", "io.prometheus.write.v2.Request"])
    func sendsNativeHistogramsFromTheWAL(message: String) async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quiet)
            defer { try? db.close() }
            let labels = Labels(["__name__": "latency_seconds"])
            for i in 0..<20 {
                let app = db.appender()
                let h = Histogram(
                    count: UInt64(i + 1), sum: Double(i), positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [Int64(i + 1)])
                if i % 2 == 0 { _ = try app.append(nil, labels, Int64(i) * 1000, h) } else { _ = try app.append(nil, labels, Int64(i) * 1000, h.toFloat()) }
                _ = try app.append(nil, Labels(["__name__": "up"]), Int64(i) * 1000, 1)
                try app.commit()
            }
            let receiver = Receiver()
            try await withReceiver(receiver) { port in
                let config = Self.config(port) { $0.protobufMessage = message }
                try Self.fromTheStart(config, dir)
                _ = try await Self.run(config, dir, acknowledged: 40) {
                    receiver.histograms.withLockedValue { $0.values.reduce(0) { $0 + $1.count } } >= 20
                }
                let received = receiver.histograms.withLockedValue { $0[labels] ?? [] }
                #expect(received.map(\.0) == (0..<20).map { Int64($0) * 1000 })
                #expect(received.map(\.1) == (1...20).map(Double.init))
                #expect(receiver.sampleCount == 20)
            }
        }
    }

    @Test func sendsNewSamplesWithExternalLabelsAndRelabeling() async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quiet)
            defer { try? db.close() }
            try Self.append(db, 3..<50)
            let receiver = Receiver()
            try await withReceiver(receiver) { port in
                let drop = try RelabelConfig(sourceLabels: ["__name__"], regex: "drop_me", action: .drop)
                let config = Self.config(port) { $0.writeRelabelConfigs = [drop] }
                try Self.fromTheStart(config, dir)
                let queue = try await Self.run(config, dir, external: Labels(["region": "eu", "s": "ignored"]), acknowledged: 47 * 5) {
                    receiver.sampleCount >= 47 * 5
                }
                #expect(receiver.sampleCount == 47 * 5)
                let stored = receiver.stored.withLockedValue { $0 }
                #expect(stored.keys.allSatisfy { $0["__name__"] == "keep_me" && $0["region"] == "eu" && $0["s"] != "ignored" })
                #expect(stored.values.allSatisfy { $0.map(\.timestamp) == (3..<50).map { Int64($0) * 1000 } })
                #expect(queue.metrics.samplesSent.current == 47 * 5)
                #expect(queue.metrics.samplesDropped.current == 47 * 5)
                #expect(receiver.requests.withLockedValue { $0.allSatisfy { $0.contentType == "application/x-protobuf" } })
            }
        }
    }

    @Test func aFirstStartBeginsAtTheWALsEnd() async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quiet)
            defer { try? db.close() }
            try Self.append(db, 0..<3)
            let receiver = Receiver()
            try await withReceiver(receiver) { port in
                let config = Self.config(port)
                let queue = try QueueManager(
                    config: config, walDirectory: dir.appendingPathComponent("wal").path,
                    progressDirectory: dir.appendingPathComponent("remote_write").path, externalLabels: .empty, logger: quiet,
                    pollIntervalMs: 20)
                let task = Task { await queue.run() }
                while !queue.metrics.following.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(10)) }
                try Self.append(db, 3..<5)
                let deadline = ContinuousClock.now + .seconds(20)
                while receiver.sampleCount < 20 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                task.cancel()
                await task.value
                await queue.shutdown()
                #expect(receiver.sampleCount == 20)
                #expect(receiver.stored.withLockedValue { $0.values.allSatisfy { $0.map(\.timestamp) == [3000, 4000] } })
            }
        }
    }

    @Test func retriesServerErrorsAndDropsClientErrors() async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quiet)
            defer { try? db.close() }
            // 500 twice (retried), then a 400 (that batch dropped), then success.
            let receiver = Receiver(script: [500, 500, 400])
            try await withReceiver(receiver) { port in
                let config = Self.config(port) {
                    $0.queue.maxSamplesPerSend = 10
                    $0.queue.maxShards = 1  // one batch at a time: the script's answers go to one batch
                }
                try Self.append(db, 0..<5)
                try Self.fromTheStart(config, dir)
                let queue = try await Self.run(config, dir) { receiver.sampleCount >= 40 }
                #expect(receiver.sampleCount == 40)
                #expect(queue.metrics.samplesFailed.current == 10)
                // Two 500s retried (a dropped keep-alive connection under load may add a retry).
                #expect(queue.metrics.samplesRetried.current >= 20)
                let attempts = receiver.requests.withLockedValue { $0.map(\.retryAttempt) }
                #expect(attempts.first == .some(nil))
                #expect(attempts.count >= 3 && attempts[1] != nil && attempts[2] != nil, "\(attempts)")
            }
        }
    }

    @Test func rateLimitIsDroppedUnlessRetriesAreAsked() async throws {
        for retry in [false, true] {
            try await withTemporaryDirectory { dir in
                let db = try DB(directory: dir, logger: quiet)
                defer { try? db.close() }
                let receiver = Receiver(script: [429])
                try await withReceiver(receiver) { port in
                    let config = Self.config(port) { $0.queue.retryOnRateLimit = retry }
                    try Self.append(db, 0..<3)
                    try Self.fromTheStart(config, dir)
                    let appending = Task {
                        // After the first round (the 429), one more.
                        while receiver.requests.withLockedValue({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
                        try Self.append(db, 3..<4)
                    }
                    let queue = try await Self.run(config, dir) { receiver.sampleCount >= (retry ? 40 : 10) }
                    try await appending.value
                    #expect(queue.metrics.samplesFailed.current == (retry ? 0 : 30), "retry_on_http_429: \(retry)")
                    #expect(receiver.sampleCount == (retry ? 40 : 10), "retry_on_http_429: \(retry)")
                }
            }
        }
    }

    @Test func resumesFromTheSavedPositionAfterARestart() async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quiet)
            defer { try? db.close() }
            let receiver = Receiver()
            try await withReceiver(receiver) { port in
                let config = Self.config(port)
                try Self.append(db, 0..<10)
                try Self.fromTheStart(config, dir)
                // Stopped once the sender has its acknowledgements (a stop before them may send
                // the last batch again: at least once).
                _ = try await Self.run(config, dir, acknowledged: 100) { receiver.sampleCount >= 100 }
                #expect(receiver.sampleCount == 100)
                // Stopped; more is stored meanwhile; the next start sends exactly that.
                try Self.append(db, 10..<30)
                _ = try await Self.run(config, dir, acknowledged: 200) { receiver.sampleCount >= 300 }
                #expect(receiver.sampleCount == 300)
                let counts = receiver.stored.withLockedValue { $0.values.map { Set($0.map(\.timestamp)).count == $0.count } }
                #expect(counts.allSatisfy { $0 }, "no sample sent twice")
            }
        }
    }

    @Test func sendsRemoteWrite2WhenConfigured() async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quiet)
            defer { try? db.close() }
            let receiver = Receiver()
            try await withReceiver(receiver) { port in
                let config = Self.config(port) { $0.protobufMessage = "io.prometheus.write.v2.Request" }
                try Self.append(db, 0..<3)
                try Self.fromTheStart(config, dir)
                _ = try await Self.run(config, dir) { receiver.sampleCount >= 30 }
                #expect(receiver.sampleCount == 30)
                #expect(receiver.requests.withLockedValue {
                    $0.allSatisfy { $0.contentType == "application/x-protobuf;proto=io.prometheus.write.v2.Request" }
                })
            }
        }
    }
}

/// A temporary directory removed at the end of `body`.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sugarmill-rw-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}
