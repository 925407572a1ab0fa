// Named character classes: Perl (`\d \s \w`), POSIX (`[:alpha:]`) and Unicode (`\pL`,
// `\p{Greek}`). General categories come from the standard library's Unicode properties; scripts
// are a small embedded subset of Go's `unicode` tables (the standard library exposes no scripts).

/// Lookup of the named classes RE2 accepts.
enum UnicodeClasses {
    /// `\d \s \w` (ASCII, as in RE2); the upper-case escapes are their negations.
    static func perl(_ letter: Unicode.Scalar) -> (ranges: ScalarRanges, negated: Bool)? {
        switch letter {
        case "d": (digit, false)
        case "D": (digit, true)
        case "s": (perlSpace, false)
        case "S": (perlSpace, true)
        case "w": (word, false)
        case "W": (word, true)
        default: nil
        }
    }

    /// `[:alpha:]` and `[:^alpha:]`, given the text between the brackets' colons.
    static func posix(_ name: String) -> (ranges: ScalarRanges, negated: Bool)? {
        let negated = name.hasPrefix("^")
        let key = negated ? String(name.dropFirst()) : name
        guard let ranges = posixClasses[key] else { return nil }
        return (ranges, negated)
    }

    /// A Unicode class by name (`L`, `Lu`, `Letter`, `Greek`, `Any`, `ASCII`…), matched as Go
    /// matches it: ignoring case, underscores, spaces and hyphens. Nil for unknown names.
    static func unicode(_ name: String) -> (ranges: ScalarRanges, negated: Bool)? {
        let key = canonicalName(name)
        switch key {
        case "Any": return (ScalarRanges([(0, ScalarRanges.maxScalar)]), false)
        case "Ascii": return (ScalarRanges([(0, 0x7F)]), false)
        case "Assigned": return (categories["Cn"]!, true)
        default: break
        }
        if let ranges = categories[key] { return (ranges, false) }
        if let alias = categoryAliases[key], let ranges = categories[alias] { return (ranges, false) }
        if let pairs = scripts[key] { return (ScalarRanges(pairs), false) }
        return nil
    }

    static let digit = ScalarRanges([(0x30, 0x39)])
    static let perlSpace = ScalarRanges([(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)])
    static let word = ScalarRanges([(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])

    private static let posixClasses: [String: ScalarRanges] = [
        "alnum": ScalarRanges([(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)]),
        "alpha": ScalarRanges([(0x41, 0x5A), (0x61, 0x7A)]),
        "ascii": ScalarRanges([(0x00, 0x7F)]),
        "blank": ScalarRanges([(0x09, 0x09), (0x20, 0x20)]),
        "cntrl": ScalarRanges([(0x00, 0x1F), (0x7F, 0x7F)]),
        "digit": ScalarRanges([(0x30, 0x39)]),
        "graph": ScalarRanges([(0x21, 0x7E)]),
        "lower": ScalarRanges([(0x61, 0x7A)]),
        "print": ScalarRanges([(0x20, 0x7E)]),
        "punct": ScalarRanges([(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)]),
        "space": ScalarRanges([(0x09, 0x0D), (0x20, 0x20)]),
        "upper": ScalarRanges([(0x41, 0x5A)]),
        "word": ScalarRanges([(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]),
        "xdigit": ScalarRanges([(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)]),
    ]

    /// Go's `canonicalName`: first letter upper case, the rest lower case, no `_`, `-` or space.
    static func canonicalName(_ name: String) -> String {
        var out = ""
        for c in name.unicodeScalars where c != "_" && c != "-" && c != " " {
            if out.isEmpty {
                out += String(c).uppercased()
            } else {
                out += String(c).lowercased()
            }
        }
        return out
    }

    /// General categories by their two-letter names, plus the one-letter unions and `Lc`.
    /// Built on first use by one scan of the code space.
    private static let categories: [String: ScalarRanges] = buildCategories()

    private static let codes = [
        "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",
        "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn",
    ]

    private static func code(_ c: Unicode.GeneralCategory) -> Int {
        switch c {
        case .uppercaseLetter: 0
        case .lowercaseLetter: 1
        case .titlecaseLetter: 2
        case .modifierLetter: 3
        case .otherLetter: 4
        case .nonspacingMark: 5
        case .spacingMark: 6
        case .enclosingMark: 7
        case .decimalNumber: 8
        case .letterNumber: 9
        case .otherNumber: 10
        case .connectorPunctuation: 11
        case .dashPunctuation: 12
        case .openPunctuation: 13
        case .closePunctuation: 14
        case .initialPunctuation: 15
        case .finalPunctuation: 16
        case .otherPunctuation: 17
        case .mathSymbol: 18
        case .currencySymbol: 19
        case .modifierSymbol: 20
        case .otherSymbol: 21
        case .spaceSeparator: 22
        case .lineSeparator: 23
        case .paragraphSeparator: 24
        case .control: 25
        case .format: 26
        case .surrogate: 27
        case .privateUse: 28
        case .unassigned: 29
        @unknown default: 29
        }
    }

    private static func buildCategories() -> [String: ScalarRanges] {
        var perCode = [ScalarRanges](repeating: ScalarRanges(), count: codes.count)
        func scan(_ from: UInt32, _ to: UInt32) {
            var runStart = from
            var runCode = -1
            var v = from
            while v <= to {
                let c = Unicode.Scalar(v).map { code($0.properties.generalCategory) } ?? 27
                if c != runCode {
                    if runCode >= 0 { perCode[runCode].append(runStart, v - 1) }
                    runStart = v
                    runCode = c
                }
                v += 1
            }
            perCode[runCode].append(runStart, to)
        }
        // Planes 4 to 13 are unassigned and 15 and 16 private use (but for their last two
        // code points): no need to ask the property tables about them.
        scan(0, 0x3FFFF)
        perCode[29].append(0x40000, 0xDFFFF)
        scan(0xE0000, 0xEFFFF)
        for plane in [UInt32(0xF0000), 0x100000] {
            perCode[28].append(plane, plane + 0xFFFD)
            perCode[29].append(plane + 0xFFFE, plane + 0xFFFF)
        }
        var table: [String: ScalarRanges] = [:]
        for (i, name) in codes.enumerated() {
            var r = perCode[i]
            r.normalize()
            table[name] = r
        }
        func union(_ names: [String]) -> ScalarRanges {
            var r = ScalarRanges()
            for n in names { r.append(table[n]!) }
            r.normalize()
            return r
        }
        table["L"] = union(["Lu", "Ll", "Lt", "Lm", "Lo"])
        table["Lc"] = union(["Lu", "Ll", "Lt"])
        table["M"] = union(["Mn", "Mc", "Me"])
        table["N"] = union(["Nd", "Nl", "No"])
        table["P"] = union(["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"])
        table["S"] = union(["Sm", "Sc", "Sk", "So"])
        table["Z"] = union(["Zs", "Zl", "Zp"])
        table["C"] = union(["Cc", "Cf", "Cs", "Co"])
        return table
    }

    /// Unicode's long category names (canonicalised) to the short ones.
    private static let categoryAliases: [String: String] = [
        "Letter": "L", "Casedletter": "Lc", "Uppercaseletter": "Lu", "Lowercaseletter": "Ll",
        "Titlecaseletter": "Lt", "Modifierletter": "Lm", "Otherletter": "Lo",
        "Mark": "M", "Combiningmark": "M", "Nonspacingmark": "Mn", "Spacingmark": "Mc", "Enclosingmark": "Me",
        "Number": "N", "Decimalnumber": "Nd", "Digit": "Nd", "Letternumber": "Nl", "Othernumber": "No",
        "Punctuation": "P", "Punct": "P", "Connectorpunctuation": "Pc", "Dashpunctuation": "Pd",
        "Openpunctuation": "Ps", "Closepunctuation": "Pe", "Initialpunctuation": "Pi",
        "Finalpunctuation": "Pf", "Otherpunctuation": "Po",
        "Symbol": "S", "Mathsymbol": "Sm", "Currencysymbol": "Sc", "Modifiersymbol": "Sk", "Othersymbol": "So",
        "Separator": "Z", "Spaceseparator": "Zs", "Lineseparator": "Zl", "Paragraphseparator": "Zp",
        "Other": "C", "Control": "Cc", "Cntrl": "Cc", "Format": "Cf", "Surrogate": "Cs",
        "Privateuse": "Co", "Unassigned": "Cn",
    ]

    /// Scripts from Go's `unicode` tables (Unicode 15); other scripts are not supported.
    private static let scripts: [String: [(UInt32, UInt32)]] = [
        "Latin":
            [(0x41, 0x5A), (0x61, 0x7A), (0xAA, 0xAA), (0xBA, 0xBA), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x2B8),
            (0x2E0, 0x2E4), (0x1D00, 0x1D25), (0x1D2C, 0x1D5C), (0x1D62, 0x1D65), (0x1D6B, 0x1D77), (0x1D79,
            0x1DBE), (0x1E00, 0x1EFF), (0x2071, 0x2071), (0x207F, 0x207F), (0x2090, 0x209C), (0x212A, 0x212B),
            (0x2132, 0x2132), (0x214E, 0x214E), (0x2160, 0x2188), (0x2C60, 0x2C7F), (0xA722, 0xA787), (0xA78B,
            0xA7CA), (0xA7D0, 0xA7D1), (0xA7D3, 0xA7D3), (0xA7D5, 0xA7D5), (0xA7D6, 0xA7D9), (0xA7F2, 0xA7FF),
            (0xAB30, 0xAB5A), (0xAB5C, 0xAB64), (0xAB66, 0xAB69), (0xFB00, 0xFB06), (0xFF21, 0xFF3A), (0xFF41,
            0xFF5A), (0x10780, 0x10785), (0x10787, 0x107B0), (0x107B2, 0x107BA), (0x1DF00, 0x1DF1E), (0x1DF25,
            0x1DF2A)],
        "Greek":
            [(0x370, 0x373), (0x375, 0x377), (0x37A, 0x37D), (0x37F, 0x37F), (0x384, 0x384), (0x386, 0x386),
            (0x388, 0x388), (0x389, 0x38A), (0x38C, 0x38C), (0x38E, 0x38E), (0x38F, 0x3A1), (0x3A3, 0x3E1),
            (0x3F0, 0x3FF), (0x1D26, 0x1D2A), (0x1D5D, 0x1D61), (0x1D66, 0x1D6A), (0x1DBF, 0x1DBF), (0x1F00,
            0x1F00), (0x1F01, 0x1F15), (0x1F18, 0x1F1D), (0x1F20, 0x1F45), (0x1F48, 0x1F4D), (0x1F50, 0x1F57),
            (0x1F59, 0x1F59), (0x1F5B, 0x1F5B), (0x1F5D, 0x1F5D), (0x1F5F, 0x1F5F), (0x1F60, 0x1F7D), (0x1F80,
            0x1FB4), (0x1FB6, 0x1FC4), (0x1FC6, 0x1FD3), (0x1FD6, 0x1FDB), (0x1FDD, 0x1FEF), (0x1FF2, 0x1FF4),
            (0x1FF6, 0x1FFE), (0x2126, 0x2126), (0xAB65, 0xAB65), (0x10140, 0x1018E), (0x101A0, 0x101A0),
            (0x1D200, 0x1D200), (0x1D201, 0x1D245)],
        "Cyrillic":
            [(0x400, 0x484), (0x487, 0x52F), (0x1C80, 0x1C88), (0x1D2B, 0x1D2B), (0x1D78, 0x1D78), (0x2DE0,
            0x2DFF), (0xA640, 0xA69F), (0xFE2E, 0xFE2F), (0x1E030, 0x1E06D), (0x1E08F, 0x1E08F)],
        "Han":
            [(0x2E80, 0x2E99), (0x2E9B, 0x2EF3), (0x2F00, 0x2FD5), (0x3005, 0x3005), (0x3007, 0x3007), (0x3021,
            0x3029), (0x3038, 0x303B), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFA6D), (0xFA70, 0xFAD9),
            (0x16FE2, 0x16FE3), (0x16FF0, 0x16FF1), (0x20000, 0x2A6DF), (0x2A700, 0x2B739), (0x2B740, 0x2B81D),
            (0x2B820, 0x2CEA1), (0x2CEB0, 0x2EBE0), (0x2F800, 0x2FA1D), (0x30000, 0x3134A), (0x31350, 0x323AF)],
        "Hangul":
            [(0x1100, 0x11FF), (0x302E, 0x302F), (0x3131, 0x318E), (0x3200, 0x321E), (0x3260, 0x327E), (0xA960,
            0xA97C), (0xAC00, 0xD7A3), (0xD7B0, 0xD7C6), (0xD7CB, 0xD7FB), (0xFFA0, 0xFFBE), (0xFFC2, 0xFFC7),
            (0xFFCA, 0xFFCF), (0xFFD2, 0xFFD7), (0xFFDA, 0xFFDC)],
        "Georgian":
            [(0x10A0, 0x10C5), (0x10C7, 0x10C7), (0x10CD, 0x10CD), (0x10D0, 0x10FA), (0x10FC, 0x10FF), (0x1C90,
            0x1CBA), (0x1CBD, 0x1CBF), (0x2D00, 0x2D25), (0x2D27, 0x2D27), (0x2D2D, 0x2D2D)],
        "Devanagari":
            [(0x900, 0x950), (0x955, 0x963), (0x966, 0x97F), (0xA8E0, 0xA8FF), (0x11B00, 0x11B09)],
        "Khmer":
            [(0x1780, 0x17DD), (0x17E0, 0x17E9), (0x17F0, 0x17F9), (0x19E0, 0x19FF)],
        "Lao":
            [(0xE81, 0xE82), (0xE84, 0xE84), (0xE86, 0xE86), (0xE87, 0xE8A), (0xE8C, 0xEA3), (0xEA5, 0xEA5),
            (0xEA7, 0xEA7), (0xEA8, 0xEBD), (0xEC0, 0xEC4), (0xEC6, 0xEC6), (0xEC8, 0xEC8), (0xEC9, 0xECE),
            (0xED0, 0xED9), (0xEDC, 0xEDF)],
    ]
}
