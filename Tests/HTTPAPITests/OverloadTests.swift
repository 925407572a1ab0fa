// Overload (issue #10): `--query.max-concurrency` with a bounded wait queue, ingest load shedding
// under `--web.ingest.max-inflight-bytes`, and hostile query shapes that must get a clean 4xx
// (never a crash, never unbounded memory). See RELIABILITY.md, "Overload".

import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MetricModel
import SugarmillServer
import Tenancy
import Testing
import TSDB
import WireFormat

/// Polls `condition` every 5 ms until it holds or `polls` checks have failed (at least 30 s);
/// returns whether it held. Counted in checks, not wall time: while the rest of the suite keeps
/// the concurrency pool's threads busy, the request being waited for is held up as long as the
/// check is, so a starved stretch cannot use up the wait.
private func eventually(polls: Int = 6_000, _ condition: () -> Bool) async -> Bool {
    for _ in 0..<polls {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

@Suite struct QueryGateTests {
    @Test func admitsUpToTheLimitThenQueuesThenSheds() async throws {
        let gate = QueryGate(maxConcurrency: 2, maxQueueLength: 1)
        #expect(await gate.enter(waitingAtMost: .seconds(1)) == .admitted(waited: .zero))
        #expect(gate.tryEnter())
        #expect(!gate.tryEnter())
        async let third = gate.enter(waitingAtMost: .seconds(30))
        #expect(await eventually { gate.waiting == 1 })
        #expect(gate.current == 3)
        // The queue is full: the next one is refused at once.
        #expect(await gate.enter(waitingAtMost: .seconds(30)) == .queueFull)
        #expect(gate.shedQueueFull.current == 1)
        gate.leave()
        guard case .admitted = await third else {
            Issue.record("the waiting query was not admitted when a slot freed")
            return
        }
        #expect(gate.current == 2)
        gate.leave()
        gate.leave()
        #expect(gate.current == 0)
        #expect(gate.tryEnter())
        gate.leave()
    }

    @Test func waitersAreServedInOrder() async throws {
        let gate = QueryGate(maxConcurrency: 1, maxQueueLength: 10)
        #expect(gate.tryEnter())
        let order = Order()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<5 {
                #expect(await eventually { gate.waiting == i })
                group.addTask {
                    guard case .admitted = await gate.enter(waitingAtMost: .seconds(30)) else { return }
                    order.append(i)
                    gate.leave()
                }
            }
            #expect(await eventually { gate.waiting == 5 })
            gate.leave()
            try await group.waitForAll()
        }
        #expect(order.values == [0, 1, 2, 3, 4])
        #expect(gate.current == 0)
    }

    @Test func aWaitPastTheTimeoutGivesUpAndLeavesTheQueue() async throws {
        let gate = QueryGate(maxConcurrency: 1, maxQueueLength: 5)
        #expect(gate.tryEnter())
        #expect(await gate.enter(waitingAtMost: .milliseconds(50)) == .timedOut)
        #expect(await gate.enter(waitingAtMost: .zero) == .timedOut)
        #expect(gate.shedTimedOut.current == 2)
        #expect(gate.waiting == 0)
        gate.leave()
        #expect(gate.current == 0)
    }

    final class Order: @unchecked Sendable {
        // Safety: `lock` guards `list`.
        private let lock = NSLock()
        private var list: [Int] = []
        func append(_ i: Int) { lock.withLock { list.append(i) } }
        var values: [Int] { lock.withLock { list } }
    }
}

@Suite struct QueryConcurrencyAPITests {
    /// An API whose one query slot (`--query.max-concurrency 1`) the test holds, with
    /// `maxQueueLength` places to wait; `body` frees the slot with `gate.leave()`.
    func withBusyQueryGate(
        maxQueueLength: Int, _ body: @Sendable @escaping (any TestClientProtocol, QueryGate) async throws -> Void
    ) async throws {
        let gate = QueryGate(maxConcurrency: 1, maxQueueLength: maxQueueLength)
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.queryGate = gate }) { client, _ in
                #expect(gate.tryEnter())
                try await body(client, gate)
            }
        }
    }

    @Test func aFullQueueIs503Unavailable() async throws {
        try await withBusyQueryGate(maxQueueLength: 0) { client, gate in
            for uri in ["/api/v1/query?query=1", "/api/v1/query_range?query=1&start=0&end=60&step=15"] {
                let (code, body) = try await client.getJSON(uri)
                #expect(code == 503)
                #expect(body["status"] as? String == "error")
                #expect(body["errorType"] as? String == "unavailable")
                #expect((body["error"] as? String)?.hasPrefix("too many queries: 1 evaluating and 0 waiting") == true, "\(body)")
            }
            try await client.execute(
                uri: "/grafana/query", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"range":{"from":"1970-01-01T00:00:00Z","to":"1970-01-01T00:01:00Z"},"targets":[{"target":"1"}]}"#)
            ) { #expect($0.status == .serviceUnavailable) }
            #expect(gate.shedQueueFull.current == 3)
            gate.leave()
            #expect(try await client.getJSON("/api/v1/query?query=1").0 == 200)
            #expect(gate.current == 0)
        }
    }

    @Test func waitingPastTheQueryTimeoutIs503Timeout() async throws {
        try await withBusyQueryGate(maxQueueLength: 5) { client, gate in
            defer { gate.leave() }
            let (code, body) = try await client.getJSON("/api/v1/query?query=1&timeout=0.05")
            #expect(code == 503)
            #expect(body["errorType"] as? String == "timeout")
            #expect(body["error"] as? String == "query timed out in query queue")
            #expect(gate.shedTimedOut.current == 1)
            #expect(gate.waiting == 0)
        }
    }

    @Test func aWaitingQueryRunsOnceASlotFrees() async throws {
        try await withBusyQueryGate(maxQueueLength: 5) { client, gate in
            async let answer = client.getText("/api/v1/query?query=42")
            #expect(await eventually { gate.waiting == 1 })
            gate.leave()
            let (code, body) = try await answer
            #expect(code == 200)
            #expect(body.hasSuffix(#","42"]}}"#), "\(body)")
            #expect(await eventually { gate.current == 0 })
        }
    }

    @Test func flagsAndDefaults() {
        let flags = ServerOptions().flags
        #expect(flags["query.max-concurrency"] == "20")
        #expect(flags["query.max-queue-length"] == "200")
        #expect(flags["web.ingest.max-inflight-bytes"] == "512MiB")
    }

    @Test func metricsUnderPrometheusNames() async throws {
        var options = ServerOptions()
        options.queryMaxConcurrency = 3
        try await withTemporaryDirectory { dir in
            let server = Server(options: options, logger: quietLogger)
            let (dispatcher, databases) = try server.makeTenants(
                try TenancyConfig.load(yaml: "trust_org_id_header: true\ntenants:\n  - id: a\n"), storageURL: dir,
                dbOptions: DBOptions(), startTime: 0)
            defer { for db in databases { try? db.close() } }
            try await Application(responder: dispatcher).test(.router) { client in
                try await client.execute(uri: "/metrics", method: .get) {
                    let text = String(buffer: $0.body)
                    for line in [
                        "prometheus_engine_queries 0", "prometheus_engine_queries_concurrent_max 3",
                        #"sugarmill_engine_queries_shed_total{reason="queue_full"} 0"#,
                        #"sugarmill_engine_queries_shed_total{reason="timeout"} 0"#,
                        "sugarmill_ingest_inflight_bytes 0", "sugarmill_ingest_inflight_bytes_max 536870912",
                        "sugarmill_ingest_shed_requests_total 0",
                    ] {
                        #expect(text.contains("\n\(line)\n"), "\(line)")
                    }
                }
            }
        }
    }
}

@Suite struct IngestSheddingTests {
    static let series: [(labels: [(String, String)], samples: [Sample])] = [([("__name__", "m")], [Sample(60_000, 1)])]

    @Test func remoteWriteIsShedWith503WhenTheGateIsFull() async throws {
        let gate = IngestGate(maxInflightBytes: 1 << 20)
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.ingestGate = gate }) { client, db in
                // Other requests hold every byte the gate allows.
                #expect(gate.reserve(1 << 20, held: 0))
                try await client.execute(
                    uri: "/api/v1/write", method: .post,
                    headers: [.contentType: "application/x-protobuf", .contentEncoding: "snappy"], body: remoteWriteBody(Self.series)
                ) {
                    #expect($0.status == .serviceUnavailable)
                    #expect($0.headers[.retryAfter] == "1")
                    #expect(String(buffer: $0.body).hasPrefix("too many bytes of remote-write and OTLP requests in flight"))
                }
                #expect(gate.shedRequests.current == 1)
                #expect(gate.inflightBytes == 1 << 20)
                #expect(try db.select(matchers: [try LabelMatcher(.equal, "__name__", "m")], minTime: 0, maxTime: .max, sorted: false).isEmpty)
                // Room again: the sender's retry lands, and the request gives its bytes back.
                gate.release(1 << 20)
                #expect(try await client.push(Self.series).0 == 204)
                #expect(gate.inflightBytes == 0)
            }
        }
    }

    @Test func aLoneRequestLargerThanTheLimitIsLetThrough() async throws {
        let gate = IngestGate(maxInflightBytes: 8)
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.ingestGate = gate }) { client, _ in
                let (code, body) = try await client.push(Self.series)
                #expect(code == 204, "\(body)")
                #expect(gate.shedRequests.current == 0)
                #expect(gate.inflightBytes == 0)
            }
        }
    }

    @Test func otlpIsShedWith503WhenTheGateIsFull() async throws {
        let gate = IngestGate(maxInflightBytes: 16)
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.ingestGate = gate }) { client, _ in
                #expect(gate.reserve(16, held: 0))
                defer { gate.release(16) }
                try await client.execute(
                    uri: "/api/v1/otlp/v1/metrics", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"resourceMetrics":[]}"#)
                ) {
                    #expect($0.status == .serviceUnavailable)
                    #expect($0.headers[.retryAfter] == "1")
                }
                #expect(gate.shedRequests.current == 1)
                #expect(gate.inflightBytes == 16)
            }
        }
    }
}

@Suite struct HostileQueryTests {
    @Test func deepNestingUpToTheLimitEvaluatesAndPastItIs400() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push(IngestSheddingTests.series).0 == 204)
                // Evaluated on the concurrency pool's threads (small stacks), 499 levels deep.
                for query in [
                    String(repeating: "-", count: 499) + "m",
                    String(repeating: "abs(", count: 498) + "m" + String(repeating: ")", count: 498),
                    (0..<499).map { _ in "m" }.joined(separator: " + "),
                ] {
                    let (code, body) = try await client.post("/api/v1/query", form: ["query": query, "time": "60"])
                    #expect(code == 200, "\(body.prefix(200))")
                }
                let (code, body) = try await client.post(
                    "/api/v1/query", form: ["query": String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)])
                #expect(code == 400)
                #expect(body.contains(#""errorType":"bad_data""#) && body.contains("expression nesting too deep"), "\(body.prefix(300))")
            }
        }
    }

    @Test func aQueryStringOverTheFormLimitIs413() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.maxFormBodyBytes = 1 << 20 }) { client, _ in
                let (code, body) = try await client.post("/api/v1/query", form: ["query": String(repeating: "m or ", count: 300_000) + "m"])
                #expect(code == 413)
                #expect(body.contains(#""status":"error""#))
            }
        }
    }

    @Test func absurdSubqueryIs422NotACrash() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push(IngestSheddingTests.series).0 == 204)
                let (code, body) = try await client.getJSON("/api/v1/query?query=max_over_time(m%5B10y:1ms%5D)&time=60")
                #expect(code == 422)
                #expect(body["errorType"] as? String == "execution")
                #expect(body["error"] as? String == "query processing would load too many samples into memory in query execution")
            }
        }
    }

    @Test(arguments: [
        "query=m&start=0&end=1000000000&step=1",
        "query=m&start=0&end=1e15&step=0.001",
        "query=m&start=-1e15&end=1e15&step=1e-3",
        // end - start overflows Int64: saturates (as Go's Time.Sub), never traps.
        "query=m&start=-9e15&end=9e15&step=1",
    ])
    func hugeStepCountsAre400(_ params: String) async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (code, body) = try await client.getJSON("/api/v1/query_range?\(params)")
                #expect(code == 400, "\(body)")
                #expect(body["errorType"] as? String == "bad_data")
            }
        }
    }

    @Test func manyMatchersAndHugeLabelValuesAnswerWithinLimits() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                // 200 series, each with a 4 KB label value.
                let big = String(repeating: "v", count: 4096)
                let series = (0..<200).map { i in
                    (labels: [("__name__", "m"), ("v", "\(i)-\(big)")], samples: [Sample(60_000, 1)])
                }
                #expect(try await client.push(series).0 == 204)
                let (code, body) = try await client.getJSON("/api/v1/label/v/values?limit=5")
                #expect(code == 200)
                #expect((body["data"] as? [String])?.count == 5)
                #expect(body["warnings"] as? [String] == ["results truncated due to limit"])
                #expect(try await client.getJSON("/api/v1/series?match[]=m&limit=3").1["data"].map { ($0 as? [Any])?.count } == 3)
                #expect(try await client.getJSON("/api/v1/labels?limit=-1").0 == 400)
                // 20,000 match[] selectors in one form body: answered, not a crash.
                let matches = (0..<20_000).map { "match%5B%5D=m%7Bv%3D%22\($0)%22%7D" }.joined(separator: "&")
                let (seriesCode, _) = try await client.postForm("/api/v1/series", matches)
                #expect(seriesCode == 200)
                let (labelsCode, _) = try await client.postForm("/api/v1/labels", matches)
                #expect(labelsCode == 200)
            }
        }
    }
}

extension TestClientProtocol {
    /// POSTs `form` URL-encoded and returns the status code and body text.
    func post(_ uri: String, form: [String: String]) async throws -> (Int, String) {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        return try await postForm(uri, body)
    }
}

/// Remote read under `--storage.remote.read-concurrent-limit`, federation under
/// `--query.max-concurrency`, and `--web.max-connections`.
@Suite struct ReadAndConnectionLimitTests {
    @Test func remoteReadWaitsForItsGateAndIsShedWhenItIsFull() async throws {
        try await withTemporaryDirectory { dir in
            let gate = QueryGate(maxConcurrency: 1, maxQueueLength: 0)
            try await withAPI(directory: dir, configure: { $0.remoteReadGate = gate }) { client, _ in
                #expect(try await client.push(RemoteReadTests.data).0 == 204)
                let body = try RemoteReadTests.request([(.eq, "__name__", "up")])
                #expect(gate.tryEnter())  // another read holds the only slot
                let (shed, _, text) = try await RemoteReadTests.post(client, body)
                #expect(shed == 503)
                #expect(String(decoding: text, as: UTF8.self).hasPrefix("too many remote reads"))
                #expect(gate.shedQueueFull.current == 1)
                gate.leave()
                #expect(try await RemoteReadTests.post(client, body).0 == 200)
                #expect(gate.current == 0, "the read gave its slot back")
            }
        }
    }

    @Test func federationTakesAQuerySlot() async throws {
        try await withTemporaryDirectory { dir in
            let gate = QueryGate(maxConcurrency: 1, maxQueueLength: 0)
            try await withAPI(directory: dir, configure: { $0.queryGate = gate }) { client, _ in
                #expect(gate.tryEnter())
                let (status, text) = try await client.getText("/federate?match[]=up")
                #expect(status == 503)
                #expect(text.hasPrefix("too many queries"), "\(text)")
                gate.leave()
                #expect(try await client.getText("/federate?match[]=up").0 == 200)
                #expect(gate.current == 0)
            }
        }
    }

    @Test func connectionsPastTheLimitAreClosed() async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quietLogger)
            defer { try? db.close() }
            let router = Router()
            PrometheusAPI(storage: db, logger: quietLogger, selfMetrics: { "" }).register(on: router)
            let limit = ConnectionLimit(max: 2)
            let app = Application(
                router: router, server: Server.httpServer(connectionLimit: limit), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                let port = try #require(client.port)
                // The test client's own connection is one; one more idle connection fills the limit.
                #expect(try await client.getText("/-/healthy").0 == 200)
                let idle = try RawConnection(port: port)
                #expect(await eventually { limit.openCount == 2 })
                let refused = try RawConnection(port: port).exchange("GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(refused.isEmpty, "closed without an answer: \(refused.prefix(100))")
                #expect(limit.refusedCount == 1)
                idle.close()
                #expect(await eventually { limit.openCount == 1 })
                let answered = try RawConnection(port: port).exchange("GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                #expect(answered.hasPrefix("HTTP/1.1 200 OK"), "\(answered.prefix(100))")
            }
        }
    }
}
