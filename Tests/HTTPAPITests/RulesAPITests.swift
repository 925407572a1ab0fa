// /api/v1/rules and /api/v1/alerts with no rules loaded: Prometheus's empty answers, and its
// parameter errors in its order and words (web/api/v1/api.go `rules`).

import Foundation
import HTTPAPI
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
}
