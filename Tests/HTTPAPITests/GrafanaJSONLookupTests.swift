// Contract tests of the Grafana JSON data source's lists (spec/compat-apis.md §3): /metrics,
// /metric-payload-options, /variable, /tag-keys, /tag-values and simple-json's /search and
// /annotations.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct GrafanaJSONLookupTests {
    @Test func metricsListsEveryMetricNameWithTheFormatPayload() async throws {
        try await GrafanaFixture.withData { client in
            for body in ["", "{}", #"{"metric":"up","payload":{"format":"table"}}"#] {
                let reply = try await client.grafana("metrics", body)
                #expect(reply.status == 200, "\(reply.text)")
                #expect(reply.contentType == "application/json")
                #expect(reply.objects.map { $0["value"] as? String } == ["temp", "up"])
                let payloads = reply.objects.first?["payloads"] as? [[String: Any]] ?? []
                #expect(payloads.map { $0["name"] as? String } == ["format"])
                #expect(payloads.first?["type"] as? String == "select")
            }
            let wrong = try await client.grafana("metrics", #"{"metric":5}"#)
            #expect(wrong.status == 400)
            #expect(wrong.error == #"invalid field "metric": must be a string"#)
        }
    }

    @Test func metricPayloadOptionsOfferTheFormats() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let format = try await client.grafana("metric-payload-options", #"{"metric":"up","payload":{},"name":"format"}"#)
                #expect(format.status == 200)
                #expect(format.objects.map { $0["value"] as? String } == ["time_series", "table"])
                let other = try await client.grafana("metric-payload-options", #"{"metric":"up","payload":{},"name":"other"}"#)
                #expect(other.text == "[]")
                let wrong = try await client.grafana("metric-payload-options", #"{"metric":"up","payload":[],"name":"format"}"#)
                #expect(wrong.status == 400)
                #expect(wrong.error == #"invalid field "payload": must be an object"#)
                #expect(try await client.grafana("metric-payload-options", "{").status == 400)
            }
        }
    }

    /// Each variable query form and its options, in order.
    @Test(arguments: [
        ("label_values(job)", ["api", "web"]),
        (#"label_values(up{job="api"}, instance)"#, ["a"]),
        (#" label_values( up{job=~"api|web",instance!=""} , job ) "#, ["api", "web"]),
        ("label_names()", ["__name__", "instance", "job"]),
        ("label_names(temp)", ["__name__", "job"]),
        ("metrics(te)", ["temp"]),
        ("metrics(^u)", ["up"]),
        ("metrics(.*)", ["temp", "up"]),
        (#"query_result(up{job="api"})"#, [#"up{instance="a",job="api"} 1 3600000"#]),
        ("query_result(sum(up))", ["{} 1 3600000"]),
        ("query_result(1+1)", ["2"]),
        (#"up{job="web"}"#, [#"up{instance="b",job="web"}"#]),
        ("temp", [#"temp{job="api"}"#]),
        ("", []),
        ("label_values()", []),
        ("metrics()", []),
        ("query_result( )", []),
    ])
    func variableQueries(query: String, expected: [String]) async throws {
        try await GrafanaFixture.withData { client in
            let body = #"{"payload":{"target":\#(jsonString(query))},\#(GrafanaFixture.range())}"#
            let reply = try await client.grafana("variable", body)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.objects.map { $0["__text"] as? String } == expected)
            #expect(reply.objects.map { $0["__value"] as? String } == expected)
        }
    }

    @Test func variableRangeLimitsLabelValues() async throws {
        try await GrafanaFixture.withData { client in
            // The data ends at 3600 s: a range after it has no values; without a range all count.
            let late = #"{"payload":{"target":"label_values(job)"},"range":{"from":"1970-01-02T00:00:00Z","to":"1970-01-02T01:00:00Z"}}"#
            #expect(try await client.grafana("variable", late).text == "[]")
            let always = try await client.grafana("variable", #"{"payload":{"target":"label_values(job)"}}"#)
            #expect(always.objects.count == 2)
            let plain = try await client.grafana("variable", #"{"payload":"label_values(instance)"}"#)
            #expect(plain.objects.map { $0["__text"] as? String } == ["a", "b"])
        }
    }

    @Test(arguments: [
        ("{}", #"missing field "payload""#),
        (#"{"payload":{"target":7}}"#, #"invalid field "payload.target": must be a string"#),
        (#"{"payload":{"target":"up{"}}"#, #"invalid field "payload.target": 1:4: parse error"#),
        (#"{"payload":{"target":"{job=~\".*\"}"}}"#, #"invalid field "payload.target": the selector needs a matcher"#),
        (#"{"payload":{"target":"label_values(up, 1job)"}}"#, #"invalid field "payload.target": "1job" is not a valid label name"#),
        (#"{"payload":{"target":"metrics(()"}}"#, #"invalid field "payload.target": error parsing regexp"#),
        (#"{"payload":{"target":"query_result(sum()"}}"#, #"invalid field "payload.target": "#),
        (#"{"payload":{"target":"up"},"range":{"from":"x","to":"y"}}"#, #"invalid field "range.from""#),
    ])
    func badVariableQueries(body: String, expected: String) async throws {
        try await GrafanaFixture.withData { client in
            let reply = try await client.grafana("variable", body)
            #expect(reply.status == 400)
            #expect(reply.errorType == "bad_data")
            #expect(reply.error.hasPrefix(expected), "\(reply.error)")
        }
    }

    @Test func tagKeysAndValues() async throws {
        try await GrafanaFixture.withData { client in
            let keys = try await client.grafana("tag-keys", "{}")
            #expect(keys.objects.map { $0["text"] as? String } == ["__name__", "instance", "job"])
            #expect(keys.objects.allSatisfy { $0["type"] as? String == "string" })
            #expect(keys.text.hasPrefix(#"[{"type":"string","text":"__name__"}"#))
            let values = try await client.grafana("tag-values", #"{"key":"job"}"#)
            #expect(values.text == #"[{"text":"api"},{"text":"web"}]"#)
            // Filters on other keys narrow the values; one on the key itself does not.
            let narrowed = try await client.grafana(
                "tag-values",
                #"{"key":"instance","filters":[{"key":"job","operator":"=","value":"web"},{"key":"instance","operator":"=","value":"a"}]}"#)
            #expect(narrowed.text == #"[{"text":"b"}]"#)
            let narrowedKeys = try await client.grafana("tag-keys", #"{"filters":[{"key":"__name__","operator":"=","value":"temp"}]}"#)
            #expect(narrowedKeys.objects.map { $0["text"] as? String } == ["__name__", "job"])
            let missing = try await client.grafana("tag-values", "{}")
            #expect(missing.status == 400)
            #expect(missing.error == #"missing field "key""#)
        }
    }

    @Test func legacySearchMatchesMetricNames() async throws {
        try await GrafanaFixture.withData { client in
            #expect(try await client.grafana("search", #"{"target":""}"#).text == #"["temp","up"]"#)
            #expect(try await client.grafana("search", "").text == #"["temp","up"]"#)
            #expect(try await client.grafana("search", #"{"type":"timeserie","target":"u"}"#).text == #"["up"]"#)
            #expect(try await client.grafana("search", #"{"target":"^t.*p$"}"#).text == #"["temp"]"#)
            let bad = try await client.grafana("search", #"{"target":"("}"#)
            #expect(bad.status == 400)
            #expect(bad.error.hasPrefix(#"invalid field "target": error parsing regexp: missing closing ): `(`"#), "\(bad.error)")
        }
    }

    @Test func legacyAnnotationsGiveOnePerSample() async throws {
        try await GrafanaFixture.withData { client in
            let annotation = #"{"name":"deploys","enable":true,"iconColor":"red","query":"up{job=\"api\"}"}"#
            let body = #"{\#(GrafanaFixture.range(toSeconds: 600)),"annotation":\#(annotation)}"#
            let reply = try await client.grafana("annotations", body)
            #expect(reply.status == 200, "\(reply.text)")
            // 0 to 600 s at 60 s: 11 samples.
            #expect(reply.objects.count == 11)
            let first = try #require(reply.objects.first)
            #expect(first["time"] as? Int == 0)
            #expect(reply.objects.last?["time"] as? Int == 600_000)
            #expect(first["title"] as? String == #"up{instance="a",job="api"}"#)
            #expect(first["text"] as? String == "1")
            #expect(first["tags"] as? [String] == ["instance=a", "job=api"])
            let echoed = try #require(first["annotation"] as? [String: Any])
            #expect(echoed["name"] as? String == "deploys")
            #expect(echoed["enable"] as? Bool == true)
            #expect(echoed["query"] as? String == #"up{job="api"}"#)

            let empty = try await client.grafana("annotations", #"{\#(GrafanaFixture.range()),"annotation":{"name":"x"}}"#)
            #expect(empty.text == "[]")
            let missing = try await client.grafana("annotations", #"{\#(GrafanaFixture.range())}"#)
            #expect(missing.status == 400)
            #expect(missing.error == #"missing field "annotation""#)
            let bad = try await client.grafana("annotations", #"{\#(GrafanaFixture.range()),"annotation":{"query":"up +"}}"#)
            #expect(bad.status == 400)
            #expect(bad.error.hasPrefix(#"invalid field "annotation.query": "#), "\(bad.error)")
        }
    }
}

/// `s` as a JSON string literal.
private func jsonString(_ s: String) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed]), as: UTF8.self)
}
