// Regular-expression matchers with Prometheus's semantics: fully anchored, `.` matching a
// newline, `(?i)`, the empty pattern, and the string fast paths agreeing with the RE2 engine.

import MetricModel
import Testing

@Suite("LabelMatcher regular expressions")
struct LabelMatcherRegexTests {
    /// (pattern, value, matches).
    static let cases: [(String, String, Bool)] = [
        ("api|web", "api", true),
        ("api|web", "apix", false),
        ("api|web", "", false),
        ("api|", "", true),
        ("", "", true),
        ("", "x", false),
        ("foo", "foo", true),
        ("foo", "xfoo", false),
        ("foo", "foox", false),
        (".*", "", true),
        (".*", "a\nb", true),
        (".+", "", false),
        (".+", "\n", true),
        ("a.b", "a\nb", true),
        ("a.*", "a\n\nb", true),
        (".*b", "a\nb", true),
        (".*oo.*", "xfooy", true),
        (".*oo.*", "xfo", false),
        ("foo.*", "foobar", true),
        ("foo.*", "barfoo", false),
        (".*foo", "barfoo", true),
        (".*foo", "foobar", false),
        ("(?i)FOO", "foo", true),
        ("(?i)foo|bar", "BAR", true),
        ("(?i:f)oo", "FOO", false),
        ("^foo$", "foo", true),
        ("foo$", "foo\n", false),
        ("(?m)foo$", "foo", true),
        ("a|b.*", "bxx", true),
        ("a|b.*", "axx", false),
        ("[0-9]+", "123", true),
        ("[0-9]+", "123a", false),
        ("\\d{2,3}", "1234", false),
        ("\\pL+", "ŝugarmill", true),
        ("日本.", "日本語", true),
        ("...", "日本語", true),
        ("..", "日本語", false),
        ("(a*)*b", String(repeating: "a", count: 20_000), false),
    ]

    @Test(arguments: cases)
    func matches(_ pattern: String, _ value: String, _ expected: Bool) throws {
        let m = try LabelMatcher(.regexMatch, "l", pattern)
        #expect(m.matches(value) == expected)
        let n = try LabelMatcher(.regexNoMatch, "l", pattern)
        #expect(n.matches(value) == !expected)
        // The fast paths agree with the engine.
        #expect(try RE2Regex(prometheusAnchored: pattern).matches(value) == expected)
    }

    @Test func matchesEmpty() throws {
        #expect(try LabelMatcher(.regexMatch, "l", "a|").matchesEmpty)
        #expect(try LabelMatcher(.regexMatch, "l", ".*").matchesEmpty)
        #expect(try !LabelMatcher(.regexMatch, "l", ".+").matchesEmpty)
        #expect(try LabelMatcher(.regexNoMatch, "l", ".+").matchesEmpty)
    }

    @Test func errorsNameThePattern() {
        #expect(throws: MatcherError.self) { try LabelMatcher(.regexMatch, "l", "x{2,1}") }
        do {
            _ = try LabelMatcher(.regexMatch, "l", "[z-a]")
        } catch {
            #expect(error.description == "error parsing regexp: invalid character class range: `z-a`")
        }
    }
}

@Suite struct LabelMatcherByteEqualityTests {
    /// Go compares strings by bytes; Swift's `==` by canonical equivalence (K vs the Kelvin sign,
    /// precomposed vs decomposed é). The literal fast path must answer as Go does.
    @Test func literalAlternativesCompareBytes() throws {
        let kelvin = try LabelMatcher(.regexMatch, "unit", "K|C")
        #expect(kelvin.matches("K"))
        #expect(!kelvin.matches("\u{212A}"))
        let accent = try LabelMatcher(.regexMatch, "name", "caf\u{E9}|tea")
        #expect(accent.matches("caf\u{E9}"))
        #expect(!accent.matches("cafe\u{301}"))
        let not = try LabelMatcher(.regexNoMatch, "unit", "K")
        #expect(not.matches("\u{212A}"))
        #expect(!(try LabelMatcher(.equal, "unit", "K")).matches("\u{212A}"))
        #expect((try LabelMatcher(.notEqual, "unit", "K")).matches("\u{212A}"))
    }
}
