// The regular-expression type of Sugarmill: Go RE2 syntax, matched in linear time by a
// Pike VM. Used by label matchers (`=~`, `!~`) and PromQL's label_replace.

/// A compiled RE2 regular expression (Go's `regexp.Regexp` semantics).
///
/// Matching takes O(n × m) time for an input of n bytes and a program of m instructions,
/// whatever the pattern, so user-supplied patterns cannot make a query run for hours.
/// Strings are matched by Unicode scalar; invalid UTF-8 in byte inputs matches as U+FFFD.
///
/// ```swift
/// let re = try RE2Regex(prometheusAnchored: "api|web-(\\d+)")
/// re.matches("web-12")                    // true
/// re.matches("web-12x")                   // false: fully anchored
/// let m = re.firstMatch(in: "web-12")!
/// re.expand("$1", match: m, in: "web-12") // "12"
/// ```
///
/// Thread-safety: immutable; share freely.
package struct RE2Regex: Sendable {
    /// The pattern as given.
    package let pattern: String
    /// `captureNames[i]` is the name of group `i`, nil when unnamed; index 0 is the whole match.
    package let captureNames: [String?]
    let program: RegexProgram

    /// Compiles `pattern` as Go's `regexp.Compile` does (Perl flags: `.` does not match `\n`
    /// unless `(?s)`, `^`/`$` match at the ends of the text unless `(?m)`).
    ///
    /// - Throws: `RegexSyntaxError` with Go's wording, e.g. "missing closing )".
    package init(_ pattern: String) throws(RegexSyntaxError) {
        try self.init(pattern: pattern, flags: [], anchored: false)
    }

    /// Compiles `pattern` the way Prometheus's `FastRegexMatcher` does: `^(?s:pattern)$`,
    /// a full match in which `.` also matches `\n`. Errors name `pattern` itself.
    package init(prometheusAnchored pattern: String) throws(RegexSyntaxError) {
        try self.init(pattern: pattern, flags: [.dotMatchesNewline], anchored: true)
    }

    private init(pattern: String, flags: RegexParser.Flags, anchored: Bool) throws(RegexSyntaxError) {
        self.pattern = pattern
        var (node, names) = try RegexParser.parse(pattern, flags: flags)
        if anchored { node = .concatenation([.assertion(.beginText), node, .assertion(.endText)]) }
        captureNames = names
        do {
            program = try RegexProgram.compile(node, groupCount: names.count - 1)
        } catch {
            throw RegexSyntaxError(error.code, pattern)
        }
    }

    /// How many groups may be open at once; deeper patterns fail with "expression nests too deeply".
    package static var maxNesting: Int { RegexParser.maxNesting }

    /// The number of capturing groups (`(…)` and named ones), not counting the whole match.
    package var groupCount: Int { captureNames.count - 1 }

    /// The number of instructions of the compiled program (the m of O(n × m)).
    package var programSize: Int { program.instructions.count }

    /// Whether the pattern matches somewhere in `text` (Go's `MatchString`); for a
    /// `prometheusAnchored` expression: whether it matches all of `text`.
    package func matches(_ text: String) -> Bool {
        run(text, slots: 0).outcome.matched
    }

    /// `matches(_:)` over raw bytes, which need not be valid UTF-8.
    package func matches(utf8 bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { run($0, slots: 0).outcome.matched }
    }

    /// The leftmost-first match and its groups (Go's `FindStringSubmatchIndex`), or nil.
    package func firstMatch(in text: String) -> RegexMatch? {
        let (outcome, slots) = run(text, slots: 2 * captureNames.count)
        return outcome.matched ? RegexMatch(slots: slots) : nil
    }

    /// `firstMatch(in:)` over raw bytes, which need not be valid UTF-8.
    package func firstMatch(utf8 bytes: [UInt8]) -> RegexMatch? {
        let (outcome, slots) = bytes.withUnsafeBufferPointer { run($0, slots: 2 * captureNames.count) }
        return outcome.matched ? RegexMatch(slots: slots) : nil
    }

    /// Runs the matcher and reports the work done, for tests of the linear-time bound:
    /// `steps` never exceeds `2 × programSize × (text.utf8.count + 1)`.
    package func stepsToMatch(_ text: String, captures: Bool = false) -> (matched: Bool, steps: Int) {
        let outcome = run(text, slots: captures ? 2 * captureNames.count : 0).outcome
        return (outcome.matched, outcome.steps)
    }

    private func run(_ text: String, slots: Int) -> (outcome: PikeVM.Outcome, slots: [Int]) {
        var text = text
        return text.withUTF8 { run($0, slots: slots) }
    }

    private func run(_ bytes: UnsafeBufferPointer<UInt8>, slots: Int) -> (outcome: PikeVM.Outcome, slots: [Int]) {
        var result = [Int](repeating: -1, count: slots)
        let outcome = result.withUnsafeMutableBufferPointer { PikeVM.run(program, bytes, slots: $0) }
        return (outcome, result)
    }
}

/// The UTF-8 byte ranges of a match and of its groups.
package struct RegexMatch: Sendable, Equatable {
    /// Go's submatch index: `[start0, end0, start1, end1, …]`, -1 for groups that did not take part.
    package let slots: [Int]

    /// The byte range of group `i` (0: the whole match), nil if it did not take part.
    package func range(_ i: Int) -> Range<Int>? {
        guard 2 * i + 1 < slots.count, slots[2 * i] >= 0 else { return nil }
        return slots[2 * i]..<slots[2 * i + 1]
    }

    /// The text of group `i` within `text`, nil if the group did not take part.
    package func group(_ i: Int, in text: String) -> Substring? {
        guard let r = range(i) else { return nil }
        let utf8 = text.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: r.lowerBound)
        let upper = utf8.index(lower, offsetBy: r.count)
        return text[lower..<upper]
    }
}
