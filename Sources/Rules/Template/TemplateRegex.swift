// Go's `regexp.MatchString` and `Regexp.ReplaceAllString` over MetricModel's RE2 engine, for
// the template functions `match` and `reReplaceAll`.
//
// The engine matches from the start of a text only. To find the next match after position p
// with the right context (`\b`, `(?m)^` look at the character before p; `^` must not match
// at p), ReplaceAll runs `\A(?s:.)(?s:.*?)(pattern)` on the text from the character before p:
// the same leftmost-first search RE2 does unanchored, with the pattern's groups shifted by one.

import MetricModel

enum TemplateRegex {
    /// Go's `regexp.MatchString(pattern, s)`.
    static func matches(_ pattern: String, _ s: String) throws(RegexSyntaxError) -> Bool {
        try RE2Regex(pattern).matches(s)
    }

    /// Go's `regexp.MustCompile(pattern).ReplaceAllString(src, replacement)`; a bad pattern
    /// fails with the text of MustCompile's panic.
    static func replaceAll(_ pattern: String, _ replacement: String, in src: String) throws(FunctionFailure) -> String {
        let regex: RE2Regex
        let following: RE2Regex
        do {
            regex = try RE2Regex(pattern)
            following = try RE2Regex("\\A(?s:.)(?s:.*?)(" + pattern + ")")
        } catch {
            throw FunctionFailure("regexp: Compile(\(quoteForCompile(pattern))): \(error.description)")
        }
        let shiftedReplacement = shiftGroupReferences(replacement)
        let bytes = Array(src.utf8)
        var out: [UInt8] = []
        var lastMatchEnd = 0
        var searchPos = 0
        while searchPos <= bytes.count {
            // The next match at or after searchPos, in whole-text offsets, and its expansion.
            let found: (range: Range<Int>, expansion: String)?
            if searchPos == 0 {
                found = regex.firstMatch(in: src).flatMap { m in m.range(0).map { ($0, regex.expand(replacement, match: m, in: src)) } }
            } else {
                var before = searchPos - 1
                while before > 0, bytes[before] & 0xC0 == 0x80 { before -= 1 }
                let tail = String(decoding: bytes[before...], as: UTF8.self)
                found = following.firstMatch(in: tail).flatMap { m in
                    m.range(1).map { r in
                        ((r.lowerBound + before)..<(r.upperBound + before), following.expand(shiftedReplacement, match: m, in: tail))
                    }
                }
            }
            guard let (range, expansion) = found else { break }
            out.append(contentsOf: bytes[lastMatchEnd..<range.lowerBound])
            // No replacement for an empty match right after the previous match.
            if range.upperBound > lastMatchEnd || range.lowerBound == 0 { out.append(contentsOf: expansion.utf8) }
            lastMatchEnd = range.upperBound
            let width = searchPos < bytes.count ? utf8Width(bytes[searchPos]) : 0
            if searchPos + width > range.upperBound {
                searchPos += width
            } else if searchPos + 1 > range.upperBound {
                searchPos += 1
            } else {
                searchPos = range.upperBound
            }
        }
        out.append(contentsOf: bytes[lastMatchEnd...])
        return String(decoding: out, as: UTF8.self)
    }

    private static func utf8Width(_ lead: UInt8) -> Int {
        lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// Go's `regexp.quote`: backquoted when it can be, else a Go string literal.
    private static func quoteForCompile(_ s: String) -> String {
        let backquotable = s.unicodeScalars.allSatisfy { c in
            c != "`" && c != "\u{FEFF}" && (c == "\t" || c.value >= 0x20) && c != "\u{7F}"
        }
        return backquotable ? "`" + s + "`" : goQuote(s)
    }

    /// The replacement with `$n` / `${n}` referring to group n + 1, for the search pattern
    /// that wraps the user's in a group. Names and `$$` stay as they are.
    static func shiftGroupReferences(_ template: String) -> String {
        var out = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                out += "$$"
                rest = rest.dropFirst()
                continue
            }
            let braced = rest.first == "{"
            let nameStart = braced ? rest.index(after: rest.startIndex) : rest.startIndex
            let name = rest[nameStart...].prefix { $0 == "_" || $0.isLetter || $0.isNumber }
            let closed = !braced || rest[name.endIndex...].first == "}"
            guard !name.isEmpty, closed else {
                out += "$"
                continue
            }
            let isNumber = name.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && !(name.count > 1 && name.first == "0")
            let shifted = isNumber && name.count <= 9 ? String(Int(name)! + 1) : String(name)
            out += braced ? "${\(shifted)}" : "${\(shifted)}"
            rest = rest[(braced ? rest.index(after: name.endIndex) : name.endIndex)...]
        }
        return out + rest
    }
}
