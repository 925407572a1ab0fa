// What newer Go (the Go of Prometheus 3) added to text/template, which the go1.19 oracle
// cases cannot show: range over an integer (Go 1.22) and `{{else with}}` (Go 1.23); and
// alert-template behaviour around the definitions Prometheus puts in front.

import Rules
import Testing

@Suite struct TemplateGoLanguageTests {
    @Test func rangeOverAnIntegerCountsFromZero() {
        #expect(expandAlert("{{ range 3 }}{{ . }},{{ end }}") == .output("0,1,2,"))
        #expect(expandAlert("{{ range $i := 3 }}{{ $i }}{{ end }}") == .output("012"))
        #expect(expandAlert("{{ range 0 }}x{{ else }}none{{ end }}") == .output("none"))
        #expect(expandAlert("{{ range -2 }}x{{ else }}none{{ end }}") == .output("none"))
        #expect(expandAlert("{{ range 5 }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}") == .output("012"))
        #expect(
            expandAlert("{{ range $i, $e := 3 }}{{ end }}")
                == .failure(
                    "error executing template __alert_X: template: __alert_X:1:131: executing \"__alert_X\" at <3>: can't use 3 to iterate over more than one variable"
                ))
    }

    @Test func elseWithChains() {
        #expect(expandAlert("{{ with $labels.a }}a{{ else with $labels.b }}{{ . }}{{ else }}none{{ end }}", labels: ["b": "B"]) == .output("B"))
        #expect(expandAlert("{{ with $labels.a }}a{{ else with $labels.b }}b{{ else }}none{{ end }}") == .output("none"))
    }

    @Test func continueSkipsToTheNextElement() {
        let text = "{{ range $k, $v := $labels }}{{ if eq $k \"job\" }}{{ continue }}{{ end }}{{ $k }};{{ end }}"
        #expect(expandAlert(text, labels: ["instance": "i", "job": "j", "zone": "z"]) == .output("instance;zone;"))
    }

    @Test func valuesPrintAsGoPrintsAFloat64() {
        #expect(expandAlert("{{ $value }}", value: .nan) == .output("NaN"))
        #expect(expandAlert("{{ $value }}", value: .infinity) == .output("+Inf"))
        #expect(expandAlert("{{ $value }}", value: -.infinity) == .output("-Inf"))
        #expect(expandAlert("{{ $value }}", value: 5e-324) == .output("5e-324"))
        #expect(expandAlert("{{ $value }}", value: 0.30000000000000004) == .output("0.30000000000000004"))
        #expect(expandAlert("{{ $value | humanize }}", value: .nan) == .output("NaN"))
    }

    @Test func errorsPointAtTheLineAndColumnOfAMultiLineAnnotation() {
        let text = "Instance {{ $labels.instance }}\nis down.\n  {{ $labels.instance | humanize }}"
        #expect(
            expandAlert(text, labels: ["instance": "a:9100"])
                == .failure(
                    "error executing template __alert_X: template: __alert_X:3:24: executing \"__alert_X\" at <humanize>: error calling humanize: strconv.ParseFloat: parsing \"a:9100\": invalid syntax"
                ))
        #expect(
            expandAlert("a\nb\n{{ if 1 }}")
                == .failure("error parsing template __alert_X: template: __alert_X:3: unexpected EOF"))
    }

    @Test func parseTestReportsGosParseErrorAsRuleFilesShowIt() {
        let data = AlertTemplateData(labels: [:], externalLabels: [:], externalURL: "", value: 0)
        func parse(_ text: String) -> String? {
            let expander = TemplateExpander(
                text: AlertTemplate.alertTemplateDefinitions + text, name: "__alert_HighLoad", data: data, timestamp: 0,
                query: nil, externalURL: "")
            do {
                try expander.parseTest()
                return nil
            } catch {
                return error.message
            }
        }
        #expect(parse("{{ $value | humanize }}") == nil)
        #expect(parse("{{ $value | humanise }}") == "template: __alert_HighLoad:1: function \"humanise\" not defined")
        #expect(parse("{{ $labels.job ") == "template: __alert_HighLoad:1: unclosed action")
        #expect(parse("{{ $lables.job }}") == "template: __alert_HighLoad:1: undefined variable \"$lables\"")
        // Parsing does not execute: a query that would fail is fine here.
        #expect(parse("{{ query \"up\" | first | value }}") == nil)
    }

    @Test func queryRunsAtTheEvaluationTimeAndItsErrorsAreShown() {
        let seen = QueryLog()
        let expander = TemplateExpander(
            text: "{{ with query \"up{job='x'}\" }}{{ . | first | label \"instance\" }}{{ end }}", name: "t",
            value: .invalid, timestamp: 1_700_000_000_123,
            query: { query, time in
                seen.record(query, time)
                return [TemplateQuerySample(labels: ["instance": "i:1"], value: 1)]
            }, externalURL: "")
        #expect((try? expander.expand()) == "i:1")
        #expect(seen.calls == ["up{job='x'}@1700000000123"])

        let failing = TemplateExpander(
            text: "{{ query \"up\" }}", name: "t", value: .invalid, timestamp: 0,
            query: { _, _ in throw TemplateError("query timed out") }, externalURL: "")
        #expect(throws: TemplateError(
            "error executing template t: template: t:1:3: executing \"t\" at <query \"up\">: error calling query: query timed out"
        )) { try failing.expand() }
    }

    @Test func titleFollowsPrometheus3WordRules() {
        #expect(expandAlert("{{ title \"node-exporter down\" }}") == .output("Node-Exporter Down"))
        #expect(expandAlert("{{ title \"it's web.example.com\" }}") == .output("It's Web.example.com"))
        #expect(expandAlert("{{ title \"élan vital\" }}") == .output("Élan Vital"))
    }

    @Test func newerPrometheusFunctions() {
        #expect(expandAlert("{{ urlQueryEscape \"up{job=\\\"a b\\\"}\" }}") == .output("up%7Bjob%3D%22a+b%22%7D"))
        #expect(expandAlert("{{ (\"90m\" | parseDuration | toDuration).Hours }}") == .output("1.5"))
        #expect(expandAlert("{{ \"1h\" | parseDuration | humanizeDuration }}") == .output("1h 0m 0s"))
        // toDuration gives a *time.Duration, which convertToFloat does not take (only time.Duration).
        #expect(
            expandAlert("{{ \"1h\" | parseDuration | toDuration | humanizeDuration }}")
                == .failure(
                    "error executing template __alert_X: template: __alert_X:1:151: executing \"__alert_X\" at <humanizeDuration>: error calling humanizeDuration: can't convert *time.Duration to float"
                ))
        #expect(
            expandAlert("{{ parseDuration \"5x\" }}")
                == .failure(
                    "error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <parseDuration \"5x\">: error calling parseDuration: unknown unit \"x\" in duration \"5x\""
                ))
    }
}

/// The queries a test's query function saw.
final class QueryLog: @unchecked Sendable {
    // Safety: tests call the query function from the expanding thread only.
    private(set) var calls: [String] = []

    func record(_ query: String, _ time: Int64) {
        calls.append("\(query)@\(time)")
    }
}
