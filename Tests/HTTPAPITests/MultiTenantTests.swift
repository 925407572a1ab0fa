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
        try await withTemporaryDirectory { dir in
            let tenancy = try TenancyConfig.load(
                yaml: """
                    trust_org_id_header: true
                    tenants:
                      - id: small
                        limits: {ingestion_rate: 0.001, ingestion_burst_size: 4, max_label_names_per_series: 3, max_label_value_length: 8}
                      - id: big
                    """)
            let server = Server(options: ServerOptions(), logger: quietLogger)
            let (dispatcher, databases) = try server.makeTenants(tenancy, storageURL: dir, dbOptions: DBOptions(), startTime: 0)
            defer { for db in databases { try? db.close() } }
            try await Application(responder: dispatcher).test(.router) { client in
                func push(_ tenant: String, _ series: [(labels: [(String, String)], samples: [Sample])]) async throws -> (Int, String) {
                    try await client.execute(
                        uri: "/api/v1/write", method: .post,
                        headers: [.contentType: "application/x-protobuf", .contentEncoding: "snappy", HTTPField.Name("X-Scope-OrgID")!: tenant],
                        body: remoteWriteBody(series)
                    ) { (Int($0.status.code), String(buffer: $0.body)) }
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
                let usage = data?["usage"] as? [String: Int]
                #expect(usage?["active_series"] == 1)
                #expect(usage?["samples_ingested_total"] == 2)
                #expect(usage?["requests_rejected_total"] == 3)
            }
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
