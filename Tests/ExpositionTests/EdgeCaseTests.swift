// EdgeCaseTests: line endings, byte-order marks, whitespace and end-of-input behaviour where
// the two formats differ, pinned to what Prometheus does.

import Exposition
import MetricModel
import Testing

@Suite("Edge cases")
struct EdgeCaseTests {
    @Test func carriageReturnsAreNotLineEnds() {
        var prom = PromTextParser(Array("a 1\r\n".utf8))
        #expect(firstError(&prom)?.message == #"strconv.ParseFloat: parsing "1\r": invalid syntax while parsing: "a 1\r""#)
        var om = OpenMetricsParser(Array("a 1\r\n# EOF\n".utf8))
        #expect(firstError(&om)?.message == #"strconv.ParseFloat: parsing "1\r": invalid syntax while parsing: "a 1\r""#)
    }

    @Test func byteOrderMarkIsNotAStartToken() {
        var om = OpenMetricsParser([0xEF, 0xBB, 0xBF] + Array("a 1\n# EOF\n".utf8))
        #expect(firstError(&om)?.message == #"expected a valid start token, got "\xef" ("INVALID") while parsing: "\xef""#)
    }

    @Test func promWhitespaceAndBlankLines() throws {
        let got = try parseProm("\n\t a{b=\"c\"}\t 1 \t 2 \t\n\n")
        #expect(got == [sample("\t a{b=\"c\"}", [("__name__", "a"), ("b", "c")], 1, 2)])
    }

    @Test func promLastLineNeedsNoNewline() throws {
        #expect(try parseProm("a 1 2") == [sample("a", [("__name__", "a")], 1, 2)])
    }

    /// Prometheus's lexer reads a NUL at the start of a line as the end of input.
    @Test func promNulAtLineStartEndsInput() throws {
        #expect(try parseProm("a 1\n\u{0}b 2\n") == [sample("a", [("__name__", "a")], 1)])
    }

    @Test func openMetricsEnd() throws {
        var parser = OpenMetricsParser(Array("# EOF".utf8))
        #expect(try parser.next() == nil)
        #expect(try parser.next() == nil)  // stays finished
        var twice = OpenMetricsParser(Array("# EOF\n# EOF\n".utf8))
        #expect(firstError(&twice)?.message == "unexpected data after # EOF")
        var blank = OpenMetricsParser(Array("a 1\n\n# EOF\n".utf8))
        #expect(firstError(&blank)?.message == #"expected a valid start token, got "\n" ("INVALID") while parsing: "\n""#)
    }

    /// Prometheus 3 returns the sample before noticing two spaces before a timestamp.
    @Test func openMetricsDoubleSpaceAfterValue() throws {
        var parser = OpenMetricsParser(Array("a 1  2\n# EOF\n".utf8))
        #expect(try parser.next() == .series)
        #expect(parser.value == 1 && parser.timestamp == nil)
        #expect(firstError(&parser)?.message == #"expected a valid start token, got " 2\n" ("TIMESTAMP") while parsing: " 2\n""#)
        var legacy = OpenMetricsParser(Array("a 1  2\n# EOF\n".utf8), dialect: .prometheus2_42)
        #expect(firstError(&legacy)?.message == #"expected timestamp or # symbol, got "INVALID""#)
    }

    @Test func exemplarNaNIsNormalNaN() throws {
        var parser = OpenMetricsParser(Array("a_total 1 # {t=\"x\"} NaN\n# EOF\n".utf8))
        #expect(try parser.next() == .series)
        #expect(try parser.exemplar()?.value.bitPattern == StaleNaN.normalNaNBits)
    }
}
