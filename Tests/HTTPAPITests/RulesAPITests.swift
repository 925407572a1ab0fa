// /api/v1/rules and /api/v1/alerts: Prometheus's JSON for groups, rules and alerts, its filters
// and pagination; with no rules, its empty answers and its parameter errors in its order and
// words (web/api/v1/api.go `rules`).

import Foundation
import HTTPAPI
import MetricModel
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct RulesAPITests {
    static func badData(_ message: String) -> String {
        let escaped = message.replacingOccurrences(of: "\"", with: "\\\"")
        return #"{"status":"error","errorType":"bad_data","error":""# + escaped + #""}"#
    }

    @Test func emptyAnswers() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                for query in ["", "?type=alert", "?type=RECORD", "?exclude_alerts=true", "?group_limit=5",
                    "?match[]=up", "?rule_name[]=a&rule_group[]=b&file[]=c"]
                {
                    let (code, body) = try await client.getText("/api/v1/rules" + query)
                    #expect(code == 200, "\(query)")
                    #expect(body == #"{"status":"success","data":{"groups":[]}}"#, "\(query)")
                }
                let (code, body) = try await client.getText("/api/v1/alerts")
                #expect(code == 200)
                #expect(body == #"{"status":"success","data":{"alerts":[]}}"#)
                let (amCode, am) = try await client.getText("/api/v1/alertmanagers")
                #expect(amCode == 200)
                #expect(am == #"{"status":"success","data":{"activeAlertmanagers":[],"droppedAlertmanagers":[]}}"#)
            }
        }
    }

    @Test func badParametersAreBadData() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let cases: [(String, String)] = [
                    ("type=foo", #"invalid parameter "type": not supported value "foo""#),
                    ("exclude_alerts=Maybe", #"invalid parameter "exclude_alerts": error converting exclude_alerts: strconv.ParseBool: parsing "maybe": invalid syntax"#),
                    ("group_next_token=abc", #"invalid parameter "group_next_token": group_limit needs to be present in order to paginate over the groups"#),
                    ("group_limit=x", #"invalid parameter "group_limit": group_limit needs to be a valid number: strconv.ParseInt: parsing "x": invalid syntax"#),
                    ("group_limit=99999999999", #"invalid parameter "group_limit": group_limit needs to be a valid number: strconv.ParseInt: parsing "99999999999": value out of range"#),
                    ("group_limit=0", #"invalid parameter "group_limit": group_limit needs to be greater than 0"#),
                    ("group_limit=2&group_next_token=abc", #"invalid parameter "group_next_token": invalid group_next_token 'abc'. were rule groups changed?"#),
                    ("match[]=%7Bfoo%3D%22%22%7D", "match[] must contain at least one non-empty matcher"),
                    // The type is checked after match[].
                    ("type=foo&match[]=%7Bfoo%3D%22%22%7D", "match[] must contain at least one non-empty matcher"),
                ]
                for (query, message) in cases {
                    let (code, body) = try await client.getText("/api/v1/rules?" + query)
                    #expect(code == 400, "\(query)")
                    #expect(body == Self.badData(message), "\(query)")
                }
            }
        }
    }

    /// Two files, three groups: recording and alerting rules, one alert firing.
    struct FixedRules: RulesSource {
        func ruleGroups() -> [APIRuleGroup] {
            let alert = APIAlert(
                labels: Labels(["alertname": "Down", "instance": "a", "severity": "page"]),
                annotations: Labels(["summary": "a is down"]), state: "firing", activeAt: 1_700_000_000_000,
                keepFiringSince: nil, value: 0)
            let down = APIRule(
                name: "Down", query: "up == 0", labels: Labels(["severity": "page"]), health: "ok", lastError: nil,
                evaluationSeconds: 0.25, lastEvaluation: 1_700_000_060_500,
                alerting: APIRule.Alerting(
                    state: "firing", durationSeconds: 300, keepFiringForSeconds: 0,
                    annotations: Labels(["summary": "{{ $labels.instance }} is down"]), alerts: [alert]))
            let record = APIRule(
                name: "job:up:sum", query: "sum by (job) (up)", labels: .empty, health: "err",
                lastError: "out of order sample", evaluationSeconds: 0.5, lastEvaluation: nil, alerting: nil)
            return [
                APIRuleGroup(name: "a", file: "/r/one.yml", intervalSeconds: 60, limit: 0, evaluationSeconds: 1, lastEvaluation: nil, rules: [record, down]),
                APIRuleGroup(name: "b", file: "/r/one.yml", intervalSeconds: 15, limit: 3, evaluationSeconds: 0, lastEvaluation: nil, rules: [record]),
                APIRuleGroup(name: "c", file: "/r/two.yml", intervalSeconds: 30, limit: 0, evaluationSeconds: 0, lastEvaluation: nil, rules: [down]),
            ]
        }
    }

    static let recordJSON = #"{"name":"job:up:sum","query":"sum by (job) (up)","labels":{},"health":"err","lastError":"out of order sample","evaluationTime":0.5,"lastEvaluation":"0001-01-01T00:00:00Z","type":"recording"}"#
    static let alertJSON = #"{"labels":{"alertname":"Down","instance":"a","severity":"page"},"annotations":{"summary":"a is down"},"state":"firing","activeAt":"2023-11-14T22:13:20Z","value":"0e+00"}"#
    static let downJSON = #"{"state":"firing","name":"Down","query":"up == 0","duration":300,"keepFiringFor":0,"labels":{"severity":"page"},"annotations":{"summary":"{{ $labels.instance }} is down"},"alerts":["# + alertJSON + #"],"health":"ok","evaluationTime":0.25,"lastEvaluation":"2023-11-14T22:14:20.5Z","type":"alerting"}"#

    @Test("groups, rules and alerts in Prometheus's JSON; filters by type, name, group, file and match[]")
    func rulesAndFilters() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.rulesSource = FixedRules() }) { client, _ in
                let groupA = #"{"name":"a","file":"/r/one.yml","rules":["# + Self.recordJSON + "," + Self.downJSON + #"],"interval":60,"limit":0,"evaluationTime":1,"lastEvaluation":"0001-01-01T00:00:00Z"}"#
                let (code, body) = try await client.getText("/api/v1/rules?rule_group[]=a")
                #expect(code == 200)
                #expect(body == #"{"status":"success","data":{"groups":["# + groupA + "]}}")

                func groupNames(_ query: String) async throws -> [String] {
                    let (_, json) = try await client.getJSON("/api/v1/rules" + query)
                    let groups = (json["data"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
                    return groups.map { "\($0["name"] ?? "")/\(($0["rules"] as? [Any])?.count ?? 0)" }
                }
                #expect(try await groupNames("") == ["a/2", "b/1", "c/1"])
                #expect(try await groupNames("?type=alert") == ["a/1", "c/1"])
                #expect(try await groupNames("?type=record") == ["a/1", "b/1"])
                #expect(try await groupNames("?rule_name[]=Down") == ["a/1", "c/1"])
                #expect(try await groupNames("?file[]=/r/two.yml") == ["c/1"])
                #expect(try await groupNames("?match[]=%7Bseverity%3D%22page%22%7D") == ["a/1", "c/1"])
                #expect(try await groupNames("?group_limit=2") == ["a/2", "b/1"])

                let (_, excluded) = try await client.getText("/api/v1/rules?rule_group[]=c&exclude_alerts=true")
                #expect(excluded.contains(#""alerts":null"#))

                let (_, alerts) = try await client.getText("/api/v1/alerts")
                #expect(alerts == #"{"status":"success","data":{"alerts":["# + Self.alertJSON + "," + Self.alertJSON + "]}}")
            }
        }
    }

    @Test("pagination: group_limit gives groupNextToken, and the token gives the next page")
    func pagination() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.rulesSource = FixedRules() }) { client, _ in
                let (_, first) = try await client.getJSON("/api/v1/rules?group_limit=1")
                let data = try #require(first["data"] as? [String: Any])
                let token = try #require(data["groupNextToken"] as? String)
                #expect(token == SHA256.hex(Array("/r/one.yml;b".utf8)))
                let (_, second) = try await client.getJSON("/api/v1/rules?group_limit=2&group_next_token=" + token)
                let groups = ((second["data"] as? [String: Any])?["groups"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                #expect(groups == ["b", "c"])
                #expect((second["data"] as? [String: Any])?["groupNextToken"] == nil)
            }
        }
    }
}
