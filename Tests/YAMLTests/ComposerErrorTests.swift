// The composer's errors in go-yaml v2's words and line numbers (scanner errors: the 1-based line
// of the problem; parser errors: the 0-based one; line 0 left out), and hostile input refused
// cleanly: deep nesting, alias bombs, invalid UTF-8, unterminated quotes, huge input.

import Testing
import YAML

func composeError(_ text: String) -> YAMLError? {
    do {
        _ = try Composer.compose(text)
        return nil
    } catch {
        return error
    }
}

@Suite struct ComposerErrorTests {
    @Test(arguments: [
        // Checked against promtool (go-yaml v2) by the config tests this composer replaced Yams in.
        ("global:\n  scrape_interval: 15s\n scrape_timeout: 10s\n", "yaml: line 2: did not find expected key"),
        ("a: b: c\n", "yaml: mapping values are not allowed in this context"),
        ("scrape_configs:\n  - job_name: x\n    static_configs:\n      - targets: [a\n",
         "yaml: line 4: did not find expected ',' or ']'"),
        ("global:\n\tscrape_interval: 1m\n", "yaml: line 2: found character that cannot start any token"),
        // Derived from go-yaml v2's scanner and parser.
        ("a: b\n  c: d\n", "yaml: line 2: mapping values are not allowed in this context"),
        ("a: [1, 2", "yaml: line 1: did not find expected ',' or ']'"),
        ("a: {x: 1\nb: 2\n", "yaml: line 1: did not find expected ',' or '}'"),
        ("- a\nb: c\n", "yaml: line 1: did not find expected '-' indicator"),
        ("a: 1\n- b\n", "yaml: line 1: did not find expected key"),
        ("a: \"abc", "yaml: found unexpected end of stream"),
        ("a: \"abc\n", "yaml: line 2: found unexpected end of stream"),
        ("x: 1\na: 'one\nb: 2\n", "yaml: line 4: found unexpected end of stream"),
        ("x: 1\na: \"\\q\"\n", "yaml: line 2: found unknown escape character"),
        ("a: \"\\xZZ\"\n", "yaml: did not find expected hexdecimal number"),
        ("a: \"\\uD800\"\n", "yaml: found invalid Unicode character escape code"),
        ("a: 'x\n---\n'\n", "yaml: line 2: found unexpected document indicator"),
        ("a: |0\n  x\n", "yaml: found an indentation indicator equal to 0"),
        ("a: | x\n", "yaml: did not find expected comment or line break"),
        ("a: |\n  x\n\t y\n", "yaml: line 3: found a tab character where an indentation space is expected"),
        ("a: &\n", "yaml: did not find expected alphabetic or numeric character"),
        ("a: !x!y z\n", "yaml: found undefined tag handle"),
        ("a: !<x\n", "yaml: did not find the expected '>'"),
        ("%YAML 1.2\n---\na: 1\n", "yaml: found incompatible YAML document"),
        ("%YAML 1.1\n%YAML 1.1\n---\n", "yaml: line 1: found duplicate %YAML directive"),
        ("%FOO\n---\n", "yaml: found unknown directive name"),
        ("%YAML 1.1\na: 1\n", "yaml: line 1: did not find expected <document start>"),
        ("a:\n  - b\n  c: d\n", "yaml: line 2: did not find expected '-' indicator"),
        ("a: 'x' - y\n", "yaml: block sequence entries are not allowed in this context"),
        ("a: *missing\n", "yaml: unknown anchor 'missing' referenced"),
        ("a: &a [1, *a]\n", "yaml: anchor 'a' value contains itself"),
        ("a: 1\n\u{1}\n", "yaml: control characters are not allowed"),
    ])
    func goYAMLWording(text: String, message: String) {
        #expect(composeError(text)?.message == message)
    }

    @Test(arguments: [
        ([0x61, 0x3A, 0x20, 0xFF] as [UInt8], "yaml: invalid leading UTF-8 octet"),
        ([0x61, 0x3A, 0x20, 0xC3], "yaml: incomplete UTF-8 octet sequence"),
        ([0x61, 0x3A, 0x20, 0xC3, 0x28], "yaml: invalid trailing UTF-8 octet"),
        ([0x61, 0x3A, 0x20, 0xC0, 0x80], "yaml: invalid length of a UTF-8 sequence"),
        ([0x61, 0x3A, 0x20, 0xED, 0xA0, 0x80], "yaml: invalid Unicode character"),
        ([0x61, 0x3A, 0x00], "yaml: control characters are not allowed"),
    ])
    func invalidInputBytes(bytes: [UInt8], message: String) {
        #expect(throws: YAMLError.self) { try Composer.compose(bytes: bytes) }
        do {
            _ = try Composer.compose(bytes: bytes)
        } catch {
            #expect(error.message == message)
            #expect(error.code == .reader)
        }
    }

    @Test func codesSayWhichStageFailed() {
        #expect(composeError("a: \"x")?.code == .scanner)
        #expect(composeError("a: [1")?.code == .parser)
        #expect(composeError("a: *x")?.code == .composer)
        #expect(composeError("a: \"x")?.line == nil)
        #expect(composeError("\n\na: [1")?.line == 3)
    }
}

@Suite struct HostileInputTests {
    @Test func deepFlowNestingIsRefused() {
        let error = composeError(String(repeating: "[", count: 100_000))
        #expect(error?.code == .tooDeep)
        #expect(error?.message == "yaml: line 1: exceeded max depth of \(Composer.maxDepth)")
    }

    @Test func deepBlockNestingIsRefused() {
        var text = ""
        for level in 0..<2_000 { text += String(repeating: " ", count: level) + "k:\n" }
        #expect(composeError(text)?.code == .tooDeep)
        #expect(composeError(String(repeating: "- ", count: 5_000) + "x\n")?.code == .tooDeep)
        #expect(composeError(String(repeating: "{a: ", count: 5_000))?.code == .tooDeep)
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let depth = Composer.maxDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var node = try #require(try Composer.compose(text))
        var levels = 0
        while case .sequence(let sequence) = node, let first = sequence.first {
            node = first
            levels += 1
        }
        #expect(levels == depth - 1)
    }

    @Test func billionLaughsIsRefused() {
        var text = "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        }
        #expect(composeError(text)?.message == "yaml: document contains excessive aliasing")
    }

    @Test func modestAliasingIsAccepted() throws {
        var text = "base: &base {a: 1, b: 2}\n"
        for index in 0..<200 { text += "k\(index): *base\n" }
        guard case .mapping(let mapping)? = try Composer.compose(text) else { Issue.record("not a mapping"); return }
        #expect(mapping.count == 201)
    }

    @Test func unterminatedQuoteInHugeInputFailsCleanly() {
        let text = "a: \"" + String(repeating: "x", count: 2_000_000)
        #expect(composeError(text)?.message == "yaml: found unexpected end of stream")
    }

    @Test func largeDocumentsCompose() throws {
        var text = ""
        for index in 0..<20_000 { text += "key\(index): [value\(index), 'q', \"d\"]\n" }
        guard case .mapping(let mapping)? = try Composer.compose(text) else { Issue.record("not a mapping"); return }
        #expect(mapping.count == 20_000)
        #expect(mapping[19_999].key.mark.line == 20_000)
    }

    @Test func longSimpleKeysAreNotKeys() {
        // A simple key is at most 1024 characters (libyaml); past that `:` is not allowed.
        let key = String(repeating: "k", count: 1_100)
        #expect(composeError("\(key): v\n")?.message == "yaml: mapping values are not allowed in this context")
    }

    /// A lone carriage return breaks a line, as in go-yaml (libyaml's `IS_BREAK`): the fuzzer's
    /// first "finding" was its own line count, which knew only `\n`.
    @Test func carriageReturnsBreakLines() throws {
        guard case .mapping(let mapping)? = try Composer.compose("a: 1\rb: 2\r\nc: 3\n") else {
            Issue.record("not a mapping")
            return
        }
        #expect(mapping.map { $0.key.mark.line } == [1, 2, 3])
        #expect(composeError("scrape_configsacel_configs:\n      \r regex: abc(obal") == nil)
    }

    @Test func randomBytesNeverCrash() {
        // A fixed-seed LCG (Knuth's MMIX constants): the same inputs every run.
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let alphabet = Array("ab:-?[]{},&*!|>'\"#%@` \t\n\\0x.".utf8) + [0xC3, 0xA9, 0xFF]
        for _ in 0..<3_000 {
            let bytes = (0..<next(60)).map { _ in alphabet[next(alphabet.count)] }
            // Either outcome is fine; a crash or hang is not.
            _ = try? Composer.compose(bytes: bytes)
        }
    }
}
