// Contract tests of POST /grafana/query (Grafana JSON data source, spec/compat-apis.md §3): time
// series and table shapes, the step rule, ad-hoc filters, hidden targets and bad requests.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import PromQL
import Testing

/// A /query body with a valid `range` and `members`.
private func ranged(_ members: String) -> String {
    #"{"range":{"from":"2024-01-01T00:00:00Z","to":"2024-01-01T01:00:00Z"},\#(members)}"#
}

/// Data and request helpers shared by the Grafana JSON tests.
enum GrafanaFixture {
    /// Every 15 s from 0 to 3600 s: `up` 1 for instance a (job api), 0 for instance b (job web);
    /// `temp{job="api"}` counting 0, 1, 2, ….
    static let data: [(labels: [(String, String)], samples: [Sample])] = [
        ([("__name__", "up"), ("instance", "a"), ("job", "api")], (0...240).map { Sample(Int64($0) * 15_000, 1) }),
        ([("__name__", "up"), ("instance", "b"), ("job", "web")], (0...240).map { Sample(Int64($0) * 15_000, 0) }),
        ([("__name__", "temp"), ("job", "api")], (0...240).map { Sample(Int64($0) * 15_000, Double($0)) }),
    ]

    /// `range` from 0 to `toSeconds`, in Grafana's ISO form.
    static func range(toSeconds: Int = 3600) -> String {
        let to = Date(timeIntervalSince1970: TimeInterval(toSeconds))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return #""range":{"from":"1970-01-01T00:00:00.000Z","to":"\#(formatter.string(from: to))","raw":{"from":"now-1h","to":"now"}}"#
    }

    /// A /query body with `targets` (JSON text) and extra members.
    static func query(_ targets: String, _ extra: String = #""intervalMs":60000,"maxDataPoints":1000"#) -> String {
        #"{"panelId":1,\#(range()),\#(extra),"targets":\#(targets)}"#
    }

    /// Runs `body` against an API holding ``data``.
    static func withData(
        configure: @escaping (inout PrometheusAPI) -> Void = { _ in },
        _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: configure) { client, _ in
                #expect(try await client.push(data).0 == 204)
                try await body(client)
            }
        }
    }
}

/// A reply of the Grafana API: status, content type, body text and the body parsed as JSON.
struct GrafanaReply {
    var status: Int
    var contentType: String?
    var text: String
    var json: Any?

    /// The reply as an array of objects (empty when it is not one).
    var objects: [[String: Any]] { json as? [[String: Any]] ?? [] }
    /// The error message of an error reply.
    var error: String { (json as? [String: Any])?["error"] as? String ?? "" }
    var errorType: String { (json as? [String: Any])?["errorType"] as? String ?? "" }
}

extension TestClientProtocol {
    /// POSTs `body` as JSON to `/grafana/<path>`.
    func grafana(_ path: String, _ body: String) async throws -> GrafanaReply {
        try await execute(
            uri: "/grafana/\(path)", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: body)
        ) { response in
            let text = String(buffer: response.body)
            let json = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            return GrafanaReply(status: response.status.code, contentType: response.headers[.contentType], text: text, json: json)
        }
    }
}

@Suite struct GrafanaJSONQueryTests {
    @Test func saveAndTestAnswersSuccess() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                for uri in ["/grafana/", "/grafana"] {
                    try await client.execute(uri: uri, method: .get) { response in
                        #expect(response.status == .ok)
                        #expect(response.headers[.contentType] == "application/json")
                        #expect(String(buffer: response.body) == #"{"status":"success"}"#)
                    }
                }
            }
        }
    }

    @Test func timeSeriesPutsTheValueFirstAndMillisecondsSecond() async throws {
        try await GrafanaFixture.withData { client in
            let reply = try await client.grafana("query", GrafanaFixture.query(#"[{"target":"up","refId":"A"}]"#))
            #expect(reply.status == 200)
            #expect(reply.contentType == "application/json")
            #expect(reply.objects.count == 2)
            let first = try #require(reply.objects.first)
            #expect(first["target"] as? String == #"up{instance="a",job="api"}"#)
            #expect(first["refId"] as? String == "A")
            #expect(first["tags"] as? [String: String] == ["__name__": "up", "instance": "a", "job": "api"])
            let points = try #require(first["datapoints"] as? [[Double]])
            // Step 60 s (intervalMs) over one hour: 61 points.
            #expect(points.count == 61)
            #expect(points.first == [1, 0])
            #expect(points.last == [1, 3_600_000])
            #expect(reply.objects.last?["target"] as? String == #"up{instance="b",job="web"}"#)
            // Bytes, not just values: integers for both, value first.
            #expect(reply.text.contains(#""datapoints":[[1,0],[1,60000],[1,120000],"#), "\(reply.text.prefix(300))")
            #expect(reply.text.contains(#""datapoints":[[0,0],[0,60000],"#))
        }
    }

    /// step = max(intervalMs, ⌈span / maxDataPoints⌉, ⌈span / 11000⌉, 1): each case's exact count.
    @Test(arguments: [
        (#""intervalMs":60000,"maxDataPoints":1000"#, 61),  // intervalMs wins: 60 s
        (#""intervalMs":1000,"maxDataPoints":10"#, 11),  // maxDataPoints wins: 360 s
        (#""intervalMs":15000"#, 241),  // 15 s
        (#""interval":"2m""#, 31),  // `interval` when `intervalMs` is absent
        (#""maxDataPoints":0"#, 10_976),  // the 11,000-point cap: ⌈3,600,000 / 11,000⌉ = 328 ms
    ])
    func stepRuleGivesExactPointCounts(extra: String, points: Int) async throws {
        try await GrafanaFixture.withData { client in
            let reply = try await client.grafana("query", GrafanaFixture.query(#"[{"target":"temp","refId":"A"}]"#, extra))
            #expect(reply.status == 200, "\(reply.text.prefix(300))")
            let series = try #require(reply.objects.first)
            #expect((series["datapoints"] as? [[Double]])?.count == points)
        }
    }

    @Test func adHocFiltersNarrowEverySelector() async throws {
        try await GrafanaFixture.withData { client in
            let filter = #""filters":[{"key":"job","operator":"=","value":"web"}]"#
            let narrowed = try await client.grafana("query", GrafanaFixture.query(#"[{"target":"up","refId":"A"}]"#, filter))
            #expect(narrowed.objects.map { $0["target"] as? String } == [#"up{instance="b",job="web"}"#])
            // Inside an aggregation too: sum(up) is 1 without the filter, 0 with it.
            let sum = try await client.grafana("query", GrafanaFixture.query(#"[{"target":"sum(up)","refId":"A"}]"#, filter))
            #expect((sum.objects.first?["datapoints"] as? [[Double]])?.first == [0, 0])
            #expect(sum.objects.first?["target"] as? String == "sum(up)")
            let unfiltered = try await client.grafana("query", GrafanaFixture.query(#"[{"target":"sum(up)","refId":"A"}]"#))
            #expect((unfiltered.objects.first?["datapoints"] as? [[Double]])?.first == [1, 0])
            // The legacy key, and the other operators.
            for (filters, expected) in [
                (#""adhocFilters":[{"key":"job","operator":"!=","value":"web"}]"#, [#"up{instance="a",job="api"}"#]),
                (#""filters":[{"key":"instance","operator":"=~","value":"a|b"}]"#, [#"up{instance="a",job="api"}"#, #"up{instance="b",job="web"}"#]),
                (#""filters":[{"key":"instance","operator":"!~","value":"a.*"}]"#, [#"up{instance="b",job="web"}"#]),
            ] {
                let reply = try await client.grafana("query", GrafanaFixture.query(#"[{"target":"up"}]"#, filters))
                #expect(reply.objects.map { $0["target"] as? String } == expected, "\(filters)")
            }
            let numeric = try await client.grafana(
                "query", GrafanaFixture.query(#"[{"target":"up"}]"#, #""filters":[{"key":"job","operator":"<","value":"1"}]"#))
            #expect(numeric.status == 400)
            #expect(numeric.error.contains(#""filters[0].operator""#), "\(numeric.error)")
        }
    }

    @Test func hiddenAndEmptyTargetsAreDropped() async throws {
        try await GrafanaFixture.withData { client in
            let targets = #"[{"target":"up","refId":"A","hide":true},{"target":"","refId":"B"},{"refId":"C"},{"target":"temp","refId":"D"}]"#
            let reply = try await client.grafana("query", GrafanaFixture.query(targets))
            #expect(reply.status == 200)
            #expect(reply.objects.map { $0["refId"] as? String } == ["D"])
            #expect(reply.objects.first?["target"] as? String == #"temp{job="api"}"#)
        }
    }

    @Test func noDataIsAnEmptyArray() async throws {
        try await GrafanaFixture.withData { client in
            let reply = try await client.grafana("query", GrafanaFixture.query(#"[{"target":"no_such_metric","refId":"A"}]"#))
            #expect(reply.status == 200)
            #expect(reply.text == "[]")
            let none = try await client.grafana("query", GrafanaFixture.query("[]"))
            #expect(none.text == "[]")
        }
    }

    @Test func scalarsAreOneSeriesNamedByTheExpression() async throws {
        try await GrafanaFixture.withData { client in
            let reply = try await client.grafana("query", GrafanaFixture.query(#"[{"target":"time()","refId":"S"}]"#))
            #expect(reply.objects.count == 1)
            #expect(reply.objects.first?["target"] as? String == "time()")
            #expect(reply.objects.first?["tags"] as? [String: String] == [:])
            #expect((reply.objects.first?["datapoints"] as? [[Double]])?.prefix(2) == [[0, 0], [60, 60_000]])
        }
    }

    @Test func nonFiniteValuesAreNull() async throws {
        try await GrafanaFixture.withData { client in
            // 1/0 = +Inf, 0/0 = NaN, -1/0 = -Inf.
            let reply = try await client.grafana("query", GrafanaFixture.query(#"[{"target":"up / 0"},{"target":"-up{job=\"api\"} / 0"}]"#))
            #expect(reply.status == 200)
            #expect(reply.objects.count == 3)
            #expect(reply.text.contains(#""datapoints":[[null,0],[null,60000],"#), "\(reply.text.prefix(300))")
            #expect(!reply.text.contains("Inf") && !reply.text.contains("NaN"))
        }
    }

    @Test func tablesAnswerAnInstantQueryAtRangeTo() async throws {
        try await GrafanaFixture.withData { client in
            for target in [#"{"target":"up","refId":"T","type":"table"}"#, #"{"target":"up","refId":"T","payload":{"format":"table"}}"#] {
                let reply = try await client.grafana("query", GrafanaFixture.query("[\(target)]"))
                #expect(reply.status == 200)
                let table = try #require(reply.objects.first)
                #expect(reply.objects.count == 1)
                #expect(table["type"] as? String == "table")
                #expect(table["refId"] as? String == "T")
                let columns = (table["columns"] as? [[String: String]]) ?? []
                #expect(columns.map { $0["text"] } == ["Time", "__name__", "instance", "job", "Value"])
                #expect(columns.map { $0["type"] } == ["time", "string", "string", "string", "number"])
                #expect(
                    reply.text.contains(#""rows":[[3600000,"up","a","api",1],[3600000,"up","b","web",0]]"#),
                    "\(reply.text)")
            }
            // A scalar: Time and Value only. A label missing from a series is "".
            let scalar = try await client.grafana("query", GrafanaFixture.query(#"[{"target":"1+1","type":"table"}]"#))
            #expect(scalar.text == #"[{"type":"table","columns":[{"text":"Time","type":"time"},{"text":"Value","type":"number"}],"rows":[[3600000,2]]}]"#)
            let mixed = try await client.grafana(
                "query", GrafanaFixture.query(#"[{"target":"temp or up{job=\"web\"}","type":"table"}]"#))
            #expect(mixed.text.contains(#""rows":[[3600000,"temp","","api",240],[3600000,"up","b","web",0]]"#), "\(mixed.text)")
        }
    }

    @Test func seriesAndTablesFollowTheTargetsOrder() async throws {
        try await GrafanaFixture.withData { client in
            let reply = try await client.grafana(
                "query", GrafanaFixture.query(#"[{"target":"temp","refId":"A","type":"table"},{"target":"up","refId":"B"}]"#))
            #expect(reply.objects.map { $0["refId"] as? String } == ["A", "B", "B"])
            #expect(reply.objects.map { $0["type"] as? String } == ["table", nil, nil])
        }
    }
}

@Suite struct GrafanaJSONErrorTests {
    /// Each malformed body: 400, bad_data, and the error names the problem.
    @Test(arguments: [
        ("not json", "not valid JSON"),
        ("[1,2]", "must be a JSON object"),
        (#"{"targets":[]}"#, #"missing field "range""#),
        (#"{"range":{"from":"2024-01-01T00:00:00Z","to":"2024-01-01T01:00:00Z"}}"#, #"missing field "targets""#),
        (ranged(#""targets":{"target":"up"}"#), #""targets": must be an array"#),
        (#"{"range":{"from":"yesterday","to":"2024-01-01T01:00:00Z"},"targets":[]}"#, #""range.from""#),
        (#"{"range":{"from":"2024-01-01T00:00:00Z"},"targets":[]}"#, #"missing field "range.to""#),
        (#"{"range":{"from":"2024-01-02T00:00:00Z","to":"2024-01-01T00:00:00Z"},"targets":[]}"#, #""range.to": end timestamp must not be before start time"#),
        (#"{"range":"today","targets":[]}"#, #""range": must be an object"#),
        (ranged(#""targets":["up"]"#), #""targets[0]": must be an object"#),
        (ranged(#""targets":[{"target":7}]"#), #""targets[0].target": must be a string"#),
        (ranged(#""targets":[{"target":"up"},{"target":"sum(up"}]"#), #""targets[1].target": 1:7: parse error"#),
        (ranged(#""targets":[{"target":"up[5m]"}]"#), #"targets[0].target: invalid expression type "range vector""#),
        (ranged(#""maxDataPoints":-1,"targets":[]"#), #""maxDataPoints""#),
        (ranged(#""intervalMs":"1s","targets":[]"#), #""intervalMs": must be a number"#),
        (ranged(#""filters":[{"key":"job","operator":"=~","value":"("}],"targets":[]"#), #""filters[0].value": error parsing regexp"#),
        (ranged(#""targets":[{"target":"up","hide":"yes"}]"#), #""targets[0].hide""#),
        (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "deeper than 64"),
        (#"{"range":{"from":"1e300","to":"2024-01-01T01:00:00Z"},"targets":[]}"#, #""range.from": time outside years 0000 to 9999"#),
        (ranged(#""intervalMs":1e400,"targets":[]"#), #"a number in "intervalMs" is out of range"#),
    ])
    func malformedQueryBodiesAreBadData(body: String, expected: String) async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let reply = try await client.grafana("query", body)
                #expect(reply.status == 400)
                #expect(reply.contentType == "application/json")
                #expect((reply.json as? [String: Any])?["status"] as? String == "error")
                #expect(reply.errorType == "bad_data")
                #expect(reply.error.contains(expected), "\(reply.error)")
            }
        }
    }

    @Test func timesWithoutFractionAndEpochMillisecondsAreAccepted() async throws {
        try await GrafanaFixture.withData { client in
            let body = #"{"range":{"from":"1970-01-01T00:00:00Z","to":3600000},"intervalMs":600000,"targets":[{"target":"temp"}]}"#
            let reply = try await client.grafana("query", body)
            #expect(reply.status == 200, "\(reply.text)")
            #expect((reply.objects.first?["datapoints"] as? [[Double]])?.count == 7)
        }
    }

    @Test func evaluationErrorsKeepThePrometheusErrorType() async throws {
        try await GrafanaFixture.withData(configure: { $0.engineOptions.maxSamples = 10 }) { client in
            let reply = try await client.grafana("query", GrafanaFixture.query(#"[{"target":"up"}]"#))
            #expect(reply.status == 422)
            #expect(reply.errorType == "execution")
            #expect(reply.error.hasPrefix("targets[0].target: query processing would load too many samples"), "\(reply.error)")
        }
    }

    @Test func oversizedBodiesAreTooLarge() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.maxFormBodyBytes = 100 }) { client, _ in
                let reply = try await client.grafana("query", GrafanaFixture.query(#"[{"target":"up"}]"#))
                #expect(reply.status == 413)
                #expect(reply.errorType == "too_large")
                // A small body is read: its own error, not 413.
                let small = try await client.grafana("query", "{}")
                #expect(small.status == 400)
                #expect(small.error == #"missing field "range""#)
            }
        }
    }
}
