// Case mapping for the template functions `toUpper`, `toLower` (Go's `strings.ToUpper` /
// `ToLower`: one scalar to one scalar, Unicode's simple mappings) and `title` (Prometheus 3's
// `cases.Title(language.AmericanEnglish, cases.NoLower)`: the first letter of each word
// title-cased, the rest left alone).

enum TemplateText {
    /// Go's `strings.ToUpper`.
    static func upper(_ s: String) -> String {
        mapScalars(s) { c in
            if c.isASCII { return c >= "a" && c <= "z" ? Unicode.Scalar(c.value - 32)! : c }
            // Where the full mapping has several scalars (ß → SS), Go's simple mapping is the
            // title-case one if that is a single scalar (ᾳ → ᾼ), else none.
            return only(c.properties.uppercaseMapping) ?? only(c.properties.titlecaseMapping) ?? c
        }
    }

    /// Go's `strings.ToLower`.
    static func lower(_ s: String) -> String {
        mapScalars(s) { c in
            if c.isASCII { return c >= "A" && c <= "Z" ? Unicode.Scalar(c.value + 32)! : c }
            // İ lower-cases to "i̇" in full but to "i" in Go's simple mapping.
            return c == "\u{130}" ? "i" : only(c.properties.lowercaseMapping) ?? c
        }
    }

    private static func mapScalars(_ s: String, _ transform: (Unicode.Scalar) -> Unicode.Scalar) -> String {
        var view = String.UnicodeScalarView()
        for c in s.unicodeScalars { view.append(transform(c)) }
        return String(view)
    }

    private static func only(_ mapping: String) -> Unicode.Scalar? {
        let scalars = mapping.unicodeScalars
        return scalars.count == 1 ? scalars.first : nil
    }

    /// Title case by words: a word is a run of letters, marks, digits and `_`; an apostrophe,
    /// period or colon between two letters, or a comma or period between two digits, does not
    /// end it (Unicode word boundaries, simplified). The first scalar of a word, if a letter,
    /// takes its full title-case mapping.
    static func title(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        var out = ""
        var inWord = false
        for (i, c) in scalars.enumerated() {
            if isWordScalar(c) {
                if !inWord && isLetter(c) {
                    out += c.properties.titlecaseMapping
                } else {
                    out.unicodeScalars.append(c)
                }
                inWord = true
                continue
            }
            out.unicodeScalars.append(c)
            guard inWord, i > 0, i + 1 < scalars.count else {
                inWord = false
                continue
            }
            let before = scalars[i - 1]
            let after = scalars[i + 1]
            let betweenLetters = isLetter(before) && isLetter(after) && "'.:\u{2019}\u{2018}\u{B7}".unicodeScalars.contains(c)
            let betweenDigits = isDigit(before) && isDigit(after) && ",.;'\u{2019}".unicodeScalars.contains(c)
            inWord = betweenLetters || betweenDigits
        }
        return out
    }

    private static func isLetter(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c.properties.generalCategory == .decimalNumber }

    private static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .connectorPunctuation: true
        default: isLetter(c) || isDigit(c)
        }
    }
}
