// Per-tenant rule groups in multi-tenant mode: Mimir's ruler configuration API (and Cortex's
// paths), groups kept in `<data>/tenants/<id>/rules/` across restarts, evaluated against the
// tenant's own data only, held to the tenant's ruler limits.

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

/// A tenant's client of the ruler API and of its own query API.
struct RulerClient: Sendable {
    let client: any TestClientProtocol

    struct Reply {
        var status: Int
        var text: String
        var contentType: String?
    }

    func call(_ method: HTTPRequest.Method, _ uri: String, as tenant: String, body: String? = nil) async throws -> Reply {
        var headers: HTTPFields = [HTTPField.Name("X-Scope-OrgID")!: tenant]
        if body != nil { headers[.contentType] = "application/yaml" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) {
            Reply(status: Int($0.status.code), text: String(buffer: $0.body), contentType: $0.headers[.contentType])
        }
    }

    /// Uploads a group to `namespace` (percent-encoded by the caller) at Mimir's path.
    func setGroup(_ namespace: String, _ body: String, as tenant: String) async throws -> Reply {
        try await call(.post, "/prometheus/config/v1/rules/\(namespace)", as: tenant, body: body)
    }

    /// Remote-writes samples of one series as `tenant`.
    func push(_ labels: [(String, String)], _ samples: [Sample], as tenant: String) async throws -> Int {
        try await client.execute(
            uri: "/api/v1/write", method: .post,
            headers: [.contentType: "application/x-protobuf", .contentEncoding: "snappy", HTTPField.Name("X-Scope-OrgID")!: tenant],
            body: remoteWriteBody([(labels, samples)])
        ) { Int($0.status.code) }
    }

    /// The JSON `data` of a GET of `uri` as `tenant`.
    func data(_ uri: String, as tenant: String) async throws -> [String: Any] {
        let reply = try await call(.get, uri, as: tenant)
        let json = try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any]
        return json?["data"] as? [String: Any] ?? [:]
    }

    /// An instant query's vector as (labels, value) pairs.
    func query(_ query: String, at seconds: Int, as tenant: String) async throws -> [([String: String], String)] {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        let result = try await data("/api/v1/query?query=\(encoded)&time=\(seconds)", as: tenant)["result"] as? [[String: Any]] ?? []
        return result.map { (($0["metric"] as? [String: String]) ?? [:], (($0["value"] as? [Any])?.last as? String) ?? "") }
    }
}

@Suite struct TenantRulerTests {
    static let tenants = """
        trust_org_id_header: true
        tenants:
          - id: team-a
          - id: team-b
          - id: small
            limits: {ruler_max_rule_groups_per_tenant: 2, ruler_max_rules_per_rule_group: 2}
        """

    /// Serves the tenants of `yaml` over `dir` (a temporary directory when nil) and closes
    /// them (rules stopped first) at the end.
    func withRuler(
        _ yaml: String = Self.tenants, dir: URL? = nil, _ body: @Sendable (RulerClient, TenantRegistry, URL) async throws -> Void
    ) async throws {
        func run(_ dir: URL) async throws {
            let server = Server(options: ServerOptions(), logger: quietLogger)
            let registry = try server.makeTenantRegistry(
                try TenancyConfig.load(yaml: yaml), file: nil, storageURL: dir, dbOptions: DBOptions(), startTime: 0)
            do {
                try await Application(responder: TenantDispatcher(registry: registry)).test(.router) { client in
                    try await body(RulerClient(client: client), registry, dir)
                }
            } catch {
                try? await registry.close()
                throw error
            }
            try await registry.close()
        }
        if let dir { try await run(dir) } else { try await withTemporaryDirectory { try await run($0) } }
    }

    static let recording = """
        name: sums
        interval: 1d
        rules:
          - record: m:sum
            expr: sum(m)
        """

    @Test func uploadListGetReplaceAndDelete() async throws {
        try await withRuler { ruler, _, dir in
            // A namespace with a slash, percent-encoded in the path; Cortex's path works alike.
            let created = try await ruler.setGroup("team%2Falerts", Self.recording, as: "team-a")
            #expect(created.status == 202, "\(created.text)")
            #expect(created.text == #"{"status":"success","data":null,"errorType":"","error":""}"#)
            let other = try await ruler.call(.post, "/api/v1/rules/other", as: "team-a", body: "name: up\nrules: [{alert: Down, expr: up == 0}]")
            #expect(other.status == 202, "\(other.text)")

            let all = try await ruler.call(.get, "/prometheus/config/v1/rules", as: "team-a")
            #expect(all.status == 200 && all.contentType == "application/yaml")
            #expect(
                all.text == """
                    other:
                      - name: up
                        rules:
                          - alert: Down
                            expr: "up == 0"
                    "team/alerts":
                      - name: sums
                        interval: 1d
                        rules:
                          - record: m:sum
                            expr: "sum(m)"

                    """)
            let namespace = try await ruler.call(.get, "/api/v1/rules/team%2Falerts", as: "team-a")
            #expect(namespace.status == 200 && namespace.text.hasPrefix("\"team/alerts\":\n  - name: sums\n"), "\(namespace.text)")
            #expect(!namespace.text.contains("other"))
            let group = try await ruler.call(.get, "/prometheus/config/v1/rules/team%2Falerts/sums", as: "team-a")
            #expect(group.status == 200 && group.contentType == "application/yaml")
            #expect(group.text == "name: sums\ninterval: 1d\nrules:\n  - record: m:sum\n    expr: \"sum(m)\"\n")

            // Kept as a Prometheus rule file named after the namespace, escaped.
            let file = dir.appendingPathComponent("tenants/team-a/rules/team%2Falerts.yml").path
            #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("groups:\n  - name: sums\n"))

            // In force at once: Prometheus's rules API lists the groups, the namespace as their file.
            let groups = try await ruler.data("/api/v1/rules", as: "team-a")["groups"] as? [[String: Any]] ?? []
            #expect(groups.map { "\($0["file"] ?? ""):\($0["name"] ?? "")" } == ["other:up", "team/alerts:sums"])
            #expect(groups.last?["interval"] as? Int == 86_400)

            // The same name replaces the group.
            let replaced = try await ruler.setGroup("team%2Falerts", Self.recording.replacingOccurrences(of: "sum(m)", with: "max(m)"), as: "team-a")
            #expect(replaced.status == 202)
            let after = try await ruler.call(.get, "/prometheus/config/v1/rules/team%2Falerts/sums", as: "team-a")
            #expect(after.text.contains("max(m)") && !after.text.contains("sum(m)"))
            #expect((try await ruler.data("/api/v1/rules", as: "team-a")["groups"] as? [Any])?.count == 2)

            // Deleting: a group, then a namespace; what is gone is 404 in Mimir's words.
            #expect(try await ruler.call(.delete, "/prometheus/config/v1/rules/team%2Falerts/sums", as: "team-a").status == 202)
            #expect(!FileManager.default.fileExists(atPath: file))
            let gone = try await ruler.call(.get, "/prometheus/config/v1/rules/team%2Falerts/sums", as: "team-a")
            #expect(gone.status == 404 && gone.text == "group does not exist\n")
            #expect(try await ruler.call(.delete, "/api/v1/rules/team%2Falerts/sums", as: "team-a").status == 404)
            #expect(try await ruler.call(.delete, "/api/v1/rules/other", as: "team-a").status == 202)
            let noNamespace = try await ruler.call(.delete, "/prometheus/config/v1/rules/other", as: "team-a")
            #expect(noNamespace.status == 404 && noNamespace.text == "group namespace does not exist\n")
            // Nothing left: `{}`, as Mimir answers for no groups (an unknown namespace too).
            #expect(try await ruler.call(.get, "/prometheus/config/v1/rules", as: "team-a").text == "{}\n")
            let unknown = try await ruler.call(.get, "/prometheus/config/v1/rules/nope", as: "team-a")
            #expect(unknown.status == 200 && unknown.text == "{}\n")
            #expect((try await ruler.data("/api/v1/rules", as: "team-a")["groups"] as? [Any])?.count == 0)

            // GET /api/v1/rules stays Prometheus's JSON API; other methods get 405.
            #expect(try await ruler.call(.get, "/api/v1/rules", as: "team-a").text.hasPrefix(#"{"status":"success""#))
            #expect(try await ruler.call(.put, "/prometheus/config/v1/rules/x", as: "team-a").status == 405)
        }
    }

    @Test func invalidGroupsAreRefusedWithTheReasonAndNothingChanges() async throws {
        try await withRuler { ruler, _, dir in
            func refused(_ body: String, _ namespace: String = "ns") async throws -> String {
                let reply = try await ruler.setGroup(namespace, body, as: "team-a")
                #expect(reply.status == 400, "\(reply.text)")
                return reply.text
            }
            #expect(
                try await refused("name: g\nrules:\n  - record: a\n    expr: sum(\n")
                    == "4:11: group \"g\", rule 1, \"a\": could not parse expression: 1:5: parse error: unclosed left parenthesis\n")
            #expect(
                try await refused("name: g\nbogus: 1\nrules: [{record: a, expr: up}]")
                    == "yaml: unmarshal errors:\n  line 2: field bogus not found in type rulefmt.RuleGroup\n")
            #expect(try await refused("name: g\nrules: []") == "invalid rules configuration: rule group 'g' has no rules\n")
            #expect(try await refused("") == "invalid rules configuration: rule group name must not be empty\n")
            // Several problems: each, joined as Mimir joins them.
            let several = try await refused("name: g\nrules:\n  - record: a\n    expr: up\n    for: 1m\n    labels: {__name__: x}\n")
            #expect(
                several == "3:13: group \"g\", rule 1, \"a\": invalid field 'for' in recording rule, "
                    + "group \"g\", rule 1, \"a\": invalid label name: __name__\n")
            // Alert templates are parsed as Prometheus parses them on load.
            let template = try await refused("name: g\nrules: [{alert: A, expr: up, annotations: {s: '{{ .Foo'}}]")
            #expect(template.contains("annotation \"s\": template: __alert_A:1: unclosed action"), "\(template)")
            // Namespaces whose file name would be too long, and bad escapes.
            #expect(try await refused("name: g\nrules: [{record: a, expr: up}]", String(repeating: "%C3%A9", count: 90)).contains("too long"))
            let escape = try await ruler.setGroup("a%zz", "name: g\nrules: [{record: a, expr: up}]", as: "team-a")
            #expect(escape.status == 400 && escape.text == "invalid URL escape \"%zz\"\n")

            #expect(try await ruler.call(.get, "/prometheus/config/v1/rules", as: "team-a").text == "{}\n")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("tenants/team-a/rules/ns.yml").path))
        }
    }

    @Test func groupsSurviveARestartAndEvaluateAgain() async throws {
        try await withTemporaryDirectory { dir in
            try await withRuler(dir: dir) { ruler, _, _ async throws in
                #expect(try await ruler.setGroup("ns", Self.recording, as: "team-a").status == 202)
                // Groups evaluate on their real-time schedule too: these record nothing now (no `m`
                // or `up` at the wall clock), so no sample at today's time makes the head refuse the
                // old one pushed below as out of bounds.
                #expect(try await ruler.setGroup("%2E..", "name: x\nrules: [{record: r, expr: up}]", as: "team-a").status == 202)
            }
            // A hand-written file that does not parse is skipped, not fatal; a stray file is ignored.
            let rules = dir.appendingPathComponent("tenants/team-b/rules")
            try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
            try Data("groups: [{name: g, rules: [{record: r, expr: 'sum('}]}]".utf8).write(to: rules.appendingPathComponent("bad.yml"))
            try Data("groups: [{name: g, rules: [{record: r, expr: up}]}]".utf8).write(to: rules.appendingPathComponent("ok.yml"))
            try Data("x".utf8).write(to: rules.appendingPathComponent("ok.yml.tmp"))

            try await withRuler(dir: dir) { ruler, registry, _ in
                let all = try await ruler.call(.get, "/prometheus/config/v1/rules", as: "team-a")
                #expect(all.text.hasPrefix("\"...\":\n  - name: x\n") && all.text.contains("ns:\n  - name: sums\n"), "\(all.text)")
                let groups = try await ruler.data("/api/v1/rules", as: "team-a")["groups"] as? [[String: Any]] ?? []
                #expect(groups.map { $0["name"] as? String } == ["x", "sums"])
                #expect(try await ruler.call(.get, "/prometheus/config/v1/rules", as: "team-b").text == "ok:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n")

                #expect(try await ruler.push([("__name__", "m")], [Sample(60_000, 5)], as: "team-a") == 204)
                let tenant = try #require(registry.current.tenants["team-a"])
                tenant.evaluateRules(at: 61_000)
                #expect(try await ruler.query("m:sum", at: 61, as: "team-a").map(\.1) == ["5"])
            }
        }
    }

    @Test func aTenantsRulesSeeOnlyItsDataAndOnlyItSeesThem() async throws {
        try await withRuler { ruler, registry, _ in
            #expect(try await ruler.setGroup("ns", Self.recording, as: "team-a").status == 202)
            #expect(try await ruler.push([("__name__", "m"), ("x", "a")], [Sample(60_000, 1)], as: "team-a") == 204)
            #expect(try await ruler.push([("__name__", "m"), ("x", "b")], [Sample(60_000, 100)], as: "team-b") == 204)
            for id in ["team-a", "team-b"] { try #require(registry.current.tenants[id]).evaluateRules(at: 61_000) }

            // Evaluated over team-a's data only; written to team-a's database only.
            #expect(try await ruler.query("m:sum", at: 61, as: "team-a").map(\.1) == ["1"])
            #expect(try await ruler.query("m:sum", at: 61, as: "team-b").isEmpty)
            // team-b sees none of team-a's groups, through either API.
            #expect(try await ruler.call(.get, "/prometheus/config/v1/rules", as: "team-b").text == "{}\n")
            #expect(try await ruler.call(.get, "/prometheus/config/v1/rules/ns/sums", as: "team-b").status == 404)
            #expect(try await ruler.call(.delete, "/prometheus/config/v1/rules/ns", as: "team-b").status == 404)
            #expect((try await ruler.data("/api/v1/rules", as: "team-b")["groups"] as? [Any])?.count == 0)
            // Without credentials: the dispatcher's 401, as for every tenant API.
            let anonymous = try await ruler.client.execute(uri: "/prometheus/config/v1/rules", method: .get) { Int($0.status.code) }
            #expect(anonymous == 401)
        }
    }

    @Test func evaluationWritesRecordedSeriesAndAlertsIntoTheTenantsDatabase() async throws {
        try await withRuler { ruler, registry, _ in
            let group = """
                name: g
                interval: 1d
                labels: {team: a}
                rules:
                  - record: m:doubled
                    expr: m * 2
                  - alert: High
                    expr: m:doubled > 5
                    labels: {severity: page}
                    annotations: {summary: "value {{ $value }}"}
                """
            #expect(try await ruler.setGroup("ns", group, as: "team-a").status == 202)
            #expect(try await ruler.push([("__name__", "m")], [Sample(60_000, 3)], as: "team-a") == 204)
            try #require(registry.current.tenants["team-a"]).evaluateRules(at: 61_000)

            let recorded = try await ruler.query("m:doubled", at: 61, as: "team-a")
            #expect(recorded.map(\.0) == [["__name__": "m:doubled", "team": "a"]] && recorded.map(\.1) == ["6"])
            let alerts = try await ruler.query("ALERTS", at: 61, as: "team-a")
            #expect(alerts.first?.0["alertname"] == "High" && alerts.first?.0["alertstate"] == "firing", "\(alerts)")
            let active = try await ruler.data("/api/v1/alerts", as: "team-a")["alerts"] as? [[String: Any]] ?? []
            #expect((active.first?["annotations"] as? [String: String])?["summary"] == "value 6")
            #expect((try await ruler.data("/api/v1/alerts", as: "team-b")["alerts"] as? [Any])?.count == 0)
            let rules = try await ruler.data("/api/v1/rules", as: "team-a")["groups"] as? [[String: Any]] ?? []
            #expect((rules.first?["rules"] as? [[String: Any]])?.map { $0["health"] as? String } == ["ok", "ok"])
        }
    }

    @Test func rulerLimitsArePerTenantUnderMimirsNames() async throws {
        #expect(TenantLimits().rulerMaxRuleGroupsPerTenant == 70 && TenantLimits().rulerMaxRulesPerRuleGroup == 20)
        try await withRuler { ruler, _, _ in
            func group(_ name: String, rules: Int) -> String {
                "name: \(name)\nrules:\n" + (0..<rules).map { "  - record: r\($0)\n    expr: up\n" }.joined()
            }
            let tooMany = try await ruler.setGroup("ns", group("g", rules: 3), as: "small")
            #expect(tooMany.status == 400 && tooMany.text == "per-user rules per rule group limit (limit: 2 actual: 3) exceeded\n")
            #expect(try await ruler.setGroup("ns", group("g1", rules: 2), as: "small").status == 202)
            #expect(try await ruler.setGroup("other", group("g2", rules: 1), as: "small").status == 202)
            let third = try await ruler.setGroup("ns", group("g3", rules: 1), as: "small")
            #expect(third.status == 400 && third.text == "per-user rule groups limit (limit: 2 actual: 3) exceeded\n")
            // Replacing a group at the limit is not one more.
            #expect(try await ruler.setGroup("other", group("g2", rules: 2), as: "small").status == 202)
            // Another tenant has the defaults.
            #expect(try await ruler.setGroup("ns", group("g", rules: 20), as: "team-a").status == 202)
            #expect(try await ruler.setGroup("ns", group("h", rules: 21), as: "team-a").status == 400)
        }
    }

    @Test func tenantsAddedAtRuntimeGetARulerAndDeletedOnesKeepTheirFiles() async throws {
        let yaml = Self.tenants + "\nadmin_token_sha256: \(SHA256.hex(Array("admin".utf8)))\n"
        try await withRuler(yaml) { ruler, registry, dir in
            func admin(_ method: HTTPRequest.Method, _ path: String, body: String = "") async throws -> Int {
                try await ruler.client.execute(
                    uri: "/api/v1/admin/tenants\(path)", method: method, headers: [.authorization: "Bearer admin"],
                    body: ByteBuffer(string: body)
                ) { Int($0.status.code) }
            }
            #expect(try await admin(.post, "", body: #"{"id": "team-c"}"#) == 200)
            #expect(try await ruler.setGroup("ns", Self.recording, as: "team-c").status == 202)
            #expect(try await ruler.push([("__name__", "m")], [Sample(60_000, 4)], as: "team-c") == 204)
            try #require(registry.current.tenants["team-c"]).evaluateRules(at: 61_000)
            #expect(try await ruler.query("m:sum", at: 61, as: "team-c").map(\.1) == ["4"])

            #expect(try await admin(.delete, "/team-c") == 200)
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("tenants/team-c/rules/ns.yml").path))
            // Created again over its directory: its groups are back.
            #expect(try await admin(.post, "", body: #"{"id": "team-c"}"#) == 200)
            #expect(try await ruler.call(.get, "/prometheus/config/v1/rules/ns/sums", as: "team-c").status == 200)
            // A change of limits rebuilds the tenant's API; its ruler and groups stay.
            #expect(try await admin(.put, "/team-c", body: #"{"limits": {"ruler_max_rule_groups_per_tenant": 1}}"#) == 200)
            #expect(try await ruler.call(.get, "/prometheus/config/v1/rules/ns/sums", as: "team-c").status == 200)
            let over = try await ruler.setGroup("ns", "name: more\nrules: [{record: r, expr: up}]", as: "team-c")
            #expect(over.status == 400 && over.text.contains("limit: 1 actual: 2"), "\(over.text)")
        }
    }

    @Test func singleTenantServersHaveNoRulerAPI() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ async throws in
                #expect(try await client.getText("/prometheus/config/v1/rules").0 == 404)
                #expect(try await client.getText("/api/v1/rules/ns").0 == 404)
                #expect(try await client.getText("/api/v1/rules").0 == 200)
            }
        }
    }
}
