// The composer against Yams (libyaml) on every YAML file we have: the repository's test fixtures
// and seeds, plus any folder named in YAML_CORPUS_DIRS (e.g. Prometheus's config/testdata).
// Where both accept a file, structure, scalar text, styles, tags and lines must agree.

import Foundation
import Testing
import YAML
import Yams

@Suite struct YamsComparisonTests {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func corpus() -> [URL] {
        var folders = [root.appendingPathComponent("Tests"), root.appendingPathComponent("seeds")]
        if let extra = ProcessInfo.processInfo.environment["YAML_CORPUS_DIRS"] {
            folders += extra.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        }
        var files: [URL] = []
        for folder in folders {
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where ["yml", "yaml", "json"].contains(url.pathExtension) {
                if url.path.contains("/.build/") { continue }
                files.append(url)
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    @Test func corpusIsNotEmpty() {
        #expect(Self.corpus().filter { $0.pathExtension != "json" }.count >= 50)
    }

    @Test func agreesWithYamsOnTheCorpus() throws {
        var compared = 0
        for url in Self.corpus() {
            let text = try String(contentsOf: url, encoding: .utf8)
            let ours = Result { try Composer.compose(text) }
            let theirs = Result { try Yams.Parser(yaml: text).nextRoot() }
            switch (ours, theirs) {
            case (.success(let node), .success(let yamsNode)):
                var differences: [String] = []
                Self.compare(node, yamsNode, at: "$", into: &differences)
                #expect(differences.isEmpty, "\(url.lastPathComponent): \(differences.prefix(5))")
                compared += 1
            case (.failure(let error), .success):
                Issue.record("\(url.lastPathComponent): we refuse what Yams accepts: \(error)")
            default:
                // Yams refuses repeated keys, which go-yaml (and we) accept; either refusal is fine here.
                continue
            }
        }
        #expect(compared >= 50)
    }

    @Test(arguments: [
        "a: 1\nb: [x, 'y', \"z\"]\nc: |\n    lit\nd: >-\n  fold\n  ed\ne: {f: [g, {h: i}]}\n",
        "- &a {k: v}\n- *a\n- !!str 12\n- !custom x\n",
        "key:\n- a\n- - b\n  - c\n- k: v\n  w: |-\n    text\n",
        "plain: one\n  two\n\n  three\nquoted: \"a\\tb\\u00e9\"\n",
        "%YAML 1.1\n---\n? [a, b]\n: c\n...\n",
    ])
    func agreesWithYamsOnConstructs(text: String) throws {
        let node = try Composer.compose(text)
        let yamsNode = try Yams.Parser(yaml: text).nextRoot()
        var differences: [String] = []
        Self.compare(node, yamsNode, at: "$", into: &differences)
        #expect(differences.isEmpty, "\(differences)")
    }

    static func compare(_ ours: YAML.Node?, _ theirs: Yams.Node?, at path: String, into differences: inout [String]) {
        switch (ours, theirs) {
        case (nil, nil): return
        case (.scalar(let scalar)?, .scalar(let other)?):
            if scalar.string != other.string { differences.append("\(path): \(scalar.string.debugDescription) ≠ \(other.string.debugDescription)") }
            if style(scalar.style) != other.style { differences.append("\(path): style \(scalar.style) ≠ \(other.style)") }
            let theirTag = other.tag.rawValue
            if let tag = scalar.tag, tag != "!", tag != theirTag { differences.append("\(path): tag \(tag) ≠ \(theirTag)") }
            checkLine(scalar.mark, other.mark, path, &differences)
        case (.sequence(let sequence)?, .sequence(let other)?):
            checkLine(sequence.mark, other.mark, path, &differences)
            guard sequence.count == other.count else {
                differences.append("\(path): \(sequence.count) items ≠ \(other.count)")
                return
            }
            for (index, (item, otherItem)) in zip(sequence, other).enumerated() {
                compare(item, otherItem, at: "\(path)[\(index)]", into: &differences)
            }
        case (.mapping(let mapping)?, .mapping(let other)?):
            checkLine(mapping.mark, other.mark, path, &differences)
            let otherPairs = Array(other)
            guard mapping.count == otherPairs.count else {
                differences.append("\(path): \(mapping.count) entries ≠ \(otherPairs.count)")
                return
            }
            for (index, (pair, otherPair)) in zip(mapping, otherPairs).enumerated() {
                let name = pair.key.scalarValue ?? "#\(index)"
                compare(pair.key, otherPair.key, at: "\(path).\(name)(key)", into: &differences)
                compare(pair.value, otherPair.value, at: "\(path).\(name)", into: &differences)
            }
        default:
            differences.append("\(path): \(String(describing: ours)) ≠ \(String(describing: theirs))")
        }
    }

    private static func checkLine(_ mark: YAML.Mark, _ other: Yams.Mark?, _ path: String, _ differences: inout [String]) {
        guard let other else { return }
        if mark.line != other.line || mark.column != other.column {
            differences.append("\(path): at \(mark) ≠ \(other.line):\(other.column)")
        }
    }

    private static func style(_ style: YAML.Node.ScalarStyle) -> Yams.Node.Scalar.Style {
        switch style {
        case .plain: .plain
        case .singleQuoted: .singleQuoted
        case .doubleQuoted: .doubleQuoted
        case .literal: .literal
        case .folded: .folded
        }
    }
}
