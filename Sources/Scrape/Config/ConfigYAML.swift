// Composing a config file's YAML with Yams, with errors worded as go-yaml v2 words them
// ("yaml: line 3: mapping values are not allowed in this context"), and repeated mapping keys
// kept for the decoder to report in Go's words instead of failing the whole parse.

import Yams

enum ConfigYAML {
    /// The first document of `text`, nil when there is none (an empty file). Like go-yaml,
    /// later documents are ignored.
    static func compose(_ text: String) throws(ConfigError) -> Node? {
        var text = text
        // Each round marks one repeated key (Yams refuses them; go-yaml reports them per field).
        for _ in 0..<1000 {
            do {
                let parser = try Parser(yaml: text)
                return try parser.nextRoot()
            } catch let error as YamlError {
                if case .duplicatedKeysInMapping(let keys, let context) = error,
                    let marked = DuplicateKeys.markSecond(of: keys, near: context.mark, in: text) {
                    text = marked
                    continue
                }
                throw ConfigError(goMessage(for: error))
            } catch {
                throw ConfigError("yaml: \(error)")
            }
        }
        throw ConfigError("yaml: too many repeated keys")
    }

    /// go-yaml v2's `parser.fail` wording: scanner errors name the problem's 1-based line,
    /// parser errors the 0-based one (so one less), falling back to the context's line.
    static func goMessage(for error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _):
            if mark.line - 1 != 0 { return "yaml: line \(mark.line): \(problem)" }
            if let context, context.mark.line - 1 != 0 { return "yaml: line \(context.mark.line - 1): \(problem)" }
            return "yaml: \(problem)"
        case .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            if mark.line - 1 != 0 { return "yaml: line \(mark.line - 1): \(problem)" }
            if let context, context.mark.line - 1 != 0 { return "yaml: line \(context.mark.line - 1): \(problem)" }
            return "yaml: \(problem)"
        case .reader(let problem, _, _, _):
            return "yaml: \(problem)"
        case .duplicatedKeysInMapping(let keys, let context):
            return "yaml: unmarshal errors:\n  line \(context.mark.line): key \(GoString.quote(keys.first ?? "")) already set"
        default:
            return "yaml: \(error)"
        }
    }
}

/// Repeated mapping keys, carried through Yams by renaming the later occurrence with a marker
/// character that YAML text cannot otherwise produce here.
enum DuplicateKeys {
    /// A private-use character appended to a repeated key's text.
    static let marker: Character = "\u{F8FF}"

    private static let markerBytes = Array(String(marker).utf8)

    static func isMarked(_ key: String) -> Bool { key.last == marker }
    static func unmarked(_ key: String) -> String { String(key.dropLast()) }
    static func isMarked(_ key: [UInt8]) -> Bool { key.count >= markerBytes.count && key.suffix(markerBytes.count).elementsEqual(markerBytes) }
    static func unmarked(_ key: [UInt8]) -> [UInt8] { Array(key.dropLast(markerBytes.count)) }

    /// `text` with the second occurrence of one of `keys` marked, looking for it after the first
    /// occurrence at `mark`: a key at the same column below it (block mappings) or one after a
    /// `{` or `,` (flow mappings); nil when it cannot be found.
    static func markSecond(of keys: [String], near mark: Mark, in text: String) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let column = mark.column - 1
        for lineIndex in (mark.line - 1)..<lines.count {
            let line = lines[lineIndex]
            let start = lineIndex == mark.line - 1 ? column + 1 : 0
            guard start < line.count else { continue }
            for position in start..<line.count {
                let before = line[..<position].last { $0 != " " && $0 != "\t" }
                let blockKey = position == column && line[..<position].allSatisfy { $0 == " " || $0 == "-" }
                guard blockKey || before == "{" || before == "," else { continue }
                guard let end = keyEnd(in: line, at: position, keys: keys) else { continue }
                lines[lineIndex].insert(contentsOf: String(marker).unicodeScalars, at: end)
                return lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
            }
        }
        return nil
    }

    /// Where a marker goes if one of `keys` is written as a mapping key at `position` (plain or
    /// quoted, then `:`): after the key's text, inside any quotes.
    private static func keyEnd(in line: [Unicode.Scalar], at position: Int, keys: [String]) -> Int? {
        let rest = String(String.UnicodeScalarView(line[position...]))
        for key in keys {
            for quote in ["", "\"", "'"] {
                let written = quote + key + quote
                guard rest.hasPrefix(written) else { continue }
                let after = rest.dropFirst(written.count).drop { $0 == " " || $0 == "\t" }
                guard after.first == ":" else { continue }
                return position + quote.unicodeScalars.count + key.unicodeScalars.count
            }
        }
        return nil
    }
}
