// Printer tests: selectors print as Prometheus's `String()` does (printer_test.go cases), and
// printing then parsing again gives the same selector.

import MetricModel
import PromQL
import Testing

@Suite("Printer")
struct PrinterTests {
    /// Every case of Prometheus 3.14.0 `promql/parser/printer_test.go` (TestExprString and
    /// TestBinaryExprUTF8Labels): input, then the printed form (nil: same as the input).
    static let prometheusCases: [(String, String?)] = [
        ("sum by() (task:errors:rate10s{job=\"s\"})", "sum(task:errors:rate10s{job=\"s\"})"),
        ("sum by(code) (task:errors:rate10s{job=\"s\"})", "sum by (code) (task:errors:rate10s{job=\"s\"})"),
        ("sum without() (task:errors:rate10s{job=\"s\"})", "sum without () (task:errors:rate10s{job=\"s\"})"),
        ("sum without(instance) (task:errors:rate10s{job=\"s\"})", "sum without (instance) (task:errors:rate10s{job=\"s\"})"),
        ("sum by(\"foo.bar\") (task:errors:rate10s{job=\"s\"})", "sum by (\"foo.bar\") (task:errors:rate10s{job=\"s\"})"),
        ("sum without(\"foo.bar\") (task:errors:rate10s{job=\"s\"})", "sum without (\"foo.bar\") (task:errors:rate10s{job=\"s\"})"),
        ("topk(5, task:errors:rate10s{job=\"s\"})", nil),
        ("count_values(\"value\", task:errors:rate10s{job=\"s\"})", nil),
        ("a - on() c", "a - on () c"),
        ("a - on(b) c", "a - on (b) c"),
        ("a - on(b) group_left(x) c", "a - on (b) group_left (x) c"),
        ("a - on(b) group_left(x, y) c", "a - on (b) group_left (x, y) c"),
        ("a - on(b) group_left c", "a - on (b) group_left () c"),
        ("a - on(b) group_left() (c)", "a - on (b) group_left () (c)"),
        ("a - ignoring(b) c", "a - ignoring (b) c"),
        ("a - ignoring() c", "a - c"),
        ("a - ignoring() group_left c", "a - ignoring () group_left () c"),
        ("a + fill(-23) b", "a + fill (-23) b"),
        ("a + fill_left(-23) b", "a + fill_left (-23) b"),
        ("a + fill_right(42) b", "a + fill_right (42) b"),
        ("a + fill_left(-23) fill_right(42) b", "a + fill_left (-23) fill_right (42) b"),
        ("a + fill_left(5) fill_right(5) b", "a + fill (5) b"),
        ("a + on(b) group_left fill(-23) c", "a + on (b) group_left () fill (-23) c"),
        ("up > bool 0", nil),
        ("a offset 1m", nil),
        ("a offset -7m", nil),
        ("a{c=\"d\"}[5m] offset 1m", nil),
        ("a[5m] offset 1m", nil),
        ("a[12m] offset -3m", nil),
        ("a[1h:5m] offset 1m", nil),
        ("a anchored", nil),
        ("a[5m] anchored", nil),
        ("a{b=\"c\"}[5m] anchored", nil),
        ("a{b=\"c\"}[5m] anchored offset 1m", nil),
        ("a{b=\"c\"}[5m] anchored @ start() offset 1m", nil),
        ("a smoothed", nil),
        ("a[5m] smoothed", nil),
        ("a{b=\"c\"}[5m] smoothed", nil),
        ("a{b=\"c\"}[5m] smoothed offset 1m", nil),
        ("a{b=\"c\"}[5m] smoothed @ start() offset 1m", nil),
        ("{__name__=\"a\"}", nil),
        ("a{b!=\"c\"}[1m]", nil),
        ("a{b=~\"c\"}[1m]", nil),
        ("a{b!~\"c\"}[1m]", nil),
        ("a @ 10", "a @ 10.000"),
        ("a[1m] @ 10", "a[1m] @ 10.000"),
        ("a @ start()", nil),
        ("a @ end()", nil),
        ("a[1m] @ start()", nil),
        ("a[1m] @ end()", nil),
        ("{__name__=\"\",a=\"x\"}", nil),
        ("{\"a.b\"=\"c\"}", nil),
        ("{\"0\"=\"1\"}", nil),
        ("{\"_0\"=\"1\"}", "{_0=\"1\"}"),
        ("{\"\"=\"0\"}", nil),
        ("{``=\"0\"}", "{\"\"=\"0\"}"),
        ("1048576", "1048576"),
        ("foo[step()]", nil),
        ("foo[-step()]", nil),
        ("foo[(step())]", nil),
        ("foo[-(step())]", nil),
        ("foo offset step()", nil),
        ("foo offset -step()", nil),
        ("foo offset (step())", nil),
        ("foo offset -(step())", nil),
        ("foo offset +(5)", "foo offset (5)"),
        ("foo offset -(5)", nil),
        ("foo offset (5)", nil),
        ("foo offset (5m)", nil),
        ("foo[(5s)]", nil),
        ("foo[(5m):(1m)]", nil),
        ("foo offset +min_of(10s, 20s)", "foo offset min_of(10s, 20s)"),
        ("foo offset -min_of(10s, 20s)", nil),
        ("foo offset -min_of(10s, +max_of(step() ^ 2, 2))", "foo offset -min_of(10s, max_of(step() ^ 2, 2))"),
        ("foo[200-min_of(-step()^+step(),1)]", "foo[200 - min_of(-step() ^ step(), 1)]"),
        ("foo[200 - min_of(step() + 10s, -max_of(step() ^ 2, 3))]", nil),
        ("foo[range()]", nil),
        ("foo[-range()]", nil),
        ("foo offset range()", nil),
        ("foo offset -range()", nil),
        ("foo[max_of(range(), 5s)]", nil),
        ("predict_linear(foo[1h], 3000)", nil),
        ("sum by(\"üüü\") (foo)", "sum by (\"üüü\") (foo)"),
        ("sum without(\"äää\") (foo)", "sum without (\"äää\") (foo)"),
        ("count by(\"ööö\", job) (foo)", "count by (\"ööö\", job) (foo)"),
        ("foo / on(\"äää\") bar", "foo / on (\"äää\") bar"),
        ("foo / ignoring(\"üüü\") bar", "foo / ignoring (\"üüü\") bar"),
        ("foo / on(\"äää\") group_left(\"ööö\") bar", "foo / on (\"äää\") group_left (\"ööö\") bar"),
        ("foo / on(\"äää\") group_right(\"ööö\") bar", "foo / on (\"äää\") group_right (\"ööö\") bar"),
        ("foo / on(legacy, \"üüü\") bar", "foo / on (legacy, \"üüü\") bar"),
        ("foo / on(job, instance) bar", "foo / on (job, instance) bar"),
    ]

    @Test("Prometheus printer_test.go cases", arguments: prometheusCases)
    func prometheusCase(input: String, output: String?) throws {
        #expect(try parseExpr(input).description == (output ?? input))
    }

    /// Our cases: how modifiers, durations, matcher order and escapes print.
    static let ourCases: [(String, String)] = [
        (#"foo{b="2", a="1"}"#, #"foo{a="1",b="2"}"#),
        (#"foo{z="1", a!="2", a="3"}"#, #"foo{a!="2",a="3",z="1"}"#),
        (#"{"foo"}"#, #"{__name__="foo"}"#),
        (#"{"my.metric", "label.name"="v"}"#, #"{"label.name"="v",__name__="my.metric"}"#),
        (#"{a="b", __name__!="foo"}"#, #"{__name__!="foo",a="b"}"#),
        ("foo offset 90s", "foo offset 1m30s"),
        ("foo offset 1.5", "foo offset 1s500ms"),
        ("foo offset 14d", "foo offset 2w"),
        ("foo offset 365d", "foo offset 1y"),
        ("foo offset 366d", "foo offset 366d"),
        ("foo[3600]", "foo[1h]"),
        ("foo[4.018] @ 2.345", "foo[4s18ms] @ 2.345"),
        ("foo @ -1.5", "foo @ -1.500"),
        ("foo @ 1e3", "foo @ 1000.000"),
        ("foo offset 5m @ 100", "foo @ 100.000 offset 5m"),
        ("foo[5m] offset -1h @ end()", "foo[5m] @ end() offset -1h"),
        ("foo @ 0x10", "foo @ 16.000"),
        (#"foo{a="\n\t\"\\"}"#, #"foo{a="\n\t\"\\"}"#),
        (#"foo{a='it\'s'}"#, #"foo{a="it's"}"#),
        (#"foo{a="\u00e9\x41"}"#, #"foo{a="éA"}"#),
        (#"foo{a="\a\u200b"}"#, #"foo{a="\a\u200b"}"#),
        ("foo{a=`raw\\n`}", #"foo{a="raw\\n"}"#),
        ("foo # comment", "foo"),
    ]

    @Test("printing details", arguments: ourCases)
    func ourCase(input: String, output: String) throws {
        #expect(try parseExpr(input).description == output)
    }

    @Test(
        "print then parse gives the same selector",
        arguments: prometheusCases.map(\.0) + ourCases.map(\.0)
            + [#"up{job=~"a|b",instance!~".+:9090"}[1h] @ 1609746000.123 offset -30s"#])
    func roundTrip(input: String) throws {
        let printed = try parseExpr(input).description
        let reparsed = try parseExpr(printed)
        #expect(reparsed.description == printed)
        #expect(canonical(reparsed, positions: false) == canonical(try parseExpr(input), positions: false))
    }

    /// Prometheus's TestVectorSelector_String on hand-built selectors.
    @Test("hand-built selectors")
    func handBuilt() throws {
        let range = PositionRange(start: 0, end: 0)
        func vs(_ name: String?, _ matchers: [(MatchType, String, String)]) throws -> String {
            let ms = try matchers.map { try LabelMatcher($0.0, $0.1, $0.2) }
            return VectorSelector(name: name, matchers: ms, positionRange: range).description
        }
        // Prometheus prints "" here, which does not parse again; we print the braces.
        #expect(try vs(nil, []) == "{}")
        #expect(try vs("foobar", []) == "foobar")
        #expect(try vs("foobar", [(.equal, "a", "x")]) == #"foobar{a="x"}"#)
        #expect(try vs("foobar", [(.equal, "a", "x"), (.equal, "b", "y")]) == #"foobar{a="x",b="y"}"#)
        #expect(try vs(nil, [(.equal, "a", "x"), (.equal, "b", "y")]) == #"{a="x",b="y"}"#)
        #expect(try vs("foobar", [(.equal, "__name__", "foobar")]) == "foobar")
        #expect(try vs(nil, [(.equal, "__name__", "foobar")]) == #"{__name__="foobar"}"#)
        #expect(try vs(nil, [(.equal, "__name__", ""), (.equal, "a", "x")]) == #"{__name__="",a="x"}"#)
        let matrix = MatrixSelector(
            vectorSelector: VectorSelector(
                name: "a", matchers: [], offsetMilliseconds: -60_000, atModifier: .timestamp(-1), positionRange: range),
            rangeMilliseconds: 90_061_001, endPosition: 0)
        #expect(matrix.description == "a[1d1h1m1s1ms] @ -0.001 offset -1m")
    }
}
