// The composer on each construct go-yaml v2 accepts: block and flow collections, every scalar
// style, comments and document markers, anchors, aliases, tags and repeated keys, with lines.

import Testing
import YAML

/// A node as compact text: plain scalars bare, `'single'`, `"double"`, `|literal|`, `>folded<`,
/// `[a, b]`, `{k: v}`, a tag as `<tag>` before the node. Text is shown with Swift escapes.
func shape(_ node: Node?) -> String {
    guard let node else { return "nil" }
    let tag = node.tag.map { "<\($0)>" } ?? ""
    switch node {
    case .scalar(let scalar):
        let text = String(scalar.string.debugDescription.dropFirst().dropLast())
        switch scalar.style {
        case .plain: return tag + text
        case .singleQuoted: return tag + "'\(text)'"
        case .doubleQuoted: return tag + "\"\(text)\""
        case .literal: return tag + "|\(text)|"
        case .folded: return tag + ">\(text)<"
        }
    case .sequence(let sequence):
        return tag + "[" + sequence.map { shape($0) }.joined(separator: ", ") + "]"
    case .mapping(let mapping):
        return tag + "{" + mapping.map { "\(shape($0.key)): \(shape($0.value))" }.joined(separator: ", ") + "}"
    }
}

func composed(_ text: String) throws -> String { shape(try Composer.compose(text)) }

@Suite struct BlockCollectionTests {
    @Test(arguments: [
        ("a: 1\nb: two\n", "{a: 1, b: two}"),
        ("a:\n  b:\n    c: d\n", "{a: {b: {c: d}}}"),
        ("- a\n- b\n", "[a, b]"),
        // A sequence at its parent key's indentation.
        ("key:\n- a\n- b\nother: c\n", "{key: [a, b], other: c}"),
        ("key:\n  - a\n  - b\n", "{key: [a, b]}"),
        // Compact nested sequences and mappings inside sequences.
        ("- - a\n  - b\n- c\n", "[[a, b], c]"),
        ("- name: x\n  value: 1\n- name: y\n", "[{name: x, value: 1}, {name: y}]"),
        ("- - - deep\n", "[[[deep]]]"),
        // Left-out keys and values compose to empty plain scalars.
        ("a:\nb: 2\n", "{a: , b: 2}"),
        ("- \n- b\n", "[, b]"),
        ("? complex\n: value\n", "{complex: value}"),
        ("? [a, b]\n: c\n", "{[a, b]: c}"),
    ])
    func composes(text: String, expected: String) throws {
        #expect(try composed(text) == expected)
    }

    @Test func repeatedKeysAreKeptInOrder() throws {
        let root = try #require(try Composer.compose("a: 1\nb: 2\na: 3\n"))
        guard case .mapping(let mapping) = root else { Issue.record("not a mapping"); return }
        #expect(mapping.map { $0.key.scalarValue } == ["a", "b", "a"])
        #expect(mapping.map { $0.value.scalarValue } == ["1", "2", "3"])
        #expect(mapping.map { $0.key.mark.line } == [1, 2, 3])
        #expect(mapping["a"]?.scalarValue == "1")
        #expect(try composed("{a: 1, a: 2}") == "{a: 1, a: 2}")
    }

    @Test func marksAreLinesAndColumnsOfTheStart() throws {
        let text = "global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: node\n    static_configs: []\n"
        guard case .mapping(let root)? = try Composer.compose(text) else { Issue.record("not a mapping"); return }
        #expect(root.mark == Mark(line: 1, column: 1))
        #expect(root[0].value.mark == Mark(line: 2, column: 3))
        guard case .mapping(let global) = root[0].value else { Issue.record("global"); return }
        #expect(global[0].value.mark == Mark(line: 2, column: 20))
        guard case .sequence(let jobs) = root[1].value else { Issue.record("scrape_configs"); return }
        #expect(jobs.mark == Mark(line: 4, column: 3))
        #expect(jobs[0].mark == Mark(line: 4, column: 5))
        guard case .mapping(let job) = jobs[0] else { Issue.record("job"); return }
        #expect(job[1].key.mark == Mark(line: 5, column: 5))
        #expect(job[1].value.mark == Mark(line: 5, column: 21))
    }
}

@Suite struct FlowCollectionTests {
    @Test(arguments: [
        ("[a, b]", "[a, b]"),
        ("{a: 1, b: [x]}", "{a: 1, b: [x]}"),
        ("[a, b, ]", "[a, b]"),
        ("{}", "{}"),
        ("[]", "[]"),
        ("[[1, 2], {k: v}]", "[[1, 2], {k: v}]"),
        ("[a: 1, b]", "[{a: 1}, b]"),
        ("{a, b: c}", "{a: , b: c}"),
        ("targets: ['localhost:9090', \"b:1\"]", "{targets: ['localhost:9090', \"b:1\"]}"),
        // Multi-line flow collections.
        ("labels: {\n  a: 1,\n  b: [\n    x,\n    y\n  ]\n}\n", "{labels: {a: 1, b: [x, y]}}"),
        ("- [a,\n   b]\n", "[[a, b]]"),
        ("{a: http://x:80/y}", "{a: http://x:80/y}"),
    ])
    func composes(text: String, expected: String) throws {
        #expect(try composed(text) == expected)
    }
}

@Suite struct ScalarTests {
    @Test(arguments: [
        // Plain, with multi-line folding.
        ("a: one two\n", "{a: one two}"),
        ("a: one\n  two\n\n  three\n", "{a: one two\\nthree}"),
        ("a: b#c # comment\n", "{a: b#c}"),
        ("a: -1\nb: :x\n", "{a: -1, b: :x}"),
        // Single-quoted: '' is a quote; lines fold.
        ("a: 'it''s'\n", "{a: 'it\\'s'}"),
        ("a: 'one\n  two'\n", "{a: 'one two'}"),
        // Double-quoted escapes and folding.
        (#"a: "tab\there\nnew \"q\" \\ \x41\u00e9\U0001F600""#, "{a: \"tab\\there\\nnew \\\"q\\\" \\\\ Aé😀\"}"),
        ("a: \"one\n  two\n\n  three\"\n", "{a: \"one two\\nthree\"}"),
        ("a: \"one \\\n  two\"\n", "{a: \"one two\"}"),
        // Literal and folded block scalars with chomping and indentation indicators.
        ("a: |\n  one\n  two\n\n", "{a: |one\\ntwo\\n|}"),
        ("a: |-\n  one\n  two\n\n", "{a: |one\\ntwo|}"),
        ("a: |+\n  one\n\n\nb: c\n", "{a: |one\\n\\n\\n|, b: c}"),
        ("a: >\n  one\n  two\n\n  three\n    more\n", "{a: >one two\\nthree\\n  more\\n<}"),
        ("a: >-\n  folded\n  text\n", "{a: >folded text<}"),
        ("a: |2\n    indented\n  less\n", "{a: |  indented\\nless\\n|}"),
        ("a: |1-\n  x\n", "{a: | x|}"),
        ("- |\n  in a list\n- b\n", "[|in a list\\n|, b]"),
        ("a: |\n  x # not a comment\n# a comment\n", "{a: |x # not a comment\\n|}"),
    ])
    func composes(text: String, expected: String) throws {
        #expect(try composed(text) == expected)
    }

    @Test func everyEscape() throws {
        let node = try Composer.compose(#""\0\a\b\t\"# + "\t" + #"\v\f\r\e\ \_\N\L\P\x7f\"\'\\""#)
        #expect(node?.scalarValue?.unicodeScalars.map(\.value) == [
            0, 7, 8, 9, 9, 0x0B, 0x0C, 0x0D, 0x1B, 0x20, 0xA0, 0x85, 0x2028, 0x2029, 0x7F, 0x22, 0x27, 0x5C,
        ])
    }

    @Test func crlfAndUnicode() throws {
        #expect(try composed("a: 1\r\nb: |\r\n  x\r\n  y\r\n") == "{a: 1, b: |x\\ny\\n|}")
        #expect(try composed("\u{FEFF}name: Grüße 😀\n") == "{name: Grüße 😀}")
    }
}

@Suite struct DocumentTests {
    @Test(arguments: [
        ("", "nil"),
        ("# only a comment\n\n# another\n", "nil"),
        ("---\n", ""),
        ("--- a\n", "a"),
        ("---\na: 1\n...\n", "{a: 1}"),
        ("a: 1\n---\nb: 2\n", "{a: 1}"),
        // What follows the first document is not read.
        ("a: 1\n---\n[unclosed\n", "{a: 1}"),
        ("%YAML 1.1\n---\na: 1\n", "{a: 1}"),
        ("%TAG !e! tag:example.com,2000:\n---\n!e!x a\n", "<tag:example.com,2000:x>a"),
        ("# header\n---\n# comment\nkey: value # trailing\n", "{key: value}"),
    ])
    func composes(text: String, expected: String) throws {
        #expect(try composed(text) == expected)
    }
}

@Suite struct AnchorAndTagTests {
    @Test func aliasesComposeToTheAnchoredNode() throws {
        let text = "base: &b {a: 1}\nuse: *b\nlist: [&x one, *x]\n"
        #expect(try composed(text) == "{base: {a: 1}, use: {a: 1}, list: [one, one]}")
        guard case .mapping(let root)? = try Composer.compose(text) else { Issue.record("not a mapping"); return }
        #expect(root[1].value.mark == Mark(line: 1, column: 7), "an alias keeps the anchored node's mark")
    }

    @Test func laterAnchorOfTheSameNameWins() throws {
        #expect(try composed("- &a 1\n- &a 2\n- *a\n") == "[1, 2, 2]")
    }

    @Test func mergeKeysStayOrdinaryKeys() throws {
        #expect(try composed("d: &d {x: 1}\ne:\n  <<: *d\n  y: 2\n") == "{d: {x: 1}, e: {<<: {x: 1}, y: 2}}")
    }

    @Test(arguments: [
        ("a: !!str 1\n", "{a: <tag:yaml.org,2002:str>1}"),
        ("a: !!int '1'\n", "{a: <tag:yaml.org,2002:int>'1'}"),
        ("a: !custom x\n", "{a: <!custom>x}"),
        ("a: ! x\n", "{a: <!>x}"),
        ("a: !<tag:x.org,1:y> z\n", "{a: <tag:x.org,1:y>z}"),
        ("a: !!map {b: c}\n", "{a: <tag:yaml.org,2002:map>{b: c}}"),
        ("a: &x !!str\nb: *x\n", "{a: <tag:yaml.org,2002:str>, b: <tag:yaml.org,2002:str>}"),
        ("a: !!seq\n- x\n", "{a: <tag:yaml.org,2002:seq>[x]}"),
    ])
    func tagsAreKept(text: String, expected: String) throws {
        #expect(try composed(text) == expected)
    }
}
