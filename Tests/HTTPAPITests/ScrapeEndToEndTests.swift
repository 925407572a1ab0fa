// Scraping a live HTTP exporter into a real database: samples and `up` arrive, a vanished
// series is marked stale, failures show in the target's health, and a target removed from the
// config gets stale markers for everything.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import PromQL
import Scrape
import SugarmillServer
import Synchronization
import Testing
import TSDB

@Suite(.serialized) struct ScrapeEndToEndTests {
    /// What the exporter answers.
    final class Exposition: Sendable {
        let state = Mutex<(status: HTTPResponse.Status, contentType: String, body: String)>(
            (.ok, "text/plain; version=0.0.4", "metric_a 1\nmetric_b{x=\"1\"} 2\n"))
    }

    /// Answers on its connections' event loops (as the server does), so other tests' work on the
    /// global pool cannot hold an answer past the scrape timeout.
    static func exporter(_ exposition: Exposition) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ in
            let (status, contentType, body) = exposition.state.withLock { $0 }
            return Response(
                status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        return Application(router: router, server: Server.httpServer(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func config(port: Int) -> PrometheusConfig {
        var config = PrometheusConfig()
        var job = ScrapeConfig(jobName: "e2e", scrapeIntervalMs: 500, scrapeTimeoutMs: 400)
        job.staticConfigs = [TargetGroup(targets: ["127.0.0.1:\(port)"], labels: Labels(["env": "test"]), source: "0")]
        config.scrapeConfigs = [job]
        return config
    }

    /// The instant value of `query` now.
    static func value(_ db: DB, _ query: String) throws -> [String: Double] {
        let result = try Engine(querier: db).instantQuery(try parseExpr(query), at: Int64(Date().timeIntervalSince1970 * 1000))
        guard case .vector(let samples) = result.value else { return [:] }
        var out: [String: Double] = [:]
        for s in samples { out[s.labels.description] = s.value }
        return out
    }

    /// Polls `condition` every 50 ms, `seconds` worth of polls at least (counted in polls, as
    /// `eventuallyAsync`: a starved stretch of the suite cannot use the wait up).
    static func eventually(_ seconds: Double = 5, _ condition: () throws -> Bool) async throws -> Bool {
        for _ in 0..<Int((seconds * 20).rounded(.up)) {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try condition()
    }

    /// Runs `body` with an exporter serving `exposition`, a fresh database in a temporary directory
    /// and a scrape manager writing to it (shut down afterwards); `body` gets the directory, the
    /// database, the manager and the exporter's port.
    static func withScraping(
        _ exposition: Exposition, _ body: @escaping @Sendable (URL, DB, ScrapeManager, Int) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quietLogger)
            defer { try? db.close() }
            try await exporter(exposition).test(.live) { client in
                let manager = ScrapeManager(storage: db, logger: quietLogger)
                try await body(dir, db, manager, try #require(client.port))
                await manager.shutdown()
            }
        }
    }

    @Test func scrapesMarksStaleAndReportsHealth() async throws {
        let exposition = Exposition()
        try await Self.withScraping(exposition) { (dir, db, manager, port) async throws in
            await manager.apply(Self.config(port: port))

            #expect(try await Self.eventually { try Self.value(db, "up") == [#"{__name__="up", env="test", instance="127.0.0.1:\#(port)", job="e2e"}"#: 1] })
            #expect(try Self.value(db, "metric_b")[#"{__name__="metric_b", env="test", instance="127.0.0.1:\#(port)", job="e2e", x="1"}"#] == 2)
            #expect(try Self.value(db, "scrape_samples_scraped").values.first == 2)

            // metric_b disappears: a stale marker hides it at once (not after 5 minutes).
            exposition.state.withLock { $0.body = "metric_a 3\n" }
            #expect(try await Self.eventually { try Self.value(db, "metric_b").isEmpty })
            #expect(try Self.value(db, "metric_a").values.first == 3)

            // A failing target: up 0, its series stale, the reason in lastError.
            exposition.state.withLock { $0.status = .internalServerError }
            #expect(try await Self.eventually { try Self.value(db, "up").values.first == 0 })
            #expect(try Self.value(db, "metric_a").isEmpty)
            #expect(manager.activeTargets().first?.health.lastError == "server returned HTTP status 500 Internal Server Error")
            #expect(manager.activeTargets().first?.health.health == .down)

            exposition.state.withLock { $0 = (.ok, "application/json", "{}") }
            #expect(try await Self.eventually {
                manager.activeTargets().first?.health.lastError
                    == #"received unsupported Content-Type "application/json" and no fallback_scrape_protocol specified for target"#
            })

            // Back to normal, then the target leaves the config: everything goes stale a
            // little over two intervals later.
            exposition.state.withLock { $0 = (.ok, "text/plain", "metric_a 4\n") }
            #expect(try await Self.eventually { try Self.value(db, "up").values.first == 1 })
            await manager.apply(PrometheusConfig())
            #expect(manager.activeTargets().isEmpty)
            #expect(try await Self.eventually(4) { try Self.value(db, "up").isEmpty && Self.value(db, "metric_a").isEmpty })
        }
    }

    /// A full disk while scraping: each refused commit is counted (and logged), the target stays
    /// up, the database stays whole, and scrapes land again once space is back.
    @Test func fullDiskCountsFailedCommitsAndRecovers() async throws {
        let exposition = Exposition()
        try await Self.withScraping(exposition) { (dir, db, manager, port) async throws in
            await manager.apply(Self.config(port: port))
            #expect(try await Self.eventually { try Self.value(db, "metric_a").values.first == 1 })

            IOFaults.failWrites(under: dir.path, errno: ENOSPC)
            #expect(try await Self.eventually(15) { manager.metrics.commitFailures.current >= 2 })
            #expect(manager.activeTargets().first?.health.health == .up)

            IOFaults.clear(under: dir.path)
            exposition.state.withLock { $0.body = "metric_a 7\n" }
            #expect(try await Self.eventually(15) { try Self.value(db, "metric_a").values.first == 7 })
        }
    }

    /// Injected network faults on a target's scrapes: reset and timeout take it down with the
    /// reason in lastError; a truncated body is a parse error or a shorter scrape, never a crash;
    /// when the fault ends the target is up again.
    @Test(arguments: NetworkFaults.Effect.allCases)
    func networkFaultsTakeTheTargetDownUntilTheyEnd(_ effect: NetworkFaults.Effect) async throws {
        let exposition = Exposition()
        exposition.state.withLock { $0.body = "metric_a 1\nmetric_b{x=\"1\"} 2\nmetric_c 3\n" }
        try await Self.withScraping(exposition) { (dir, db, manager, port) async throws in
            var config = Self.config(port: port)
            let job = "net-\(effect)"
            config.scrapeConfigs[0].jobName = job
            NetworkFaults.inject(effect, on: .scrape(job: job))
            defer { NetworkFaults.clear(.scrape(job: job)) }
            await manager.apply(config)

            #expect(try await Self.eventually(15) { manager.activeTargets().first?.health.lastScrapeMs != nil })
            let health = try #require(manager.activeTargets().first?.health)
            switch effect {
            case .reset:
                #expect(health.health == .down)
                #expect(health.lastError.hasSuffix("read: connection reset by peer (injected fault)"), "\(health.lastError)")
            case .timeout:
                #expect(health.health == .down)
                #expect(health.lastError.hasSuffix("context deadline exceeded (injected fault)"), "\(health.lastError)")
            case .truncate:
                // Half the body: "metric_a 1\nmetric_b{x=" — the cut line is a parse error.
                #expect(health.health == .down)
                #expect(!health.lastError.isEmpty)
            }
            #expect(try Self.value(db, "metric_c").isEmpty)

            NetworkFaults.clear(.scrape(job: job))
            #expect(try await Self.eventually(15) { try Self.value(db, "metric_c").values.first == 3 })
            #expect(manager.activeTargets().first?.health.health == .up)
        }
    }

    @Test func unchangedTargetsKeepTheirLoopAcrossApplies() async throws {
        let exposition = Exposition()
        try await Self.withScraping(exposition) { (dir, db, manager, port) async throws in
            await manager.apply(Self.config(port: port))
            #expect(try await Self.eventually { manager.activeTargets().first?.health.health == .up })
            let before = manager.activeTargets().first?.health.lastScrapeMs
            await manager.apply(Self.config(port: port))
            // The same loop: its health is kept (a new loop would start as unknown).
            #expect(manager.activeTargets().first?.health.health == .up)
            #expect(manager.activeTargets().first?.health.lastScrapeMs ?? 0 >= before ?? 0)
        }
    }
}

@Suite struct TenantScrapeTests {
    /// Jobs go to the storage of the tenant their `tenant:` key names, the first tenant's without
    /// one; each tenant sees only its own pools.
    @Test func jobsWriteToTheirTenantAndShowOnlyThere() async throws {
        let yaml = """
            scrape_configs:
              - job_name: default-job
                scrape_interval: 500ms
                scrape_timeout: 400ms
                static_configs: [{targets: ["127.0.0.1:PORT"]}]
              - job_name: b-job
                tenant: team-b
                scrape_interval: 500ms
                scrape_timeout: 400ms
                static_configs: [{targets: ["127.0.0.1:PORT"]}]
            """
        try await withTemporaryDirectory { dir in
            let a = try DB(directory: dir.appendingPathComponent("a"), logger: quietLogger)
            let b = try DB(directory: dir.appendingPathComponent("b"), logger: quietLogger)
            defer {
                try? a.close()
                try? b.close()
            }
            try await ScrapeEndToEndTests.exporter(ScrapeEndToEndTests.Exposition()).test(.live) { client in
                let port = try #require(client.port)
                let config = try PrometheusConfig.load(
                    yaml: yaml.replacingOccurrences(of: "PORT", with: "\(port)"), filename: "prometheus.yml", directory: dir.path)
                #expect(config.scrapeConfigs.map(\.tenant) == [nil, "team-b"])
                let manager = ScrapeManager(storage: a, storageForTenant: { $0 == "team-b" ? b : nil }, logger: quietLogger)
                await manager.apply(config)
                #expect(try await ScrapeEndToEndTests.eventually(20) {
                    try ScrapeEndToEndTests.value(a, "up").count == 1 && ScrapeEndToEndTests.value(b, "up").count == 1
                })
                #expect(try ScrapeEndToEndTests.value(a, "metric_a").keys.allSatisfy { $0.contains(#"job="default-job""#) })
                #expect(try ScrapeEndToEndTests.value(b, "metric_a").keys.allSatisfy { $0.contains(#"job="b-job""#) })
                let first = TenantScope(tenant: "team-a", isDefault: true)
                let second = TenantScope(tenant: "team-b", isDefault: false)
                #expect(manager.activeTargets(in: first).map(\.target.job) == ["default-job"])
                #expect(manager.activeTargets(in: second).map(\.target.job) == ["b-job"])
                #expect(manager.activeTargets().count == 2)
                await manager.shutdown()
            }
        }
    }
}

@Suite struct TargetsAPITests {
    struct FixedTargets: TargetsSource {
        func activeTargets() -> [APITarget] {
            [APITarget(
                discoveredLabels: Labels(["__address__": "h:1", "job": "j"]), labels: Labels(["instance": "h:1", "job": "j"]),
                scrapePool: "j", scrapeURL: "http://h:1/metrics", health: "up", lastError: "",
                lastScrapeMs: 1_700_000_000_123, lastScrapeDurationSeconds: 0.25, scrapeInterval: "15s", scrapeTimeout: "10s")]
        }
        func droppedTargets() -> [(discoveredLabels: Labels, scrapePool: String)] { [(Labels(["__address__": "x:2"]), "k")] }
        func metadata() -> [String: [APIMetadata]] {
            ["up_total": [APIMetadata(type: "counter", help: "Ups.", unit: "")],
             "a": [APIMetadata(type: "gauge", help: "A.", unit: ""), APIMetadata(type: "gauge", help: "Other A.", unit: "")]]
        }
        func targetMetadata() -> [(labels: Labels, metadata: [String: APIMetadata])] {
            [(Labels(["instance": "h:1", "job": "j"]), ["a": APIMetadata(type: "gauge", help: "A.", unit: "")]),
             (Labels(["instance": "h:2", "job": "k"]), ["b": APIMetadata(type: "counter", help: "B.", unit: "")])]
        }
    }

    @Test func metadataShapes() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.targetsSource = FixedTargets() }) { client, _ in
                let (_, all) = try await client.getText("/api/v1/metadata")
                #expect(all == #"{"status":"success","data":{"a":[{"type":"gauge","help":"A.","unit":""},{"type":"gauge","help":"Other A.","unit":""}],"up_total":[{"type":"counter","help":"Ups.","unit":""}]}}"#)
                let (_, limited) = try await client.getText("/api/v1/metadata?limit=1&limit_per_metric=1")
                #expect(limited == #"{"status":"success","data":{"a":[{"type":"gauge","help":"A.","unit":""}]}}"#)
                let (_, one) = try await client.getText("/api/v1/metadata?metric=up_total")
                #expect(one.contains("up_total") && !one.contains(#""a""#))
                let (_, targets) = try await client.getText("/api/v1/targets/metadata?match_target=%7Bjob%3D%22k%22%7D")
                #expect(targets == #"{"status":"success","data":[{"target":{"instance":"h:2","job":"k"},"metric":"b","type":"counter","help":"B.","unit":""}]}"#)
                let (code, _) = try await client.getText("/api/v1/targets/metadata?match_target=%7B")
                #expect(code == 400)
            }
        }
    }

    @Test func prometheusShape() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.targetsSource = FixedTargets() }) { client, _ in
                let (code, body) = try await client.getText("/api/v1/targets")
                #expect(code == 200)
                #expect(body == #"{"status":"success","data":{"activeTargets":[{"discoveredLabels":{"__address__":"h:1","job":"j"},"labels":{"instance":"h:1","job":"j"},"scrapePool":"j","scrapeUrl":"http://h:1/metrics","globalUrl":"http://h:1/metrics","lastError":"","lastScrape":"2023-11-14T22:13:20.123Z","lastScrapeDuration":0.25,"health":"up","scrapeInterval":"15s","scrapeTimeout":"10s"}],"droppedTargets":[{"discoveredLabels":{"__address__":"x:2"},"scrapePool":"k"}],"droppedTargetCounts":{"j":0,"k":1}}}"#)
                let (_, active) = try await client.getText("/api/v1/targets?state=active&scrapePool=j")
                #expect(active.contains(#""droppedTargets":[]"#) && active.contains(#""scrapePool":"j""#))
                let (_, none) = try await client.getText("/api/v1/targets?scrapePool=nope")
                #expect(none.contains(#""activeTargets":[],"droppedTargets":[]"#))
                // Pools with active or dropped targets, sorted.
                let (_, pools) = try await client.getText("/api/v1/scrape_pools")
                #expect(pools == #"{"status":"success","data":{"scrapePools":["j","k"]}}"#)
            }
        }
    }
}

@Suite struct ReloadEndpointTests {
    func post(_ client: any TestClientProtocol, _ uri: String) async throws -> (Int, String) {
        try await client.execute(uri: uri, method: .post) { ($0.status.code, String(buffer: $0.body)) }
    }

    @Test func forbiddenWithoutLifecycleFlag() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (code, body) = try await post(client, "/-/reload")
                #expect(code == 403 && body == "Lifecycle API is not enabled.\n")
            }
        }
    }

    @Test func reportsSuccessAndFailure() async throws {
        let calls = Mutex(0)
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { api in
                api.reloadConfig = {
                    calls.withLock { $0 += 1 }
                    return calls.withLock { $0 } == 1 ? nil : "bad.yml: field foo not found"
                }
            }) { client, _ in
                #expect(try await post(client, "/-/reload") == (200, ""))
                let (code, body) = try await post(client, "/-/reload")
                #expect(code == 500 && body == "failed to reload config: bad.yml: field foo not found\n")
                let (putCode, _) = try await client.execute(uri: "/-/reload", method: .put) { ($0.status.code, 0) }
                #expect(putCode == 500)
            }
        }
        #expect(calls.withLock { $0 } == 3)
    }
}

@Suite struct FileDiscoveryEndToEndTests {
    @Test func targetsFollowTheFile() async throws {
        let exposition = ScrapeEndToEndTests.Exposition()
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quietLogger)
            defer { try? db.close() }
            try await ScrapeEndToEndTests.exporter(exposition).test(.live) { client in
                let port = try #require(client.port)
                let file = dir.appendingPathComponent("targets.json").path
                try #"[{"targets": ["127.0.0.1:\#(port)"], "labels": {"source": "file"}}]"#
                    .write(toFile: file, atomically: true, encoding: .utf8)
                var config = PrometheusConfig()
                var job = ScrapeConfig(jobName: "fsd", scrapeIntervalMs: 500, scrapeTimeoutMs: 400)
                var sd = FileSDConfig(files: [dir.path + "/*.json"])
                sd.refreshIntervalMs = 100
                job.fileSDConfigs = [sd]
                config.scrapeConfigs = [job]
                let manager = ScrapeManager(storage: db, logger: quietLogger)
                await manager.apply(config)
                #expect(try await ScrapeEndToEndTests.eventually { try ScrapeEndToEndTests.value(db, "up{source=\"file\"}").values.first == 1 })
                #expect(manager.activeTargets().first?.target.discoveredLabels["__meta_filepath"] == file)
                try "[]".write(toFile: file, atomically: true, encoding: .utf8)
                #expect(try await ScrapeEndToEndTests.eventually { manager.activeTargets().isEmpty })
                #expect(try await ScrapeEndToEndTests.eventually(4) { try ScrapeEndToEndTests.value(db, "up").isEmpty })
                await manager.shutdown()
            }
        }
    }
}

@Suite struct StatusConfigTests {
    @Test func answersTheConfigText() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.configText = { "global:\n  scrape_interval: 15s\n" } }) { client, _ in
                let (code, body) = try await client.getText("/api/v1/status/config")
                #expect(code == 200)
                #expect(body == #"{"status":"success","data":{"yaml":"global:\n  scrape_interval: 15s\n"}}"#)
            }
        }
    }
}

@Suite struct BadTargetTests {
    /// An exporter answering `/big`, `/slow` and `/garbage`, and a good `/ok`. Its handlers run on
    /// their connections' event loops (as the server's do), so other tests' work on the global
    /// pool cannot hold an answer past the scrapes' 300 ms timeout.
    static func exporter() -> some ApplicationProtocol {
        let router = Router()
        router.get("/ok") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok_metric 1\n")))
        }
        router.get("/big") { _, _ in
            let line = "big_metric{i=\"0000000000\"} 1\n"
            let body = String(repeating: line, count: 2 * 1024 * 1024 / line.utf8.count + 1)
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/slow") { _, _ in
            try await Task.sleep(for: .seconds(2))
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "late 1\n")))
        }
        router.get("/garbage") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok 1\n\u{1}\u{2}garbage{{{\n")))
        }
        return Application(router: router, server: Server.httpServer(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test func badTargetsGoDownWithAClearErrorAndOthersCarryOn() async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quietLogger)
            defer { try? db.close() }
            try await Self.exporter().test(.live) { client in
                let port = try #require(client.port)
                var config = PrometheusConfig()
                for path in ["/ok", "/big", "/slow", "/garbage"] {
                    var job = ScrapeConfig(jobName: String(path.dropFirst()), scrapeIntervalMs: 500, scrapeTimeoutMs: 300)
                    job.metricsPath = path
                    job.limits.bodySizeLimit = 1024 * 1024
                    job.staticConfigs = [TargetGroup(targets: ["127.0.0.1:\(port)"], source: "0")]
                    config.scrapeConfigs.append(job)
                }
                let manager = ScrapeManager(storage: db, logger: quietLogger)
                await manager.apply(config)
                func error(_ job: String) -> String? {
                    manager.activeTargets().first { $0.target.job == job && $0.health.health != .unknown }?.health.lastError
                }
                // Each target's scrape ends its own way; under heavy load a scrape of /ok may time out
                // once, so wait for the outcomes rather than for the first scrape of each.
                #expect(try await ScrapeEndToEndTests.eventually(20) {
                    error("big") == "body size limit exceeded" && error("slow") != nil && error("garbage")?.hasPrefix("2:1: ") == true
                        && error("ok") == ""
                })
                #expect(error("ok") == "")
                #expect(error("big") == "body size limit exceeded")
                #expect(error("slow")?.hasSuffix("context deadline exceeded") == true, "\(error("slow") ?? "")")
                #expect(error("garbage")?.hasPrefix("2:1: ") == true, "\(error("garbage") ?? "")")
                let up = try ScrapeEndToEndTests.value(db, "up")
                #expect(up.count == 4)
                #expect(up.filter { $0.value == 1 }.count == 1)
                #expect(try ScrapeEndToEndTests.value(db, "ok_metric").count == 1)
                #expect(try ScrapeEndToEndTests.value(db, "big_metric").isEmpty)
                await manager.shutdown()
            }
        }
    }
}
