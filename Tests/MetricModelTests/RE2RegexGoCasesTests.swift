// Match positions and groups for patterns × inputs, taken from the cases of Go's
// `regexp/find_test.go` (which come from RE2): the first match of each.

import MetricModel
import Testing

@Suite("RE2Regex: Go's find cases")
struct RE2RegexGoCasesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let pattern: String
        let input: String
        /// Go's `FindStringSubmatchIndex`; nil: no match.
        let expected: [Int]?
        var testDescription: String { "/\(pattern)/ on \(input.debugDescription)" }
    }

    static let cases: [Case] = [
        Case(pattern: #""#, input: #""#, expected: [0, 0]),
        Case(pattern: #"^abcdefg"#, input: "abcdefg", expected: [0, 7]),
        Case(pattern: #"a+"#, input: "baaab", expected: [1, 4]),
        Case(pattern: "abcd..", input: "abcdef", expected: [0, 6]),
        Case(pattern: #"a"#, input: "a", expected: [0, 1]),
        Case(pattern: #"x"#, input: "y", expected: nil),
        Case(pattern: #"b"#, input: "abc", expected: [1, 2]),
        Case(pattern: #"."#, input: "a", expected: [0, 1]),
        Case(pattern: #".*"#, input: "abcdef", expected: [0, 6]),
        Case(pattern: #"^"#, input: "abcde", expected: [0, 0]),
        Case(pattern: #"$"#, input: "abcde", expected: [5, 5]),
        Case(pattern: #"^abcd$"#, input: "abcd", expected: [0, 4]),
        Case(pattern: #"^bcd'"#, input: "abcdef", expected: nil),
        Case(pattern: #"^abcd$"#, input: "abcde", expected: nil),
        Case(pattern: #"a*"#, input: "baaab", expected: [0, 0]),
        Case(pattern: #"[a-z]+"#, input: "abcd", expected: [0, 4]),
        Case(pattern: #"[^a-z]+"#, input: "ab1234cd", expected: [2, 6]),
        Case(pattern: #"[a\-\]z]+"#, input: "az]-bcz", expected: [0, 4]),
        Case(pattern: #"[^\n]+"#, input: "abcd\n", expected: [0, 4]),
        Case(pattern: #"[日本語]+"#, input: "日本語日本語", expected: [0, 18]),
        Case(pattern: #"日本語+"#, input: "日本語", expected: [0, 9]),
        Case(pattern: #"日本語+"#, input: "日本語語語語", expected: [0, 18]),
        Case(pattern: #"()"#, input: "", expected: [0, 0, 0, 0]),
        Case(pattern: #"(a)"#, input: "a", expected: [0, 1, 0, 1]),
        Case(pattern: #"(.)(.)"#, input: "日a", expected: [0, 4, 0, 3, 3, 4]),
        Case(pattern: #"(.*)"#, input: "", expected: [0, 0, 0, 0]),
        Case(pattern: #"(.*)"#, input: "abcd", expected: [0, 4, 0, 4]),
        Case(pattern: #"(..)(..)"#, input: "abcd", expected: [0, 4, 0, 2, 2, 4]),
        Case(pattern: #"(([^xyz]*)(d))"#, input: "abcd", expected: [0, 4, 0, 4, 0, 3, 3, 4]),
        Case(pattern: #"((a|b|c)*(d))"#, input: "abcd", expected: [0, 4, 0, 4, 2, 3, 3, 4]),
        Case(pattern: #"(((a|b|c)*)(d))"#, input: "abcd", expected: [0, 4, 0, 4, 0, 3, 2, 3, 3, 4]),
        Case(pattern: #"\a\f\n\r\t\v"#, input: "\u{7}\u{c}\n\r\t\u{b}", expected: [0, 6]),
        Case(pattern: #"[\a\f\n\r\t\v]+"#, input: "\u{7}\u{c}\n\r\t\u{b}", expected: [0, 6]),
        Case(pattern: #"a*(|(b))c*"#, input: "aacc", expected: [0, 4, 2, 2, -1, -1]),
        Case(pattern: #"(.*).*"#, input: "ab", expected: [0, 2, 0, 2]),
        Case(pattern: #"[.]"#, input: ".", expected: [0, 1]),
        Case(pattern: #"/$"#, input: "/abc/", expected: [4, 5]),
        Case(pattern: #"/$"#, input: "/abc", expected: nil),
        Case(pattern: #"ab*"#, input: "abbaab", expected: [0, 3]),
        Case(pattern: #"a(b*)"#, input: "abbaab", expected: [0, 3, 1, 3]),
        Case(pattern: #"ab$"#, input: "cab", expected: [1, 3]),
        Case(pattern: #"axxb$"#, input: "axxcb", expected: nil),
        Case(pattern: #"data"#, input: "daXY data", expected: [5, 9]),
        Case(pattern: #"da(.)a$"#, input: "daXY data", expected: [5, 9, 7, 8]),
        Case(pattern: #"zx+"#, input: "zzx", expected: [1, 3]),
        Case(pattern: #"ab$"#, input: "abcab", expected: [3, 5]),
        Case(pattern: #"(aa)*$"#, input: "a", expected: [1, 1, -1, -1]),
        Case(pattern: #"(?:.|(?:.a))"#, input: "", expected: nil),
        Case(pattern: #"(?:A(?:A|a))"#, input: "Aa", expected: [0, 2]),
        Case(pattern: #"(?:A|(?:A|a))"#, input: "a", expected: [0, 1]),
        Case(pattern: #"(a){0}"#, input: "", expected: [0, 0, -1, -1]),
        Case(pattern: #"(?-s)(?:(?:^).)"#, input: "\n", expected: nil),
        Case(pattern: #"(?s)(?:(?:^).)"#, input: "\n", expected: [0, 1]),
        Case(pattern: #"(?:(?:^).)"#, input: "\n", expected: nil),
        Case(pattern: #"\b"#, input: "x", expected: [0, 0]),
        Case(pattern: #"\b"#, input: "x y", expected: [0, 0]),
        Case(pattern: #"\B"#, input: "x", expected: nil),
        Case(pattern: #"\B"#, input: "xx", expected: [1, 1]),
        Case(pattern: #"\B"#, input: "x y", expected: nil),
        Case(pattern: #"\B"#, input: "xx yy", expected: [1, 1]),
        Case(pattern: #"(|a)*"#, input: "aa", expected: [0, 0, 0, 0]),
        Case(pattern: #"(|a)+"#, input: "aa", expected: [0, 0, 0, 0]),
        Case(pattern: #"0A|0[aA]"#, input: "0a", expected: [0, 2]),
        Case(pattern: #"0[aA]|0A"#, input: "0a", expected: [0, 2]),
        Case(pattern: "[a-c]*", input: "\u{65e5}", expected: [0, 0]),
        Case(pattern: "[^\u{65e5}]", input: "\u{65e5}def", expected: [3, 4]),
        Case(pattern: #"[^\S\s]"#, input: "abcd", expected: nil),
        Case(pattern: #"[^\S[:space:]]"#, input: "abcd", expected: nil),
        Case(pattern: #"[^\D\d]"#, input: "abcd", expected: nil),
        Case(pattern: #"[^\D[:digit:]]"#, input: "abcd", expected: nil),
        Case(pattern: #"(?i)\W"#, input: "x", expected: nil),
        Case(pattern: #"(?i)\W"#, input: "k", expected: nil),
        Case(pattern: #"(?i)\W"#, input: "s", expected: nil),
        Case(
            pattern: ##"\!\"\#\$\%\&\'\(\)\*\+\,\-\.\/\:\;\<\=\>\?\@\[\\\]\^\_\{\|\}\~"##,
            input: ##"!"#$%&'()*+,-./:;<=>?@[\]^_{|}~"##, expected: [0, 31]),
        Case(
            pattern: ##"[\!\"\#\$\%\&\'\(\)\*\+\,\-\.\/\:\;\<\=\>\?\@\[\\\]\^\_\{\|\}\~]+"##,
            input: ##"!"#$%&'()*+,-./:;<=>?@[\]^_{|}~"##, expected: [0, 31]),
        Case(pattern: "\\`", input: "`", expected: [0, 1]),
        Case(pattern: "[\\`]+", input: "`", expected: [0, 1]),
        // Greedy and lazy repetition, counted repetition, alternation priority.
        Case(pattern: #"(a+)(a*)"#, input: "aaa", expected: [0, 3, 0, 3, 3, 3]),
        Case(pattern: #"(a+?)(a*)"#, input: "aaa", expected: [0, 3, 0, 1, 1, 3]),
        Case(pattern: #"(a*?)(a*)"#, input: "aaa", expected: [0, 3, 0, 0, 0, 3]),
        Case(pattern: #"(?U)(a+)(a*)"#, input: "aaa", expected: [0, 1, 0, 1, 1, 1]),
        Case(pattern: #"(?U)(a+?)(a*)"#, input: "aaa", expected: [0, 3, 0, 3, 3, 3]),
        Case(pattern: #"(a??)(a*)"#, input: "aa", expected: [0, 2, 0, 0, 0, 2]),
        Case(pattern: #"a{2}"#, input: "aaa", expected: [0, 2]),
        Case(pattern: #"a{2,}"#, input: "aaaa", expected: [0, 4]),
        Case(pattern: #"a{2,3}"#, input: "aaaa", expected: [0, 3]),
        Case(pattern: #"a{2,3}?"#, input: "aaaa", expected: [0, 2]),
        Case(pattern: #"(a){2,3}"#, input: "aaaa", expected: [0, 3, 2, 3]),
        Case(pattern: #"a{,2}"#, input: "a{,2}", expected: [0, 5]),
        Case(pattern: #"x{2}y"#, input: "xy", expected: nil),
        Case(pattern: #"(a|ab)(c|bcd)(d*)"#, input: "abcd", expected: [0, 4, 0, 1, 1, 4, 4, 4]),
        Case(pattern: #"(a|b)*"#, input: "abab", expected: [0, 4, 3, 4]),
        Case(pattern: #"(?P<first>\w+) (?<last>\w+)"#, input: "Ada Lovelace", expected: [0, 12, 0, 3, 4, 12]),
        // Escapes and classes.
        Case(pattern: #"\x41\x{263a}\101\0"#, input: "A☺A\u{0}", expected: [0, 6]),
        Case(pattern: #"\Qa.b*c\E+"#, input: "a.b*cc", expected: [0, 6]),
        Case(pattern: #"\Qa.b"#, input: "xa.b", expected: [1, 4]),
        Case(pattern: #"[[:alpha:]]+"#, input: "12abC3", expected: [2, 5]),
        Case(pattern: #"[[:^alpha:]]+"#, input: "ab12C", expected: [2, 4]),
        Case(pattern: #"[\d\s]+"#, input: "ab1 2\tc", expected: [2, 6]),
        Case(pattern: #"\W+"#, input: "ab-+c", expected: [2, 4]),
        Case(pattern: #"[]a]+"#, input: "x]a]", expected: [1, 4]),
        Case(pattern: #"[^]a]"#, input: "]ab", expected: [2, 3]),
        Case(pattern: #"[a-]+"#, input: "x-a-", expected: [1, 4]),
        Case(pattern: #"\pL+"#, input: "12ßΩж3", expected: [2, 8]),
        Case(pattern: #"\p{Lu}+"#, input: "aBΩc", expected: [1, 4]),
        Case(pattern: #"\PL+"#, input: "ab12c", expected: [2, 4]),
        Case(pattern: #"\p{^L}+"#, input: "ab12c", expected: [2, 4]),
        Case(pattern: #"\pN+"#, input: "x٣4½y", expected: [1, 6]),
        Case(pattern: #"\p{Greek}+"#, input: "abαβγd", expected: [2, 8]),
        Case(pattern: #"[\p{Han}]+"#, input: "x日本", expected: [1, 7]),
        Case(pattern: #"\p{Cyrillic}"#, input: "ж", expected: [0, 2]),
        Case(pattern: #"\p{Any}+"#, input: "a\nb", expected: [0, 3]),
        // Case folding: simple folding orbits, as Go.
        Case(pattern: #"(?i)k"#, input: "\u{212A}", expected: [0, 3]),
        Case(pattern: #"(?i)K"#, input: "k", expected: [0, 1]),
        Case(pattern: #"(?i)s"#, input: "ſ", expected: [0, 2]),
        Case(pattern: #"(?i)[a-c]+"#, input: "xAbC", expected: [1, 4]),
        Case(pattern: #"(?i)σ+"#, input: "Σσς", expected: [0, 6]),
        Case(pattern: #"(?i)i"#, input: "ı", expected: nil),
        Case(pattern: #"(?i:a)b"#, input: "AB", expected: nil),
        Case(pattern: #"(?i:a)b"#, input: "Ab", expected: [0, 2]),
        Case(pattern: #"(?i)a(?-i)b"#, input: "AB", expected: nil),
        Case(pattern: #"x(?i)a|b"#, input: "B", expected: [0, 1]),
        // Anchors and multi-line mode.
        Case(pattern: #"(?m)^b$"#, input: "a\nb\nc", expected: [2, 3]),
        Case(pattern: #"^b$"#, input: "a\nb\nc", expected: nil),
        Case(pattern: #"\Ab"#, input: "ab", expected: nil),
        Case(pattern: #"a\z"#, input: "a\n", expected: nil),
        Case(pattern: #"a$"#, input: "a\n", expected: nil),
        Case(pattern: #"."#, input: "\n", expected: nil),
        Case(pattern: #"[^a]"#, input: "\n", expected: [0, 1]),
    ]

    @Test(arguments: cases)
    func firstMatch(_ c: Case) throws {
        let re = try RE2Regex(c.pattern)
        let m = re.firstMatch(in: c.input)
        if let expected = c.expected {
            let slots = try #require(m?.slots)
            #expect(Array(slots.prefix(expected.count)) == expected)
            #expect(slots.count == 2 * (re.groupCount + 1))
            #expect(re.matches(c.input))
        } else {
            #expect(m == nil)
            #expect(!re.matches(c.input))
        }
    }

    /// Invalid UTF-8 is matched as U+FFFD, one byte at a time (Go's decoding).
    @Test func invalidUTF8MatchesAsReplacementCharacter() throws {
        #expect(try RE2Regex("\u{FFFD}").firstMatch(utf8: [0xFF])?.slots == [0, 1])
        #expect(try RE2Regex("\u{FFFD}").firstMatch(utf8: Array("hello".utf8) + [0xFF] + Array("world".utf8))?.slots == [5, 6])
        #expect(try RE2Regex(".*").firstMatch(utf8: Array("hello".utf8) + [0xFF] + Array("world".utf8))?.slots == [0, 11])
        #expect(try RE2Regex(#"\x{fffd}"#).firstMatch(utf8: [0xC2, 0x00])?.slots == [0, 1])
        #expect(try RE2Regex(#"[\x{fffd}]"#).firstMatch(utf8: [0xC2, 0x00])?.slots == [0, 1])
        #expect(try RE2Regex("^.$").matches(utf8: [0xED, 0xA0, 0x80]) == false)  // a UTF-8 surrogate: 3 × U+FFFD
        #expect(try RE2Regex("^...$").matches(utf8: [0xED, 0xA0, 0x80]))
    }

    @Test func namedGroups() throws {
        let re = try RE2Regex(#"(?P<year>\d{4})-(\d\d)-(?<day>\d\d)"#)
        #expect(re.captureNames == [nil, "year", nil, "day"])
        #expect(re.groupCount == 3)
    }

    /// A deeply nested pattern parses and compiles without exhausting the thread's stack.
    @Test func deepNestingIsFine() throws {
        let depth = RE2Regex.maxNesting
        let re = try RE2Regex(String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth))
        #expect(re.matches("a"))
        #expect(throws: RegexSyntaxError.self) {
            try RE2Regex(String(repeating: "(", count: depth + 1) + "a" + String(repeating: ")", count: depth + 1))
        }
    }
}
