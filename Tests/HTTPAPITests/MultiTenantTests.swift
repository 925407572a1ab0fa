// Multi-tenant mode: each tenant's own database behind the dispatcher; credentials decide which,
// and nothing of one tenant is visible to another.

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

extension TestClientProtocol {
    /// Remote-writes `series` as `tenant` (named by `X-Scope-OrgID`); returns status and body.
    fileprivate func remoteWrite(as tenant: String, _ series: [(labels: [(String, String)], samples: [Sample])]) async throws -> (Int, String) {
        try await execute(
            uri: "/api/v1/write", method: .post,
            headers: [.contentType: "application/x-protobuf", .contentEncoding: "snappy", HTTPField.Name("X-Scope-OrgID")!: tenant],
            body: remoteWriteBody(series)
        ) { (Int($0.status.code), String(buffer: $0.body)) }
    }
}

/// Runs `body` against the tenants the YAML names, each with its database in a temporary
/// directory (`databases` in the file's order).
private func withTenants(_ yaml: String, _ body: @Sendable (any TestClientProtocol, [DB]) async throws -> Void) async throws {
    try await withTemporaryDirectory { dir in
        let server = Server(options: ServerOptions(), logger: quietLogger)
        let (dispatcher, databases) = try server.makeTenants(
            try TenancyConfig.load(yaml: yaml), storageURL: dir, dbOptions: DBOptions(), startTime: 0)
        defer { for db in databases { try? db.close() } }
        try await Application(responder: dispatcher).test(.router) { client in try await body(client, databases) }
    }
}

@Suite struct MultiTenantTests {
    static let tenancy = try! TenancyConfig.load(
        yaml: """
            trust_org_id_header: true
            tenants:
              - id: team-a
                bearer_token_sha256: [\(SHA256.hex(Array("token-a".utf8)))]
              - id: team-b
                basic_auth: [{username: bob, password_sha256: \(SHA256.hex(Array("pw".utf8)))}]
            """)

    @Test func limitsAreAppliedPerTenant() async throws {
        try await withTenants(
            """
                trust_org_id_header: true
                tenants:
                  - id: small
                    limits: {ingestion_rate: 0.001, ingestion_burst_size: 4, max_label_names_per_series: 3, max_label_value_length: 8}
                  - id: big
                """
        ) { client, databases in
            func push(_ tenant: String, _ series: [(labels: [(String, String)], samples: [Sample])]) async throws -> (Int, String) {
                try await client.remoteWrite(as: tenant, series)
            }
            // Labels over the limits: 400 naming the limit; the valid series of the request is stored.
            let (code, body) = try await push("small", [
                ([("__name__", "ok")], [Sample(1000, 1)]),
                ([("__name__", "m"), ("a", "1"), ("b", "2"), ("c", "3")], [Sample(1000, 1)]),
            ])
            #expect(code == 400)
            #expect(body.contains("err-mimir-max-label-names-per-series"), "\(body)")
            let (longCode, longBody) = try await push("small", [([("__name__", "v"), ("x", "123456789")], [Sample(1000, 1)])])
            #expect(longCode == 400 && longBody.contains("max_label_value_length: 8"), "\(longBody)")
            // The burst of 4 is spent (3 samples so far + this one; refused series count too), then 429.
            #expect(try await push("small", [([("__name__", "ok")], [Sample(2000, 1)])]).0 == 204)
            let (rateCode, rateBody) = try await push("small", [([("__name__", "ok")], [Sample(3000, 1)])])
            #expect(rateCode == 429)
            #expect(rateBody.contains("ingestion_rate"), "\(rateBody)")
            // The other tenant is not held back.
            #expect(try await push("big", [([("__name__", "ok"), ("a", "1"), ("b", "2"), ("c", "3")], (0..<100).map { Sample(Int64($0), 1) })]).0 == 204)
            let ok = try await client.execute(
                uri: "/api/v1/query?query=ok&time=2", method: .get, headers: [HTTPField.Name("X-Scope-OrgID")!: "small"]
            ) { String(buffer: $0.body) }
            #expect(ok.contains(#""value":[2,"1"]"#), "\(ok)")
            // The caller's usage against its limits.
            let status = try await client.execute(
                uri: "/api/v1/status/tenant", method: .get, headers: [HTTPField.Name("X-Scope-OrgID")!: "small"]
            ) { String(buffer: $0.body) }
            let json = try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any]
            let data = json?["data"] as? [String: Any]
            #expect(data?["tenant"] as? String == "small")
            #expect((data?["limits"] as? [String: Any])?["ingestion_burst_size"] as? Int == 4)
            let usage = data?["usage"] as? [String: Any]
            #expect(usage?["active_series"] as? Int == 1)
            #expect(usage?["samples_ingested_total"] as? Int == 2)
            #expect(usage?["requests_rejected_total"] as? Int == 3)
            #expect(usage?["samples_discarded_total"] as? [String: Int] == ["per_series_limit": 2, "rate_limited": 1])
        }
    }

    @Test func seriesAndQueryLimitsArePerTenant() async throws {
        try await withTenants(
            """
                trust_org_id_header: true
                tenants:
                  - id: small
                    limits: {max_global_series_per_user: 3, max_global_series_per_metric: 2, max_fetched_series_per_query: 2, retention_period: 1d}
                  - id: big
                """
        ) { client, databases in
            func push(_ tenant: String, _ series: [(labels: [(String, String)], samples: [Sample])]) async throws -> (Int, String) {
                try await client.remoteWrite(as: tenant, series)
            }
            func get(_ tenant: String, _ uri: String) async throws -> (Int, String) {
                try await client.execute(uri: uri, method: .get, headers: [HTTPField.Name("X-Scope-OrgID")!: tenant]) {
                    (Int($0.status.code), String(buffer: $0.body))
                }
            }
            // retention_period holds the tenant's blocks; the other keeps the server's retention.
            #expect(databases[0].retentionMs == Int64(86_400_000))
            #expect(databases[1].retentionMs == DBOptions().retentionMs)
            let samples = [Sample(1000, 1), Sample(2000, 2)]
            // Three series of one metric: the third is over the per-metric limit of 2.
            let (code, body) = try await push("small", (0..<3).map { ([("__name__", "m"), ("i", "\($0)")], samples) })
            #expect(code == 400)
            #expect(body.contains("err-mimir-max-series-per-metric") && body.contains("max_global_series_per_metric"), "\(body)")
            #expect(databases[0].head.numSeries == 2)
            // Existing series keep taking samples; a new metric fits the per-user limit of 3 once.
            #expect(try await push("small", [([("__name__", "m"), ("i", "0")], [Sample(3000, 3)]), ([("__name__", "n")], samples)]).0 == 204)
            let (userCode, userBody) = try await push("small", [([("__name__", "o")], samples)])
            #expect(userCode == 400)
            #expect(userBody.contains("per-user series limit of 3 exceeded (err-mimir-max-series-per-user)"), "\(userBody)")
            #expect(databases[0].head.numSeries == 3)
            // The other tenant creates series freely.
            #expect(try await push("big", (0..<10).map { ([("__name__", "m"), ("i", "\($0)")], samples) }).0 == 204)
            #expect(databases[1].head.numSeries == 10)
            // Queries: at most 2 series fetched for "small" (422, Mimir's error); "big" is not limited.
            #expect(try await get("small", "/api/v1/query?query=m&time=3").0 == 200)
            let (queryCode, queryBody) = try await get("small", "/api/v1/query?query=m%2Bon()%20group_left%20n&time=3")
            #expect(queryCode == 422)
            #expect(queryBody.contains("err-mimir-max-series-per-query"), "\(queryBody)")
            #expect(try await get("big", "/api/v1/query?query=count(m)&time=3").1.contains(#""10"]"#))
            // Usage: refused samples by reason, samples the queries read.
            let status = try await get("small", "/api/v1/status/tenant").1
            let usage = (try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any])
                .flatMap { $0["data"] as? [String: Any] }.flatMap { $0["usage"] as? [String: Any] }
            let discarded = usage?["samples_discarded_total"] as? [String: Int]
            #expect(discarded?["per_metric_series_limit"] == 2)
            #expect(discarded?["per_user_series_limit"] == 2)
            // One sample per series of `m` by each query: the refused one read `m` before `n` failed it.
            #expect(usage?["query_samples_processed_total"] as? Int == 4, "\(status)")
        }
    }

    @Test func otlpIsHeldToTheTenantsLimits() async throws {
        try await withTenants(
            """
                trust_org_id_header: true
                tenants:
                  - id: slow
                    limits: {ingestion_rate: 0.001, ingestion_burst_size: 1}
                  - id: narrow
                    limits: {max_label_names_per_series: 2}
                  - id: free
                """
        ) { client, databases in
            // One gauge point with two attributes, plus job from the resource (too few resource attributes for target_info).
            func push(_ tenant: String) async throws -> (Int, String) {
                let json = """
                    {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},
                     "scopeMetrics":[{"metrics":[{"name":"depth","gauge":{"dataPoints":[{"asInt":"1","timeUnixNano":"1000000000",
                       "attributes":[{"key":"a","value":{"stringValue":"x"}},{"key":"b","value":{"stringValue":"y"}}]}]}}]}]}]}
                    """
                return try await client.execute(
                    uri: "/api/v1/otlp/v1/metrics", method: .post,
                    headers: [.contentType: "application/json", HTTPField.Name("X-Scope-OrgID")!: tenant],
                    body: ByteBuffer(string: json)
                ) { (Int($0.status.code), String(buffer: $0.body)) }
            }
            #expect(try await push("slow").0 == 200)
            let (rateCode, rateBody) = try await push("slow")
            #expect(rateCode == 429 && rateBody.contains("err-mimir-tenant-max-ingestion-rate"), "\(rateBody)")
            let (labelCode, labelBody) = try await push("narrow")
            #expect(labelCode == 400 && labelBody.contains("err-mimir-max-label-names-per-series"), "\(labelBody)")
            #expect(databases[1].head.numSeries == 0)
            #expect(try await push("free").0 == 200)
            #expect(databases[2].head.numSeries == 1)
        }
    }

    @Test func eachTenantSeesOnlyItsOwnData() async throws {
        try await withTemporaryDirectory { dir in
            let server = Server(options: ServerOptions(), logger: quietLogger)
            let (dispatcher, databases) = try server.makeTenants(
                Self.tenancy, storageURL: dir, dbOptions: DBOptions(), startTime: 0)
            defer { for db in databases { try? db.close() } }
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("tenants/team-a/wal").path))
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("tenants/team-b/wal").path))
            let app = Application(responder: dispatcher)
            try await app.test(.router) { client in
                func push(_ auth: [HTTPField.Name: String], _ value: Double) async throws -> Int {
                    var headers: HTTPFields = [.contentType: "application/x-protobuf", .contentEncoding: "snappy"]
                    for (name, v) in auth { headers[name] = v }
                    return try await client.execute(
                        uri: "/api/v1/write", method: .post, headers: headers,
                        body: remoteWriteBody([([("__name__", "shared_metric")], [Sample(1_000_000, value)])])
                    ) { Int($0.status.code) }
                }
                func query(_ auth: [HTTPField.Name: String]) async throws -> (Int, String) {
                    var headers: HTTPFields = [:]
                    for (name, v) in auth { headers[name] = v }
                    return try await client.execute(uri: "/api/v1/query?query=shared_metric&time=1000", method: .get, headers: headers) {
                        (Int($0.status.code), String(buffer: $0.body))
                    }
                }
                let orgID = HTTPField.Name("X-Scope-OrgID")!
                #expect(try await push([.authorization: "Bearer token-a"], 1) == 204)
                #expect(try await push([.authorization: "Basic Ym9iOnB3"], 2) == 204)
                #expect(try await push([.authorization: "Bearer wrong"], 3) == 401)
                #expect(try await push([:], 4) == 401)
                let a = try await query([.authorization: "Bearer token-a"])
                #expect(a.0 == 200 && a.1.contains(#""value":[1000,"1"]"#) && !a.1.contains(#""2"]"#))
                let b = try await query([orgID: "team-b"])  // trusted gateway header
                #expect(b.0 == 200 && b.1.contains(#""value":[1000,"2"]"#) && !b.1.contains(#""1"]"#))
                // Unknown tenant, bad or missing credentials: the same 401.
                for auth in [[orgID: "team-c"], [.authorization: "Basic Ym9iOnd4"], [:]] as [[HTTPField.Name: String]] {
                    let (code, body) = try await query(auth)
                    #expect(code == 401)
                    #expect(body == "unauthorized\n")
                }
                // Health needs no credentials.
                #expect(try await client.execute(uri: "/-/healthy", method: .get) { $0.status.code } == 200)
            }
        }
    }
}
