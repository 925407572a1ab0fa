// A fully anchored regular expression with Go's `Regexp.ExpandString` template expansion,
// for label_replace. Swift's Regex runs with Unicode-scalar semantics to match RE2's
// notion of a character.

/// A regular expression matched against a whole string.
struct AnchoredRegex {
    private let regex: Regex<AnyRegexOutput>

    init?(_ pattern: String) {
        guard let r = try? Regex(pattern) else { return nil }
        regex = r.matchingSemantics(.unicodeScalar)
    }

    /// The template with `$1`, `${1}`, `$name`, `${name}` and `$$` expanded, when `value`
    /// matches as a whole; nil when it does not match.
    func expand(_ template: String, matching value: String) -> String? {
        guard let match = try? regex.wholeMatch(in: value) else { return nil }
        let output = match.output
        func group(_ name: Substring) -> String {
            if let n = Int(name), n >= 0 {
                guard n < output.count, let sub = output[n].substring else { return "" }
                return String(sub)
            }
            guard let element = output[String(name)], let sub = element.substring else { return "" }
            return String(sub)
        }
        var result = ""
        var rest = template[...]
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                result += "$"
                rest = rest.dropFirst()
                continue
            }
            // Go's `extract`: `{name}` or the longest run of letters, digits and underscores.
            if rest.first == "{" {
                let inner = rest.dropFirst()
                if let close = inner.firstIndex(of: "}") {
                    let name = inner[..<close]
                    if !name.isEmpty && name.allSatisfy(isNameCharacter) {
                        result += group(name)
                        rest = inner[inner.index(after: close)...]
                        continue
                    }
                }
                result += "$"
                continue
            }
            let name = rest.prefix(while: isNameCharacter)
            if name.isEmpty {
                result += "$"
                continue
            }
            result += group(name)
            rest = rest[name.endIndex...]
        }
        result += rest
        return result
    }
}

private func isNameCharacter(_ c: Character) -> Bool {
    c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) || (!c.isASCII && (c.isLetter || c.isNumber))
}
