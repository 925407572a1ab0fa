// OpenMetricsParserTests: Prometheus's openmetricsparse_test.go cases — the big valid input
// (with `_created` lines kept, Prometheus's default), UTF-8 names, and the error tables of
// Prometheus 3 and of Prometheus 2.42 with their exact messages.

import Exposition
import MetricModel
import Testing

@Suite("OpenMetrics 1.0")
struct OpenMetricsParserTests {
    /// TestOpenMetricsParse, without the start-timestamp option (so `_created` lines are series).
    @Test func prometheusExample() throws {
        var input = #"""
            # HELP go_gc_duration_seconds A summary of the GC invocation durations.
            # TYPE go_gc_duration_seconds summary
            # UNIT go_gc_duration_seconds seconds
            go_gc_duration_seconds{quantile="0"} 4.9351e-05
            go_gc_duration_seconds{quantile="0.25"} 7.424100000000001e-05
            go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05

            """#
        input += "# HELP nohelp1 \n"
        input += #"# HELP help2 escape \ \n \\ \" \x chars"# + "\n"
        input += "# UNIT nounit \n"
        input += #"""
            go_gc_duration_seconds{quantile="1.0",a="b"} 8.3835e-05
            go_gc_duration_seconds_count 99
            some:aggregate:rate5m{a_b="c"} 1
            # HELP go_goroutines Number of goroutines that currently exist.
            # TYPE go_goroutines gauge
            go_goroutines 33 123.123
            # TYPE hh histogram
            hh_bucket{le="+Inf"} 1
            # TYPE gh gaugehistogram
            gh_bucket{le="+Inf"} 1
            # TYPE hhh histogram
            hhh_bucket{le="+Inf"} 1 # {id="histogram-bucket-test"} 4
            hhh_count 1 # {id="histogram-count-test"} 4
            # TYPE ggh gaugehistogram
            ggh_bucket{le="+Inf"} 1 # {id="gaugehistogram-bucket-test",xx="yy"} 4 123.123
            ggh_count 1 # {id="gaugehistogram-count-test",xx="yy"} 4 123.123
            # TYPE smr_seconds summary
            smr_seconds_count 2.0 # {id="summary-count-test"} 1 123.321
            smr_seconds_sum 42.0 # {id="summary-sum-test"} 1 123.321
            # TYPE ii info
            ii{foo="bar"} 1
            # TYPE ss stateset
            ss{ss="foo"} 1
            ss{ss="bar"} 0
            ss{A="a"} 0
            # TYPE un unknown
            _metric_starting_with_underscore 1
            testmetric{_label_starting_with_underscore="foo"} 1
            testmetric{label="\"bar\""} 1
            # HELP foo Counter with and without labels to certify ST is parsed for both cases
            # TYPE foo counter
            foo_total 17.0 1520879607.789 # {id="counter-test"} 5
            foo_created 1520872607.123
            foo_total{a="b"} 17.0 1520879607.789 # {id="counter-test"} 5
            foo_created{a="b"} 1520872607.123
            foo_total{le="c"} 21.0
            foo_created{le="c"} 1520872621.123
            foo_total{le="1"} 10.0
            # TYPE bar summary
            bar_count 17.0
            bar{quantile="0.95"} 123.7
            bar_created 1520872608.124
            # TYPE baz histogram
            baz_bucket{le="0.0"} 0
            baz_bucket{le="+Inf"} 17
            baz_created 1520872609.125
            # HELP fizz_created Gauge which shouldn't be parsed as ST
            # TYPE fizz_created gauge
            fizz_created 17.0
            # TYPE something histogram
            something_created 1520430001
            something_bucket{le="1"} 2
            # HELP nansum Summary with NaN value
            # TYPE nansum summary
            nansum{quantile="0.95"} nan
            nansum{quantile="0.99"} NaN
            """#
        input += "\n# HELP metric foo\u{0}bar"
        input += "\nnull_byte_metric{a=\"abc\u{0}\"} 1"
        input += "\n# EOF\n"

        let expected: [String] = [
            #"HELP go_gc_duration_seconds "A summary of the GC invocation durations.""#,
            "TYPE go_gc_duration_seconds summary",
            "UNIT go_gc_duration_seconds seconds",
            #"go_gc_duration_seconds{quantile="0"} => {__name__="go_gc_duration_seconds", quantile="0.0"} 4.9351e-05"#,
            #"go_gc_duration_seconds{quantile="0.25"} => {__name__="go_gc_duration_seconds", quantile="0.25"} 7.424100000000001e-05"#,
            #"go_gc_duration_seconds{quantile="0.5",a="b"} => {__name__="go_gc_duration_seconds", a="b", quantile="0.5"} 8.3835e-05"#,
            #"HELP nohelp1 """#,
            #"HELP help2 "escape \\ \n \\ \" \\x chars""#,
            "UNIT nounit ",
            #"go_gc_duration_seconds{quantile="1.0",a="b"} => {__name__="go_gc_duration_seconds", a="b", quantile="1.0"} 8.3835e-05"#,
            #"go_gc_duration_seconds_count => {__name__="go_gc_duration_seconds_count"} 99.0"#,
            #"some:aggregate:rate5m{a_b="c"} => {__name__="some:aggregate:rate5m", a_b="c"} 1.0"#,
            #"HELP go_goroutines "Number of goroutines that currently exist.""#,
            "TYPE go_goroutines gauge",
            #"go_goroutines => {__name__="go_goroutines"} 33.0 @123123"#,
            "TYPE hh histogram",
            #"hh_bucket{le="+Inf"} => {__name__="hh_bucket", le="+Inf"} 1.0"#,
            "TYPE gh gaugehistogram",
            #"gh_bucket{le="+Inf"} => {__name__="gh_bucket", le="+Inf"} 1.0"#,
            "TYPE hhh histogram",
            #"hhh_bucket{le="+Inf"} => {__name__="hhh_bucket", le="+Inf"} 1.0 # {id="histogram-bucket-test"} 4.0"#,
            #"hhh_count => {__name__="hhh_count"} 1.0 # {id="histogram-count-test"} 4.0"#,
            "TYPE ggh gaugehistogram",
            #"ggh_bucket{le="+Inf"} => {__name__="ggh_bucket", le="+Inf"} 1.0 # {id="gaugehistogram-bucket-test", xx="yy"} 4.0 @123123"#,
            #"ggh_count => {__name__="ggh_count"} 1.0 # {id="gaugehistogram-count-test", xx="yy"} 4.0 @123123"#,
            "TYPE smr_seconds summary",
            #"smr_seconds_count => {__name__="smr_seconds_count"} 2.0 # {id="summary-count-test"} 1.0 @123321"#,
            #"smr_seconds_sum => {__name__="smr_seconds_sum"} 42.0 # {id="summary-sum-test"} 1.0 @123321"#,
            "TYPE ii info",
            #"ii{foo="bar"} => {__name__="ii", foo="bar"} 1.0"#,
            "TYPE ss stateset",
            #"ss{ss="foo"} => {__name__="ss", ss="foo"} 1.0"#,
            #"ss{ss="bar"} => {__name__="ss", ss="bar"} 0.0"#,
            #"ss{A="a"} => {A="a", __name__="ss"} 0.0"#,
            "TYPE un unknown",
            #"_metric_starting_with_underscore => {__name__="_metric_starting_with_underscore"} 1.0"#,
            #"testmetric{_label_starting_with_underscore="foo"} => {__name__="testmetric", _label_starting_with_underscore="foo"} 1.0"#,
            #"testmetric{label="\"bar\""} => {__name__="testmetric", label="\"bar\""} 1.0"#,
            #"HELP foo "Counter with and without labels to certify ST is parsed for both cases""#,
            "TYPE foo counter",
            #"foo_total => {__name__="foo_total"} 17.0 @1520879607789 # {id="counter-test"} 5.0"#,
            #"foo_created => {__name__="foo_created"} 1520872607.123"#,
            #"foo_total{a="b"} => {__name__="foo_total", a="b"} 17.0 @1520879607789 # {id="counter-test"} 5.0"#,
            #"foo_created{a="b"} => {__name__="foo_created", a="b"} 1520872607.123"#,
            #"foo_total{le="c"} => {__name__="foo_total", le="c"} 21.0"#,
            #"foo_created{le="c"} => {__name__="foo_created", le="c"} 1520872621.123"#,
            #"foo_total{le="1"} => {__name__="foo_total", le="1"} 10.0"#,
            "TYPE bar summary",
            #"bar_count => {__name__="bar_count"} 17.0"#,
            #"bar{quantile="0.95"} => {__name__="bar", quantile="0.95"} 123.7"#,
            #"bar_created => {__name__="bar_created"} 1520872608.124"#,
            "TYPE baz histogram",
            #"baz_bucket{le="0.0"} => {__name__="baz_bucket", le="0.0"} 0.0"#,
            #"baz_bucket{le="+Inf"} => {__name__="baz_bucket", le="+Inf"} 17.0"#,
            #"baz_created => {__name__="baz_created"} 1520872609.125"#,
            #"HELP fizz_created "Gauge which shouldn\'t be parsed as ST""#,
            "TYPE fizz_created gauge",
            #"fizz_created => {__name__="fizz_created"} 17.0"#,
            "TYPE something histogram",
            #"something_created => {__name__="something_created"} 1520430001.0"#,
            #"something_bucket{le="1"} => {__name__="something_bucket", le="1.0"} 2.0"#,
            #"HELP nansum "Summary with NaN value""#,
            "TYPE nansum summary",
            #"nansum{quantile="0.95"} => {__name__="nansum", quantile="0.95"} nan(0x1)"#,
            #"nansum{quantile="0.99"} => {__name__="nansum", quantile="0.99"} nan(0x1)"#,
            #"HELP metric "foo\0bar""#,
            "null_byte_metric{a=\"abc\u{0}\"} => {__name__=\"null_byte_metric\", a=\"abc\u{0}\"} 1.0",
        ]
        var parser = OpenMetricsParser(Array(input.utf8))
        let got = try collect(&parser)
        let rendered = render(got)
        #expect(rendered.count == expected.count)
        for (g, e) in zip(rendered, expected) { #expect(g == e) }
        // Parsed NaNs are Prometheus's normal NaN, never the stale marker.
        let nans = got.compactMap { entry -> UInt64? in
            if case let .series(_, _, v, _, _) = entry, v.isNaN { return v.bitPattern }
            return nil
        }
        #expect(nans == [StaleNaN.normalNaNBits, StaleNaN.normalNaNBits])
    }

    /// TestOpenMetricsParse_UTF8.
    @Test func utf8QuotedNames() throws {
        let input = #"""
            # HELP "go.gc_duration_seconds" A summary of the GC invocation durations.
            # TYPE "go.gc_duration_seconds" summary
            # UNIT "go.gc_duration_seconds" seconds
            {"go.gc_duration_seconds",quantile="0"} 4.9351e-05
            {"go.gc_duration_seconds_created"} 1520872607.123
            {"http.status",q="0.9",a="b"} 8.3835e-05
            {q="0.9","http.status",a="b"} 8.3835e-05
            {"Heizölrückstoßabdämpfung 10€ metric with \"interesting\" {character\nchoices}","strange©™\n'quoted' \"name\""="6"} 10.0
            quotedexemplar_count 1 # {"id.thing"="histogram-count-test"} 4
            quotedexemplar2_count 1 # {"id.thing"="histogram-count-test",other="hello"} 4
            # EOF

            """#
        let expected: [String] = [
            #"HELP go.gc_duration_seconds "A summary of the GC invocation durations.""#,
            "TYPE go.gc_duration_seconds summary",
            "UNIT go.gc_duration_seconds seconds",
            #"{"go.gc_duration_seconds",quantile="0"} => {__name__="go.gc_duration_seconds", quantile="0.0"} 4.9351e-05"#,
            #"{"go.gc_duration_seconds_created"} => {__name__="go.gc_duration_seconds_created"} 1520872607.123"#,
            #"{"http.status",q="0.9",a="b"} => {__name__="http.status", a="b", q="0.9"} 8.3835e-05"#,
            #"{q="0.9","http.status",a="b"} => {__name__="http.status", a="b", q="0.9"} 8.3835e-05"#,
            #"{"Heizölrückstoßabdämpfung 10€ metric with \"interesting\" {character\nchoices}","strange©™\n'quoted' \"name\""="6"} => {__name__="Heizölrückstoßabdämpfung 10€ metric with \"interesting\" {character\nchoices}", strange©™\#n'quoted' "name"="6"} 10.0"#,
            #"quotedexemplar_count => {__name__="quotedexemplar_count"} 1.0 # {id.thing="histogram-count-test"} 4.0"#,
            #"quotedexemplar2_count => {__name__="quotedexemplar2_count"} 1.0 # {id.thing="histogram-count-test", other="hello"} 4.0"#,
        ]
        let rendered = render(try parseOM(input))
        #expect(rendered.count == expected.count)
        for (g, e) in zip(rendered, expected) { #expect(g == e) }
    }

    /// TestOpenMetricsParseErrors (Prometheus 3 wording).
    @Test(arguments: [
        ErrorCase(bytes("# EOF"), ##""##),
        ErrorCase(bytes("# EOF\n"), ##""##),
        ErrorCase(bytes(""), ##"data does not end with # EOF"##),
        ErrorCase(bytes("\n"), ##"expected a valid start token, got "\n" ("INVALID") while parsing: "\n""##),
        ErrorCase(bytes("metric"), ##"expected value after metric, got "metric" ("EOF") while parsing: "metric""##),
        ErrorCase(bytes("metric 1"), ##"data does not end with # EOF"##),
        ErrorCase(bytes("metric 1\n"), ##"data does not end with # EOF"##),
        ErrorCase(bytes("metric_total 1 # {aa=\"bb\"} 4"), ##"data does not end with # EOF"##),
        ErrorCase(bytes("a\n#EOF\n"), ##"expected value after metric, got "\n" ("INVALID") while parsing: "a\n""##),
        ErrorCase(bytes("\n\n#EOF\n"), ##"expected a valid start token, got "\n" ("INVALID") while parsing: "\n""##),
        ErrorCase(bytes(" a 1\n#EOF\n"), ##"expected a valid start token, got " " ("INVALID") while parsing: " ""##),
        ErrorCase(bytes("9\n#EOF\n"), ##"expected a valid start token, got "9" ("INVALID") while parsing: "9""##),
        ErrorCase(bytes("# TYPE u untyped\n#EOF\n"), ##"invalid metric type "untyped""##),
        ErrorCase(bytes("# TYPE c counter \n#EOF\n"), ##"invalid metric type "counter ""##),
        ErrorCase(bytes("#  TYPE c counter\n#EOF\n"), ##"expected a valid start token, got "#  " ("INVALID") while parsing: "#  ""##),
        ErrorCase(bytes("# TYPE \n#EOF\n"), ##"expected metric name after TYPE, got "\n" ("INVALID") while parsing: "# TYPE \n""##),
        ErrorCase(bytes("# TYPE m\n#EOF\n"), ##"expected text in TYPE"##),
        ErrorCase(bytes("# UNIT metric suffix\n#EOF\n"), ##"unit "suffix" not a suffix of metric "metric""##),
        ErrorCase(bytes("# UNIT metricsuffix suffix\n#EOF\n"), ##"unit "suffix" not a suffix of metric "metricsuffix""##),
        ErrorCase(bytes("# UNIT m suffix\n#EOF\n"), ##"unit "suffix" not a suffix of metric "m""##),
        ErrorCase(bytes("# UNIT \n#EOF\n"), ##"expected metric name after UNIT, got "\n" ("INVALID") while parsing: "# UNIT \n""##),
        ErrorCase(bytes("# UNIT m\n#EOF\n"), ##"expected text in UNIT"##),
        ErrorCase(bytes("# HELP \n#EOF\n"), ##"expected metric name after HELP, got "\n" ("INVALID") while parsing: "# HELP \n""##),
        ErrorCase(bytes("# HELP m\n#EOF\n"), ##"expected text in HELP"##),
        ErrorCase(bytes("a\t1\n#EOF\n"), ##"expected value after metric, got "\t" ("INVALID") while parsing: "a\t""##),
        ErrorCase(bytes("a 1\t2\n#EOF\n"), ##"strconv.ParseFloat: parsing "1\t2": invalid syntax while parsing: "a 1\t2""##),
        ErrorCase(bytes("a 1 2 \n#EOF\n"), ##"expected next entry after timestamp, got " \n" ("INVALID") while parsing: "a 1 2 \n""##),
        ErrorCase(bytes("a 1 2 #\n#EOF\n"), ##"expected next entry after timestamp, got " #\n" ("TIMESTAMP") while parsing: "a 1 2 #\n""##),
        ErrorCase(bytes("a 1 1z\n#EOF\n"), ##"strconv.ParseFloat: parsing "1z": invalid syntax while parsing: "a 1 1z""##),
        ErrorCase(bytes(" # EOF\n"), ##"expected a valid start token, got " " ("INVALID") while parsing: " ""##),
        ErrorCase(bytes("# EOF\na 1"), ##"unexpected data after # EOF"##),
        ErrorCase(bytes("# EOF\n\n"), ##"unexpected data after # EOF"##),
        ErrorCase(bytes("# EOFa 1"), ##"unexpected data after # EOF"##),
        ErrorCase(bytes("#\tTYPE c counter\n"), ##"expected a valid start token, got "#\t" ("INVALID") while parsing: "#\t""##),
        ErrorCase(bytes("# TYPE c  counter\n"), ##"invalid metric type " counter""##),
        ErrorCase(bytes("a 1 1 1\n# EOF\n"), ##"expected next entry after timestamp, got " 1\n" ("TIMESTAMP") while parsing: "a 1 1 1\n""##),
        ErrorCase(bytes("a{b='c'} 1\n# EOF\n"), ##"expected label value, got "'" ("INVALID") while parsing: "a{b='""##),
        ErrorCase(bytes("a{,b=\"c\"} 1\n# EOF\n"), ##"expected label name, got ",b" ("COMMA") while parsing: "a{,b""##),
        ErrorCase(bytes("a{b=\"c\"d=\"e\"} 1\n# EOF\n"), ##"expected comma or brace close, got "d=" ("LNAME") while parsing: "a{b=\"c\"d=""##),
        ErrorCase(bytes("a{b=\"c\",,d=\"e\"} 1\n# EOF\n"), ##"expected label name, got ",d" ("COMMA") while parsing: "a{b=\"c\",,d""##),
        ErrorCase(bytes("a{b=\n# EOF\n"), ##"expected label value, got "\n" ("INVALID") while parsing: "a{b=\n""##),
        ErrorCase(bytes("a{", 0xFF, "=\"foo\"} 1\n# EOF\n"), ##"expected label name, got "\xff" ("INVALID") while parsing: "a{\xff""##),
        ErrorCase(bytes("a{b=\"", 0xFF, "\"} 1\n# EOF\n"), ##"invalid UTF-8 label value: "\"\xff\"""##),
        ErrorCase(bytes("{\"a\",\"b = \"c\"}\n# EOF\n"), ##"expected equal, got "c\"" ("LNAME") while parsing: "{\"a\",\"b = \"c\"""##),
        ErrorCase(bytes("{\"a\",b\\nc=\"d\"} 1\n# EOF\n"), ##"expected equal, got "\\" ("INVALID") while parsing: "{\"a\",b\\""##),
        ErrorCase(bytes("a true\n"), ##"strconv.ParseFloat: parsing "true": invalid syntax while parsing: "a true""##),
        ErrorCase(bytes("something_weird{problem=\"\n# EOF\n"), ##"expected label value, got "\"\n" ("INVALID") while parsing: "something_weird{problem=\"\n""##),
        ErrorCase(bytes("empty_label_name{=\"\"} 0\n# EOF\n"), ##"expected label name, got "=\"" ("EQUAL") while parsing: "empty_label_name{=\"""##),
        ErrorCase(bytes("{A}0\n# EOF\n"), ##"expected equal, got "}0" ("BCLOSE") while parsing: "{A}0""##),
        ErrorCase(bytes("foo 1_2\n\n# EOF\n"), ##"unsupported character in float while parsing: "foo 1_2""##),
        ErrorCase(bytes("foo 0x1p-3\n\n# EOF\n"), ##"unsupported character in float while parsing: "foo 0x1p-3""##),
        ErrorCase(bytes("foo 0x1P-3\n\n# EOF\n"), ##"unsupported character in float while parsing: "foo 0x1P-3""##),
        ErrorCase(bytes("foo 0 1_2\n\n# EOF\n"), ##"unsupported character in float while parsing: "foo 0 1_2""##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=bb}\n# EOF\n"), ##"expected label value, got "b" ("INVALID") while parsing: "custom_metric_total 1 # {aa=b""##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\"}\n# EOF\n"), ##"expected value after exemplar labels, got "\n" ("INVALID") while parsing: "custom_metric_total 1 # {aa=\"bb\"}\n""##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\"}"), ##"expected value after exemplar labels, got "}" ("EOF") while parsing: "custom_metric_total 1 # {aa=\"bb\"}""##),
        ErrorCase(bytes("custom_metric_total 1 # {bb}"), ##"expected equal, got "}" ("BCLOSE") while parsing: "custom_metric_total 1 # {bb}""##),
        ErrorCase(bytes("custom_metric_total 1 # {bb, a=\"dd\"}"), ##"expected equal, got ", " ("COMMA") while parsing: "custom_metric_total 1 # {bb, ""##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\",,cc=\"dd\"} 1"), ##"expected label name, got ",c" ("COMMA") while parsing: "custom_metric_total 1 # {aa=\"bb\",,c""##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\"} 1_2"), ##"unsupported character in float while parsing: "custom_metric_total 1 # {aa=\"bb\"} 1_2""##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\"} 0x1p-3"), ##"unsupported character in float while parsing: "custom_metric_total 1 # {aa=\"bb\"} 0x1p-3""##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\"} true"), ##"strconv.ParseFloat: parsing "true": invalid syntax while parsing: "custom_metric_total 1 # {aa=\"bb\"} true""##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\",cc=}"), ##"expected label value, got "}" ("INVALID") while parsing: "custom_metric_total 1 # {aa=\"bb\",cc=}""##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\\\"\\xff\\\"} 9.0"), ##"expected label value, got "\\" ("INVALID") while parsing: "custom_metric_total 1 # {aa=\\""##),
        ErrorCase(bytes("{b=\"c\",} 1"), ##"metric name not set while parsing: "{b=\"c\",} 1""##),
        ErrorCase(bytes("a 1 NaN"), ##"invalid timestamp NaN"##),
        ErrorCase(bytes("a 1 -Inf"), ##"invalid timestamp -Inf"##),
        ErrorCase(bytes("a 1 Inf"), ##"invalid timestamp +Inf"##),
        ErrorCase(bytes("# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 NaN"), ##"invalid exemplar timestamp NaN"##),
        ErrorCase(bytes("# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 -Inf"), ##"invalid exemplar timestamp -Inf"##),
    ])
    func prometheus3Errors(_ c: ErrorCase) {
        var parser = OpenMetricsParser(c.input)
        #expect(firstError(&parser)?.message ?? "" == c.message)
    }

    /// TestOMNullByteHandling.
    @Test(arguments: [
        ErrorCase(bytes("null_byte_metric{a=\"abc\0\"} 1\n# EOF\n"), ##""##),
        ErrorCase(bytes("a{b=\"\0ss\"} 1\n# EOF\n"), ##""##),
        ErrorCase(bytes("a{b=\"\0\"} 1\n# EOF\n"), ##""##),
        ErrorCase(bytes("a{b=\"\0\"} 1\n# EOF"), ##""##),
        ErrorCase(bytes("a{b=\0\"ssss\"} 1\n# EOF\n"), ##"expected label value, got "\x00" ("INVALID") while parsing: "a{b=\x00""##),
        ErrorCase(bytes("a{b=\"\0"), ##"expected label value, got "\"\x00" ("INVALID") while parsing: "a{b=\"\x00""##),
        ErrorCase(bytes("a{b\0=\"hiih\"}\t1"), ##"expected equal, got "\x00" ("INVALID") while parsing: "a{b\x00""##),
        ErrorCase(bytes("a\0{b=\"ddd\"} 1"), ##"expected value after metric, got "\x00" ("INVALID") while parsing: "a\x00""##),
        ErrorCase(bytes("#"), ##"expected a valid start token, got "#" ("INVALID") while parsing: "#""##),
        ErrorCase(bytes("# H"), ##"expected a valid start token, got "# H" ("INVALID") while parsing: "# H""##),
        ErrorCase(bytes("custom_metric_total 1 # {b=\0\"ssss\"} 1\n"), ##"expected label value, got "\x00" ("INVALID") while parsing: "custom_metric_total 1 # {b=\x00""##),
        ErrorCase(bytes("custom_metric_total 1 # {b=\"\0ss\"} 1\n"), ##"expected label value, got "\"\x00" ("INVALID") while parsing: "custom_metric_total 1 # {b=\"\x00""##),
    ])
    func nullBytes(_ c: ErrorCase) {
        var parser = OpenMetricsParser(c.input)
        #expect(firstError(&parser)?.message ?? "" == c.message)
    }

    /// TestOpenMetricsParseErrors of Prometheus 2.42 — the grammar promtool 2.42 backfills with.
    @Test(arguments: [
        ErrorCase(bytes("# EOF"), ##""##),
        ErrorCase(bytes("# EOF\n"), ##""##),
        ErrorCase(bytes(""), ##"data does not end with # EOF"##),
        ErrorCase(bytes("\n"), ##""INVALID" "\n" is not a valid start token"##),
        ErrorCase(bytes("metric"), ##"expected value after metric, got "EOF""##),
        ErrorCase(bytes("metric 1"), ##"data does not end with # EOF"##),
        ErrorCase(bytes("metric 1\n"), ##"data does not end with # EOF"##),
        ErrorCase(bytes("metric_total 1 # {aa=\"bb\"} 4"), ##"data does not end with # EOF"##),
        ErrorCase(bytes("a\n#EOF\n"), ##"expected value after metric, got "INVALID""##),
        ErrorCase(bytes("\n\n#EOF\n"), ##""INVALID" "\n" is not a valid start token"##),
        ErrorCase(bytes(" a 1\n#EOF\n"), ##""INVALID" " " is not a valid start token"##),
        ErrorCase(bytes("9\n#EOF\n"), ##""INVALID" "9" is not a valid start token"##),
        ErrorCase(bytes("# TYPE u untyped\n#EOF\n"), ##"invalid metric type "untyped""##),
        ErrorCase(bytes("# TYPE c counter \n#EOF\n"), ##"invalid metric type "counter ""##),
        ErrorCase(bytes("#  TYPE c counter\n#EOF\n"), ##""INVALID" " " is not a valid start token"##),
        ErrorCase(bytes("# TYPE \n#EOF\n"), ##"expected metric name after TYPE, got "INVALID""##),
        ErrorCase(bytes("# TYPE m\n#EOF\n"), ##"expected text in TYPE"##),
        ErrorCase(bytes("# UNIT metric suffix\n#EOF\n"), ##"unit not a suffix of metric "metric""##),
        ErrorCase(bytes("# UNIT metricsuffix suffix\n#EOF\n"), ##"unit not a suffix of metric "metricsuffix""##),
        ErrorCase(bytes("# UNIT m suffix\n#EOF\n"), ##"unit not a suffix of metric "m""##),
        ErrorCase(bytes("# UNIT \n#EOF\n"), ##"expected metric name after UNIT, got "INVALID""##),
        ErrorCase(bytes("# UNIT m\n#EOF\n"), ##"expected text in UNIT"##),
        ErrorCase(bytes("# HELP \n#EOF\n"), ##"expected metric name after HELP, got "INVALID""##),
        ErrorCase(bytes("# HELP m\n#EOF\n"), ##"expected text in HELP"##),
        ErrorCase(bytes("a\t1\n#EOF\n"), ##"expected value after metric, got "INVALID""##),
        ErrorCase(bytes("a 1\t2\n#EOF\n"), ##"strconv.ParseFloat: parsing "1\t2": invalid syntax"##),
        ErrorCase(bytes("a 1 2 \n#EOF\n"), ##"expected next entry after timestamp, got "INVALID""##),
        ErrorCase(bytes("a 1 2 #\n#EOF\n"), ##"expected next entry after timestamp, got "TIMESTAMP""##),
        ErrorCase(bytes("a 1 1z\n#EOF\n"), ##"strconv.ParseFloat: parsing "1z": invalid syntax"##),
        ErrorCase(bytes(" # EOF\n"), ##""INVALID" " " is not a valid start token"##),
        ErrorCase(bytes("# EOF\na 1"), ##"unexpected data after # EOF"##),
        ErrorCase(bytes("# EOF\n\n"), ##"unexpected data after # EOF"##),
        ErrorCase(bytes("# EOFa 1"), ##"unexpected data after # EOF"##),
        ErrorCase(bytes("#\tTYPE c counter\n"), ##""INVALID" "\t" is not a valid start token"##),
        ErrorCase(bytes("# TYPE c  counter\n"), ##"invalid metric type " counter""##),
        ErrorCase(bytes("a 1 1 1\n# EOF\n"), ##"expected next entry after timestamp, got "TIMESTAMP""##),
        ErrorCase(bytes("a{b='c'} 1\n# EOF\n"), ##"expected label value, got "INVALID""##),
        ErrorCase(bytes("a{b=\"c\",} 1\n# EOF\n"), ##"expected label name, got "BCLOSE""##),
        ErrorCase(bytes("a{,b=\"c\"} 1\n# EOF\n"), ##"expected label name or left brace, got "COMMA""##),
        ErrorCase(bytes("a{b=\"c\"d=\"e\"} 1\n# EOF\n"), ##"expected comma, got "LNAME""##),
        ErrorCase(bytes("a{b=\"c\",,d=\"e\"} 1\n# EOF\n"), ##"expected label name, got "COMMA""##),
        ErrorCase(bytes("a{b=\n# EOF\n"), ##"expected label value, got "INVALID""##),
        ErrorCase(bytes("a{", 0xFF, "=\"foo\"} 1\n# EOF\n"), ##"expected label name or left brace, got "INVALID""##),
        ErrorCase(bytes("a{b=\"", 0xFF, "\"} 1\n# EOF\n"), ##"invalid UTF-8 label value"##),
        ErrorCase(bytes("a true\n"), ##"strconv.ParseFloat: parsing "true": invalid syntax"##),
        ErrorCase(bytes("something_weird{problem=\"\n# EOF\n"), ##"expected label value, got "INVALID""##),
        ErrorCase(bytes("empty_label_name{=\"\"} 0\n# EOF\n"), ##"expected label name or left brace, got "EQUAL""##),
        ErrorCase(bytes("foo 1_2\n\n# EOF\n"), ##"unsupported character in float"##),
        ErrorCase(bytes("foo 0x1p-3\n\n# EOF\n"), ##"unsupported character in float"##),
        ErrorCase(bytes("foo 0x1P-3\n\n# EOF\n"), ##"unsupported character in float"##),
        ErrorCase(bytes("foo 0 1_2\n\n# EOF\n"), ##"unsupported character in float"##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=bb}\n# EOF\n"), ##"expected label value, got "INVALID""##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\"}\n# EOF\n"), ##"expected value after exemplar labels, got "INVALID""##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\"}"), ##"expected value after exemplar labels, got "EOF""##),
        ErrorCase(bytes("custom_metric 1 # {aa=\"bb\"}"), ##"metric name custom_metric does not support exemplars"##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\",,cc=\"dd\"} 1"), ##"expected label name, got "COMMA""##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\"} 1_2"), ##"unsupported character in float"##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\"} 0x1p-3"), ##"unsupported character in float"##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\"} true"), ##"strconv.ParseFloat: parsing "true": invalid syntax"##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\"bb\",cc=}"), ##"expected label value, got "INVALID""##),
        ErrorCase(bytes("custom_metric_total 1 # {aa=\\\"\\xff\\\"} 9.0"), ##"expected label value, got "INVALID""##),
        ErrorCase(bytes("{b=\"c\",} 1"), ##""INVALID" "{" is not a valid start token"##),
        ErrorCase(bytes("a 1 NaN"), ##"invalid timestamp"##),
        ErrorCase(bytes("a 1 -Inf"), ##"invalid timestamp"##),
        ErrorCase(bytes("a 1 Inf"), ##"invalid timestamp"##),
        ErrorCase(bytes("# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 NaN"), ##"invalid exemplar timestamp"##),
        ErrorCase(bytes("# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 -Inf"), ##"invalid exemplar timestamp"##),
        ErrorCase(bytes("# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 Inf"), ##"invalid exemplar timestamp"##),
    ])
    func prometheus242Errors(_ c: ErrorCase) {
        var parser = OpenMetricsParser(c.input, dialect: .prometheus2_42)
        #expect(firstError(&parser)?.message ?? "" == c.message)
    }
}
