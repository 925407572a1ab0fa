// Fast path for the regexes relabel configs use most — a name, names joined by `|`,
// `prefix.*`, `.*suffix`, `.*infix.*` — decided on the bytes without running the regex VM
// (Prometheus's `FastRegexMatcher` does the same kind of analysis). Other patterns take the
// slow path through `RE2Regex`.

/// What an anchored pattern matches when that is a plain byte test.
///
/// Only printable ASCII outside RE2's metacharacters counts as literal, so the test on raw
/// bytes agrees with the regex on any input: an ASCII byte is always a whole scalar, also
/// next to invalid UTF-8, and `(?s:.*)` matches anything.
struct PatternShortcut: Sendable {
    /// One `|`-separated alternative: `literal`, `.*literal`, `literal.*` or `.*literal.*`.
    struct Alternative: Sendable {
        var literal: [UInt8]
        var anyBefore: Bool
        var anyAfter: Bool

        func matches<Text: Collection<UInt8>>(_ text: Text) -> Bool {
            switch (anyBefore, anyAfter) {
            case (false, false): text.elementsEqual(literal)
            case (false, true): text.starts(with: literal)
            case (true, false): text.count >= literal.count && text.dropFirst(text.count - literal.count).elementsEqual(literal)
            case (true, true): Self.contains(text, literal)
            }
        }

        private static func contains<Text: Collection<UInt8>>(_ text: Text, _ needle: [UInt8]) -> Bool {
            if needle.isEmpty { return true }
            var start = text.startIndex
            var remaining = text.count
            while remaining >= needle.count {
                if text[start...].starts(with: needle) { return true }
                text.formIndex(after: &start)
                remaining -= 1
            }
            return false
        }
    }

    /// Empty when the pattern matches everything.
    let alternatives: [Alternative]
    let matchesEverything: Bool

    /// The shortcut for the unanchored `pattern` (what a user writes in `regex:`), or nil when
    /// the pattern needs the regex engine.
    init?(pattern: String) {
        if pattern == "(.*)" {
            alternatives = []
            matchesEverything = true
            return
        }
        var alternatives: [Alternative] = []
        for part in pattern.utf8.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false) {
            guard let alternative = Self.alternative(part) else { return nil }
            alternatives.append(alternative)
        }
        self.matchesEverything = alternatives.contains { $0.literal.isEmpty && ($0.anyBefore || $0.anyAfter) }
        self.alternatives = matchesEverything ? [] : alternatives
    }

    func matches<Text: Collection<UInt8>>(_ text: Text) -> Bool {
        matchesEverything || alternatives.contains { $0.matches(text) }
    }

    private static func alternative(_ part: Substring.UTF8View) -> Alternative? {
        var rest = part[...]
        let any: [UInt8] = [UInt8(ascii: "."), UInt8(ascii: "*")]
        // `^` first and `$` last in an alternative hold anyway: the whole match is `^(?s:…)$`.
        if rest.first == UInt8(ascii: "^") { rest = rest.dropFirst() }
        if rest.last == UInt8(ascii: "$") { rest = rest.dropLast() }
        let anyBefore = rest.starts(with: any)
        if anyBefore { rest = rest.dropFirst(2) }
        let anyAfter = rest.count >= 2 && rest.reversed().starts(with: any.reversed())
        if anyAfter { rest = rest.dropLast(2) }
        guard rest.allSatisfy(isLiteral) else { return nil }
        return Alternative(literal: Array(rest), anyBefore: anyBefore, anyAfter: anyAfter)
    }

    /// Printable ASCII that stands for itself in RE2 syntax.
    private static func isLiteral(_ byte: UInt8) -> Bool {
        guard byte >= 0x20 && byte < 0x7F else { return false }
        return !#"\.+*?()|[]{}^$"#.utf8.contains(byte)
    }
}
