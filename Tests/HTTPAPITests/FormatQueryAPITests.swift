// /api/v1/format_query and /api/v1/parse_query: exact JSON, GET and POST, parse errors as
// Prometheus words them (web/api/v1/api_test.go, translate_ast_test.go).

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct FormatQueryAPITests {
    @Test func formatsShortQueryOnOneLine() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                // api_test.go: `foo+bar` → `foo + bar`.
                let (code, body) = try await client.getText("/api/v1/format_query?query=foo%2Bbar")
                #expect(code == 200)
                #expect(body == #"{"status":"success","data":"foo + bar"}"#)
                // Go's JSON encoder escapes `<`, `>` and `&`.
                let (_, compared) = try await client.getText("/api/v1/format_query?query=a%3Eb")
                #expect(compared == #"{"status":"success","data":"a \u003e b"}"#)
            }
        }
    }

    @Test func splitsQueryLongerThan100Bytes() async throws {
        let query =
            #"sum by (job) (rate(http_requests_total{job="api-server",handler="/api/v1/query"}[5m])) / sum by (job) (rate(http_requests_total{job="api-server"}[5m]))"#
        let expected =
            #"{"status":"success","data":"  sum by (job) (rate(http_requests_total{handler=\"/api/v1/query\",job=\"api-server\"}[5m]))\n/\n  sum by (job) (rate(http_requests_total{job=\"api-server\"}[5m]))"}"#
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let (code, body) = try await client.getText("/api/v1/format_query?query=\(encoded)")
                #expect(code == 200)
                #expect(body == expected)
                let (postCode, postBody) = try await client.postForm("/api/v1/format_query", "query=\(encoded)")
                #expect(postCode == 200)
                #expect(postBody == expected)
            }
        }
    }

    @Test func parseErrorsAreBadData() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                for path in ["/api/v1/format_query", "/api/v1/parse_query"] {
                    let (code, body) = try await client.getText(path + "?query=invalid_expression%2F")
                    #expect(code == 400)
                    #expect(
                        body
                            == #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:20: parse error: unexpected end of input"}"#
                    )
                    let (missingCode, missing) = try await client.postForm(path, "")
                    #expect(missingCode == 400)
                    #expect(
                        missing
                            == #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": unknown position: parse error: no expression found in input"}"#
                    )
                }
            }
        }
    }

    @Test func parseQueryAnswersTheSyntaxTree() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (code, body) = try await client.getText(
                    "/api/v1/parse_query?query=sum%20by%20(job)%20(rate(foo%7Ba%3D%22b%22%7D%5B5m%5D))")
                #expect(code == 200)
                #expect(
                    body
                        == #"{"status":"success","data":{"expr":{"args":[{"anchored":false,"matchers":[{"name":"a","type":"=","value":"b"},{"name":"__name__","type":"=","value":"foo"}],"name":"foo","offset":0,"offsetExpr":null,"range":300000,"rangeExpr":null,"smoothed":false,"startOrEnd":null,"timestamp":null,"type":"matrixSelector"}],"func":{"argTypes":["matrix"],"name":"rate","returnType":"vector","variadic":0},"type":"call"},"grouping":["job"],"op":"sum","param":null,"type":"aggregation","without":false}}"#
                )

                let query = "-foo @ 10 + on (a) group_left (b) fill (0.5) max_over_time(bar[10m:1m] @ start())"
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let (_, binary) = try await client.postForm("/api/v1/parse_query", "query=\(encoded)")
                #expect(
                    binary
                        == #"{"status":"success","data":{"bool":false,"lhs":{"expr":{"anchored":false,"matchers":[{"name":"__name__","type":"=","value":"foo"}],"name":"foo","offset":0,"offsetExpr":null,"smoothed":false,"startOrEnd":null,"timestamp":10000,"type":"vectorSelector"},"op":"-","type":"unaryExpr"},"matching":{"card":"many-to-one","fillValues":{"lhs":0.5,"rhs":0.5},"include":["b"],"labels":["a"],"on":true},"op":"+","rhs":{"args":[{"expr":{"anchored":false,"matchers":[{"name":"__name__","type":"=","value":"bar"}],"name":"bar","offset":0,"offsetExpr":null,"smoothed":false,"startOrEnd":null,"timestamp":null,"type":"vectorSelector"},"offset":0,"offsetExpr":null,"range":600000,"rangeExpr":null,"startOrEnd":"start","step":60000,"stepExpr":null,"timestamp":null,"type":"subquery"}],"func":{"argTypes":["matrix"],"name":"max_over_time","returnType":"vector","variadic":0},"type":"call"},"type":"binaryExpr"}}"#
                )

                let (_, literals) = try await client.getText(
                    "/api/v1/parse_query?query=count_values(%22v%22%2C%20foo)%20*%20(1e-7%20*%205m)")
                #expect(
                    literals
                        == #"{"status":"success","data":{"bool":false,"lhs":{"expr":{"anchored":false,"matchers":[{"name":"__name__","type":"=","value":"foo"}],"name":"foo","offset":0,"offsetExpr":null,"smoothed":false,"startOrEnd":null,"timestamp":null,"type":"vectorSelector"},"grouping":[],"op":"count_values","param":{"type":"stringLiteral","val":"v"},"type":"aggregation","without":false},"matching":null,"op":"*","rhs":{"expr":{"bool":false,"lhs":{"type":"numberLiteral","val":"0.0000001"},"matching":null,"op":"*","rhs":{"type":"numberLiteral","val":"300"},"type":"binaryExpr"},"type":"parenExpr"},"type":"binaryExpr"}}"#
                )
            }
        }
    }

    @Test func fillValuesAreJSONNumbersAsGoWritesThem() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (_, small) = try await client.getText("/api/v1/parse_query?query=a%20%2B%20fill_left(1e-7)%20b")
                #expect(small.contains(#""fillValues":{"lhs":1e-7,"rhs":null}"#), "\(small)")
                // Go's JSON encoder cannot write NaN either: Prometheus fails the reply with a 500.
                let (code, _) = try await client.getText("/api/v1/parse_query?query=a%20%2B%20fill(NaN)%20b")
                #expect(code == 500)
            }
        }
    }

    /// Every case of Prometheus's `TestTranslateASTDurationExpressions`: query, node type, and
    /// the fields checked, as JSON.
    static let durationCases: [(String, String, [String: String])] = [
        ("foo[5m]", "matrixSelector", ["range": "300000", "rangeExpr": "null", "offset": "0", "offsetExpr": "null"]),
        ("foo[5m] offset 1m", "matrixSelector", ["range": "300000", "rangeExpr": "null", "offset": "60000", "offsetExpr": "null"]),
        ("foo[5m+1m]", "matrixSelector", ["range": "0", "rangeExpr": durationExpr("+", number("300", true), number("60", true))]),
        (
            "foo[5m+1m] offset (10m/2)", "matrixSelector",
            [
                "rangeExpr": durationExpr("+", number("300", true), number("60", true)), "offset": "0",
                "offsetExpr": durationExpr("/", number("600", true), number("2", false), wrapped: true),
            ]
        ),
        (
            "foo[max_of(step(),5m+3m) ]", "matrixSelector",
            [
                "range": "0",
                "rangeExpr": durationExpr(
                    "max_of", durationExpr("step", "null", "null"), durationExpr("+", number("300", true), number("180", true))),
            ]
        ),
        (
            "foo[min_of(max_of(step(),5m+3m),10m-2m)]", "matrixSelector",
            [
                "range": "0",
                "rangeExpr": durationExpr(
                    "min_of",
                    durationExpr(
                        "max_of", durationExpr("step", "null", "null"),
                        durationExpr("+", number("300", true), number("180", true))),
                    durationExpr("-", number("600", true), number("120", true))),
            ]
        ),
        ("foo[range()]", "matrixSelector", ["range": "0", "rangeExpr": durationExpr("range", "null", "null")]),
        (
            "foo[5m:1m]", "subquery",
            ["range": "300000", "rangeExpr": "null", "step": "60000", "stepExpr": "null", "offset": "0", "offsetExpr": "null"]
        ),
        (
            "foo[4s+4s:1s*2] offset (5s-8)", "subquery",
            [
                "range": "0", "rangeExpr": durationExpr("+", number("4", true), number("4", true)), "step": "0",
                "stepExpr": durationExpr("*", number("1", true), number("2", false)), "offset": "0",
                "offsetExpr": durationExpr("-", number("5", true), number("8", false), wrapped: true),
            ]
        ),
        ("foo offset 5m", "vectorSelector", ["offset": "300000", "offsetExpr": "null"]),
        (
            "foo offset -min_of(5s,step()+8s)", "vectorSelector",
            [
                "offset": "0",
                "offsetExpr": durationExpr(
                    "-", "null",
                    durationExpr(
                        "min_of", number("5", true), durationExpr("+", durationExpr("step", "null", "null"), number("8", true)))),
            ]
        ),
    ]

    static func durationExpr(_ op: String, _ lhs: String, _ rhs: String, wrapped: Bool = false) -> String {
        #"{"lhs":\#(lhs),"op":"\#(op)","rhs":\#(rhs),"type":"durationExpr","wrapped":\#(wrapped)}"#
    }

    static func number(_ val: String, _ duration: Bool) -> String {
        #"{"duration":\#(duration),"type":"numberLiteral","val":"\#(val)"}"#
    }

    @Test func parseQueryDurationExpressions() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                for (query, type, fields) in Self.durationCases {
                    let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                    let (code, json) = try await client.getJSON("/api/v1/parse_query?query=\(encoded)")
                    #expect(code == 200, "\(query)")
                    let data = try #require(json["data"] as? [String: Any], "\(query)")
                    #expect(data["type"] as? String == type, "\(query)")
                    for (field, expected) in fields {
                        let want = try JSONSerialization.jsonObject(with: Data(expected.utf8), options: .fragmentsAllowed)
                        let got = try #require(data[field], "\(query): \(field) missing")
                        #expect((got as? NSObject) == (want as? NSObject), "\(query): \(field)")
                    }
                }
            }
        }
    }
}

extension TestClientProtocol {
    /// POSTs a form-encoded body and returns the status code and body text.
    func postForm(_ uri: String, _ form: String) async throws -> (Int, String) {
        try await execute(
            uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: form)
        ) { response in (response.status.code, String(buffer: response.body)) }
    }
}
