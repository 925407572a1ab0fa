// LabelTests: escapes in label values and HELP text per format, label-set rules shared with
// Prometheus's head appender (empty values dropped, duplicate names rejected), and the flat
// label encoding the parsers write.

import Exposition
import MetricModel
import Testing

@Suite("Labels and escapes")
struct LabelTests {
    @Test func labelValueEscapes() throws {
        // \\ \" \n are escapes; any other backslash stays (Prometheus's lvalReplacer).
        let input = #"m{a="x\\y\"z\nw\t",b="\q"} 1"# + "\n"
        let got = try parseProm(input)
        #expect(got == [sample(#"m{a="x\\y\"z\nw\t",b="\q"}"#, [("__name__", "m"), ("a", "x\\y\"z\nw\\t"), ("b", "\\q")], 1)])
        // The same in OpenMetrics, plus an escaped exemplar label.
        let om = try parseOM(#"m_total{a="x\\y\"z\nw\t"} 1 # {t="q\"\\"} 2"# + "\n# EOF\n")
        let ex = Exemplar(labels: Labels(["t": "q\"\\"]), value: 2, timestamp: nil)
        #expect(om == [sample(#"m_total{a="x\\y\"z\nw\t"}"#, [("__name__", "m_total"), ("a", "x\\y\"z\nw\\t")], 1, exemplar: ex)])
    }

    @Test func helpEscapesDifferByFormat() throws {
        let line = #"# HELP m a\\b\nc\"d\x e\"# + "\n"
        // 0.0.4 HELP escapes only \\ and \n.
        #expect(try parseProm(line) == [.help("m", "a\\b\nc\\\"d\\x e\\")])
        // OpenMetrics HELP also unescapes \".
        #expect(try parseOM(line + "# EOF\n") == [.help("m", "a\\b\nc\"d\\x e\\")])
    }

    @Test func emptyValuesDropped() throws {
        let got = try parseProm(#"m{a="",b="1"} 1"# + "\n" + #"m{a="",a="2"} 2"# + "\n")
        #expect(got == [
            sample(#"m{a="",b="1"}"#, [("__name__", "m"), ("b", "1")], 1),
            sample(#"m{a="",a="2"}"#, [("__name__", "m"), ("a", "2")], 2),
        ])
    }

    @Test(arguments: [#"m{a="1",a="2"} 1"#, #"m{__name__="x"} 1"#, #"{"m","a"="1","a"="2"} 1"#])
    func duplicateNamesRejected(_ line: String) throws {
        var parser = PromTextParser(Array((line + "\n").utf8))
        #expect(try parser.next() == .series)
        #expect {
            _ = try parser.labels()
        } throws: { error in
            guard let error = error as? ExpositionError else { return false }
            return error.code == .invalidLabels && error.message.hasSuffix("is not unique: invalid sample")
        }
    }

    @Test func appendLabelsWritesTheFlatEncoding() throws {
        var parser = OpenMetricsParser(Array(#"{"my.metric","label.name"="v",b="2"} 1"#.utf8) + Array("\n# EOF\n".utf8))
        #expect(try parser.next() == .series)
        var buffer: [UInt8] = [0xAA]
        try parser.appendLabels(to: &buffer)
        var expected: [UInt8] = [0xAA]
        for s in ["__name__", "my.metric", "b", "2", "label.name", "v"] {
            LabelsEncoding.appendString(s.utf8, to: &expected)
        }
        #expect(buffer == expected)
        #expect(parser.metricName == "my.metric")
        #expect(String(decoding: parser.series, as: UTF8.self) == #"{"my.metric","label.name"="v",b="2"}"#)
        #expect(try parser.labels() == Labels(["__name__": "my.metric", "label.name": "v", "b": "2"]))
    }

    @Test func quotedNamesWithEscapesSortUnescaped() throws {
        // "a\"" unescapes to a" (0x61 0x22), which sorts before "a#" (0x61 0x23).
        let got = try parseProm(#"{"m","a#"="1","a\""="2"} 1"# + "\n")
        #expect(got.count == 1)
        if case let .series(_, labels, _, _, _) = got[0] {
            #expect(labels.pairs.map(\.name) == ["__name__", "a\"", "a#"])
        }
    }

    @Test func invalidUTF8InQuotedNames() {
        var parser = PromTextParser(bytes("{\"m", 0xFF, "\"} 1\n"))
        let error = firstError(&parser)
        #expect(error?.code == .invalidUTF8)
    }

    @Test func metricTypeIsTheLastTypeLine() throws {
        var parser = PromTextParser(Array("# TYPE a untyped\na 1\n# TYPE b counter\nc 1\n".utf8))
        #expect(try parser.next() == .type(name: "a", type: .unknown))
        #expect(try parser.next() == .series)
        #expect(parser.metricType == .unknown)
        #expect(try parser.next() == .type(name: "b", type: .counter))
        #expect(try parser.next() == .series)
        #expect(parser.metricType == .counter)  // Prometheus keeps it across families
        #expect(try parser.next() == nil)
        #expect(try parser.next() == nil)
    }

    @Test func leadingWhitespaceIsNotPartOfTheName() throws {
        // Prometheus's PromParser would keep the blanks in __name__; the format says they are ignored.
        #expect(try parseProm("  m 1\n") == [sample("  m", [("__name__", "m")], 1)])
    }

    @Test func errorPositions() {
        var om = OpenMetricsParser(Array("a 1\nbb x\n# EOF\n".utf8))
        let e1 = firstError(&om)
        #expect(e1?.description == #"2:4: strconv.ParseFloat: parsing "x": invalid syntax while parsing: "bb x""#)
        #expect(e1?.offset == 7)
        var missing = OpenMetricsParser(Array("a 1 1\n".utf8))
        #expect(firstError(&missing)?.description == "2:1: data does not end with # EOF")
        var after = OpenMetricsParser(Array("# EOF\nx".utf8))
        let e3 = firstError(&after)
        #expect(e3?.code == .dataAfterEOF)
        #expect(e3?.description == "2:1: unexpected data after # EOF")
        var prom = PromTextParser(Array("a 1\n\nb{c=} 2\n".utf8))
        #expect(firstError(&prom)?.description == #"3:5: expected label value, got "}" ("INVALID") while parsing: "b{c=}""#)
    }
}
