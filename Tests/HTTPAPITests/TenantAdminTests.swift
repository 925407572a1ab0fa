// The tenant admin API: tenants created, changed, rotated and deleted while the server runs, each
// change saved to the tenants file (which loads back equal) and in effect at once; only the
// admin token reaches it, and it reaches nothing else.

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

@Suite struct TenantAdminTests {
    static func digest(_ secret: String) -> String { SHA256.hex(Array(secret.utf8)) }

    static let tenantsFile = """
        admin_token_sha256: \(digest("admin"))
        defaults: {max_label_names_per_series: 20}
        tenants:
          - id: team-a
            bearer_token_sha256: [\(digest("token-a"))]
          - id: team-b
            basic_auth: [{username: bob, password_sha256: \(digest("pw"))}]
        """

    /// A registry over the tenants of `yaml`, saved to `<dir>/conf/tenants.yml` (or, when
    /// `unwritable`, to a file in a directory that does not exist), behind a dispatcher; every
    /// database closed at the end.
    func withAdminAPI(
        yaml: String = Self.tenantsFile, unwritable: Bool = false,
        _ body: @Sendable (AdminClient, TenantRegistry, URL) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent(unwritable ? "missing/tenants.yml" : "conf/tenants.yml").path
            if !unwritable {
                try FileManager.default.createDirectory(at: dir.appendingPathComponent("conf"), withIntermediateDirectories: true)
                try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
            }
            let server = Server(options: ServerOptions(), logger: quietLogger)
            let registry = try server.makeTenantRegistry(
                try TenancyConfig.load(yaml: yaml), file: path, storageURL: dir, dbOptions: DBOptions(), startTime: 0)
            do {
                try await Application(responder: TenantDispatcher(registry: registry)).test(.router) { client in
                    try await body(AdminClient(client: client, file: path), registry, dir)
                }
            } catch {
                try? await registry.close()
                throw error
            }
            try await registry.close()
        }
    }

    @Test func createdTenantServesItsOwnDataAtOnce() async throws {
        try await withAdminAPI { admin, registry, dir in
            let created = try await admin.call(.post, "", body: """
                {"id": "team-c", "bearer_token_sha256": ["\(Self.digest("token-c"))"],
                 "basic_auth": [{"username": "carol", "password_sha256": "\(Self.digest("pw-c"))"}],
                 "limits": {"ingestion_rate": 500, "query_timeout": "1m"}}
                """)
            #expect(created.status == 200, "\(created.text)")
            let data = created.json["data"] as? [String: Any]
            #expect(data?["id"] as? String == "team-c")
            #expect(data?["bearer_tokens"] as? Int == 1 && data?["basic_auth_users"] as? Int == 1)
            let limits = data?["limits"] as? [String: Any]
            #expect(limits?["ingestion_rate"] as? Int == 500 && limits?["query_timeout"] as? String == "1m")
            #expect(limits?["max_label_names_per_series"] as? Int == 20)  // from the file's defaults
            #expect(!created.text.contains(Self.digest("token-c")) && !created.text.contains(Self.digest("pw-c")))
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("tenants/team-c/wal").path))

            #expect(try await admin.push("Bearer token-c", value: 7) == 204)
            #expect(try await admin.query("Bearer token-c").contains(#""value":[1000,"7"]"#))
            #expect(try await admin.query("Basic \(Base64.encode(Array("carol:pw-c".utf8)))").contains(#""7"]"#))
            #expect(!(try await admin.query("Bearer token-a").contains(#""7"]"#)))  // another tenant's database

            let list = try await admin.call(.get, "")
            #expect((list.json["data"] as? [[String: Any]])?.map { $0["id"] as? String } == ["team-a", "team-b", "team-c"])
            #expect(try await admin.call(.post, "", body: #"{"id": "team-c"}"#).status == 409)
            try admin.expectFileMatches(registry)
            #expect(registry.databases.count == 3)
        }
    }

    @Test func rotationReplacesCredentialsAtOnce() async throws {
        try await withAdminAPI { admin, registry, _ in
            #expect(try await admin.push("Bearer token-a", value: 1) == 204)
            let rotated = try await admin.call(
                .post, "/team-a/rotate", body: #"{"bearer_token_sha256": ["\#(Self.digest("token-a2"))", "\#(Self.digest("token-a3"))"]}"#)
            #expect(rotated.status == 200, "\(rotated.text)")
            #expect((rotated.json["data"] as? [String: Any])?["bearer_tokens"] as? Int == 2)
            #expect(try await admin.push("Bearer token-a", value: 2) == 401)
            #expect(try await admin.push("Bearer token-a2", value: 3) == 204)
            #expect(try await admin.query("Bearer token-a3").contains(#""value":[1000,"3"]"#))  // same database
            // Basic auth through PUT; the bearer tokens are kept.
            let put = try await admin.call(
                .put, "/team-b", body: #"{"basic_auth": [{"username": "bo\"b", "password_sha256": "\#(Self.digest("new"))"}]}"#)
            #expect(put.status == 200, "\(put.text)")
            #expect(try await admin.push("Basic \(Base64.encode(Array("bob:pw".utf8)))", value: 4) == 401)
            #expect(try await admin.push("Basic \(Base64.encode(Array("bo\"b:new".utf8)))", value: 5) == 204)
            #expect(try await admin.push("Bearer token-a2", value: 6) == 204)
            try admin.expectFileMatches(registry)
        }
    }

    @Test func newLimitsTakeEffectAtOnce() async throws {
        try await withAdminAPI { admin, registry, _ in
            let labels = (0..<5).map { ("l\($0)", "v") }
            #expect(try await admin.push("Bearer token-a", value: 1, labels: labels) == 204)
            let put = try await admin.call(.put, "/team-a", body: #"{"limits": {"max_label_names_per_series": 3, "ingestion_burst_size": 4}}"#)
            #expect(put.status == 200, "\(put.text)")
            let limits = (put.json["data"] as? [String: Any])?["limits"] as? [String: Any]
            #expect(limits?["max_label_names_per_series"] as? Int == 3 && limits?["ingestion_burst_size"] as? Int == 4)
            #expect(try await admin.push("Bearer token-a", value: 2, labels: labels) == 400)
            #expect(try await admin.push("Bearer token-a", value: 3) == 204)  // credentials kept, same database
            #expect(try await admin.query("Bearer token-a").contains(#""value":[1000,"3"]"#))
            // `limits` replaces the overrides: what it does not name falls back to the defaults.
            #expect(try await admin.call(.put, "/team-a", body: #"{"limits": {}}"#).status == 200)
            #expect(try await admin.push("Bearer token-a", value: 4, labels: labels) == 204)
            let shown = try await admin.call(.get, "/team-a")
            #expect(((shown.json["data"] as? [String: Any])?["limits"] as? [String: Any])?["max_label_names_per_series"] as? Int == 20)
            try admin.expectFileMatches(registry)
        }
    }

    @Test func usageOutlivesLimitChangesAndShowsOnMetrics() async throws {
        try await withAdminAPI { admin, _, _ in
            let labels = (0..<5).map { ("l\($0)", "v") }
            #expect(try await admin.push("Bearer token-a", value: 1) == 204)
            #expect(try await admin.call(.put, "/team-a", body: #"{"limits": {"max_label_names_per_series": 3}}"#).status == 200)
            #expect(try await admin.push("Bearer token-a", value: 2, labels: labels) == 400)
            let status = try await admin.client.execute(
                uri: "/api/v1/status/tenant", method: .get, headers: [.authorization: "Bearer token-a"]
            ) { String(buffer: $0.body) }
            #expect(status.contains(#""samples_ingested_total":1"#) && status.contains(#""requests_rejected_total":1"#), "\(status)")
            // The operator's /metrics needs no credentials and labels every family by tenant.
            let metrics = try await admin.client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains(#"sugarmill_tenant_samples_ingested_total{tenant="team-a"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"sugarmill_tenant_discarded_samples_total{tenant="team-a",reason="per_series_limit"} 1"#))
            #expect(metrics.contains(#"sugarmill_tenant_limits{tenant="team-a",limit="max_label_names_per_series"} 3"#))
            #expect(metrics.contains(#"sugarmill_tenant_active_series{tenant="team-b"} 0"#))
            #expect(metrics.contains("process_start_time_seconds"))
        }
    }

    @Test func deletedTenantIsLockedOutAndItsDataKept() async throws {
        try await withAdminAPI { admin, registry, dir in
            #expect(try await admin.push("Bearer token-a", value: 9) == 204)
            let held = try #require(registry.current.tenants["team-a"])  // as a request in flight holds it
            let deleted = try await admin.call(.delete, "/team-a")
            #expect(deleted.status == 200, "\(deleted.text)")
            #expect(deleted.text.contains("tenants/team-a/ under the storage path"), "\(deleted.text)")
            #expect(try await admin.push("Bearer token-a", value: 10) == 401)
            #expect(try await admin.query("Bearer token-a") == "unauthorized\n")
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("tenants/team-a/wal").path))
            // Closed cleanly: its lock let go of and the lock file deleted, so the id can come back.
            let lock = dir.appendingPathComponent("tenants/team-a/lock").path
            #expect(!FileManager.default.fileExists(atPath: lock))
            #expect(registry.databases.count == 1)
            try admin.expectFileMatches(registry)
            // A request that still holds the closed database gets an error, not a crash.
            try await Application(responder: held.responder).test(.router) { client async throws -> Void in
                let late = AdminClient(client: client, file: admin.file)
                #expect(try await late.push("", value: 11) == 500)
                #expect(try await late.query("").contains(#""status":"success""#))  // the head stays readable
            }

            #expect(try await admin.call(.delete, "/team-a").status == 404)
            let last = try await admin.call(.delete, "/team-b")
            #expect(last.status == 400 && last.text.contains("the last one"), "\(last.text)")
            // The same id again: its kept data is served again.
            let again = try await admin.call(.post, "", body: #"{"id": "team-a", "bearer_token_sha256": ["\#(Self.digest("token-z"))"]}"#)
            #expect(again.status == 200, "\(again.text)")
            #expect(try await admin.query("Bearer token-z").contains(#""value":[1000,"9"]"#))
            #expect(FileManager.default.fileExists(atPath: lock))
            #expect(registry.current.tenants["team-a"]?.db.cleanStart == .clean)
        }
    }

    @Test(arguments: [
        ("POST", "", #"{"id": "../x"}"#, "id: tenant id \"../x\" has a character"),
        ("POST", "", #"{"bearer_token_sha256": []}"#, "id must be a string"),
        ("POST", "", #"{"id": "c", "bearer_token_sha256": ["abc"]}"#, "bearer_token_sha256[0]: \"abc\" is not a SHA-256 digest"),
        ("POST", "", #"{"id": "c", "bearer_token_sha256": ["\#(digest("admin"))"]}"#, "bearer_token_sha256[0]: the digest is the admin token's"),
        ("POST", "", #"{"id": "c", "bearer_token_sha256": ["\#(digest("token-a"))"]}"#, "already a token of tenant \"team-a\""),
        ("POST", "", #"{"id": "c", "limits": {"ingestion_rate": -1}}"#, "limits.ingestion_rate must be ≥ 0"),
        ("POST", "", #"{"id": "c", "limits": {"query_timeout": "soon"}}"#, "limits.query_timeout must be a duration"),
        ("POST", "", #"{"id": "c", "limits": {"max_series": 1}}"#, "limits: unknown field \"max_series\""),
        ("POST", "", #"{"id": "c", "basic_auth": [{"username": "x"}]}"#, "basic_auth[0].password_sha256 must be a string"),
        ("POST", "", #"{"id": "c""#, "request body is not valid JSON"),
        ("POST", "", #"["c"]"#, "request body must be a JSON object"),
        ("POST", "", "", "request body must be a JSON object"),
        ("PUT", "/team-a", #"{"id": "team-z"}"#, "the body: unknown field \"id\""),
        ("PUT", "/team-a", #"{"limits": {"ingestion_burst_size": 1.5}}"#, "limits.ingestion_burst_size must be a whole number"),
        ("POST", "/team-a/rotate", "{}", "bearer_token_sha256 or basic_auth is required"),
        ("POST", "/team-a/rotate", #"{"limits": {}}"#, "the body: unknown field \"limits\""),
        ("POST", "/team-b/rotate", #"{"bearer_token_sha256": ["\#(digest("token-a"))"]}"#, "already a token of tenant \"team-a\""),
    ])
    func badBodiesNameTheField(method: String, path: String, body: String, message: String) async throws {
        try await withAdminAPI { admin, registry, _ in
            let before = try String(contentsOfFile: admin.file, encoding: .utf8)
            let reply = try await admin.call(HTTPRequest.Method(method)!, path, body: body)
            #expect(reply.status == 400, "\(reply.text)")
            #expect(reply.json["status"] as? String == "error" && reply.json["errorType"] as? String == "bad_data")
            let error = reply.json["error"] as? String ?? ""
            #expect(error.contains(message), "\(error)")
            #expect(try String(contentsOfFile: admin.file, encoding: .utf8) == before)
            #expect(registry.current.config == (try TenancyConfig.load(yaml: Self.tenantsFile)))
        }
    }

    @Test func unknownTenantsAndPathsAnswer404() async throws {
        try await withAdminAPI { admin, _, _ in
            for (method, path) in [(HTTPRequest.Method.get, "/team-z"), (.put, "/team-z"), (.delete, "/team-z"), (.post, "/team-z/rotate")] {
                let reply = try await admin.call(method, path, body: #"{"basic_auth": []}"#)
                #expect(reply.status == 404 && reply.json["errorType"] as? String == "not_found", "\(method) \(path): \(reply.text)")
            }
            #expect(try await admin.call(.get, "/team-a/other").status == 404)
            #expect(try await admin.call(.patch, "/team-a").status == 405)
        }
    }

    @Test func adminAPIIsAbsentWithoutAnAdminToken() async throws {
        let yaml = "tenants: [{id: team-a, bearer_token_sha256: [\(Self.digest("token-a"))]}]"
        try await withAdminAPI(yaml: yaml) { admin, _, _ in
            for auth in ["Bearer admin", "Bearer token-a", ""] {
                let reply = try await admin.call(.get, "", authorization: auth)
                #expect(reply.status == 404 && reply.text == "404 page not found\n", "\(auth): \(reply.text)")
            }
            #expect(try await admin.call(.post, "", body: #"{"id": "x"}"#).status == 404)
            #expect(try await admin.push("Bearer token-a", value: 1) == 204)
        }
    }

    @Test func adminAndTenantTokensDoNotCrossOver() async throws {
        let yaml = Self.tenantsFile.replacingOccurrences(of: "defaults:", with: "trust_org_id_header: true\ndefaults:")
        try await withAdminAPI(yaml: yaml) { admin, registry, _ in
            // Tenant credentials, none, or a wrong token on the admin API: the tenants' 401.
            for auth in ["Bearer token-a", "Basic \(Base64.encode(Array("bob:pw".utf8)))", "", "Bearer wrong", "Basic \(Base64.encode(Array("x:admin".utf8)))"] {
                for (method, path) in [(HTTPRequest.Method.get, ""), (.post, ""), (.delete, "/team-b"), (.get, "/team-a")] {
                    let reply = try await admin.call(method, path, body: #"{"id": "evil"}"#, authorization: auth)
                    #expect(reply.status == 401 && reply.text == "unauthorized\n", "\(auth) \(method) \(path): \(reply.text)")
                }
            }
            #expect(registry.current.config.tenants.count == 2)
            // The admin token on tenant endpoints, even naming a tenant by X-Scope-OrgID: 401.
            #expect(try await admin.push("Bearer admin", value: 1) == 401)
            #expect(try await admin.query("Bearer admin") == "unauthorized\n")
            #expect(try await admin.query("Bearer admin", orgID: "team-a") == "unauthorized\n")
            #expect(try await admin.query("", orgID: "team-a").contains(#""status":"success""#))
        }
    }

    @Test func failedSaveChangesNothing() async throws {
        // The file's directory does not exist: every save fails.
        try await withAdminAPI(unwritable: true) { admin, registry, dir in
            let before = registry.current.config
            let created = try await admin.call(.post, "", body: #"{"id": "team-c", "bearer_token_sha256": ["\#(Self.digest("token-c"))"]}"#)
            #expect(created.status == 500 && created.json["errorType"] as? String == "internal", "\(created.text)")
            #expect((created.json["error"] as? String)?.contains("saving the tenants file failed") == true)
            #expect(try await admin.push("Bearer token-c", value: 1) == 401)
            let rotated = try await admin.call(.post, "/team-a/rotate", body: #"{"bearer_token_sha256": []}"#)
            #expect(rotated.status == 500)
            #expect(try await admin.push("Bearer token-a", value: 2) == 204)
            #expect(try await admin.call(.delete, "/team-b").status == 500)
            #expect(try await admin.query("Basic \(Base64.encode(Array("bob:pw".utf8)))").contains(#""status":"success""#))
            #expect(registry.current.config == before)
            #expect(registry.databases.count == 2)
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("missing").path))
        }
    }

    @Test func runtimeTenantsWakeCompactionAndCloseAtShutdown() async throws {
        try await withAdminAPI { admin, registry, _ in
            #expect(try await admin.call(.post, "", body: #"{"id": "team-c", "bearer_token_sha256": ["\#(Self.digest("token-c"))"]}"#).status == 200)
            let db = try #require(registry.current.tenants["team-c"]?.db)
            #expect(registry.databases.contains { $0 === db })
            // A head spanning more than 1.5 block ranges (3 h of the default 2 h) is compactable.
            let series: [(labels: [(String, String)], samples: [Sample])] = [([("__name__", "m")], [Sample(0, 1), Sample(4 * 3_600_000, 2)])]
            #expect(try await admin.push("Bearer token-c", body: series) == 204)
            #expect(try await Self.firstElement(of: registry.compactionWakeups.stream, within: .seconds(10)))

            // Shutdown closes the databases the admin API opened too, and stops changes.
            try await registry.close()
            #expect(try await admin.push("Bearer token-c", body: [([("__name__", "m")], [Sample(4 * 3_600_000 + 1000, 3)])]) == 500)
            let refused = try await admin.call(.post, "", body: #"{"id": "team-d"}"#)
            #expect(refused.status == 500 && refused.json["errorType"] as? String == "unavailable", "\(refused.text)")
        }
    }
}

extension TenantAdminTests {
    /// Whether `stream` yields before `deadline` passes.
    static func firstElement(of stream: AsyncStream<Void>, within deadline: Duration) async throws -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                return await iterator.next() != nil
            }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}

/// Requests to the admin API (with the admin token unless told otherwise) and to tenant endpoints.
struct AdminClient: Sendable {
    let client: any TestClientProtocol
    /// The tenants file the registry saves to.
    let file: String

    struct Reply {
        var status: Int
        var text: String
        var json: [String: Any]
    }

    func call(_ method: HTTPRequest.Method, _ path: String, body: String = "", authorization: String = "Bearer admin") async throws -> Reply {
        var headers: HTTPFields = [.contentType: "application/json"]
        if !authorization.isEmpty { headers[.authorization] = authorization }
        return try await client.execute(
            uri: "/api/v1/admin/tenants" + path, method: method, headers: headers, body: ByteBuffer(string: body)
        ) { response in
            let text = String(buffer: response.body)
            let json = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return Reply(status: Int(response.status.code), text: text, json: json)
        }
    }

    /// Remote-writes `m{labels…, n="<value>"} value` at t=1000 s (a new series for each value);
    /// returns the status code.
    func push(_ authorization: String, value: Double, labels: [(String, String)] = []) async throws -> Int {
        try await push(authorization, body: [([("__name__", "m")] + labels + [("n", "\(value)")], [Sample(1_000_000, value)])])
    }

    func push(_ authorization: String, body: [(labels: [(String, String)], samples: [Sample])]) async throws -> Int {
        var headers: HTTPFields = [.contentType: "application/x-protobuf", .contentEncoding: "snappy"]
        if !authorization.isEmpty { headers[.authorization] = authorization }
        return try await client.execute(uri: "/api/v1/write", method: .post, headers: headers, body: remoteWriteBody(body)) {
            Int($0.status.code)
        }
    }

    /// `max(m)` at t=1000 s, as the body text.
    func query(_ authorization: String, orgID: String? = nil) async throws -> String {
        var headers: HTTPFields = [:]
        if !authorization.isEmpty { headers[.authorization] = authorization }
        if let orgID { headers[HTTPField.Name("X-Scope-OrgID")!] = orgID }
        return try await client.execute(uri: "/api/v1/query?query=max(m)&time=1000", method: .get, headers: headers) {
            String(buffer: $0.body)
        }
    }

    /// The tenants file, loaded again, is the registry's config.
    func expectFileMatches(_ registry: TenantRegistry, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(try TenancyConfig.load(yaml: text) == registry.current.config, "\(text)", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: file + ".tmp"), sourceLocation: sourceLocation)
    }
}
