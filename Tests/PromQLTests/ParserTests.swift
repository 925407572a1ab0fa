// Parser tests: selectors as Prometheus parses them (positions, matcher order, offsets,
// `@`, ranges), Prometheus 3 quoted names, and `parseMetricSelector` for `match[]`.

import MetricModel
import PromQL
import Testing

@Suite("Parser: valid selectors")
struct ParserTests {
    /// Every selector case with an expected AST in Prometheus 3.14.0
    /// `promql/parser/parse_test.go` that needs no experimental feature, as a canonical
    /// string (see `canonical(_:)`), generated from the Go test table.
    static let prometheusCases: [(String, String)] = [
        ("offset{step=\"1s\"}[5m]", "MS range=300000 end=21 VS name=offset matchers=[step=\"1s\", __name__=\"offset\"] offset=0 at=nil pos=0..17"),
        ("step{offset=\"1s\"}[5m]", "MS range=300000 end=21 VS name=step matchers=[offset=\"1s\", __name__=\"step\"] offset=0 at=nil pos=0..17"),
        ("anchored{job=\"test\"}", "VS name=anchored matchers=[job=\"test\", __name__=\"anchored\"] offset=0 at=nil pos=0..20"),
        ("smoothed{job=\"test\"}", "VS name=smoothed matchers=[job=\"test\", __name__=\"smoothed\"] offset=0 at=nil pos=0..20"),
        ("foo", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=nil pos=0..3"),
        ("min", "VS name=min matchers=[__name__=\"min\"] offset=0 at=nil pos=0..3"),
        ("foo offset 5m", "VS name=foo matchers=[__name__=\"foo\"] offset=300000 at=nil pos=0..13"),
        ("foo offset -7m", "VS name=foo matchers=[__name__=\"foo\"] offset=-420000 at=nil pos=0..14"),
        ("foo OFFSET 1h30m", "VS name=foo matchers=[__name__=\"foo\"] offset=5400000 at=nil pos=0..16"),
        ("foo OFFSET 1m30ms", "VS name=foo matchers=[__name__=\"foo\"] offset=60030 at=nil pos=0..17"),
        ("foo @ 1603774568", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:1603774568000 pos=0..16"),
        ("foo @ -100", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:-100000 pos=0..10"),
        ("foo @ .3", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:300 pos=0..8"),
        ("foo @ 3.", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:3000 pos=0..8"),
        ("foo @ 3.33", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:3330 pos=0..10"),
        ("foo @ 3.3333", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:3333 pos=0..12"),
        ("foo @ 3.3335", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:3334 pos=0..12"),
        ("foo @ 3e2", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:300000 pos=0..9"),
        ("foo @ 3e-1", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:300 pos=0..10"),
        ("foo @ 0xA", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:10000 pos=0..9"),
        ("foo @ -3.3e1", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:-33000 pos=0..12"),
        ("foo:bar{a=\"bc\"}", "VS name=foo:bar matchers=[a=\"bc\", __name__=\"foo:bar\"] offset=0 at=nil pos=0..15"),
        ("{\"foo\"}", "VS name=nil matchers=[__name__=\"foo\"] offset=0 at=nil pos=0..7"),
        ("{'foo\\'bar', 'a\\\\dos\\\\path'='boo\\\\urns'}", "VS name=nil matchers=[__name__=\"foo'bar\", a\\dos\\path=\"boo\\\\urns\"] offset=0 at=nil pos=0..40"),
        ("{\"foo\", a=\"bc\"}", "VS name=nil matchers=[__name__=\"foo\", a=\"bc\"] offset=0 at=nil pos=0..15"),
        ("foo{NaN='bc'}", "VS name=foo matchers=[NaN=\"bc\", __name__=\"foo\"] offset=0 at=nil pos=0..13"),
        ("foo{bar='}'}", "VS name=foo matchers=[bar=\"}\", __name__=\"foo\"] offset=0 at=nil pos=0..12"),
        ("foo{a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\"}", "VS name=foo matchers=[a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\", __name__=\"foo\"] offset=0 at=nil pos=0..48"),
        ("{a=\"b\", foo!=\"bar\", \"foo\", test=~\"test\", bar!~\"baz\"}", "VS name=nil matchers=[a=\"b\", foo!=\"bar\", __name__=\"foo\", test=~\"test\", bar!~\"baz\"] offset=0 at=nil pos=0..52"),
        ("foo{a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\",}", "VS name=foo matchers=[a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\", __name__=\"foo\"] offset=0 at=nil pos=0..49"),
        ("{__name__=~\"bar\", __name__!~\"baz\"}", "VS name=nil matchers=[__name__=~\"bar\", __name__!~\"baz\"] offset=0 at=nil pos=0..34"),
        ("{__name__=\"bar\", __name__=\"baz\"}", "VS name=nil matchers=[__name__=\"bar\", __name__=\"baz\"] offset=0 at=nil pos=0..32"),
        ("{\"bar\", __name__=\"baz\"}", "VS name=nil matchers=[__name__=\"bar\", __name__=\"baz\"] offset=0 at=nil pos=0..23"),
        ("test[1000ms]", "MS range=1000 end=12 VS name=test matchers=[__name__=\"test\"] offset=0 at=nil pos=0..4"),
        ("test[1001ms]", "MS range=1001 end=12 VS name=test matchers=[__name__=\"test\"] offset=0 at=nil pos=0..4"),
        ("test[1002ms]", "MS range=1002 end=12 VS name=test matchers=[__name__=\"test\"] offset=0 at=nil pos=0..4"),
        ("test[5s]", "MS range=5000 end=8 VS name=test matchers=[__name__=\"test\"] offset=0 at=nil pos=0..4"),
        ("test[5m]", "MS range=300000 end=8 VS name=test matchers=[__name__=\"test\"] offset=0 at=nil pos=0..4"),
        ("foo[5m30s]", "MS range=330000 end=10 VS name=foo matchers=[__name__=\"foo\"] offset=0 at=nil pos=0..3"),
        ("test[5h] OFFSET 5m", "MS range=18000000 end=18 VS name=test matchers=[__name__=\"test\"] offset=300000 at=nil pos=0..4"),
        ("test[5d] OFFSET 10s", "MS range=432000000 end=19 VS name=test matchers=[__name__=\"test\"] offset=10000 at=nil pos=0..4"),
        ("test[5w] offset 2w", "MS range=3024000000 end=18 VS name=test matchers=[__name__=\"test\"] offset=1209600000 at=nil pos=0..4"),
        ("test{a=\"b\"}[5y] OFFSET 3d", "MS range=157680000000 end=25 VS name=test matchers=[a=\"b\", __name__=\"test\"] offset=259200000 at=nil pos=0..11"),
        ("test{a=\"b\"}[5m] OFFSET 3600", "MS range=300000 end=27 VS name=test matchers=[a=\"b\", __name__=\"test\"] offset=3600000 at=nil pos=0..11"),
        ("foo[3ms] @ 2.345", "MS range=3 end=16 VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:2345 pos=0..3"),
        ("foo[4s180ms] @ 2.345", "MS range=4180 end=20 VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:2345 pos=0..3"),
        ("foo[4.18] @ 2.345", "MS range=4180 end=17 VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:2345 pos=0..3"),
        ("foo[4s18ms] @ 2.345", "MS range=4018 end=19 VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:2345 pos=0..3"),
        ("foo[4.018] @ 2.345", "MS range=4018 end=18 VS name=foo matchers=[__name__=\"foo\"] offset=0 at=ts:2345 pos=0..3"),
        ("test{a=\"b\"}[5y] @ 1603774699", "MS range=157680000000 end=28 VS name=test matchers=[a=\"b\", __name__=\"test\"] offset=0 at=ts:1603774699000 pos=0..11"),
        ("test[5]", "MS range=5000 end=7 VS name=test matchers=[__name__=\"test\"] offset=0 at=nil pos=0..4"),
        ("some_metric[5m] @ 1m", "MS range=300000 end=20 VS name=some_metric matchers=[__name__=\"some_metric\"] offset=0 at=ts:60000 pos=0..11"),
        ("foo @ start()", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=start pos=0..13"),
        ("foo @ end()", "VS name=foo matchers=[__name__=\"foo\"] offset=0 at=end pos=0..11"),
        ("test[5y] @ start()", "MS range=157680000000 end=18 VS name=test matchers=[__name__=\"test\"] offset=0 at=start pos=0..4"),
        ("test[5y] @ end()", "MS range=157680000000 end=16 VS name=test matchers=[__name__=\"test\"] offset=0 at=end pos=0..4"),
        ("start", "VS name=start matchers=[__name__=\"start\"] offset=0 at=nil pos=0..5"),
        ("end", "VS name=end matchers=[__name__=\"end\"] offset=0 at=nil pos=0..3"),
        ("start{end=\"foo\"}", "VS name=start matchers=[end=\"foo\", __name__=\"start\"] offset=0 at=nil pos=0..16"),
        ("end{start=\"foo\"}", "VS name=end matchers=[start=\"foo\", __name__=\"end\"] offset=0 at=nil pos=0..16"),
    ]

    @Test("Prometheus parse_test.go selector ASTs", arguments: prometheusCases)
    func prometheusCase(input: String, expected: String) throws {
        #expect(canonical(try parseExpr(input)) == expected, "input: \(input)")
    }

    @Test("UTF-8 names in quotes, Prometheus 3 style")
    func quotedNames() throws {
        let expr = try parseExpr(#"{"my.metric", "label.name"="v", 'x-y'!~"a|b",}"#)
        let expected = VectorSelector(
            name: nil,
            matchers: [
                try LabelMatcher(.equal, "__name__", "my.metric"),
                try LabelMatcher(.equal, "label.name", "v"),
                try LabelMatcher(.regexNoMatch, "x-y", "a|b"),
            ],
            positionRange: PositionRange(start: 0, end: 46))
        #expect(expr == .vectorSelector(expected))
        #expect(expr.description == #"{"label.name"="v","x-y"!~"a|b",__name__="my.metric"}"#)
    }

    @Test("full selector with every modifier")
    func fullSelector() throws {
        let expr = try parseExpr(#"http_requests_total{job="api",code!~"5.."}[5m] @ 1609746000.5 offset -1h30m"#)
        guard case .matrixSelector(let ms) = expr else {
            Issue.record("expected a matrix selector, got \(expr)")
            return
        }
        #expect(ms.rangeMilliseconds == 300_000)
        #expect(ms.vectorSelector.name == "http_requests_total")
        #expect(ms.vectorSelector.offsetMilliseconds == -5_400_000)
        #expect(ms.vectorSelector.atModifier == .timestamp(1_609_746_000_500))
        #expect(ms.vectorSelector.matchers.map(\.name) == ["job", "code", "__name__"])
        #expect(ms.endPosition == 75)
        #expect(expr.type == .matrix)
        #expect(expr.description == #"http_requests_total{code!~"5..",job="api"}[5m] @ 1609746000.500 offset -1h30m"#)
    }

    @Test(
        "keywords and preprocessors are metric names outside braces",
        arguments: ["sum", "by", "offset", "without", "bottomk", "count_values", "and", "start", "step", "max_of"])
    func keywordAsMetricName(word: String) throws {
        #expect(canonical(try parseExpr(word)) == "VS name=\(word) matchers=[__name__=\"\(word)\"] offset=0 at=nil pos=0..\(word.utf8.count)")
        #expect(canonical(try parseExpr(word + #"{a="b"}"#)).hasPrefix("VS name=\(word) matchers=[a=\"b\", __name__"))
    }

    @Test("comments and whitespace are skipped, positions stay byte offsets")
    func commentsAndWhitespace() throws {
        #expect(canonical(try parseExpr("# leading\n  foo # trailing")) == #"VS name=foo matchers=[__name__="foo"] offset=0 at=nil pos=12..15"#)
        #expect(canonical(try parseExpr("{a=\"é\"}")) == #"VS name=nil matchers=[a="é"] offset=0 at=nil pos=0..8"#)
    }

    @Test("signs, numbers and odd but valid literals")
    func numericForms() throws {
        #expect(canonical(try parseExpr("foo offset +5m")) == #"VS name=foo matchers=[__name__="foo"] offset=300000 at=nil pos=0..14"#)
        #expect(canonical(try parseExpr("foo offset 1.5")) == #"VS name=foo matchers=[__name__="foo"] offset=1500 at=nil pos=0..14"#)
        #expect(canonical(try parseExpr("foo[0x10]")) == #"MS range=16000 end=9 VS name=foo matchers=[__name__="foo"] offset=0 at=nil pos=0..3"#)
        #expect(canonical(try parseExpr("foo[010]")) == #"MS range=8000 end=8 VS name=foo matchers=[__name__="foo"] offset=0 at=nil pos=0..3"#)
        #expect(canonical(try parseExpr("foo[--5m]")) == #"MS range=300000 end=9 VS name=foo matchers=[__name__="foo"] offset=0 at=nil pos=0..3"#)
        #expect(canonical(try parseExpr("foo @ -1.5")) == #"VS name=foo matchers=[__name__="foo"] offset=0 at=ts:-1500 pos=0..10"#)
        #expect(canonical(try parseExpr("foo @ 1_000")) == #"VS name=foo matchers=[__name__="foo"] offset=0 at=ts:1000000 pos=0..11"#)
        // Prometheus only rejects a repeated offset when the first one is non-zero.
        #expect(canonical(try parseExpr("foo offset 0 offset 1m")) == #"VS name=foo matchers=[__name__="foo"] offset=60000 at=nil pos=0..22"#)
    }

    @Test("parseMetricSelector returns matchers with the name last")
    func metricSelector() throws {
        let matchers = try parseMetricSelector(#"up{job="node", instance=~"a.*"}"#)
        #expect(matchers.map(\.description) == [#"job="node""#, #"instance=~"a.*""#, #"__name__="up""#])
        #expect(try parseMetricSelector(#"{__name__!=""}"#).map(\.description) == [#"__name__!="""#])
        #expect(try parseMetricSelector(#"{"http.status"="200"}"#).map(\.name) == ["http.status"])
        // Like Prometheus's ParseMetricSelector: no emptiness or duplicate-name check here.
        #expect(try parseMetricSelector("{}").isEmpty)
        #expect(try parseMetricSelector(#"foo{__name__="bar"}"#).count == 2)
    }
}

/// A canonical, order-preserving rendering of a parsed selector for comparison with
/// Prometheus's expected ASTs: `VS name=… matchers=[…] offset=<ms> at=… pos=<start>..<end>`,
/// `MS range=<ms> end=<byte> VS …`.
/// Without `positions`, byte offsets and matcher order (which change when a query is
/// reprinted) are left out: matchers are sorted.
func canonical(_ expr: Expr, positions: Bool = true) -> String {
    switch expr {
    case .vectorSelector(let vs):
        return canonical(vs, positions: positions)
    case .matrixSelector(let ms):
        let end = positions ? " end=\(ms.endPosition)" : ""
        return "MS range=\(ms.rangeMilliseconds)\(end) \(canonical(ms.vectorSelector, positions: positions))"
    default:
        return "\(expr)"
    }
}

func canonical(_ vs: VectorSelector, positions: Bool = true) -> String {
    var matcherTexts = vs.matchers.map { "\($0.name)\($0.type.rawValue)\(jsonQuote($0.value))" }
    if !positions { matcherTexts.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
    let matchers = matcherTexts.joined(separator: ", ")
    let at: String
    switch vs.atModifier {
    case .none: at = "nil"
    case .timestamp(let ms): at = "ts:\(ms)"
    case .start: at = "start"
    case .end: at = "end"
    }
    let text = "VS name=\(vs.name ?? "nil") matchers=[\(matchers)] offset=\(vs.offsetMilliseconds) at=\(at)"
    return positions ? text + " pos=\(vs.positionRange.start)..\(vs.positionRange.end)" : text
}

/// Python's `json.dumps(s, ensure_ascii=False)` for the simple strings used here.
func jsonQuote(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
        switch c {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default: out.unicodeScalars.append(c)
        }
    }
    return out + "\""
}
