// PromTextParserTests: Prometheus's promparse_test.go cases (valid expositions with their
// entries, invalid ones with Prometheus's exact error text) plus format edge cases.

import Exposition
import MetricModel
import Testing

@Suite("Prometheus text format 0.0.4")
struct PromTextParserTests {
    /// TestPromParse (type-and-unit labels off).
    @Test func prometheusExample() throws {
        var input = #"""
            # HELP go_gc_duration_seconds A summary of the GC invocation durations.
            # \#tTYPE go_gc_duration_seconds summary
            go_gc_duration_seconds{quantile="0"} 4.9351e-05
            go_gc_duration_seconds{quantile="0.25",} 7.424100000000001e-05
            go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05
            go_gc_duration_seconds{quantile="0.8", a="b"} 8.3835e-05
            go_gc_duration_seconds{ quantile="0.9", a="b"} 8.3835e-05
            # HELP prometheus_http_request_duration_seconds Histogram of latencies for HTTP requests.
            # TYPE prometheus_http_request_duration_seconds histogram
            prometheus_http_request_duration_seconds_bucket{handler="/",le="1"} 423
            prometheus_http_request_duration_seconds_bucket{handler="/",le="2"} 1423
            prometheus_http_request_duration_seconds_bucket{handler="/",le="+Inf"} 1423
            prometheus_http_request_duration_seconds_sum{handler="/"} 2000
            prometheus_http_request_duration_seconds_count{handler="/"} 1423
            # Hrandom comment starting with prefix of HELP
            #
            wind_speed{A="2",c="3"} 12345
            # comment with escaped \n newline
            # comment with escaped \ escape character
            # HELP nohelp1
            # HELP nohelp2 
            go_gc_duration_seconds{ quantile="1.0", a="b" } 8.3835e-05
            go_gc_duration_seconds { quantile="1.0", a="b" } 8.3835e-05
            go_gc_duration_seconds { quantile= "1.0", a= "b", } 8.3835e-05
            go_gc_duration_seconds { quantile = "1.0", a = "b" } 8.3835e-05
            go_gc_duration_seconds { quantile = "2.0" a = "b" } 8.3835e-05
            go_gc_duration_seconds_count 99
            some:aggregate:rate5m{a_b="c"}\#t1
            # HELP go_goroutines Number of goroutines that currently exist.
            # TYPE go_goroutines gauge
            go_goroutines 33  \#t123123
            # TYPE some_counter_total counter
            # HELP some_counter_total Help after type.
            some_counter_total 12
            # HELP nohelp3
            _metric_starting_with_underscore 1
            testmetric{_label_starting_with_underscore="foo"} 1
            testmetric{label="\"bar\""} 1
            testmetric{le="10"} 1
            # HELP type_and_unit_test1 Type specified in metadata overrides.
            # TYPE type_and_unit_test1 gauge
            type_and_unit_test1{__type__="counter"} 123
            # HELP type_and_unit_test2 Type specified in label.
            type_and_unit_test2{__type__="counter"} 123
            """#
        input += "\n# HELP metric foo\u{0}bar"
        input += "\nnull_byte_metric{a=\"abc\u{0}\"} 1"

        let gc = "go_gc_duration_seconds"
        let http = "prometheus_http_request_duration_seconds"
        let expected: [Parsed] = [
            .help(gc, "A summary of the GC invocation durations."),
            .type(gc, .summary),
            sample(#"go_gc_duration_seconds{quantile="0"}"#, [("__name__", gc), ("quantile", "0.0")], 4.9351e-05),
            sample(
                #"go_gc_duration_seconds{quantile="0.25",}"#, [("__name__", gc), ("quantile", "0.25")],
                7.424100000000001e-05),
            sample(
                #"go_gc_duration_seconds{quantile="0.5",a="b"}"#, [("__name__", gc), ("quantile", "0.5"), ("a", "b")],
                8.3835e-05),
            sample(
                #"go_gc_duration_seconds{quantile="0.8", a="b"}"#, [("__name__", gc), ("quantile", "0.8"), ("a", "b")],
                8.3835e-05),
            sample(
                #"go_gc_duration_seconds{ quantile="0.9", a="b"}"#, [("__name__", gc), ("quantile", "0.9"), ("a", "b")],
                8.3835e-05),
            .help(http, "Histogram of latencies for HTTP requests."),
            .type(http, .histogram),
            sample(
                #"prometheus_http_request_duration_seconds_bucket{handler="/",le="1"}"#,
                [("__name__", http + "_bucket"), ("handler", "/"), ("le", "1.0")], 423),
            sample(
                #"prometheus_http_request_duration_seconds_bucket{handler="/",le="2"}"#,
                [("__name__", http + "_bucket"), ("handler", "/"), ("le", "2.0")], 1423),
            sample(
                #"prometheus_http_request_duration_seconds_bucket{handler="/",le="+Inf"}"#,
                [("__name__", http + "_bucket"), ("handler", "/"), ("le", "+Inf")], 1423),
            sample(
                #"prometheus_http_request_duration_seconds_sum{handler="/"}"#,
                [("__name__", http + "_sum"), ("handler", "/")], 2000),
            sample(
                #"prometheus_http_request_duration_seconds_count{handler="/"}"#,
                [("__name__", http + "_count"), ("handler", "/")], 1423),
            .comment("# Hrandom comment starting with prefix of HELP"),
            .comment("#"),
            sample(#"wind_speed{A="2",c="3"}"#, [("A", "2"), ("__name__", "wind_speed"), ("c", "3")], 12345),
            .comment(#"# comment with escaped \n newline"#),
            .comment(#"# comment with escaped \ escape character"#),
            .help("nohelp1", ""),
            .help("nohelp2", ""),
            sample(
                #"go_gc_duration_seconds{ quantile="1.0", a="b" }"#, [("__name__", gc), ("quantile", "1.0"), ("a", "b")],
                8.3835e-05),
            sample(
                #"go_gc_duration_seconds { quantile="1.0", a="b" }"#, [("__name__", gc), ("quantile", "1.0"), ("a", "b")],
                8.3835e-05),
            sample(
                #"go_gc_duration_seconds { quantile= "1.0", a= "b", }"#,
                [("__name__", gc), ("quantile", "1.0"), ("a", "b")], 8.3835e-05),
            sample(
                #"go_gc_duration_seconds { quantile = "1.0", a = "b" }"#,
                [("__name__", gc), ("quantile", "1.0"), ("a", "b")], 8.3835e-05),
            // Unlike OpenMetrics, Prometheus text allows label pairs without a comma between them.
            sample(
                #"go_gc_duration_seconds { quantile = "2.0" a = "b" }"#,
                [("__name__", gc), ("quantile", "2.0"), ("a", "b")], 8.3835e-05),
            sample("go_gc_duration_seconds_count", [("__name__", "go_gc_duration_seconds_count")], 99),
            sample(#"some:aggregate:rate5m{a_b="c"}"#, [("__name__", "some:aggregate:rate5m"), ("a_b", "c")], 1),
            .help("go_goroutines", "Number of goroutines that currently exist."),
            .type("go_goroutines", .gauge),
            sample("go_goroutines", [("__name__", "go_goroutines")], 33, 123123),
            .type("some_counter_total", .counter),
            .help("some_counter_total", "Help after type."),
            sample("some_counter_total", [("__name__", "some_counter_total")], 12),
            .help("nohelp3", ""),
            sample("_metric_starting_with_underscore", [("__name__", "_metric_starting_with_underscore")], 1),
            sample(
                #"testmetric{_label_starting_with_underscore="foo"}"#,
                [("__name__", "testmetric"), ("_label_starting_with_underscore", "foo")], 1),
            sample(#"testmetric{label="\"bar\""}"#, [("__name__", "testmetric"), ("label", #""bar""#)], 1),
            // The last TYPE was a counter, so `le` is left as written.
            sample(#"testmetric{le="10"}"#, [("__name__", "testmetric"), ("le", "10")], 1),
            .help("type_and_unit_test1", "Type specified in metadata overrides."),
            .type("type_and_unit_test1", .gauge),
            sample(
                #"type_and_unit_test1{__type__="counter"}"#,
                [("__name__", "type_and_unit_test1"), ("__type__", "counter")], 123),
            .help("type_and_unit_test2", "Type specified in label."),
            sample(
                #"type_and_unit_test2{__type__="counter"}"#,
                [("__name__", "type_and_unit_test2"), ("__type__", "counter")], 123),
            .help("metric", "foo\u{0}bar"),
            sample("null_byte_metric{a=\"abc\u{0}\"}", [("__name__", "null_byte_metric"), ("a", "abc\u{0}")], 1),
        ]
        let got = try parseProm(input)
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) { #expect(g == e) }
    }

    /// TestUTF8PromParse: quoted metric and label names.
    @Test func utf8QuotedNames() throws {
        let input = #"""
            # HELP "go.gc_duration_seconds" A summary of the GC invocation durations.
            # \#tTYPE "go.gc_duration_seconds" summary
            {"go.gc_duration_seconds",quantile="0"} 4.9351e-05
            {"go.gc_duration_seconds",quantile="0.25",} 7.424100000000001e-05
            {"go.gc_duration_seconds", quantile="0.9", a="b"} 8.3835e-05
            { "go.gc_duration_seconds", quantile = "1.0", a = "b" } 8.3835e-05
            {"go.gc_duration_seconds_count"} 99
            {"Heizölrückstoßabdämpfung 10€ metric with \"interesting\" {character\nchoices}","strange©™\n'quoted' \"name\""="6"} 10.0
            """#
        let gc = "go.gc_duration_seconds"
        let expected: [Parsed] = [
            .help(gc, "A summary of the GC invocation durations."),
            .type(gc, .summary),
            sample(#"{"go.gc_duration_seconds",quantile="0"}"#, [("__name__", gc), ("quantile", "0.0")], 4.9351e-05),
            sample(
                #"{"go.gc_duration_seconds",quantile="0.25",}"#, [("__name__", gc), ("quantile", "0.25")],
                7.424100000000001e-05),
            sample(
                #"{"go.gc_duration_seconds", quantile="0.9", a="b"}"#,
                [("__name__", gc), ("quantile", "0.9"), ("a", "b")], 8.3835e-05),
            sample(
                #"{ "go.gc_duration_seconds", quantile = "1.0", a = "b" }"#,
                [("__name__", gc), ("quantile", "1.0"), ("a", "b")], 8.3835e-05),
            sample(#"{"go.gc_duration_seconds_count"}"#, [("__name__", "go.gc_duration_seconds_count")], 99),
            sample(
                #"{"Heizölrückstoßabdämpfung 10€ metric with \"interesting\" {character\nchoices}","strange©™\n'quoted' \"name\""="6"}"#,
                [
                    ("__name__", "Heizölrückstoßabdämpfung 10€ metric with \"interesting\" {character\nchoices}"),
                    ("strange©™\n'quoted' \"name\"", "6"),
                ], 10),
        ]
        #expect(try parseProm(input) == expected)
    }

    /// Plain label sets take a one-pass scan; what it reads must equal what the lexer reads, and
    /// anything it does not take (spaces, escapes, non-ASCII, no comma) goes to the lexer.
    @Test func plainLabelSetsReadAsTheLexerReadsThem() throws {
        let input = #"""
            a{} 1
            b{x="1",} 2
            c{path="/a,b}c=d",code2="x y"} 3 1700000000000
            d{le="1"} 4
            e{x="\"q\""} 5
            f{x="é"} 6
            g{x="1"y="2"} 7
            h{ x="1"} 8

            """#
        #expect(try parseProm(input) == [
            sample("a{}", [("__name__", "a")], 1),
            sample(#"b{x="1",}"#, [("__name__", "b"), ("x", "1")], 2),
            sample(#"c{path="/a,b}c=d",code2="x y"}"#, [("__name__", "c"), ("code2", "x y"), ("path", "/a,b}c=d")], 3, 1_700_000_000_000),
            sample(#"d{le="1"}"#, [("__name__", "d"), ("le", "1")], 4),
            sample(#"e{x="\"q\""}"#, [("__name__", "e"), ("x", #""q""#)], 5),
            sample(#"f{x="é"}"#, [("__name__", "f"), ("x", "é")], 6),
            sample(#"g{x="1"y="2"}"#, [("__name__", "g"), ("x", "1"), ("y", "2")], 7),
            sample(#"h{ x="1"}"#, [("__name__", "h"), ("x", "1")], 8),
        ])
        var unclosed = PromTextParser(Array("a{b=\"c\" 1\n".utf8))
        #expect(firstError(&unclosed)?.message == #"expected label name, got "1" ("INVALID") while parsing: "a{b=\"c\" 1""#)
    }

    /// TestPromParseErrors.
    @Test(arguments: [
        ErrorCase(bytes("a"), ##"expected value after metric, got "\n" ("INVALID") while parsing: "a\n""##),
        ErrorCase(bytes("a{b='c'} 1\n"), ##"expected label value, got "'" ("INVALID") while parsing: "a{b='""##),
        ErrorCase(bytes("a{b=\n"), ##"expected label value, got "\n" ("INVALID") while parsing: "a{b=\n""##),
        ErrorCase(bytes("a{", 0xFF, "=\"foo\"} 1\n"), ##"expected label name, got "\xff" ("INVALID") while parsing: "a{\xff""##),
        ErrorCase(bytes("a{b=\"", 0xFF, "\"} 1\n"), ##"invalid UTF-8 label value: "\"\xff\"""##),
        ErrorCase(bytes("{\"a\", \"b = \"c\"}"), ##"expected equal, got "c\"" ("LNAME") while parsing: "{\"a\", \"b = \"c\"""##),
        ErrorCase(bytes("{\"a\",b\\nc=\"d\"} 1"), ##"expected equal, got "\\" ("INVALID") while parsing: "{\"a\",b\\""##),
        ErrorCase(bytes("a true\n"), ##"strconv.ParseFloat: parsing "true": invalid syntax while parsing: "a true""##),
        ErrorCase(bytes("something_weird{problem=\""), ##"expected label value, got "\"\n" ("INVALID") while parsing: "something_weird{problem=\"\n""##),
        ErrorCase(bytes("empty_label_name{=\"\"} 0"), ##"expected label name, got "=\"" ("EQUAL") while parsing: "empty_label_name{=\"""##),
        ErrorCase(bytes("{A}0"), ##"expected equal, got "}0" ("BCLOSE") while parsing: "{A}0""##),
        ErrorCase(bytes("foo 1_2\n"), ##"unsupported character in float while parsing: "foo 1_2""##),
        ErrorCase(bytes("foo 0x1p-3\n"), ##"unsupported character in float while parsing: "foo 0x1p-3""##),
        ErrorCase(bytes("foo 0x1P-3\n"), ##"unsupported character in float while parsing: "foo 0x1P-3""##),
        ErrorCase(bytes("foo 0 1_2\n"), ##"expected next entry after timestamp, got "_" ("INVALID") while parsing: "foo 0 1_""##),
        ErrorCase(bytes("{a=\"ok\"} 1"), ##"metric name not set while parsing: "{a=\"ok\"} 1""##),
        ErrorCase(bytes("# TYPE #\n#EOF\n"), ##"expected metric name after TYPE, got "#" ("INVALID") while parsing: "# TYPE #""##),
        ErrorCase(bytes("# HELP #\n#EOF\n"), ##"expected metric name after HELP, got "#" ("INVALID") while parsing: "# HELP #""##),
    ])
    func prometheusErrors(_ c: ErrorCase) {
        var parser = PromTextParser(c.input)
        #expect(firstError(&parser)?.message == c.message)
    }

    /// TestPromNullByteHandling.
    @Test(arguments: [
        ErrorCase(bytes("null_byte_metric{a=\"abc\0\"} 1"), ##""##),
        ErrorCase(bytes("a{b=\"\0ss\"} 1\n"), ##""##),
        ErrorCase(bytes("a{b=\"\0\"} 1\n"), ##""##),
        ErrorCase(bytes("a{b=\"\0\"} 1\n"), ##""##),
        ErrorCase(bytes("a{b=\0\"ssss\"} 1\n"), ##"expected label value, got "\x00" ("INVALID") while parsing: "a{b=\x00""##),
        ErrorCase(bytes("a{b=\"\0"), ##"expected label value, got "\"\x00\n" ("INVALID") while parsing: "a{b=\"\x00\n""##),
        ErrorCase(bytes("a{b\0=\"hiih\"}\t1"), ##"expected equal, got "\x00" ("INVALID") while parsing: "a{b\x00""##),
        ErrorCase(bytes("a\0{b=\"ddd\"} 1"), ##"expected value after metric, got "\x00" ("INVALID") while parsing: "a\x00""##),
        ErrorCase(bytes("a 0 1\0"), ##"expected next entry after timestamp, got "\x00" ("INVALID") while parsing: "a 0 1\x00""##),
    ])
    func nullBytes(_ c: ErrorCase) {
        var parser = PromTextParser(c.input)
        #expect(firstError(&parser)?.message ?? "" == c.message)
    }
}
