// The body of `POST /api/v2/alerts`, byte for byte as Prometheus writes it (go-swagger's
// `PostableAlert` through Go's encoding/json), and the alert's own helpers.

import MetricModel
import Rules
import Testing

@Suite struct NotifierJSONTests {
    static func text(_ alerts: [NotifierAlert]) -> String {
        String(decoding: NotifierAlert.alertmanagerV2Body(alerts), as: UTF8.self)
    }

    @Test func fullAlertIsWrittenAsPrometheusWritesIt() {
        let alert = NotifierAlert(
            labels: Labels(["zone": "<eu&us>", "alertname": "HighLatency", "severity": "page", "Zeta": "z"]),
            annotations: Labels(["summary": "p99 \"high\"\n\t\\", "description": "é\u{2028}x\u{8}\u{C}\u{1}"]),
            startsAt: 1_700_000_000_123, endsAt: 1_700_000_240_000,
            generatorURL: "http://sugarmill:9090/graph?g0.expr=up&g0.tab=1")
        #expect(Self.text([alert]) == #"""
            [{"annotations":{"description":"é\u2028x\b\f\u0001","summary":"p99 \"high\"\n\t\\"},\#
            "endsAt":"2023-11-14T22:17:20.000Z","startsAt":"2023-11-14T22:13:20.123Z",\#
            "generatorURL":"http://sugarmill:9090/graph?g0.expr=up\u0026g0.tab=1",\#
            "labels":{"Zeta":"z","alertname":"HighLatency","severity":"page","zone":"\u003ceu\u0026us\u003e"}}]
            """#)
    }

    /// No annotations and no generator URL are left out; an unset end is Go's zero time.
    @Test func emptyFieldsAsGoOmitsThem() {
        let alerts = [
            NotifierAlert(labels: Labels(["alertname": "B"]), startsAt: -1),
            NotifierAlert(labels: .empty, startsAt: 0, endsAt: 0),
        ]
        #expect(Self.text(alerts) == #"""
            [{"endsAt":"0001-01-01T00:00:00.000Z","startsAt":"1969-12-31T23:59:59.999Z","labels":{"alertname":"B"}},\#
            {"endsAt":"1970-01-01T00:00:00.000Z","startsAt":"1970-01-01T00:00:00.000Z","labels":{}}]
            """#)
        #expect(Self.text([]) == "[]")
    }

    @Test(arguments: [
        (Int64(951_782_400_000), "2000-02-29T00:00:00.000Z"),
        (Int64(4_107_542_399_999), "2100-02-28T23:59:59.999Z"),
        (Int64(253_402_300_799_999), "9999-12-31T23:59:59.999Z"),
        (Int64(253_402_300_800_000), "10000-01-01T00:00:00.000Z"),
        (Int64(-62_135_596_800_000), "0001-01-01T00:00:00.000Z"),
        (Int64(-86_400_001), "1969-12-30T23:59:59.999Z"),
    ])
    func timesAreRFC3339WithMilliseconds(ms: Int64, text: String) {
        #expect(Self.text([NotifierAlert(labels: .empty, startsAt: ms, endsAt: ms)])
            == #"[{"endsAt":"\#(text)","startsAt":"\#(text)","labels":{}}]"#)
    }

    @Test func nameAndResolution() {
        let alert = NotifierAlert(labels: Labels(["alertname": "Down"]), startsAt: 0, endsAt: 1000)
        #expect(alert.name == "Down")
        #expect(!alert.isResolved(at: 999) && alert.isResolved(at: 1000))
        #expect(!NotifierAlert(labels: .empty, startsAt: 0).isResolved(at: .max))
    }
}
