// label_replace with the RE2 engine: anchoring, `.` matching newlines, captures and Go's
// template expansion (`$1`, `${1}`, `$name`, `$$`, malformed references).

import MetricModel
import PromQL
import Testing

@Suite("label_replace regular expressions")
struct LabelReplaceRegexTests {
    /// (pattern, replacement, source value, expected destination; nil: no `dst` label, because
    /// the pattern did not match or the expansion is empty, which removes the label).
    static let cases: [(String, String, String, String?)] = [
        ("source-value-(.*)", "destination-value-$1", "source-value-10", "destination-value-10"),
        ("(?P<kind>[a-z]+)-(\\d+)", "${kind}_$2", "web-12", "web_12"),
        ("(?<kind>[a-z]+)-(\\d+)", "$kind.$2", "web-12", "web.12"),
        ("(a)(b)?", "[$1][$2]", "a", "[a][]"),
        ("(.*)", "$$1", "x", "$1"),
        ("(.*)", "$1x", "v", nil),  // `$1x` names group "1x", which does not exist
        ("(.*)", "${1}x", "v", "vx"),
        ("(.*)", "${1", "v", "${1"),
        ("(.*)", "$", "v", "$"),
        ("(.*)", "$9", "v", nil),
        ("(.*)", "$01", "v", nil),
        ("a.b", "ok", "a\nb", "ok"),  // `.` matches a newline, as with Prometheus's (?s:
        ("value", "x", "source-value-10", nil),  // anchored at both ends
        ("(?i)WEB", "x", "web", "x"),
        ("", "empty", "", "empty"),
        ("", "empty", "x", nil),
        ("(a+)+$", "long", String(repeating: "a", count: 5_000) + "!", nil),
        ("(日本)(語)", "$2$1", "日本語", "語日本"),
    ]

    @Test(arguments: cases)
    func replace(_ pattern: String, _ replacement: String, _ source: String, _ expected: String?) throws {
        let e = try engine("load 5m\n  m{src=\"s\"} 0\n")
        // The source label comes from label_replace itself so that any value (newlines too) works.
        let withSource = call("label_replace", sel("m"), str("src"), str(source), str("src"), str(".*"))
        let r = try e.instantQuery(call("label_replace", withSource, str("dst"), str(replacement), str("src"), str(pattern)), at: 0)
        let keys = Array(vector(r).keys)
        #expect(keys.count == 1)
        if let expected {
            #expect(keys.first?.contains("dst=\(quoteForPromQL(expected))") == true, "\(keys)")
        } else {
            #expect(keys.first?.contains("dst=") == false, "\(keys)")
        }
    }

    @Test func invalidPattern() throws {
        let e = try engine("load 5m\n  m{src=\"s\"} 0\n")
        #expect(throws: QueryError.self) {
            try e.instantQuery(call("label_replace", sel("m"), str("dst"), str("x"), str("src"), str("(")), at: 0)
        }
    }
}
