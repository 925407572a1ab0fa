// Template expansion for label_replace: Go's `Regexp.ExpandString`.

extension RE2Regex {
    /// Expands `template` with the groups of `match` in `text`, as Go's `ExpandString`:
    /// `$1`, `${1}`, `$name`, `${name}` insert a group (nothing if it did not take part or does
    /// not exist), `$$` is a `$`, and a malformed reference leaves the `$` as text.
    /// `$name` takes the longest run of letters, digits and `_`, so `$1x` names group "1x".
    package func expand(_ template: String, match: RegexMatch, in text: String) -> String {
        var result = ""
        var rest = template[...]
        while let dollar = rest.unicodeScalars.firstIndex(of: "$") {
            result += rest[..<dollar]
            rest = rest[rest.unicodeScalars.index(after: dollar)...]
            if rest.unicodeScalars.first == "$" {
                result += "$"
                rest = rest.dropFirst()
                continue
            }
            guard let (name, after) = Self.extractName(rest) else {
                result += "$"
                continue
            }
            rest = after
            if let number = Self.groupNumber(name) {
                if let g = match.group(number, in: text) { result += g }
            } else if let i = captureNames.firstIndex(where: { $0 == String(name) }), let g = match.group(i, in: text) {
                result += g
            }
        }
        result += rest
        return result
    }

    /// Go's `extract`: `{name}` or a bare name; nil when malformed.
    private static func extractName(_ s: Substring) -> (Substring, Substring)? {
        var scalars = s.unicodeScalars[...]
        let braced = scalars.first == "{"
        if braced { scalars = scalars.dropFirst() }
        let name = scalars.prefix { c in
            switch c.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
                true
            default: c == "_"
            }
        }
        if name.isEmpty { return nil }
        var after = scalars[name.endIndex...]
        if braced {
            guard after.first == "}" else { return nil }
            after = after.dropFirst()
        }
        return (Substring(name), Substring(after))
    }

    /// The group number a name denotes: ASCII digits, no leading zero, at most nine digits.
    private static func groupNumber(_ name: Substring) -> Int? {
        guard name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if name.utf8.count > 1 && name.utf8.first == 0x30 { return nil }
        guard name.utf8.count <= 9, let n = Int(name) else { return nil }
        return n
    }
}
