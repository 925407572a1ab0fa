// Invalid patterns: Go's error texts, which Prometheus shows to users verbatim.

import MetricModel
import Testing

@Suite("RE2Regex: syntax errors")
struct RE2RegexSyntaxErrorTests {
    static let cases: [(String, String)] = [
        ("(", "missing closing ): `(`"),
        ("(a|b", "missing closing ): `(a|b`"),
        ("a)", "unexpected ): `a)`"),
        (")", "unexpected ): `)`"),
        ("[a", "missing closing ]: `[a`"),
        ("x[a-", "missing closing ]: `[a-`"),
        ("[]", "missing closing ]: `[]`"),
        ("[z-a]", "invalid character class range: `z-a`"),
        ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
        (#"\pX"#, #"invalid character class range: `\pX`"#),
        (#"\p{Klingon}"#, #"invalid character class range: `\p{Klingon}`"#),
        (#"\p{Greek"#, #"invalid character class range: `\p{Greek`"#),
        ("a**", "invalid nested repetition operator: `**`"),
        ("a*+", "invalid nested repetition operator: `*+`"),
        ("a*??", "invalid nested repetition operator: `*??`"),
        ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
        ("*", "missing argument to repetition operator: `*`"),
        ("a|*", "missing argument to repetition operator: `*`"),
        ("(+)", "missing argument to repetition operator: `+`"),
        ("??", "missing argument to repetition operator: `??`"),
        ("{2}", "missing argument to repetition operator: `{2}`"),
        ("x{1001}", "invalid repeat count: `{1001}`"),
        ("x{2,1}", "invalid repeat count: `{2,1}`"),
        ("x{1000000000}", "invalid repeat count: `{1000000000}`"),
        ("(a{500}){3}", "invalid repeat count: `{3}`"),
        (#"\8"#, #"invalid escape sequence: `\8`"#),
        (#"\1"#, #"invalid escape sequence: `\1`"#),
        (#"\Z"#, #"invalid escape sequence: `\Z`"#),
        (#"\C"#, #"invalid escape sequence: `\C`"#),
        (#"\xZ1"#, #"invalid escape sequence: `\xZ1`"#),
        (#"\x{110000}"#, #"invalid escape sequence: `\x{110000`"#),
        (#"\x{}"#, #"invalid escape sequence: `\x{}`"#),
        (#"[\b]"#, #"invalid escape sequence: `\b`"#),
        (#"\é"#, #"invalid escape sequence: `\é`"#),
        (#"a\"#, "trailing backslash at end of expression: ``"),
        ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
        ("(?!a)", "invalid or unsupported Perl syntax: `(?!`"),
        ("(?", "invalid or unsupported Perl syntax: `(?`"),
        ("(?i", "invalid or unsupported Perl syntax: `(?i`"),
        ("(?-)", "invalid or unsupported Perl syntax: `(?-)`"),
        ("(?i-i-)", "invalid or unsupported Perl syntax: `(?i-i-`"),
        ("(?P=name)", "invalid or unsupported Perl syntax: `(?P`"),
        ("(?P<name", "invalid named capture: `(?P<name`"),
        ("(?P<x y>a)", "invalid named capture: `(?P<x y>`"),
        ("(?P<>a)", "invalid named capture: `(?P<>`"),
        ("(?<=a)", "invalid named capture: `(?<=a)`"),
    ]

    @Test(arguments: cases)
    func goErrorText(_ pattern: String, _ message: String) {
        #expect(throws: RegexSyntaxError.self) { try RE2Regex(pattern) }
        do {
            _ = try RE2Regex(pattern)
        } catch {
            #expect(error.description == "error parsing regexp: " + message)
        }
    }

    static let valid = [
        "", "a{,2}", "a{", "{", "x{2}y", "(?i)", "(?i:a)", "(?P<n_1>a)", "(?<n>a)", "(?is-mU:a)", #"\Q*+?\E"#,
        "[[:alpha:]-]", #"[\d-z]"#, "a{1000}", "(?:a{10}){100}", "^*", #"\b+"#, "()*", "[[]", "[a-]",
    ]

    @Test(arguments: valid)
    func acceptedAsGoAccepts(_ pattern: String) throws {
        _ = try RE2Regex(pattern)
    }

    /// Matchers report the error with Go's text, for the matcher's own pattern.
    @Test func matcherError() {
        do {
            _ = try LabelMatcher(.regexMatch, "job", "a(b")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "error parsing regexp: missing closing ): `a(b`")
        }
    }
}
