// Relabeling behaviour beyond Prometheus's table: the builder's order and deletions, Go's
// template expansion and case mapping, byte-wise name comparison, hashmod numbers computed
// independently, and the regex fast path agreeing with the regex engine.

import MetricModel
import Relabel
import Testing

@Suite struct RelabelSemanticsTests {
    @Test func labelmapSeesBaseLabelsFirstThenTheSetOnes() throws {
        // Go's Builder.Range: base labels not set again ("b"), then set ones in order ("a").
        let steps = [
            try RelabelConfig(targetLabel: "a", replacement: "x"),
            try RelabelConfig(regex: "a|b", replacement: "c", action: .labelmap),
        ]
        #expect(Labels(["a": "1", "b": "2"]).relabeled(steps) == Labels(["a": "x", "b": "2", "c": "x"]))
    }

    @Test func labelmapDoesNotSeeTheLabelsItSets() throws {
        let step = try RelabelConfig(regex: "(.*)", replacement: "x_$1", action: .labelmap)
        #expect(Labels(["a": "1"]).relabeled([step]) == Labels(["a": "1", "x_a": "1"]))
    }

    @Test func labelmapCanProduceAnEmptyNameAsPrometheusDoes() throws {
        let step = try RelabelConfig(regex: "(a)", replacement: "$2", action: .labelmap)
        let result = try #require(Labels(["a": "1"]).relabeled([step]))
        #expect(result.pairs.map(\.name) == ["", "a"])
    }

    @Test func replaceFromAMissingSourceDeletesTheTarget() throws {
        let step = try RelabelConfig(sourceLabels: ["missing"], targetLabel: "t")
        #expect(Labels(["t": "old", "u": "1"]).relabeled([step]) == Labels(["u": "1"]))
    }

    @Test func replaceWithoutSourcesSetsAStaticValue() throws {
        let step = try RelabelConfig(targetLabel: "env", replacement: "prod")
        #expect(Labels(["a": "1"]).relabeled([step]) == Labels(["a": "1", "env": "prod"]))
    }

    @Test func sourcesAreJoinedWithTheSeparatorMissingOnesAsEmpty() throws {
        let step = try RelabelConfig(sourceLabels: ["a", "missing", "b"], separator: "/", targetLabel: "j")
        #expect(Labels(["a": "foo", "b": "bar"]).relabeled([step])?["j"] == "foo//bar")
    }

    @Test func goTemplateExpansion() throws {
        // `$$` is a dollar; `$1x` names group "1x", which does not exist.
        let step = try RelabelConfig(sourceLabels: ["a"], regex: "(o)o", targetLabel: "t", replacement: "$$1 ${1}x $1x")
        #expect(Labels(["a": "oo"]).relabeled([step])?["t"] == "$1 ox ")
    }

    @Test(arguments: [("o", false), ("fo", false), ("fo+", true), ("f.o", true), ("FOO", false), ("(?i)FOO", true)])
    func regexIsFullyAnchored(pattern: String, kept: Bool) throws {
        let step = try RelabelConfig(sourceLabels: ["a"], regex: pattern, action: .keep)
        #expect((Labels(["a": "foo"]).relabeled([step]) != nil) == kept)
    }

    @Test func aDeletedLabelReadsAsEmptyAndCanBeSetAgain() throws {
        let drop = try RelabelConfig(regex: "a", action: .labeldrop)
        let keepEmpty = try RelabelConfig(sourceLabels: ["a"], regex: "", action: .keep)
        let keepFoo = try RelabelConfig(sourceLabels: ["a"], regex: "foo", action: .keep)
        let setA = try RelabelConfig(targetLabel: "a", replacement: "y")
        let labels = Labels(["a": "foo", "b": "bar"])
        #expect(labels.relabeled([drop, keepEmpty]) == Labels(["b": "bar"]))
        #expect(labels.relabeled([drop, keepFoo]) == nil)
        #expect(labels.relabeled([drop, setA]) == Labels(["a": "y", "b": "bar"]))
        #expect(labels.relabeled([drop, setA, drop]) == Labels(["b": "bar"]))
    }

    @Test func unchangedLabelsComeBackAsTheyWere() throws {
        let labels = Labels(["__name__": "up", "job": "node"])
        let steps = [
            try RelabelConfig(sourceLabels: ["__name__"], regex: "up|scrape_.*", action: .keep),
            try RelabelConfig(sourceLabels: ["job"], regex: "other", action: .drop),
            try RelabelConfig(regex: "pod_template_hash", action: .labeldrop),
        ]
        let result = try #require(labels.relabeled(steps))
        #expect(result.bytes == labels.bytes)
        #expect(labels.relabeled([]) == labels)
    }

    @Test func setLabelsComeOutSortedByBytes() throws {
        let steps = try ["zz", "A", "0", "é", "b"].map { try RelabelConfig(targetLabel: $0, replacement: "v") }
        let result = try #require(Labels(["a": "1", "c": "2"]).relabeled(steps))
        #expect(result.pairs.map(\.name) == ["0", "A", "a", "b", "c", "zz", "é"])
    }

    @Test func namesCompareAsBytesNotAsCanonicallyEquivalentStrings() throws {
        let decomposed = "e\u{301}", precomposed = "\u{E9}"
        let keep = try RelabelConfig(sourceLabels: [precomposed], regex: "x", action: .keep)
        #expect(Labels([decomposed: "x"]).relabeled([keep]) == nil)
        let set = try RelabelConfig(targetLabel: precomposed, replacement: "2")
        #expect(Labels([decomposed: "1"]).relabeled([set])?.count == 2)
    }

    /// Expected strings printed by Go's `strings.ToUpper` / `strings.ToLower`: one scalar to
    /// one scalar (ß stays ß, İ lowers to i, ᾳ uppers to ᾼ).
    @Test(arguments: [
        ("bAr123Foo", "BAR123FOO", "bar123foo"),
        ("straße", "STRAßE", "straße"),
        ("\u{FB00}", "\u{FB00}", "\u{FB00}"),
        ("\u{1FB3}", "\u{1FBC}", "\u{1FB3}"),
        ("\u{1F80}", "\u{1F88}", "\u{1F80}"),
        ("\u{149}", "\u{149}", "\u{149}"),
        ("\u{B5}", "\u{39C}", "\u{B5}"),
        ("\u{17F}", "S", "\u{17F}"),
        ("\u{1C5}", "\u{1C4}", "\u{1C6}"),
        ("\u{390}", "\u{390}", "\u{390}"),
        ("ÀÉÎõü", "ÀÉÎÕÜ", "àéîõü"),
        ("\u{130}", "\u{130}", "i"),
        ("\u{212A}", "\u{212A}", "k"),
        ("\u{1E9E}", "\u{1E9E}", "\u{DF}"),
        ("\u{1FF3}", "\u{1FFC}", "\u{1FF3}"),
    ])
    func caseMappingAsGo(value: String, upper: String, lower: String) throws {
        let steps = [
            try RelabelConfig(sourceLabels: ["v"], targetLabel: "upper", action: .uppercase),
            try RelabelConfig(sourceLabels: ["v"], targetLabel: "lower", action: .lowercase),
        ]
        let result = try #require(Labels(["v": value]).relabeled(steps))
        #expect(Array(result["upper"]?.unicodeScalars ?? "".unicodeScalars) == Array(upper.unicodeScalars))
        #expect(Array(result["lower"]?.unicodeScalars ?? "".unicodeScalars) == Array(lower.unicodeScalars))
    }

    @Test func lowercaseOfNothingDeletesTheTarget() throws {
        let step = try RelabelConfig(sourceLabels: ["missing"], targetLabel: "t", action: .lowercase)
        #expect(Labels(["t": "x"]).relabeled([step]) == Labels.empty)
    }

    @Test func equalActionsTreatMissingLabelsAsEmpty() throws {
        let keep = try RelabelConfig(sourceLabels: ["m1"], targetLabel: "m2", action: .keepequal)
        let drop = try RelabelConfig(sourceLabels: ["m1"], targetLabel: "m2", action: .dropequal)
        #expect(Labels(["a": "1"]).relabeled([keep]) != nil)
        #expect(Labels(["a": "1"]).relabeled([drop]) == nil)
        let joined = try RelabelConfig(sourceLabels: ["a", "b"], targetLabel: "ab", action: .keepequal)
        #expect(Labels(["a": "1", "b": "2", "ab": "1;2"]).relabeled([joined]) != nil)
        #expect(Labels(["a": "1", "b": "2", "ab": "1;3"]).relabeled([joined]) == nil)
    }

    /// Shards computed with Python's hashlib: md5(value) bytes 8…15 as a big-endian UInt64,
    /// modulo the modulus. (Prometheus's own table agrees: "baz" → 976, "foo\nbar" → 734.)
    @Test(arguments: [
        (["a": "baz"], ["a"], UInt64(1000), "976"),
        (["a": "foo\nbar"], ["a"], 1000, "734"),
        ([:], ["a"], 1000, "958"),
        (["__address__": "10.132.183.40:80"], ["__address__"], 3, "1"),
        (["a": "a", "b": "b"], ["a", "b"], 7, "2"),
        (["a": "a"], ["a", "b"], 7, "5"),
        (["b": "b"], ["a", "b"], 7, "0"),
        (["a": "\u{FC}n\u{EF}c\u{F6}d\u{E9}"], ["a"], 100, "56"),
        (["a": "foo"], ["a"], 1, "0"),
        (["a": "foo"], ["a"], UInt64.max, "17145033699835028696"),
        (["a": String(repeating: "x", count: 1000)], ["a"], UInt64.max, "7255851283918900067"),
        (["i": "web-1"], ["i"], 4, "0"),
        (["i": "web-2"], ["i"], 4, "3"),
    ])
    func hashmodShard(labels: [String: String], sources: [String], modulus: UInt64, shard: String) throws {
        let step = try RelabelConfig(sourceLabels: sources, modulus: modulus, targetLabel: "__tmp_hash", action: .hashmod)
        #expect(Labels(labels).relabeled([step])?["__tmp_hash"] == shard)
    }

    @Test func hashmodShardingKeepsOneShard() throws {
        let steps = [
            try RelabelConfig(sourceLabels: ["i"], modulus: 4, targetLabel: "__tmp_hash", action: .hashmod),
            try RelabelConfig(sourceLabels: ["__tmp_hash"], regex: "3", action: .keep),
            try RelabelConfig(regex: "__tmp_hash", action: .labeldrop),
        ]
        #expect(Labels(["i": "web-2"]).relabeled(steps) == Labels(["i": "web-2"]))
        #expect(Labels(["i": "web-1"]).relabeled(steps) == nil)
    }

    @Test func metricRelabelingDropsByName() throws {
        let step = try RelabelConfig(sourceLabels: ["__name__"], regex: "go_.*|process_.*|up", action: .drop)
        #expect(step.hasFastPath)
        for name in ["go_goroutines", "process_cpu_seconds_total", "up"] {
            #expect(Labels(["__name__": name]).relabeled([step]) == nil, "\(name)")
        }
        for name in ["http_requests_total", "upx", "xgo_", ""] {
            #expect(Labels(["__name__": name, "job": "j"]).relabeled([step]) != nil, "\(name)")
        }
    }

    @Test(arguments: [
        ("up", true), ("a|b|", true), ("go_.*", true), (".*_total$", true), ("^.*bytes.*$", true), ("(.*)", true),
        ("", true), ("a.b", false), ("(a)", false), ("a+", false), (#"a\.b"#, false), ("[ab]", false), ("é", false),
    ])
    func fastPathIsTakenForSimplePatterns(pattern: String, fast: Bool) throws {
        #expect(try RelabelConfig(sourceLabels: ["a"], regex: pattern, action: .keep).hasFastPath == fast)
    }

    /// The byte tests of the fast path against the regex engine: each random pattern `P` is
    /// also run as `(?:P)`, which the fast path does not take.
    @Test func fastPathAgreesWithTheRegexEngine() throws {
        let seed: UInt64 = 0x5EED_0001
        var rng = SeededGenerator(seed: seed)
        let pieces = ["a", "b", "_", ":", "ab", "ba"]
        let values = ["", "a", "b", "ab", "ba", "aab", "a\nb", "_a:", "ü", "ab_", "bab", "a:b", ":"]
        for _ in 0..<300 {
            var alternatives: [String] = []
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                var term = ""
                if Bool.random(using: &rng) && Bool.random(using: &rng) { term += "^" }
                if Bool.random(using: &rng) { term += ".*" }
                for _ in 0..<Int.random(in: 0...2, using: &rng) { term += pieces.randomElement(using: &rng)! }
                if Bool.random(using: &rng) { term += ".*" }
                if Bool.random(using: &rng) && Bool.random(using: &rng) { term += "$" }
                alternatives.append(term)
            }
            let pattern = alternatives.joined(separator: "|")
            let fast = try RelabelConfig(sourceLabels: ["v"], regex: pattern, action: .keep)
            let slow = try RelabelConfig(sourceLabels: ["v"], regex: "(?:\(pattern))", action: .keep)
            let fastDrop = try RelabelConfig(regex: pattern, action: .labeldrop)
            let slowDrop = try RelabelConfig(regex: "(?:\(pattern))", action: .labeldrop)
            try #require(fast.hasFastPath && !slow.hasFastPath, "seed \(seed): \(pattern)")
            for value in values {
                let labels = Labels([("v", value), (value, "1"), ("w", "2")])
                #expect(
                    (labels.relabeled([fast]) != nil) == (labels.relabeled([slow]) != nil),
                    "seed \(seed): \(pattern) on \(value.debugDescription)"
                )
                #expect(labels.relabeled([fastDrop]) == labels.relabeled([slowDrop]), "seed \(seed): \(pattern) on \(value.debugDescription)")
            }
        }
    }
}
