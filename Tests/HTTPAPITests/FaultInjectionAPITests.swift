// Runtime fault injection (`--enable-feature=fault-injection`, issue #10): an operator injects
// a full disk through the admin endpoint, remote write answers 503 while it lasts, queries keep
// answering, and ingestion resumes when it is cleared or runs out; every injection is counted.

import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import NIOCore
import HummingbirdTesting
import MetricModel
import SugarmillServer
import Tenancy
import Testing
import TSDB

@Suite struct FaultInjectionAPITests {
    static func post(_ client: some TestClientProtocol, _ form: String) async throws -> (Int, String) {
        try await client.execute(
            uri: "/api/v1/admin/faults", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: form)
        ) { ($0.status.code, String(buffer: $0.body)) }
    }

    @Test func injectedFullDiskIs503UntilCleared() async throws {
        try await withTemporaryDirectory { dir in
            let injector = ServerFaultInjector(storagePath: dir.path, logger: quietLogger)
            try await withAPI(directory: dir, configure: { $0.faultInjector = injector }) { client, _ in
                #expect(try await client.push([([("__name__", "m")], [Sample(60_000, 1)])]).0 == 204)

                let (status, body) = try await Self.post(client, "kind=disk_error&errno=ENOSPC&duration=1h")
                #expect(status == 200)
                #expect(body.contains(#""kind":"disk_error""#) && body.contains(#""errno":"ENOSPC","operations":["write"]"#), "\(body)")
                #expect(try await client.push([([("__name__", "m")], [Sample(120_000, 2)])]).0 == 503)
                #expect(try await client.getText("/api/v1/query?query=m&time=60").0 == 200)

                let listed = try await client.getText("/api/v1/admin/faults").1
                #expect(listed.contains(#""id":1,"kind":"disk_error""#), "\(listed)")
                #expect(injector.metricsText.contains("sugarmill_fault_injections_total{kind=\"disk_error\"} 1\n"))
                #expect(injector.metricsText.contains("sugarmill_fault_injections_active 1\n"))

                let cleared = try await client.execute(uri: "/api/v1/admin/faults", method: .delete) { String(buffer: $0.body) }
                #expect(cleared == #"{"status":"success","data":[]}"#)
                #expect(try await client.push([([("__name__", "m")], [Sample(120_000, 2)])]).0 == 204)
            }
        }
    }

    @Test func anInjectionEndsByItself() async throws {
        try await withTemporaryDirectory { dir in
            let injector = ServerFaultInjector(storagePath: dir.path, logger: quietLogger)
            try await withAPI(directory: dir, configure: { $0.faultInjector = injector }) { client, _ in
                #expect(try await Self.post(client, "kind=disk_error&errno=EIO&duration=3s").0 == 200)
                #expect(try await client.push([([("__name__", "m")], [Sample(60_000, 1)])]).0 == 500)
                // No DELETE: within a few seconds the same write lands.
                let deadline = ContinuousClock.now + .seconds(20)
                var status = 500
                while status != 204 && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                    status = try await client.push([([("__name__", "m")], [Sample(60_000, 1)])]).0
                }
                #expect(status == 204)
                #expect(injector.active.isEmpty)
            }
        }
    }

    @Test(arguments: [
        ("kind=nope&duration=1m", "invalid parameter \\\"kind\\\""),
        ("kind=disk_error", "missing parameter \\\"duration\\\""),
        ("kind=disk_error&duration=2h", "at most 1h"),
        ("kind=disk_error&duration=1m&errno=EFOO", "invalid parameter \\\"errno\\\""),
        ("kind=disk_latency&duration=1m&latency=1m", "at most 10s"),
        ("kind=disk_latency&duration=1m&latency=10ms&operations=read,fly", "invalid parameter \\\"operations\\\""),
        ("kind=scrape_failure&duration=1m&effect=explode", "invalid parameter \\\"effect\\\""),
    ])
    func badRequestsAre400(form: String, message: String) async throws {
        try await withTemporaryDirectory { dir in
            let injector = ServerFaultInjector(storagePath: dir.path, logger: quietLogger)
            try await withAPI(directory: dir, configure: { $0.faultInjector = injector }) { client, _ in
                let (status, body) = try await Self.post(client, form)
                #expect(status == 400)
                #expect(body.contains(message), "\(body)")
                #expect(injector.active.isEmpty)
            }
        }
    }

    @Test func disabledWithoutTheFeature() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (status, body) = try await Self.post(client, "kind=disk_error&duration=1m")
                #expect(status >= 500)
                #expect(body.contains("fault injection is disabled (start with --enable-feature=fault-injection)"), "\(body)")
                #expect(try await client.push([([("__name__", "m")], [Sample(60_000, 1)])]).0 == 204)
            }
        }
    }
}

/// In multi-tenant mode the endpoint is the operator's: the admin token reaches it, a tenant's
/// credentials get 401, and a fault on the data directory strikes every tenant's database.
@Suite struct MultiTenantFaultInjectionTests {
    @Test func onlyTheAdminTokenInjects() async throws {
        try await withTemporaryDirectory { dir in
            var options = ServerOptions()
            options.enabledFeatures = ["fault-injection"]
            options.storagePath = dir.path
            let server = Server(options: options, logger: quietLogger)
            let registry = try server.makeTenantRegistry(
                try TenancyConfig.load(yaml: TenantAdminTests.tenantsFile), file: nil, storageURL: dir, dbOptions: DBOptions(),
                startTime: 0)
            let injector = ServerFaultInjector(storagePath: dir.path, logger: quietLogger)
            do {
                try await Application(responder: TenantDispatcher(registry: registry, faultInjector: injector)).test(.router) { client in
                    func post(_ token: String) async throws -> Int {
                        try await client.execute(
                            uri: "/api/v1/admin/faults", method: .post,
                            headers: [.contentType: "application/x-www-form-urlencoded", .authorization: "Bearer \(token)"],
                            body: ByteBuffer(string: "kind=disk_error&errno=ENOSPC&duration=1m")
                        ) { Int($0.status.code) }
                    }
                    func push(_ token: String) async throws -> Int {
                        try await client.execute(
                            uri: "/api/v1/write", method: .post,
                            headers: [.contentType: "application/x-protobuf", .contentEncoding: "snappy", .authorization: "Bearer \(token)"],
                            body: remoteWriteBody([([("__name__", "m")], [Sample(60_000, 1)])])
                        ) { Int($0.status.code) }
                    }
                    #expect(try await post("token-a") == 401)
                    #expect(injector.active.isEmpty)
                    #expect(try await push("token-a") == 204)
                    #expect(try await post("admin") == 200)
                    #expect(try await push("token-a") == 503, "a full disk under <data>/tenants/team-a")
                    let cleared = try await client.execute(
                        uri: "/api/v1/admin/faults", method: .delete, headers: [.authorization: "Bearer admin"]) { Int($0.status.code) }
                    #expect(cleared == 200)
                    #expect(try await push("token-a") == 204)
                }
            } catch {
                try? await registry.close()
                throw error
            }
            try await registry.close()
        }
    }
}
