// ProtobufParserFixtureTests: the input of Prometheus's own TestProtobufParse, encoded by the
// real protobuf library (Tests/Fixtures/prometheus-protobuf/make-fixture.py), parsed in the three
// scenarios without type-and-unit labels, entry by entry against Prometheus's expectations
// (make-expected.py turns them into the expected-*.txt lines); likewise TestProtobufParseWithNHCB.

import Exposition
import Foundation
import MetricModel
import Testing

@Suite("protobuf exposition: Prometheus's TestProtobufParse")
struct ProtobufParserFixtureTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            let candidate = url.appendingPathComponent("Tests/Fixtures/prometheus-protobuf/\(name)")
            if FileManager.default.fileExists(atPath: candidate.path) { return [UInt8](try Data(contentsOf: candidate)) }
            url = url.deletingLastPathComponent()
        }
        throw ExpositionError(.syntax, "fixture \(name) not found above \(#filePath)", offset: 0, line: 0, column: 0)
    }

    static func expected(_ name: String) throws -> [String] {
        String(decoding: try fixture(name), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test(arguments: [
        ("expected-default.txt", ProtobufParser.Options(validateHistograms: false)),
        ("expected-classic.txt", ProtobufParser.Options(parseClassicHistograms: true, validateHistograms: false)),
        ("expected-ignore-native.txt", ProtobufParser.Options(ignoreNativeHistograms: true, validateHistograms: false)),
    ])
    func scenario(_ file: String, _ options: ProtobufParser.Options) throws {
        let input = try Self.fixture("textparse-testdata.pb")
        let expected = try Self.expected(file)
        let got = try dumpProtobuf(input, options)
        #expect(got.count == expected.count)
        for (k, (g, e)) in zip(got, expected).enumerated() where g != e {
            Issue.record("entry \(k + 1):\n got      \(g)\n expected \(e)")
        }
    }

    /// TestProtobufParseWithNHCB: classic histograms converted to custom buckets, with and
    /// without native histograms ignored and classic series kept.
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func nhcbScenario(_ ignoreNative: Bool, _ keepClassic: Bool) throws {
        let input = try Self.fixture("nhcb-testdata.pb")
        let expected = try Self.expected("expected-nhcb-\(ignoreNative)-\(keepClassic).txt")
        let options = ProtobufParser.Options(
            ignoreNativeHistograms: ignoreNative, parseClassicHistograms: keepClassic,
            convertClassicHistogramsToNHCB: true, validateHistograms: false)
        let got = try dumpProtobuf(input, options)
        #expect(got.count == expected.count)
        for (k, (g, e)) in zip(got, expected).enumerated() where g != e {
            Issue.record("entry \(k + 1):\n got      \(g)\n expected \(e)")
        }
    }

    /// Prometheus's parser leaves validation to the head appender: test_histogram's buckets hold
    /// 19 observations but its count says 175. With validation on (our default), the parser
    /// refuses it, with Prometheus's validation message.
    @Test func validationRefusesTheInconsistentTestHistogram() throws {
        var parser = ProtobufParser(try Self.fixture("textparse-testdata.pb"))
        var error: ExpositionError?
        do {
            while let entry = try parser.next() {
                if case .histogram = entry { Issue.record("no histogram should pass: \(parser.labels)") }
            }
        } catch let e {
            error = e
        }
        let e = try #require(error)
        #expect(e.code == .invalidHistogram)
        #expect(
            e.message
                == "histogram \"test_histogram\": 19 observations found in buckets, but the Count field is 175: "
                + "histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)"
        )
        #expect(e.description.hasPrefix("byte "))
    }
}
