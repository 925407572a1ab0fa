// Prometheus's own template tests (template/template_test.go, v2.42 and main): the expected
// outputs and error texts there are the oracle. Cases for ExpandHTML, for options other than
// missingkey=zero and for native histograms are not ported: alert templates use none of them.

import Rules
import Testing

@Suite struct TemplatePrometheusCasesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var input: TemplateValue = .invalid
        var queryResult: [TemplateQuerySample] = []
        var expected: Expansion
        var testDescription: String { text }
    }

    static let metricA = TemplateQuerySample(labels: ["__name__": "metric", "instance": "a"], value: 11)

    static let basics: [Case] = [
        Case(text: "plain text", expected: .output("plain text")),
        Case(text: "{{ 1 }}", expected: .output("1")),
        Case(
            text: "{{\u{A0}}}",
            expected: .failure("error parsing template test: template: test:1: unrecognized character in action: U+00A0")),
        Case(text: "{{ \"<b>\" }}", expected: .output("<b>")),
        Case(
            text: "{{define \"x\"}}{{.arg0}} {{.arg1}}{{end}}{{template \"x\" (args 1 \"2\")}}", expected: .output("1 2")),
        Case(
            text: "{{ query \"1.5\" | first | value }}", queryResult: [TemplateQuerySample(labels: [:], value: 1.5)],
            expected: .output("1.5")),
        Case(text: "{{ query \"metric{instance='a'}\" | first | value }}", queryResult: [metricA], expected: .output("11")),
        Case(
            text: "{{ query \"metric{instance='a'}\" | first | label \"instance\" }}", queryResult: [metricA],
            expected: .output("a")),
        Case(
            text: "{{ query \"metric{__value__='a'}\" | first | strvalue }}",
            queryResult: [TemplateQuerySample(labels: ["__name__": "metric", "__value__": "a"], value: 11)],
            expected: .output("a")),
        Case(text: "{{ query \"metric{instance='a'}\" | first | label \"foo\" }}", queryResult: [metricA], expected: .output("")),
        Case(text: "{{ $x := query \"metric\" | first }}{{ $x.Labels.foo }}", queryResult: [metricA], expected: .output("")),
        Case(
            text: "{{ range query \"metric\" | sortByLabel \"instance\" }}{{.Labels.instance}}:{{.Value}}: {{end}}",
            queryResult: [
                TemplateQuerySample(labels: ["__name__": "metric", "instance": "b"], value: 21),
                TemplateQuerySample(labels: ["__name__": "metric", "instance": "a"], value: 11),
            ],
            expected: .output("a:11: b:21: ")),
        Case(text: "{{ .Foo }}", expected: .output("<no value>")),
        Case(text: "{{", expected: .failure("error parsing template test: template: test:1: unclosed action")),
        Case(
            text: "{{ query \"missing\" | first }}",
            expected: .failure(
                "error executing template test: template: test:1:21: executing \"test\" at <first>: error calling first: first() called on vector with no elements"
            )),
        Case(
            text: "{{ (query \"missing\").banana }}",
            expected: .failure(
                "error executing template test: template: test:1:10: executing \"test\" at <\"missing\">: can't evaluate field banana in type template.queryResult"
            )),
        Case(text: "{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}", expected: .output("xa")),
    ]

    static let hostsAndText: [Case] = [
        Case(text: "{{ \"foo.example.com\" | stripPort }}", expected: .output("foo.example.com")),
        Case(text: "{{ \"foo.example.com:12345\" | stripPort }}", expected: .output("foo.example.com")),
        Case(text: "{{ \"192.0.2.1\" | stripPort }}", expected: .output("192.0.2.1")),
        Case(text: "{{ \"192.0.2.1:12345\" | stripPort }}", expected: .output("192.0.2.1")),
        Case(text: "{{ \"2001:0DB8::1\" | stripPort }}", expected: .output("2001:0DB8::1")),
        Case(text: "{{ \"[2001:0DB8::1]:12345\" | stripPort }}", expected: .output("2001:0DB8::1")),
        Case(text: "{{ \"[2001:0DB8::1]::12345\" | stripPort }}", expected: .output("[2001:0DB8::1]::12345")),
        Case(text: "{{ \"foo.example.com\" | stripDomain }}", expected: .output("foo")),
        Case(text: "{{ \"foo.example.com:12345\" | stripDomain }}", expected: .output("foo:12345")),
        Case(text: "{{ \"192.0.2.1\" | stripDomain }}", expected: .output("192.0.2.1")),
        Case(text: "{{ \"192.0.2.1:12345\" | stripDomain }}", expected: .output("192.0.2.1:12345")),
        Case(text: "{{ \"2001:0DB8::1\" | stripDomain }}", expected: .output("2001:0DB8::1")),
        Case(text: "{{ \"[2001:0DB8::1]:12345\" | stripDomain }}", expected: .output("[2001:0DB8::1]:12345")),
        Case(text: "{{ \"[2001:0DB8::1]::12345\" | stripDomain }}", expected: .output("[2001:0DB8::1]::12345")),
        Case(text: "{{ \"aa bb CC\" | title }}", expected: .output("Aa Bb CC")),
        Case(text: "{{ \"aa bb CC\" | toUpper }}", expected: .output("AA BB CC")),
        Case(text: "{{ \"aA bB CC\" | toLower }}", expected: .output("aa bb cc")),
        Case(text: "{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }}", expected: .output("true false")),
        Case(text: "{{ graphLink \"up\" }}", expected: .output("/graph?g0.expr=up&g0.tab=0")),
        Case(text: "{{ tableLink \"up\" }}", expected: .output("/graph?g0.expr=up&g0.tab=1")),
        Case(text: "{{ pathPrefix }}", expected: .output("/path/prefix")),
        Case(text: "{{ externalURL }}", expected: .output("http://testhost:9090/path/prefix")),
        Case(text: "{{ printf \"%0.2f\" (parseDuration \"1h2m10ms\") }}", expected: .output("3720.01")),
        Case(text: "{{ printf \"%0.2f\" (parseDuration \"-1h2m10ms\") }}", expected: .output("-3720.01")),
    ]

    static let humanize: [Case] = [
        Case(text: "{{ range . }}{{ humanize . }}:{{ end }}", input: .floats([0, 1, 1_234_567, 0.12]), expected: .output("0:1:1.235M:120m:")),
        Case(
            text: "{{ range . }}{{ humanize . }}:{{ end }}", input: .strings(["0.0", "1.0", "1234567.0", ".12"]),
            expected: .output("0:1:1.235M:120m:")),
        Case(
            text: "{{ humanize \"one\" }}",
            expected: .failure(
                "error executing template test: template: test:1:3: executing \"test\" at <humanize \"one\">: error calling humanize: strconv.ParseFloat: parsing \"one\": invalid syntax"
            )),
        Case(
            text: "{{ range . }}{{ humanize . }}:{{ end }}", input: .int64s([0, -1, 1, 1_234_567, Int64.max]),
            expected: .output("0:-1:1:1.235M:9.223E:")),
        Case(
            text: "{{ range . }}{{ humanize . }}:{{ end }}", input: .uint64s([0, 1, 1_234_567, UInt64.max]),
            expected: .output("0:1:1.235M:18.45E:")),
        Case(
            text: "{{ range . }}{{ humanize1024 . }}:{{ end }}", input: .floats([0, 1, 1_048_576, 0.12]),
            expected: .output("0:1:1Mi:0.12:")),
        Case(
            text: "{{ range . }}{{ humanize1024 . }}:{{ end }}", input: .strings(["0.0", "1.0", "1048576.0", ".12"]),
            expected: .output("0:1:1Mi:0.12:")),
        Case(
            text: "{{ humanize1024 \"one\" }}",
            expected: .failure(
                "error executing template test: template: test:1:3: executing \"test\" at <humanize1024 \"one\">: error calling humanize1024: strconv.ParseFloat: parsing \"one\": invalid syntax"
            )),
        Case(
            text: "{{ range . }}{{ humanize1024 . }}:{{ end }}", input: .int64s([0, -1, 1, 1_234_567, Int64.max]),
            expected: .output("0:-1:1:1.177Mi:8Ei:")),
        Case(
            text: "{{ range . }}{{ humanize1024 . }}:{{ end }}", input: .uint64s([0, 1, 1_234_567, UInt64.max]),
            expected: .output("0:1:1.177Mi:16Ei:")),
        Case(
            text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}",
            input: .floats([0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99]),
            expected: .output("0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:")),
        Case(
            text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", input: .strings(["0", "1", "60", "3600", "86400"]),
            expected: .output("0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:")),
        Case(
            text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}",
            input: .floats([0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345]),
            expected: .output("100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:")),
        Case(
            text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}",
            input: .strings([".1", ".0001", ".12345", "60.1", "60.5", "1.2345", "12.345"]),
            expected: .output("100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:")),
        Case(
            text: "{{ humanizeDuration \"one\" }}",
            expected: .failure(
                "error executing template test: template: test:1:3: executing \"test\" at <humanizeDuration \"one\">: error calling humanizeDuration: strconv.ParseFloat: parsing \"one\": invalid syntax"
            )),
        Case(
            text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", input: .ints([0, -1, 1, 1_234_567]),
            expected: .output("0s:-1s:1s:14d 6h 56m 7s:")),
        Case(
            text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", input: .uints([0, 1, 1_234_567]),
            expected: .output("0s:1s:14d 6h 56m 7s:")),
        Case(
            text: "{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}",
            input: .floats([.infinity, -.infinity, .nan]),
            expected: .output("+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:")),
        Case(
            text: "{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}",
            input: .strings(["+Inf", "-Inf", "NaN"]),
            expected: .output("+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:")),
        Case(
            text:
                "{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}",
            expected: .output("-22.22%:0%:12.35%:123.5%")),
        Case(
            text: "{{ range . }}{{ humanizePercentage . }}:{{ end }}", input: .int64s([0, -1, 1, 1_234_567, Int64.max]),
            expected: .output("0%:-100%:100%:1.235e+08%:9.223e+20%:")),
        Case(
            text: "{{ range . }}{{ humanizePercentage . }}:{{ end }}", input: .uint64s([0, 1, 1_234_567, UInt64.max]),
            expected: .output("0%:100%:1.235e+08%:1.845e+21%:")),
        Case(
            text:
                "{{ \"-0.22222\" | humanizePercentage }}:{{ \"0.0\" | humanizePercentage }}:{{ \"0.1234567\" | humanizePercentage }}:{{ \"1.23456\" | humanizePercentage }}",
            expected: .output("-22.22%:0%:12.35%:123.5%")),
        Case(
            text: "{{ \"one\" | humanizePercentage }}",
            expected: .failure(
                "error executing template test: template: test:1:11: executing \"test\" at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing \"one\": invalid syntax"
            )),
    ]

    static let time: [Case] = [
        Case(
            text: "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}", input: .int64s([0, -1, 1, 1_234_567, 9_223_372_036]),
            expected: .output(
                "1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:"
            )),
        Case(
            text: "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}", input: .uint64s([0, 1, 1_234_567, 9_223_372_036]),
            expected: .output(
                "1970-01-01 00:00:00 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:"
            )),
        Case(
            text: "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}", input: .int64s([Int64.min, Int64.max]),
            expected: .failure(
                "error executing template test: template: test:1:16: executing \"test\" at <humanizeTimestamp .>: error calling humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds timestamp since it overflows int64"
            )),
        Case(
            text: "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}", input: .uint64s([UInt64.max]),
            expected: .failure(
                "error executing template test: template: test:1:16: executing \"test\" at <humanizeTimestamp .>: error calling humanizeTimestamp: 1.8446744073709552e+19 cannot be represented as a nanoseconds timestamp since it overflows int64"
            )),
        Case(text: "{{ 1435065584.128 | humanizeTimestamp }}", expected: .output("2015-06-23 13:19:44.128 +0000 UTC")),
        Case(text: "{{ \"1435065584.128\" | humanizeTimestamp }}", expected: .output("2015-06-23 13:19:44.128 +0000 UTC")),
        Case(text: "{{ (1435065584.128 | toTime).Format \"2006\" }}", expected: .output("2015")),
        Case(text: "{{ (\"1435065584.128\" | toTime).Format \"2006\" }}", expected: .output("2015")),
        Case(text: "{{ (1800 | toDuration).String }}", expected: .output("30m0s")),
        Case(text: "{{ (\"1800\" | toDuration).String }}", expected: .output("30m0s")),
        Case(text: "{{ now }}", expected: .output("1.353755652e+09")),
        Case(text: "{{ (now | toTime).Format \"Mon Jan 2 15:04:05 2006\" }}", expected: .output("Sat Nov 24 11:14:12 2012")),
        Case(
            text: "{{ (\"-30m\" | parseDuration | toDuration | (now | toTime).Add).UnixMilli }}",
            expected: .output("1353753852000")),
    ]

    @Test(arguments: basics + hostsAndText)
    func basicsHostsAndText(_ c: Case) {
        #expect(expandAsPrometheusTest(c.text, input: c.input, queryResult: c.queryResult) == c.expected)
    }

    @Test(arguments: humanize)
    func humanizeFunctions(_ c: Case) {
        #expect(expandAsPrometheusTest(c.text, input: c.input, queryResult: c.queryResult) == c.expected)
    }

    @Test(arguments: time)
    func timeFunctions(_ c: Case) {
        #expect(expandAsPrometheusTest(c.text, input: c.input, queryResult: c.queryResult) == c.expected)
    }
}
