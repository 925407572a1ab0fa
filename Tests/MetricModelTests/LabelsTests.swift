// Labels: sorting, lookup, hashing, Prometheus's label-set order.

import MetricModel
import Testing

@Suite struct LabelsTests {
    @Test func sortsByNameAndDropsEmptyValues() {
        let labels = Labels([("job", "node"), ("__name__", "up"), ("empty", ""), ("a", "1")])
        #expect(labels.pairs.map(\.name) == ["__name__", "a", "job"])
        #expect(labels["job"] == "node")
        #expect(labels["empty"] == nil)
        #expect(labels.metricName == "up")
        #expect(labels.count == 3)
    }

    @Test func laterDuplicateWins() {
        let labels = Labels([("a", "1"), ("a", "2")])
        #expect(labels.pairs.count == 1)
        #expect(labels["a"] == "2")
    }

    @Test func equalSetsHaveEqualHashesAndBytes() {
        let a = Labels(["x": "1", "y": "2"])
        let b = Labels([("y", "2"), ("x", "1")])
        #expect(a == b)
        #expect(a.hash == b.hash)
        #expect(a != Labels(["x": "1", "y": "3"]))
        #expect(a.hash != Labels(["x": "1", "y": "3"]).hash)
    }

    @Test func prometheusOrderPrefixFirst() {
        let short = Labels(["a": "1"])
        let long = Labels(["a": "1", "b": "x"])
        #expect(short < long)
        #expect(!(long < short))
        #expect(Labels(["a": "1"]) < Labels(["a": "2"]))
        #expect(Labels(["a": "2"]) < Labels(["b": "1"]))
        // Bytewise: "B" < "__name__" < "a" < "é"
        let names = ["é", "a", "__name__", "B"].map { Labels([$0: "v"]) }.sorted().map { $0.pairs[0].name }
        #expect(names == ["B", "__name__", "a", "é"])
    }

    @Test func longValuesUseMultiByteLengths() {
        let value = String(repeating: "v", count: 300)
        let labels = Labels(["__name__": "m", "long": value, "z": "last"])
        #expect(labels["long"] == value)
        #expect(labels["z"] == "last")
    }

    @Test func descriptionEscapes() {
        #expect(Labels(["a": "x\"y\n"]).description == "{a=\"x\\\"y\\n\"}")
    }

    @Test func droppingMetricName() {
        let labels = Labels(["__name__": "up", "job": "x"]).droppingMetricName()
        #expect(labels == Labels(["job": "x"]))
    }
}

@Suite struct LabelMatcherTests {
    @Test(arguments: [
        (MatchType.equal, "a", "a", true), (.equal, "a", "b", false), (.equal, "", "", true),
        (.notEqual, "a", "a", false), (.notEqual, "a", "b", true),
        (.regexMatch, "api|web", "api", true), (.regexMatch, "api|web", "apix", false),
        (.regexMatch, "a.*", "abc", true), (.regexMatch, "a.*", "xabc", false),
        (.regexMatch, ".*", "", true), (.regexMatch, ".+", "", false),
        (.regexMatch, "a.c", "a\nc", true),  // `.` matches newline
        (.regexNoMatch, "a.*", "abc", false), (.regexNoMatch, "a.*", "b", true),
        (.regexMatch, "foo|", "", true), (.regexMatch, "x[0-9]+", "x12", true), (.regexMatch, "x[0-9]+", "x12y", false),
        // Alternations of escaped literals (Go's regexp.QuoteMeta output) match literally.
        (.regexMatch, #"10\.0\.0\.1:9100|x"#, "10.0.0.1:9100", true), (.regexMatch, #"10\.0\.0\.1:9100|x"#, "10a0a0a1:9100", false),
        (.regexMatch, #"a\|b"#, "a|b", true), (.regexMatch, #"a\|b"#, "a", false), (.regexMatch, #"\(x\)"#, "(x)", true),
        (.regexNoMatch, #"a\.b|c"#, "c", false), (.regexNoMatch, #"a\.b|c"#, "axb", true),
        (.regexMatch, #"\d"#, "5", true),  // an escaped letter is a class, not a literal
    ])
    func matches(type: MatchType, pattern: String, candidate: String, expected: Bool) throws {
        let m = try LabelMatcher(type, "l", pattern)
        #expect(m.matches(candidate) == expected)
    }

    @Test func matchesEmpty() throws {
        #expect(try LabelMatcher(.equal, "a", "").matchesEmpty)
        #expect(try !LabelMatcher(.equal, "a", "x").matchesEmpty)
        #expect(try LabelMatcher(.regexMatch, "a", "x|").matchesEmpty)
        #expect(try LabelMatcher(.notEqual, "a", "x").matchesEmpty)
    }

    @Test func badRegexThrows() {
        #expect(throws: MatcherError.self) { try LabelMatcher(.regexMatch, "a", "(") }
        #expect(throws: MatcherError.self) { try LabelMatcher(.regexMatch, "a", #"a\"#) }
    }

    @Test func description() throws {
        #expect(try LabelMatcher(.regexMatch, "job", "a\"b").description == "job=~\"a\\\"b\"")
    }
}

@Suite struct EncodedLabelsTests {
    @Test func shapeAndMetricNameReadTheEncodingInPlace() {
        let labels = Labels(["__name__": "up", "Zone": "eu", "job": String(repeating: "j", count: 300)])
        labels.bytes.withUnsafeBytes { encoded in
            #expect(Labels.shape(encoded: encoded) == Labels.Shape(count: 3, longestName: 8, longestValue: 300))
            #expect(Labels.metricName(encoded: encoded) == "up")
        }
        Labels(["job": "x"]).bytes.withUnsafeBytes { #expect(Labels.metricName(encoded: $0) == nil) }
        Labels.empty.bytes.withUnsafeBytes { #expect(Labels.shape(encoded: $0) == Labels.Shape()) }
    }
}
