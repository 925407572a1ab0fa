// Go's text/template semantics and error texts, case by case. The expected outputs were
// produced by Go's own text/template and fmt (go1.19, the Go of Prometheus v2.42) executing
// each template with Prometheus's definitions of $labels, $value… in front, missingkey=zero,
// and the bodies of Prometheus's functions; "main." in Go's type names reads "template." as in
// Prometheus. Not included: what later Go versions changed (range over an integer, else with),
// which the tests in TemplateGoLanguageTests cover.

import Rules
import Testing

@Suite struct TemplateGoOracleTests {
    struct GoCase: CustomTestStringConvertible, Sendable {
        var text: String
        var value: Double
        var expected: Expansion
        var testDescription: String { text }

        init(_ text: String, value: Double = 0, _ expected: Expansion) {
            self.text = text
            self.value = value
            self.expected = expected
        }
    }

    /// The labels every case's alert has.
    static let labels = ["instance": "a:9100", "job": "node", "severity": "critical"]

    /// The oracle's query function: two `up` samples, none for "none", an error for "fail".
    static let query: TemplateQueryFunction = { query, _ in
        switch query {
        case "none": return []
        case "fail": throw TemplateError("query failed")
        default:
            return [
                TemplateQuerySample(labels: ["__name__": "up", "instance": "b:9100", "job": "node"], value: 0),
                TemplateQuerySample(labels: ["__name__": "up", "instance": "a:9100", "job": "node"], value: 1),
            ]
        }
    }

    static let executions: [GoCase] = [
        GoCase("{{ $labels.instance }} of job {{ $labels.job }} has been down for more than 5 minutes.", value: 0.0, .output("a:9100 of job node has been down for more than 5 minutes.")),
        GoCase("{{ $value | humanizePercentage }}", value: 0.8765, .output("87.65%")),
        GoCase("{{ printf \"%.2f\" $value }}", value: 81.2345, .output("81.23")),
        GoCase("{{ with query \"up\" }}{{ . | first | value }}{{ end }}", value: 0.0, .output("0")),
        GoCase("{{ with query \"none\" }}{{ . | first | value }}{{ else }}no data{{ end }}", value: 0.0, .output("no data")),
        GoCase("{{ range $k, $v := $labels }}{{$k}}={{$v}} {{end}}", value: 0.0, .output("instance=a:9100 job=node severity=critical ")),
        GoCase("{{ if gt $value 80.0 }}high{{ else }}ok{{ end }}", value: 91.5, .output("high")),
        GoCase("{{ if gt $value 80 }}high{{ end }}", value: 91.5, .failure("error executing template __alert_X: template: __alert_X:1:118: executing \"__alert_X\" at <gt $value 80>: error calling gt: incompatible types for comparison")),
        GoCase("{{ $value }}", value: 1000000.0, .output("1e+06")),
        GoCase("{{ $value }}", value: 0.1, .output("0.1")),
        GoCase("{{ $value }}", value: 123456.7, .output("123456.7")),
        GoCase("{{ $value }}", value: 1234567.0, .output("1.234567e+06")),
        GoCase("{{ $value }}", value: 1e-05, .output("1e-05")),
        GoCase("{{ $value }}", value: -0.0, .output("-0")),
        GoCase("{{ $value }}", value: 100.0, .output("100")),
        GoCase("{{ .Value }} {{ .Labels.job }} {{ .ExternalLabels.cluster }} {{ .ExternalURL }}", value: 3.0, .output("3 node eu1 http://prometheus:9090")),
        GoCase("{{ $labels.missing }}|{{ .Labels.missing }}|{{ index $labels \"missing\" }}", value: 0.0, .output("||")),
        GoCase("{{ .Missing }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <.Missing>: can't evaluate field Missing in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }")),
        GoCase("{{ $labels }}", value: 0.0, .output("map[instance:a:9100 job:node severity:critical]")),
        GoCase("{{ . }}", value: 2.5, .output("{map[instance:a:9100 job:node severity:critical] map[cluster:eu1] http://prometheus:9090 2.5}")),
        GoCase("{{ $externalLabels.cluster }}", value: 0.0, .output("eu1")),
        GoCase("{{- if eq $labels.severity \"critical\" -}}  PAGE  {{- end }}", value: 0.0, .output("PAGE")),
        GoCase("a  {{- /* comment */ -}}  b", value: 0.0, .output("ab")),
        GoCase("{{/* a comment */}}x", value: 0.0, .output("x")),
        GoCase("{{ if and (eq $labels.job \"node\") (gt $value 0.5) }}both{{ end }}", value: 0.7, .output("both")),
        GoCase("{{ or $labels.missing \"default\" }}", value: 0.0, .output("default")),
        GoCase("{{ and 1 0 2 }} {{ or 0 \"\" 3 }} {{ and }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:147: executing \"__alert_X\" at <and>: wrong number of args for and: want at least 1 got 0")),
        GoCase("{{ not true }} {{ not 0 }} {{ not \"x\" }}", value: 0.0, .output("false true false")),
        GoCase("{{ len $labels }} {{ len \"héllo\" }} {{ len (query \"up\") }}", value: 0.0, .output("3 6 2")),
        GoCase("{{ index $labels \"job\" }} {{ index \"abc\" 1 }}", value: 0.0, .output("node 98")),
        GoCase("{{ slice \"abcdef\" 1 3 }} {{ slice \"abcdef\" 2 }}", value: 0.0, .output("bc cdef")),
        GoCase("{{ print 1 2 \"a\" \"b\" 3 }}|{{ println 1 \"a\" }}|", value: 0.0, .output("1 2ab3|1 a\n|")),
        GoCase("{{ html \"<a href='x'>&</a>\" }} {{ js \"it's <b>\" }} {{ urlquery \"a b&c=d\" }}", value: 0.0, .output("&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt; it\\'s \\u003Cb\\u003E a+b%26c%3Dd")),
        GoCase("{{ eq 1 1 }} {{ eq 1 2 3 1 }} {{ eq \"a\" \"a\" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ ge 1.5 2.5 }} {{ gt \"b\" \"a\" }}", value: 0.0, .output("true true true true true true false true")),
        GoCase("{{ eq $value 1 }}", value: 1.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <eq $value 1>: error calling eq: incompatible types for comparison")),
        GoCase("{{ lt 1 2.0 }}", value: 1.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <lt 1 2.0>: error calling lt: incompatible types for comparison")),
        GoCase("{{ lt true false }}", value: 1.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <lt true false>: error calling lt: invalid type for comparison")),
        GoCase("{{ eq $labels 1 }}", value: 1.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <eq $labels 1>: error calling eq: incompatible types for comparison")),
        GoCase("{{ eq .Missing nil }}", value: 1.0, .failure("error executing template __alert_X: template: __alert_X:1:118: executing \"__alert_X\" at <.Missing>: can't evaluate field Missing in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }")),
        GoCase("{{ lt .Missing 1 }}", value: 1.0, .failure("error executing template __alert_X: template: __alert_X:1:118: executing \"__alert_X\" at <.Missing>: can't evaluate field Missing in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }")),
        GoCase("{{ $x := 1 }}{{ $x }}{{ $x = 2 }}{{ $x }}", value: 0.0, .output("12")),
        GoCase("{{ range $i, $e := query \"up\" }}{{ $i }}:{{ $e.Labels.instance }} {{ end }}", value: 0.0, .output("0:b:9100 1:a:9100 ")),
        GoCase("{{ range query \"up\" }}{{ .Labels.instance }}={{ .Value }};{{ end }}", value: 0.0, .output("b:9100=0;a:9100=1;")),
        GoCase("{{ range $e := query \"none\" }}x{{ else }}empty{{ end }}", value: 0.0, .output("empty")),
        GoCase("{{ range $i, $e := query \"up\" }}{{ if eq $i 1 }}{{ break }}{{ end }}{{ $i }}{{ end }}", value: 0.0, .output("0")),
        GoCase("{{ range $i, $e := query \"up\" }}{{ if eq $i 0 }}{{ continue }}{{ end }}{{ $i }}{{ end }}", value: 0.0, .output("1")),
        GoCase("{{ define \"t\" }}[{{ . }}]{{ end }}{{ template \"t\" $labels.job }}{{ template \"t\" }}", value: 0.0, .output("[node][<no value>]")),
        GoCase("{{ block \"b\" $value }}<{{ . }}>{{ end }}", value: 4.0, .output("<4>")),
        GoCase("{{ with $labels.job }}{{ . }}{{ end }}{{ with $labels.nope }}x{{ else }}y{{ end }}", value: 0.0, .output("nodey")),
        GoCase("{{ if $labels.nope }}a{{ else if $labels.job }}b{{ else }}c{{ end }}", value: 0.0, .output("b")),
        GoCase("{{ (query \"up\" | sortByLabel \"instance\" | first).Labels.instance }}", value: 0.0, .output("a:9100")),
        GoCase("{{ query \"up\" | len }}", value: 0.0, .output("2")),
        GoCase("{{ \"abc\" | printf \"%s-%s\" \"x\" }}", value: 0.0, .output("x-abc")),
        GoCase("{{ printf \"%d %s\" 1 }}", value: 0.0, .output("1 %!s(MISSING)")),
        GoCase("{{ printf \"%d\" 1 2 }}", value: 0.0, .output("1%!(EXTRA int=2)")),
        GoCase("{{ printf \"%d\" \"abc\" }}", value: 0.0, .output("%!d(string=abc)")),
        GoCase("{{ printf \"%s\" 1.5 }}", value: 0.0, .output("%!s(float64=1.5)")),
        GoCase("{{ printf \"%v %v %v\" $labels true nil }}", value: 0.0, .output("map[instance:a:9100 job:node severity:critical] true <nil>")),
        GoCase("{{ printf \"%q %x %X %o %b %c %U\" \"hi\\n\" 255 \"hi\" 8 5 65 0x1F600 }}", value: 0.0, .output("\"hi\\n\" ff 6869 10 101 A U+1F600")),
        GoCase("{{ printf \"%-10s|%10s|%05d|%+d|% d|%x\" \"ab\" \"cd\" 42 42 42 -255 }}", value: 0.0, .output("ab        |        cd|00042|+42| 42|-ff")),
        GoCase("{{ printf \"%e %E %g %G %.3e %.3g %10.2f %-10.2f| %+.1f\" 1234.5678 1234.5678 1234.5678 0.000012345 1234.5678 1234.5678 3.14159 3.14159 2.0 }}", value: 0.0, .output("1.234568e+03 1.234568E+03 1234.5678 1.2345E-05 1.235e+03 1.23e+03       3.14 3.14      | +2.0")),
        GoCase("{{ printf \"%05.1f %08.3f %+08.2f %x\" -2.5 3.14159 3.14159 1.0 }}", value: 0.0, .output("-02.5 0003.142 +0003.14 0x1p+00")),
        GoCase("{{ printf \"%t %v\" true false }} {{ printf \"%t\" 1 }}", value: 0.0, .output("true false %!t(int=1)")),
        GoCase("{{ printf \"%T %T %T %T %T\" 1 1.5 \"s\" $labels nil }}", value: 0.0, .output("int float64 string map[string]string <nil>")),
        GoCase("{{ printf \"%[2]d %[1]d\" 1 2 }} {{ printf \"%[3]d\" 1 }} {{ printf \"%*d|%-*d|\" 5 1 4 2 }}", value: 0.0, .output("2 1 %!d(BADINDEX)     1|2   |")),
        GoCase("{{ printf \"%!\" }} {{ printf \"%\" }} {{ printf \"%z\" 1 }} {{ printf \"100%%\" }}", value: 0.0, .output("%!!(MISSING) %!(NOVERB) %!z(int=1) 100%")),
        GoCase("{{ printf \"%.2f\" \"x\" }}", value: 0.0, .output("%!f(string=x)")),
        GoCase("{{ printf \"%v\" (query \"up\" | first) }}", value: 0.0, .output("&{map[__name__:up instance:b:9100 job:node] 0}")),
        GoCase("{{ printf \"%+v\" (query \"up\" | first) }}", value: 0.0, .output("&{Labels:map[__name__:up instance:b:9100 job:node] Value:0}")),
        GoCase("{{ query \"up\" | first }}", value: 0.0, .output("{map[__name__:up instance:b:9100 job:node] 0}")),
        GoCase("{{ printf \"%.3s|%.0d|%.0f|%.1e\" \"abcdef\" 0 2.5 0.0 }}", value: 0.0, .output("abc||2|0.0e+00")),
        GoCase("{{ printf \"%g %g %g %g\" 1e21 1e20 100000.0 1e-7 }}", value: 0.0, .output("1e+21 1e+20 100000 1e-07")),
        GoCase("{{ printf \"%.4g %.4g %.4g %.4g %.1g\" 0.0001234 123456.0 1.0 100.0 0.05 }}", value: 0.0, .output("0.0001234 1.235e+05 1 100 0.05")),
        GoCase("{{ printf \"%6.2v|%v|%v\" 3.14159 1e100 -1e-100 }}", value: 0.0, .output("   3.1|1e+100|-1e-100")),
        GoCase("{{ 1.5 }} {{ 1e3 }} {{ 0x1F }} {{ 'a' }} {{ -3 }} {{ +4 }} {{ 1_000 }} {{ 0o17 }} {{ 0b101 }} {{ 1.0 }}", value: 0.0, .output("1.5 1000 31 97 -3 4 1000 15 5 1")),
        GoCase("{{ \"a\\tb\\u00e9\\x41\" }} {{ `raw\\n` }}", value: 0.0, .output("a\tbéA raw\\n")),
        GoCase("{{ reReplaceAll \"^(\\\\w+):.*$\" \"$1\" $labels.instance }}", value: 0.0, .output("a")),
        GoCase("{{ reReplaceAll \"a\" \"X\" \"banana\" }} {{ reReplaceAll \"a*\" \"-\" \"baaac\" }} {{ reReplaceAll \"^a\" \"X\" \"aaa\" }} {{ reReplaceAll \"\\\\b\" \"|\" \"ab cd\" }}", value: 0.0, .output("bXnXnX -b-c- Xaa |ab| |cd|")),
        GoCase("{{ reReplaceAll \"(?P<host>[^:]+):(?P<port>\\\\d+)\" \"${port}/${host}$$\" $labels.instance }}", value: 0.0, .output("9100/a$")),
        GoCase("{{ reReplaceAll \"(\" \"x\" \"y\" }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <reReplaceAll \"(\" \"x\" \"y\">: error calling reReplaceAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`")),
        GoCase("{{ match \"(\" \"y\" }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <match \"(\" \"y\">: error calling match: error parsing regexp: missing closing ): `(`")),
        GoCase("{{ toUpper \"straße ǆ\" }} {{ toLower \"İSTANBUL ÀÉ\" }}", value: 0.0, .output("STRAßE Ǆ istanbul àé")),
        GoCase("{{ humanize 1234567 }} {{ humanize 0.00012 }} {{ humanize \"2048\" }}", value: 0.0, .output("1.235M 120u 2.048k")),
        GoCase("{{ humanize true }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <humanize true>: error calling humanize: can't convert bool to float")),
        GoCase("{{ humanize nil }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <humanize nil>: error calling humanize: can't convert <nil> to float")),
        GoCase("{{ $labels.job.foo }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:122: executing \"__alert_X\" at <$labels.job.foo>: can't evaluate field foo in type string")),
        GoCase("{{ .Value.foo }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:121: executing \"__alert_X\" at <.Value.foo>: can't evaluate field foo in type float64")),
        GoCase("{{ .Labels.job 1 }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:122: executing \"__alert_X\" at <.Labels.job>: job is not a method but has arguments")),
        GoCase("{{ $value 1 }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <$value>: can't give argument to non-function $value")),
        GoCase("{{ 1 2 }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <1>: can't give argument to non-function 1")),
        GoCase("{{ nil }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <nil>: nil is not a command")),
        GoCase("{{ template \"nope\" }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:124: executing \"__alert_X\" at <{{template \"nope\"}}>: template \"nope\" not defined")),
        GoCase("{{ index $labels 1 }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <index $labels 1>: error calling index: value has type int; should be string")),
        GoCase("{{ index \"abc\" 5 }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <index \"abc\" 5>: error calling index: index out of range: 5")),
        GoCase("{{ index \"abc\" 3 }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <index \"abc\" 3>: error calling index: reflect: string index out of range")),
        GoCase("{{ index 5 1 }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <index 5 1>: error calling index: can't index item of type int")),
        GoCase("{{ slice \"abc\" 2 1 }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <slice \"abc\" 2 1>: error calling slice: invalid slice index: 2 > 1")),
        GoCase("{{ len 3 }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <len 3>: error calling len: len of type int")),
        GoCase("{{ len .Missing }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:119: executing \"__alert_X\" at <.Missing>: can't evaluate field Missing in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }")),
        GoCase("{{ range $labels.job }}x{{ end }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:128: executing \"__alert_X\" at <$labels.job>: range can't iterate over node")),
        GoCase("{{ range .Missing }}x{{ else }}none{{ end }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:121: executing \"__alert_X\" at <.Missing>: can't evaluate field Missing in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }")),
        GoCase("{{ first (query \"none\") }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <first (query \"none\")>: error calling first: first() called on vector with no elements")),
        GoCase("{{ query \"fail\" }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <query \"fail\">: error calling query: query failed")),
        GoCase("{{ label \"job\" }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <label>: wrong number of args for label: want 2 got 1")),
        GoCase("{{ label 1 (query \"up\" | first) }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:121: executing \"__alert_X\" at <1>: expected string; found 1")),
        GoCase("{{ value \"x\" }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:121: executing \"__alert_X\" at <\"x\">: can't handle \"x\" for arg of type *template.sample")),
        GoCase("{{ first 1 }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:121: executing \"__alert_X\" at <1>: can't handle 1 for arg of type template.queryResult")),
        GoCase("{{ toUpper 1 }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:123: executing \"__alert_X\" at <1>: expected string; found 1")),
        GoCase("{{ toUpper $value }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:123: executing \"__alert_X\" at <$value>: wrong type for value; expected string; got float64")),
        GoCase("{{ printf }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <printf>: wrong number of args for printf: want at least 1 got 0")),
        GoCase("{{ printf 1 }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:122: executing \"__alert_X\" at <1>: expected string; found 1")),
        GoCase("{{ query \"up\" \"x\" }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <query>: wrong number of args for query: want 1 got 2")),
        GoCase("{{ humanize }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <humanize>: wrong number of args for humanize: want 1 got 0")),
        GoCase("{{ $value | printf \"%.1f\" }}", value: 2.25, .output("2.2")),
        GoCase("{{ $value | printf \"%.1f\" }}", value: 2.35, .output("2.4")),
        GoCase("line1\n{{ .Nope.x }}", value: 0.0, .failure("error executing template __alert_X: template: __alert_X:2:8: executing \"__alert_X\" at <.Nope.x>: can't evaluate field Nope in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }")),
        GoCase("line1\n  {{ $labels.job | toUpper | printf \"%d\" }}", value: 0.0, .output("line1\n  %!d(string=NODE)")),
        GoCase("{{ (index (query \"up\") 1).Value }}", value: 0.0, .output("1")),
        GoCase("{{ args 1 \"a\" }}", value: 0.0, .output("map[arg0:1 arg1:a]")),
        GoCase("{{ (args 1).arg5 }}|{{ printf \"%v\" (args 1).arg5 }}", value: 0.0, .output("<no value>|<nil>")),
        GoCase("{{ 'ab' }}", value: 0.0, .failure("error parsing template __alert_X: template: __alert_X:1: malformed character constant: 'ab'")),
    ]

    static let parses: [GoCase] = [
        GoCase("{{", .failure("error parsing template __alert_X: template: __alert_X:1: unclosed action")),
        GoCase("{{ foo }}", .failure("error parsing template __alert_X: template: __alert_X:1: function \"foo\" not defined")),
        GoCase("{{ end }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected {{end}}")),
        GoCase("{{ else }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected {{else}}")),
        GoCase("{{ if 1 }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected EOF")),
        GoCase("{{ if 1 }}{{ else }}{{ else }}{{ end }}", .failure("error parsing template __alert_X: template: __alert_X:1: expected end; found {{else}}")),
        GoCase("{{ $x }}", .failure("error parsing template __alert_X: template: __alert_X:1: undefined variable \"$x\"")),
        GoCase("{{ range $a, $b, $c := 1 }}{{ end }}", .failure("error parsing template __alert_X: template: __alert_X:1: too many declarations in range")),
        GoCase("{{ .a b }}x{{ \"unterminated }}", .failure("error parsing template __alert_X: template: __alert_X:1: function \"b\" not defined")),
        GoCase("{{ 'x }}", .failure("error parsing template __alert_X: template: __alert_X:1: unterminated character constant")),
        GoCase("{{ `x }}", .failure("error parsing template __alert_X: template: __alert_X:1: unterminated raw quoted string")),
        GoCase("{{ 3x }}", .failure("error parsing template __alert_X: template: __alert_X:1: bad number syntax: \"3x\"")),
        GoCase("{{ 0x }}", .failure("error parsing template __alert_X: template: __alert_X:1: illegal number syntax: \"0x\"")),
        GoCase("{{ 1e }}", .failure("error parsing template __alert_X: template: __alert_X:1: illegal number syntax: \"1e\"")),
        GoCase("{{ 99999999999999999999 }}", .failure("error parsing template __alert_X: template: __alert_X:1: integer overflow: \"99999999999999999999\"")),
        GoCase("{{ 089 }}", .failure("error parsing template __alert_X: template: __alert_X:1: integer overflow: \"089\"")),
        GoCase("{{ ) }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected \")\" in command")),
        GoCase("{{ ( 1 }}", .failure("error parsing template __alert_X: template: __alert_X:1: unclosed left paren")),
        GoCase("{{ 1 | 2 }}", .failure("error parsing template __alert_X: template: __alert_X:1: non executable command in pipeline stage 2")),
        GoCase("{{ | }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected \"|\" in command")),
        GoCase("{{ $x := }}", .failure("error parsing template __alert_X: template: __alert_X:1: missing value for command")),
        GoCase("{{ define \"a\" }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected EOF")),
        GoCase("{{ define 1 }}{{ end }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected \"1\" in define clause")),
        GoCase("{{ template }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected \"}}\" in template clause")),
        GoCase("{{ template 1 }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected \"1\" in template clause")),
        GoCase("{{ break }}", .failure("error parsing template __alert_X: template: __alert_X:1: {{break}} outside {{range}}")),
        GoCase("{{ range . }}{{ break 1 }}{{ end }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected \"1\" in {{break}}")),
        GoCase("{{ /* x */ }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected \"/\" in command")),
        GoCase("{{/* x */ y}}", .failure("error parsing template __alert_X: template: __alert_X:1: comment ends before closing delimiter")),
        GoCase("{{/* unclosed", .failure("error parsing template __alert_X: template: __alert_X:1: unclosed comment")),
        GoCase("{{ .a.b. }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected <.> in operand")),
        GoCase("{{ $.x.y }}", .output("")),
        GoCase("{{ \"a\".b }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected . after term \"\\\"a\\\"\"")),
        GoCase("{{ 1 := 2 }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected \":=\" in operand")),
        GoCase("{{ $x : }}", .failure("error parsing template __alert_X: template: __alert_X:1: undefined variable \"$x\"")),
        GoCase("{{ x#y }}", .failure("error parsing template __alert_X: template: __alert_X:1: bad character U+0023 '#'")),
        GoCase("{{ a\\b }}", .failure("error parsing template __alert_X: template: __alert_X:1: bad character U+005C '\\'")),
        GoCase("{{ .Labels\n.foo }}", .output("")),
        GoCase("{{ if\n 1 }}", .failure("error parsing template __alert_X: template: __alert_X:2: unexpected EOF")),
        GoCase("x\ny\n{{ if 1 }}\n", .failure("error parsing template __alert_X: template: __alert_X:4: unexpected EOF")),
        GoCase("{{ \"\\q\" }}", .failure("error parsing template __alert_X: template: __alert_X:1: invalid syntax")),
        GoCase("{{ define \"a\" }}x{{ end }}{{ define \"a\" }}y{{ end }}", .failure("error parsing template __alert_X: template: __alert_X:1: template: multiple definition of template \"a\"")),
        GoCase("{{ else if 1 }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected {{else}}")),
        GoCase("{{ range $i, $e := . }}{{ end }}{{ $i }}", .failure("error parsing template __alert_X: template: __alert_X:1: undefined variable \"$i\"")),
        GoCase("{{ with $x := 1 }}{{ $x }}{{ end }}{{ $x }}", .failure("error parsing template __alert_X: template: __alert_X:1: undefined variable \"$x\"")),
        GoCase("{{ 1 }}}}", .output("")),
        GoCase("{{ .Field | 1 }}", .failure("error parsing template __alert_X: template: __alert_X:1: non executable command in pipeline stage 2")),
        GoCase("{{ nil.x }}", .failure("error parsing template __alert_X: template: __alert_X:1: unexpected . after term \"nil\"")),
        GoCase("{{ (1).x }}", .output("")),
        GoCase("{{- 3 -}}", .output("")),
        GoCase("{{-3}}", .output("")),
        GoCase("{{ 1+2i }}", .output("")),
        GoCase("{{ 'ab' }}", .failure("error parsing template __alert_X: template: __alert_X:1: malformed character constant: 'ab'")),
        GoCase("{{ block \"x\" }}{{ end }}", .failure("error parsing template __alert_X: template: __alert_X:1: missing value for block clause")),
        GoCase("{{ range }}{{ end }}", .failure("error parsing template __alert_X: template: __alert_X:1: missing value for range")),
        GoCase("{{ if }}{{ end }}", .failure("error parsing template __alert_X: template: __alert_X:1: missing value for if")),
    ]

    static let moreExecutions: [GoCase] = [
        GoCase("a \n{{- 1 -}}\n b", value: 0.5, .output("a1b")),
        GoCase("a {{- /* c */}} b", value: 0.5, .output("a b")),
        GoCase("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", value: 0.5, .output("2")),
        GoCase("{{ $x := 1 }}{{ with 2 }}{{ $x := 3 }}{{ $x }}{{ end }}{{ $x }}", value: 0.5, .output("31")),
        GoCase("{{ range $i, $e := $labels }}{{ $i }}{{ $.Labels.job }};{{ end }}", value: 0.5, .output("instancenode;jobnode;severitynode;")),
        GoCase("{{ define \"x\" }}{{ $ }}{{ end }}{{ template \"x\" 5 }}", value: 0.5, .output("5")),
        GoCase("{{ printf \"%s\" $labels }}", value: 0.5, .output("map[instance:a:9100 job:node severity:critical]")),
        GoCase("{{ printf \"%d\" $labels }}", value: 0.5, .output("map[%!d(string=instance):%!d(string=a:9100) %!d(string=job):%!d(string=node) %!d(string=severity):%!d(string=critical)]")),
        GoCase("{{ printf \"%x|% x|%#x|% #x|%X\" \"héllo\" \"ab\" \"ab\" \"ab\" \"hi\" }}", value: 0.5, .output("68c3a96c6c6f|61 62|0x6162|0x61 0x62|6869")),
        GoCase("{{ printf \"%#v|%#v|%#v\" $labels 1.5 \"s\" }}", value: 0.5, .output("map[string]string{\"instance\":\"a:9100\", \"job\":\"node\", \"severity\":\"critical\"}|1.5|\"s\"")),
        GoCase("{{ printf \"%q\" 'x' }}", value: 0.5, .output("'x'")),
        GoCase("{{ printf \"%c|%5c|%-3c|\" 65 66 67 }}", value: 0.5, .output("A|    B|C  |")),
        GoCase("{{ printf \"%08.3e|%+e|% .2f|%#g|%#.3x\" -1234.5 0.0 1.0 1.0 1.0 }}", value: 0.5, .output("-1.234e+03|+0.000000e+00| 1.00|1.00000|0x1.000p+00")),
        GoCase("{{ printf \"%5t|%-6v|\" true false }}", value: 0.5, .output(" true|false |")),
        GoCase("{{ printf \"%5.1s|%05s|%-5s|\" \"abc\" \"ab\" \"ab\" }}", value: 0.5, .output("    a|000ab|ab   |")),
        GoCase("{{ printf \"%v|%.3f|%e|%f\" 1e-320 1e-320 5e-324 1e300 }}", value: 0.5, .output("1e-320|0.000|4.940656e-324|1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000")),
        GoCase("{{ printf \"%.0f %.0f %.0f %.0f %.2e %.1f\" 0.5 1.5 2.5 -0.5 1.125 0.25 }}", value: 0.5, .output("0 2 2 -0 1.12e+00 0.2")),
        GoCase("{{ printf \"%g|%G|%.3g|%.3e|%g|%v\" 0.000001 1e-10 0.0 0.0 -0.0 -0.0 }}", value: 0.5, .output("1e-06|1E-10|0|0.000e+00|-0|-0")),
        GoCase("{{ printf \"%d|%x|%o|%O|%b\" -9223372036854775808 -1 -8 8 -5 }}", value: 0.5, .output("-9223372036854775808|-1|-10|0o10|-101")),
        GoCase("{{ printf \"%b|%X|%x\" 5.0 3.5 -0.1 }}", value: 0.5, .output("5629499534213120p-50|0X1.CP+01|-0x1.999999999999ap-04")),
        GoCase("{{ printf \"%v|%.1f|%g\" 1+2i 1.5i -2-3.5i }} {{ 1+2i }}", value: 0.5, .output("(1+2i)|(0.0+1.5i)|(-2-3.5i) (1+2i)")),
        GoCase("{{ printf \"%U|%#U|%q|%+q|%#q|%q\" 'é' 'é' \"é\\x00\" \"é\" \"abc\" \"a`b\" }}", value: 0.5, .output("U+00E9|U+00E9 'é'|\"é\\x00\"|\"\\u00e9\"|`abc`|\"a`b\"")),
        GoCase("{{ printf \"%s %s\" }}", value: 0.5, .output("%!s(MISSING) %!s(MISSING)")),
        GoCase("{{ printf \"%*d|%.*f|%-05d|%+s|\" \"x\" 1 -1 2.0 3 \"é\" }}", value: 0.5, .output("%!(BADWIDTH)1|%!(BADPREC)2.000000|3    |é|")),
        GoCase("{{ print nil 1 }}|{{ print \"a\" nil }}|{{ println }}|{{ print }}|", value: 0.5, .output("<nil> 1|a<nil>|\n||")),
        GoCase("{{ html 1 \"<\" }}|{{ js \"\\u2028é\\x01\" }}|{{ urlquery \"é/?\" 1 }}", value: 0.5, .output("1&lt;|\\u2028é\\u0001|%C3%A9%2F%3F1")),
        GoCase("{{ len (args 1 2) }}|{{ index (args 1 2) \"arg1\" }}|{{ index (args 1) \"nope\" }}", value: 0.5, .output("2|2|<no value>")),
        GoCase("{{ (slice (query \"up\") 1 2 | first).Value }}|{{ len (slice (query \"up\") 1) }}", value: 0.5, .output("1|1")),
        GoCase("{{ eq \"a\" \"a\" \"b\" }}", value: 0.5, .output("true")),
        GoCase("{{ eq 1 1.0 }}", value: 0.5, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <eq 1 1.0>: error calling eq: incompatible types for comparison")),
        GoCase("{{ not }}", value: 0.5, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <not>: wrong number of args for not: want 1 got 0")),
        GoCase("{{ and 1 }}|{{ and 0 }}|{{ or 0 }}", value: 0.5, .output("1|0|0")),
        GoCase("{{ or }}", value: 0.5, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <or>: wrong number of args for or: want at least 1 got 0")),
        GoCase("{{ index $labels }}|{{ slice \"abc\" }}|{{ index \"héllo\" 1 }}", value: 0.5, .output("map[instance:a:9100 job:node severity:critical]|abc|195")),
        GoCase("{{ slice \"abc\" 1 2 3 }}", value: 0.5, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <slice \"abc\" 1 2 3>: error calling slice: cannot 3-index slice a string")),
        GoCase("{{ range $i, $c := \"abc\" }}{{ $i }}{{ end }}", value: 0.5, .failure("error executing template __alert_X: template: __alert_X:1:131: executing \"__alert_X\" at <\"abc\">: range can't iterate over abc")),
        GoCase("{{ range $k, $v := args 1 \"x\" }}{{ $k }}={{ $v }};{{ end }}", value: 0.5, .output("arg0=1;arg1=x;")),
        GoCase("{{ with $x := $labels.job }}{{ $x }}{{ end }}", value: 0.5, .output("node")),
        GoCase("{{ template \"x\" }}{{ define \"x\" }}X{{ end }}", value: 0.5, .output("X")),
        GoCase("{{ $über := 1 }}{{ $über }}", value: 0.5, .output("1")),
        GoCase("{{ .Labels.instance | reReplaceAll \":.*\" \"\" }}", value: 0.5, .output("a")),
        GoCase("{{ 0.1 | humanize }}|{{ humanize 1e-30 }}|{{ \"2.5e3\" | humanize }}|{{ humanize \"0x10\" }}|{{ humanize \"inf\" }}|{{ humanize \"-Infinity\" }}", value: 0.5, .failure("error executing template __alert_X: template: __alert_X:1:182: executing \"__alert_X\" at <humanize \"0x10\">: error calling humanize: strconv.ParseFloat: parsing \"0x10\": invalid syntax")),
        GoCase("{{ humanize \" 1\" }}", value: 0.5, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <humanize \" 1\">: error calling humanize: strconv.ParseFloat: parsing \" 1\": invalid syntax")),
        GoCase("{{ humanize \"1e400\" }}", value: 0.5, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <humanize \"1e400\">: error calling humanize: strconv.ParseFloat: parsing \"1e400\": value out of range")),
        GoCase("{{ humanize \"1_000\" }}", value: 0.5, .output("1k")),
        GoCase("{{ humanize \"1e\" }}", value: 0.5, .failure("error executing template __alert_X: template: __alert_X:1:115: executing \"__alert_X\" at <humanize \"1e\">: error calling humanize: strconv.ParseFloat: parsing \"1e\": invalid syntax")),
        GoCase("{{ humanizePercentage \"nan\" }}|{{ humanizePercentage 1 }}|{{ humanizePercentage 0.000123 }}", value: 0.5, .output("NaN%|100%|0.0123%")),
        GoCase("{{ $value | printf \"%.2f%%\" }}", value: 0.5, .output("0.50%")),
        GoCase("{{ if not (eq $labels.severity \"warning\") }}not warning{{ end }}", value: 0.5, .output("not warning")),
        GoCase("{{ range $i, $e := query \"up\" }}{{ if $i }}, {{ end }}{{ $e.Labels.instance }}{{ end }}", value: 0.5, .output("b:9100, a:9100")),
        GoCase("{{ with $labels }}{{ .job }}/{{ .instance }}{{ end }}", value: 0.5, .output("node/a:9100")),
        GoCase("{{ range (query \"up\") }}{{ . | label \"instance\" }} {{ . | value | humanize }};{{ end }}", value: 0.5, .output("b:9100 0;a:9100 1;")),
        GoCase("{{ \"x\" | printf \"%s%s\" }}", value: 0.5, .output("x%!s(MISSING)")),
        GoCase("{{ printf \"%v\" (args) }}", value: 0.5, .output("map[]")),
        GoCase("{{ printf \"%v\" (args nil) }}", value: 0.5, .output("map[arg0:<nil>]")),
        GoCase("{{ printf \"%s\" (args \"a\" 1) }}", value: 0.5, .output("map[arg0:a arg1:%!s(int=1)]")),
        GoCase("{{ printf \"%d %d\" 1 }}{{ printf \"%[2]d %d\" 1 2 }}", value: 0.5, .output("1 %!d(MISSING)2 %!d(MISSING)")),
        GoCase("{{ printf \"%[0]d|%[x]d|%[1]|%[1\" 1 }}", value: 0.5, .output("%!d(BADINDEX)|%!d(BADINDEX)|%!|(int=1)%!(NOVERB)")),
        GoCase("{{ printf \"%-+8.2f|%+-8.2f|%08.2f|%-08.2f|\" 3.14159 3.14159 -3.14159 3.14159 }}", value: 0.5, .output("+3.14   |+3.14   |-0003.14|3.14    |")),
        GoCase("{{ printf \"%6.2f%%\" 99.5 }}", value: 0.5, .output(" 99.50%")),
        GoCase("{{ printf \"%3d|%-3d|%03d|% 03d|%+03d\" -5 -5 -5 5 5 }}", value: 0.5, .output(" -5|-5 |-05| 05|+05")),
        GoCase("{{ printf \"%.3d|%8.3d|%-8.3d|%08.3d\" 7 7 7 7 }}", value: 0.5, .output("007|     007|007     |     007")),
        GoCase("{{ printf \"%x|%X|%#o|%#b|%#X\" 255 255 8 5 255 }}", value: 0.5, .output("ff|FF|010|0b101|0XFF")),
        GoCase("{{ printf \"%e|%.0e|%#.0e|%E\" 0.000123456 15.0 15.0 123456789.0 }}", value: 0.5, .output("1.234560e-04|2e+01|2.e+01|1.234568E+08")),
        GoCase("{{ printf \"%v %v %v %v\" 1e6 1e5 123456789.0 0.0001 }}", value: 0.5, .output("1e+06 100000 1.23456789e+08 0.0001")),
        GoCase("{{ printf \"%.3v|%10.4v|%-10v|\" 3.14159 2.0 1.5 }}", value: 0.5, .output("3.14|         2|1.5       |")),
        GoCase("{{ printf \"%v\" 100000000000000000000.0 }}", value: 0.5, .output("1e+20")),
        GoCase("{{ printf \"%t\" \"x\" }}", value: 0.5, .output("%!t(string=x)")),
        GoCase("{{ printf \"%d\" true }}", value: 0.5, .output("%!d(bool=true)")),
        GoCase("{{ printf \"%s\" nil }}", value: 0.5, .output("%!s(<nil>)")),
        GoCase("{{ printf \"%d\" nil }}", value: 0.5, .output("%!d(<nil>)")),
        GoCase("{{ $labels.job | len }}", value: 0.5, .output("4")),
        GoCase("{{ \"abc\" | len | printf \"%03d\" }}", value: 0.5, .output("003")),
        GoCase("{{ .Labels | len }}", value: 0.5, .output("3")),
        GoCase("{{ index .Labels \"job\" | toUpper }}", value: 0.5, .output("NODE")),
        GoCase("{{ (index $labels \"job\") }}", value: 0.5, .output("node")),
        GoCase("{{ if (and (ne $labels.job \"\") (gt (len $labels) 1)) }}ok{{ end }}", value: 0.5, .output("ok")),
        GoCase("{{ if eq .Value 0.0 }}zero{{ end }}", value: 0.5, .output("")),
        GoCase("{{ 1 | printf \"%d-%d\" 2 }}", value: 0.5, .output("2-1")),
        GoCase("{{- \"a\" -}} {{- \"b\" -}}", value: 0.5, .output("ab")),
        GoCase("{{ printf \"%-12s|\" \"héllo\" }}", value: 0.5, .output("héllo       |")),
        GoCase("{{ printf \"%x\" 3.0 }}{{ printf \"%x\" 0.0 }}{{ printf \"%x\" 1e-320 }}", value: 0.5, .output("0x1.8p+010x0p+000x1.fap-1064")),
        GoCase("{{ printf \"%.2x\" 1.0 }}", value: 0.5, .output("0x1.00p+00")),
    ]

    @Test(arguments: executions + moreExecutions)
    func execution(_ c: GoCase) {
        let data = AlertTemplateData(
            labels: Self.labels, externalLabels: ["cluster": "eu1"], externalURL: "http://prometheus:9090", value: c.value)
        let expander = TemplateExpander(
            text: AlertTemplate.alertTemplateDefinitions + c.text, name: "__alert_X", data: data, timestamp: 0,
            query: Self.query, externalURL: "http://prometheus:9090")
        let result: Expansion
        do {
            result = .output(try expander.expand())
        } catch {
            result = .failure(error.message)
        }
        #expect(result == c.expected)
    }

    @Test(arguments: parses)
    func parse(_ c: GoCase) {
        let data = AlertTemplateData(labels: [:], externalLabels: [:], externalURL: "", value: 0)
        let expander = TemplateExpander(text: c.text, name: "__alert_X", data: data, timestamp: 0, query: nil, externalURL: "")
        let result: Expansion
        do {
            try expander.parseTest()
            result = .output("")
        } catch {
            result = .failure("error parsing template __alert_X: " + error.message)
        }
        #expect(result == c.expected)
    }
}
