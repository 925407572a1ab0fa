// Parser error tests: Prometheus's exact messages and `line:column` positions for invalid
// selectors, and `.unsupported` for valid PromQL beyond selectors.

import PromQL
import Testing

@Suite("Parser: errors")
struct ParserErrorTests {
    /// Error cases of Prometheus 3.14.0 `promql/parser/parse_test.go` whose first error we
    /// reproduce exactly (generated from the Go table: input, then `ParseErr.Error()`).
    static let prometheusCases: [(String, String)] = [
        ("", "unknown position: parse error: no expression found in input"),
        ("# just a comment\n\n", "1:1: parse error: no expression found in input"),
        (".", "1:1: parse error: unexpected character: '.'"),
        ("2.5.", "1:1: parse error: bad number or duration syntax: \"2.5.\""),
        ("100..4", "1:1: parse error: bad number or duration syntax: \"100..\""),
        ("0deadbeef", "1:1: parse error: bad number or duration syntax: \"0de\""),
        ("*1", "1:1: parse error: unexpected <op:*>"),
        ("(1))", "1:5: parse error: unexpected right parenthesis ')'"),
        ("((1)", "1:5: parse error: unclosed left parenthesis"),
        ("(", "1:2: parse error: unclosed left parenthesis"),
        ("1 !~ 1", "1:3: parse error: unexpected character after '!': '~'"),
        ("1 =~ 1", "1:3: parse error: unexpected character after '=': '~'"),
        ("*test", "1:1: parse error: unexpected <op:*>"),
        ("@@", "1:1: parse error: unexpected <op:@>"),
        ("foo offset 1s offset 2s", "1:1: parse error: offset may not be set multiple times"),
        ("foo @ +Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"),
        ("foo @ -Inf", "1:1: parse error: timestamp out of bounds for @ modifier: -Inf"),
        ("foo @ NaN", "1:1: parse error: timestamp out of bounds for @ modifier: NaN"),
        ("{", "1:2: parse error: unexpected end of input inside braces"),
        ("}", "1:1: parse error: unexpected character: '}'"),
        ("some{", "1:6: parse error: unexpected end of input inside braces"),
        ("some}", "1:5: parse error: unexpected character: '}'"),
        ("some_metric{a=b}", "1:15: parse error: unexpected identifier \"b\" in label matching, expected string"),
        ("some_metric{a:b=\"b\"}", "1:14: parse error: unexpected character inside braces: ':'"),
        ("foo{a*\"b\"}", "1:6: parse error: unexpected character inside braces: '*'"),
        ("foo{a>=\"b\"}", "1:6: parse error: unexpected character inside braces: '>'"),
        ("some_metric{a=\"\u{FFFD}\"}", "1:15: parse error: invalid UTF-8 rune"),
        ("foo{gibberish}", "1:14: parse error: unexpected \"}\" in label matching, expected label matching operator"),
        ("foo{1}", "1:5: parse error: unexpected character inside braces: '1'"),
        ("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("{x=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("{x=~\".*\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("{x!~\".+\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("{x!=\"a\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("foo{__name__=\"bar\"}", "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
        ("foo{__name__= =}", "1:15: parse error: unexpected \"=\" in label matching, expected string"),
        ("foo{,}", "1:5: parse error: unexpected \",\" in label matching, expected identifier or \"}\""),
        ("foo{__name__ == \"bar\"}", "1:15: parse error: unexpected \"=\" in label matching, expected string"),
        ("foo{__name__=\"bar\" lol}", "1:20: parse error: unexpected identifier \"lol\" in label matching, expected \",\" or \"}\""),
        ("foo{\"a\"=}", "1:9: parse error: unexpected \"}\" in label matching, expected string"),
        ("foo[5mm]", "1:5: parse error: bad number or duration syntax: \"5mm\""),
        ("foo[5m1]", "1:5: parse error: bad number or duration syntax: \"5m1\""),
        ("foo[5m:1m1]", "1:8: parse error: bad number or duration syntax: \"1m1\""),
        ("foo[5y1hs]", "1:5: parse error: unknown unit \"hs\" in duration \"5y1hs\""),
        ("foo[5m1h]", "1:5: parse error: not a valid duration string: \"5m1h\""),
        ("foo[5m1m]", "1:5: parse error: not a valid duration string: \"5m1m\""),
        ("foo[0m]", "1:5: parse error: duration must be greater than 0"),
        ("foo[\"5m\"]", "1:5: parse error: unexpected character in duration expression: '\"'"),
        ("foo[]", "1:5: parse error: unexpected \"]\" in subquery or range selector, expected number, duration, step(), or range()"),
        ("foo[-1]", "1:5: parse error: duration must be greater than 0"),
        ("some_metric[5m] OFFSET 1mm", "1:24: parse error: bad number or duration syntax: \"1mm\""),
        ("some_metric[5m] OFFSET", "1:23: parse error: unexpected end of input in offset, expected number, duration, step(), or range()"),
        ("some_metric OFFSET 1m[5m]", "1:22: parse error: no offset modifiers allowed before range"),
        ("some_metric[5m] @", "1:18: parse error: unexpected end of input in @, expected timestamp"),
        ("some_metric @ 1234 [5m]", "1:20: parse error: no @ modifiers allowed before range"),
        ("some_metric @ start() [5m]", "1:23: parse error: no @ modifiers allowed before range"),
        ("some_metric @ end()[5m]", "1:20: parse error: no @ modifiers allowed before range"),
        ("sum by (\"foo)(some_metric{})", "1:9: parse error: unterminated quoted string"),
        ("sum some_metric by (test)", "1:5: parse error: unexpected identifier \"some_metric\""),
        ("MIN keep_common (some_metric)", "1:5: parse error: unexpected identifier \"keep_common\""),
        ("label_replace(a, `b`, `c\u{FFFD}`, `d`, `.*`)", "1:23: parse error: invalid UTF-8 rune"),
        ("`\\``", "1:4: parse error: unterminated raw string"),
        ("\"\\", "1:1: parse error: escape sequence not terminated"),
        ("\"\\c\"", "1:1: parse error: unknown escape sequence U+0063 'c'"),
        ("\"\\x.\"", "1:1: parse error: illegal character U+002E '.' in escape sequence"),
        ("foo{bar=\"baz\"}[", "1:16: parse error: unexpected end of input in duration expression"),
        ("foo[step]", "1:9: parse error: unexpected \"]\" in subquery or range selector, expected number, duration, step(), or range()"),
        ("foo offset 9.5e10", "1:12: parse error: duration out of range"),
        ("foo[9.5e10]", "1:5: parse error: duration out of range"),
        ("sum(", "1:5: parse error: unclosed left parenthesis"),
        ("sum(rate(", "1:10: parse error: unclosed left parenthesis"),
        ("foo[5s x 5s]", "1:8: parse error: unexpected character: 'x', expected ':'"),
        ("foo[5s s 5s]", "1:8: parse error: unexpected character: 's', expected ':'"),
    ]

    @Test("Prometheus parse_test.go errors", arguments: prometheusCases)
    func prometheusCase(input: String, expected: String) {
        #expect(parseError(input)?.description == expected, "input: \(input)")
    }

    /// Further cases, with messages worked out from Prometheus's grammar and lexer.
    static let ourCases: [(String, String)] = [
        ("foo bar", #"1:5: parse error: unexpected identifier "bar""#),
        (#"foo{a="b"} 1"#, #"1:12: parse error: unexpected number "1""#),
        (#"foo "abcdefghijkl""#, #"1:5: parse error: unexpected string "\"abcdefghi"..."#),
        ("foo,", #"1:4: parse error: unexpected ",""#),
        ("foo by", "1:5: parse error: unexpected <by>"),
        ("foo sum", "1:5: parse error: unexpected <aggr:sum>"),
        ("bool", "1:1: parse error: unexpected <bool>"),
        ("foo{a=\"b\",,}", #"1:11: parse error: unexpected "," in label matching, expected identifier or "}""#),
        (#"foo{"a" "b"}"#, #"1:9: parse error: unexpected string "\"b\"" in label matching, expected "," or "}""#),
        (#"foo{__name__=~"x"}"#, #"1:1: parse error: metric name must not be set twice: "foo" or "x""#),
        (#"foo{"bar"}"#, #"1:1: parse error: metric name must not be set twice: "foo" or "bar""#),
        (#"{"foo", a=""}[5m]"#, "OK"),
        (#"{a=~""}[5m]"#, "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("foo{\n  a=b}", #"2:5: parse error: unexpected identifier "b" in label matching, expected string"#),
        ("foo @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"),
        ("foo[5m] @ start() @ end()", "1:1: parse error: @ <timestamp> may not be set multiple times"),
        ("foo[5m] offset 1m offset 1m", "1:1: parse error: offset may not be set multiple times"),
        ("foo[5m][5m]", "1:8: parse error: ranges only allowed for vector selectors"),
        ("foo @ start", "1:12: parse error: unexpected end of input in @, expected timestamp"),
        ("foo @ start(1)", #"1:13: parse error: unexpected number "1" in @, expected timestamp"#),
        ("foo @ --1", "1:8: parse error: unexpected <op:-> in @, expected timestamp"),
        ("foo @ 1e19", "1:1: parse error: timestamp out of bounds for @ modifier: 10000000000000000000.000000"),
        ("foo offset -", "1:13: parse error: unexpected end of input in offset, expected number, duration, step(), or range()"),
        ("foo offset bar", #"1:12: parse error: unexpected identifier "bar" in offset, expected number, duration, step(), or range()"#),
        ("foo offset 1.5s", #"1:12: parse error: unknown unit "." in duration "1.5s""#),
        ("foo offset 0x", #"1:12: parse error: error parsing number: strconv.ParseFloat: parsing "0x": invalid syntax"#),
        ("foo[1e400]", #"1:5: parse error: error parsing number: strconv.ParseFloat: parsing "1e400": value out of range"#),
        ("foo[5m1h]", #"1:5: parse error: not a valid duration string: "5m1h""#),
        ("foo[293y]", "1:5: parse error: duration out of range"),
        ("foo[5m 1]", #"1:8: parse error: unexpected number "1" in subquery or range, expected ":" or "]""#),
        ("foo[-5m]", "1:5: parse error: duration must be greater than 0"),
        ("foo[0.0]", "1:5: parse error: duration must be greater than 0"),
        ("foo offset NaN", "1:12: parse error: duration out of range"),
        ("foo[5m", "1:7: parse error: unclosed left bracket"),
    ]

    @Test("further error cases", arguments: ourCases)
    func ourCase(input: String, expected: String) {
        let got = parseError(input)
        #expect((got?.description ?? "OK") == expected, "input: \(input)")
    }

    @Test("a regular expression that does not compile is reported at the matcher")
    func badRegex() throws {
        let error = try #require(parseError(#"foo{a=~"("}"#))
        #expect(error.code == .invalid)
        #expect(error.description.hasPrefix("1:5: parse error: error parsing regexp"))
    }

    @Test("experimental and disabled syntax fails as in Prometheus without feature flags")
    func experimental() {
        #expect(parseError("foo[step()]")?.description == "1:5: parse error: experimental duration expression is not enabled")
        #expect(parseError("foo offset (5m)")?.description == "1:13: parse error: experimental duration expression is not enabled")
        #expect(parseError("foo[5m+1m]")?.description == "1:5: parse error: experimental duration expression is not enabled")
        #expect(parseError("foo[5m] anchored")?.description == "1:1: parse error: anchored modifier is experimental and not enabled")
        #expect(parseError("foo smoothed")?.description == "1:1: parse error: smoothed modifier is experimental and not enabled")
    }

    /// Inputs from Prometheus's error table that are valid PromQL up to constructs we do not
    /// implement yet (their Prometheus errors need the full grammar).
    static let unsupportedCases: [String] = [
        "1+",
        "1 /",
        "999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999",
        "1 and 1",
        "1 == 1",
        "1 or 1",
        "1 unless 1",
        "-\"string\"",
        "-test[5m]",
        "1 offset 1d",
        "a - on(b) ignoring(c) d",
        "foo and 1",
        "1 and foo",
        "foo or 1",
        "1 or foo",
        "foo unless 1",
        "1 unless foo",
        "1 or on(bar) foo",
        "foo == on(bar) 10",
        "foo + group_left(baz) bar",
        "foo and on(bar) group_left(baz) bar",
        "foo and on(bar) group_right(baz) bar",
        "foo or on(bar) group_left(baz) bar",
        "foo or on(bar) group_right(baz) bar",
        "foo unless on(bar) group_left(baz) bar",
        "foo unless on(bar) group_right(baz) bar",
        "http_requests{group=\"production\"} + on(instance) group_left(job,instance) cpu_count{type=\"smp\"}",
        "foo + bool bar",
        "foo + bool 10",
        "foo and bool 10",
        "(foo + bar)[5m]",
        "sum without(==)(some_metric)",
        "sum without(,)(some_metric)",
        "sum without(foo,,)(some_metric)",
        "sum (some_metric) by test",
        "sum () by (test)",
        "MIN (some_metric) keep_common",
        "sum (some_metric) without (test) by (test)",
        "sum without (test) (some_metric) by (test)",
        "topk(some_metric)",
        "topk(some_metric,)",
        "topk(some_metric, other_metric)",
        "count_values(5, other_metric)",
        "rate(some_metric[5m]) @ 1234",
        "floor()",
        "floor(some_metric, other_metric)",
        "floor(some_metric, 1)",
        "floor(1)",
        "hour(some_metric, some_metric, some_metric)",
        "time(some_metric)",
        "non_existent_function_far_bar()",
        "rate(some_metric)",
        "-=",
        "++-++-+-+-<",
        "e-+=/(0)",
        "a>b()",
        "rate(avg)",
        "test[5d] OFFSET 10s [10m:5s]",
        "(foo + bar{nm=\"val\"})[5m:][10m:5s]",
        "rate(food[1m])[1h] offset 1h",
        "rate(food[1m])[1h] @ 100",
        "info(rate(http_request_counter_total{}[5m]), target_info{foo=\"bar\"})",
        "info(http_request_counter_total{namespace=\"zzz\"}, {foo=\"bar\"} == 1)",
        "1[5m] smoothed",
        "1[5m] anchored",
        "sum(rate(foo[5m]))", "rate(foo[5m])", "1", "-foo", "\"string\"", "foo + bar", "foo[5m:1m]", "(foo)",
    ]

    @Test("valid PromQL beyond selectors is .unsupported", arguments: unsupportedCases)
    func unsupported(input: String) throws {
        let error = try #require(parseError(input), "input: \(input)")
        #expect(error.code == .unsupported, "input: \(input): \(error)")
        #expect(error.message.hasSuffix("(only selectors are implemented)"), "input: \(input): \(error)")
    }

    @Test("a later lexer error wins over an unsupported construct")
    func lexerErrorFirst() {
        #expect(parseError("sum(rate(")?.description == "1:10: parse error: unclosed left parenthesis")
        #expect(parseError("foo + bar{")?.description == "1:11: parse error: unexpected end of input inside braces")
    }

    @Test("unsupported errors name the construct and its position")
    func unsupportedMessages() {
        #expect(parseError("foo + bar")?.description == #"1:5: parse error: unsupported expression: binary operator "+" (only selectors are implemented)"#)
        #expect(parseError("rate(foo[5m])")?.description == #"1:1: parse error: unsupported expression: function call "rate" (only selectors are implemented)"#)
        #expect(parseError("sum by (a) (b)")?.description == #"1:1: parse error: unsupported expression: aggregation "sum" (only selectors are implemented)"#)
        #expect(parseError("foo[5m:1m]")?.description == "1:4: parse error: unsupported expression: subquery (only selectors are implemented)")
        #expect(parseError("  42")?.description == #"1:3: parse error: unsupported expression: number literal "42" (only selectors are implemented)"#)
    }

    @Test("parseMetricSelector errors")
    func metricSelectorErrors() {
        func error(_ input: String) -> String? {
            do {
                _ = try parseMetricSelector(input)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(error("") == "unknown position: parse error: unexpected end of input")
        #expect(error("foo[5m]") == #"1:4: parse error: unexpected "[""#)
        #expect(error("1") == #"1:1: parse error: unexpected number "1""#)
        #expect(error("foo offset 1m") == "1:5: parse error: unexpected <offset>")
        #expect(error("rate(foo)") == #"1:5: parse error: unexpected "(""#)
        #expect(error("foo{") == "1:5: parse error: unexpected end of input inside braces")
        #expect(error("foo{a=b}") == #"1:7: parse error: unexpected identifier "b" in label matching, expected string"#)
    }
}

/// The error `parseExpr` throws for `input`, or nil when it parses.
func parseError(_ input: String) -> ParseError? {
    do {
        _ = try parseExpr(input)
        return nil
    } catch {
        return error
    }
}
