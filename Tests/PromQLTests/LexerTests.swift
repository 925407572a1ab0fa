// Lexer and error-type unit tests: token text and kinds, context rules, end of input,
// Go-style quoting, and how ParseError prints positions.

import MetricModel
import PromQL
import Testing

@Suite("Lexer")
struct LexerTests {
    @Test("tokens carry kind, byte range and source text")
    func tokens() throws {
        var lexer = Lexer(#"rate(é{job="api"}[5m])"#)
        var seen: [(TokenKind, String, Int)] = []
        do {
            while true {
                let token = try lexer.next()
                if token.kind == .eof { break }
                seen.append((token.kind, lexer.text(of: token), token.position))
            }
            Issue.record("expected an error for the non-ASCII identifier")
        } catch {
            #expect(error.description == "1:6: parse error: unexpected character: 'é'")
            #expect(error.code == .syntax)
        }
        #expect(seen.map(\.0) == [.identifier, .leftParen])
    }

    @Test("keywords are identifiers inside braces, and end of input repeats")
    func contexts() throws {
        var lexer = Lexer(#"sum{by="x"} # done"#)
        var kinds: [TokenKind] = []
        var texts: [String] = []
        while true {
            let token = try lexer.next()
            kinds.append(token.kind)
            texts.append(lexer.text(of: token))
            if token.kind == .eof { break }
        }
        #expect(kinds == [.sum, .leftBrace, .identifier, .eql, .string, .rightBrace, .comment, .eof])
        #expect(texts == ["sum", "{", "by", "=", #""x""#, "}", "# done", ""])
        #expect(try lexer.next().kind == .eof)
        #expect(try lexer.next().position == 18)
    }

    @Test("token classes")
    func classes() {
        #expect(TokenKind.sum.isAggregator && !TokenKind.sum.isKeyword)
        #expect(TokenKind.offset.isKeyword && TokenKind.offset.canBeMetricName)
        #expect(TokenKind.at.isOperator && !TokenKind.at.canBeMetricName)
        #expect(!TokenKind.bool.canBeMetricName && !TokenKind.start.isKeyword)
    }

    @Test("ParseError positions: lines, byte columns, no position")
    func errorPositions() {
        #expect(parseError("foo{\n\n  é=~1}")?.description == "3:3: parse error: unexpected character inside braces: 'é'")
        #expect(parseError("é é")?.description == "1:1: parse error: unexpected character: 'é'")
        #expect(parseError("\"é\" +\n é")?.description == "2:2: parse error: unexpected character: 'é'")
        #expect(ParseError(.badDuration, "empty duration string").description == "empty duration string")
        let atEnd = ParseError(.syntax, "x", at: PositionRange(start: 3, end: 3), in: "abc")
        #expect(atEnd.description == "1:4: parse error: x")
        #expect(ParseError(.syntax, "x", at: PositionRange(start: 4, end: 4), in: "abc").position == "invalid position")
        #expect(ParseError(.syntax, "x", at: PositionRange(start: 0, end: 0), in: "").position == "unknown position")
    }

    @Test("Go quoting as in Prometheus messages")
    func quoting() {
        #expect(goQuote("plain") == #""plain""#)
        #expect(goQuote("a\"b\\c") == #""a\"b\\c""#)
        #expect(goQuote("\u{07}\u{08}\u{0C}\n\r\t\u{0B}") == #""\a\b\f\n\r\t\v""#)
        #expect(goQuote("\u{00}\u{1F}\u{7F}") == #""\x00\x1f\x7f""#)
        #expect(goQuote("é😀") == #""é😀""#)
        #expect(goQuote("\u{200B}\u{A0}\u{E000}\u{E0001}") == #""\u200b\u00a0\ue000\U000e0001""#)
        // Bytes that are not UTF-8 (a string literal with `\xc5`), each invalid byte as Go writes it.
        #expect(goQuote(utf8: Array("a".utf8) + [0xC5] + Array("z".utf8)) == #""a\xc5z""#)
        #expect(goQuote(utf8: [0xE2, 0x82, 0x41, 0xC3, 0xA9]) == #""\xe2\x82Aé""#)
        #expect(goQuote(utf8: [0xED, 0xA0, 0x80]) == #""\xed\xa0\x80""#)
    }

    @Test("a string literal that is not UTF-8 keeps its bytes for messages and printing")
    func invalidUTF8Literal() throws {
        let expr = try parseExpr(#"count_values("a\xc5z", x)"#)
        #expect(expr.description == #"count_values("a\xc5z", x)"#)
        guard case .aggregate(let a) = expr, case .stringLiteral(let lit)? = a.param else {
            Issue.record("expected count_values with a string parameter: \(expr)")
            return
        }
        #expect(lit.invalidUTF8 == [0x61, 0xC5, 0x7A])
        #expect(lit.value == "a\u{FFFD}z")
        let valid = try parseExpr(#"count_values("a\u00e9", x)"#)
        guard case .aggregate(let b) = valid, case .stringLiteral(let plain)? = b.param else { return }
        #expect(plain.invalidUTF8 == nil)
    }

    @Test("time offsets in error messages use Go's %f")
    func goPercentF() {
        let huge = "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000"
        #expect(parseError("foo @ 1e300")?.description == "1:1: parse error: timestamp out of bounds for @ modifier: \(huge)")
        #expect(parseError("foo @ -9.3e18")?.description == "1:1: parse error: timestamp out of bounds for @ modifier: -9300000000000000000.000000")
    }
}
