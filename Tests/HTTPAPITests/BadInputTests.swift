// Malformed parameters on every API endpoint: a 4xx in the JSON error envelope naming the
// parameter, Prometheus's wording, never a 500 and never HTML; Go's form-parsing rules.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct BadInputTests {
    static let cases: [(uri: String, error: String)] = [
        ("/api/v1/query?query=up&time=abc", #"invalid parameter "time": cannot parse "abc" to a valid timestamp"#),
        ("/api/v1/query?query=up&time=1e400", #"invalid parameter "time": cannot parse "1e400" to a valid timestamp"#),
        ("/api/v1/query?query=sum(", #"invalid parameter "query": 1:5: parse error: unclosed left parenthesis"#),
        ("/api/v1/query?query=up&timeout=abc", #"invalid parameter "timeout": cannot parse "abc" to a valid duration"#),
        ("/api/v1/query?query=up&lookback_delta=-5m", #"error parsing lookback delta duration: cannot parse "-5m" to a valid duration"#),
        ("/api/v1/query?query=up&limit=abc", #"invalid parameter "limit": strconv.Atoi: parsing "abc": invalid syntax"#),
        ("/api/v1/query?query=up&limit=-1", #"invalid parameter "limit": limit must be non-negative"#),
        ("/api/v1/query?query=up&limit=99999999999999999999", #"invalid parameter "limit": strconv.Atoi: parsing "99999999999999999999": value out of range"#),
        // Go drops a pair with a bad escape: the query is then missing.
        ("/api/v1/query?query=up%zz", #"invalid parameter "query": unknown position: parse error: no expression found in input"#),
        ("/api/v1/query_range?query=up&start=1&end=2&step=1e400", #"invalid parameter "step": cannot parse "1e400" to a valid duration"#),
        ("/api/v1/query_range?query=up&start=1&end=2&step=-1", #"invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer"#),
        ("/api/v1/query_range?query=up&start=1&end=2", #"invalid parameter "step": cannot parse "" to a valid duration"#),
        ("/api/v1/query_range?query=up&end=2&step=1", #"invalid parameter "start": cannot parse "" to a valid timestamp"#),
        ("/api/v1/series", "no match[] parameter provided"),
        ("/api/v1/series?match[]=up&x=%zz", #"error parsing form values: invalid URL escape "%zz""#),
        ("/api/v1/series?match[]=up&x=%2", #"error parsing form values: invalid URL escape "%2""#),
        ("/api/v1/series?match[]=%7B%7D", "match[] must contain at least one non-empty matcher"),
        ("/api/v1/series?match[]=up&limit=x", #"invalid parameter "limit": strconv.Atoi: parsing "x": invalid syntax"#),
        ("/api/v1/series?match[]=up&start=x", #"invalid parameter "start": cannot parse "x" to a valid timestamp"#),
        ("/api/v1/labels?match[]=up%7B", #"invalid parameter "match[]": 1:4: parse error: unexpected end of input inside braces"#),
        ("/api/v1/label/job/values?end=x", #"invalid parameter "end": cannot parse "x" to a valid timestamp"#),
        ("/api/v1/metadata?limit=x", "limit must be a number"),
        ("/api/v1/metadata?limit_per_metric=x", "limit_per_metric must be a number"),
        ("/api/v1/targets/metadata?limit=x", "limit must be a number"),
        ("/api/v1/rules?type=x", #"invalid parameter "type": not supported value "x""#),
        ("/api/v1/rules?type=alert&x=%zz", #"error parsing form values: invalid URL escape "%zz""#),
        ("/api/v1/status/tsdb?limit=0", "limit must be a positive number"),
        ("/api/v1/query_exemplars?query=up&end=x", #"invalid parameter "end": invalid time value for 'end': cannot parse "x" to a valid timestamp"#),
        ("/api/v1/format_query?query=a+b", #"invalid parameter "query": 1:3: parse error: unexpected identifier "b""#),
        ("/api/v1/parse_query?query=%22", #"invalid parameter "query": 1:1: parse error: unterminated quoted string"#),
    ]

    @Test func everyMalformedParameterIsA400InTheEnvelope() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                for (uri, message) in Self.cases {
                    let (code, body) = try await client.getText(uri)
                    #expect(code == 400, "\(uri)")
                    let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
                    #expect(json?["status"] as? String == "error", "\(uri): \(body)")
                    #expect(json?["errorType"] as? String == "bad_data", "\(uri)")
                    #expect(json?["error"] as? String == message, "\(uri)")
                }
            }
        }
    }

    @Test func formBodiesFollowTheSameRules() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (code, body) = try await client.postForm("/api/v1/series", "match%5B%5D=up&bad=%zz")
                #expect(code == 400)
                #expect(body.contains(#"error parsing form values: invalid URL escape \"%zz\""#), "\(body)")
                // `;` is not a separator in Go 1.17+: the pair is dropped.
                let (semicolon, _) = try await client.postForm("/api/v1/query", "query=1;x=2&time=1")
                #expect(semicolon == 400)
                // Endpoints that read values without Go's ParseForm ignore the dropped pair.
                let (labels, labelsBody) = try await client.postForm("/api/v1/labels", "bad=%zz")
                #expect(labels == 200)
                #expect(labelsBody == #"{"status":"success","data":[]}"#)
            }
        }
    }
}
