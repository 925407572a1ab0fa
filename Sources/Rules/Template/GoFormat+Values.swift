// How fmt prints each kind of value (Go's `printValue`, `fmtInteger`, `fmtFloat`,
// `fmtString`…): `String()` methods first, then by kind; maps in key order, structs as
// {a b}, pointers to composites as &{…} at the top and as an address inside.

import MetricModel

extension GoFormat {
    /// What a Go pointer prints as; the address itself is not reproducible.
    static let fakeAddress: UInt64 = 0xc000_0100_00

    /// The text of a value's `String()` method (`time.Time`, `time.Duration`, months, weekdays).
    static func stringMethod(_ value: TemplateValue) -> String? {
        switch value {
        case .time(let t): t.description
        case .int(let d, .duration): goDurationString(d)
        case .int(let m, .month): m >= 1 && m <= 12 ? GoTime.monthNames[Int(m) - 1] : "%!Month(\(m))"
        case .int(let d, .weekday): d >= 0 && d <= 6 ? GoTime.weekdayNames[Int(d)] : "%!Weekday(\(d))"
        case .pointer(let target?, .time), .pointer(let target?, .duration): stringMethod(target)
        default: nil
        }
    }

    /// Go's `printValue`. Printing stops once the text is longer than any template may write
    /// (the expansion then fails), so that no value makes it grow without bound.
    mutating func printValue(_ value: TemplateValue, _ verb: Character, depth: Int) {
        if out.utf8.count > TemplateExecutor.maxOutputBytes { return }
        if !erroring, "vsxXq".contains(verb), !flags.sharpV, let s = Self.stringMethod(value) {
            formatString(s, verb)
            return
        }
        switch value {
        case .invalid:
            if depth == 0 {
                out += "<invalid reflect.Value>"
            } else if verb == "v" {
                out += "<nil>"
            } else {
                badVerb(verb, value)
            }
        case .bool(let b):
            if verb == "t" || verb == "v" { pad(b ? "true" : "false") } else { badVerb(verb, value) }
        case .int(let i, _): formatInteger(UInt64(bitPattern: i), signed: true, verb, value)
        case .uint(let u, _): formatInteger(u, signed: false, verb, value)
        case .float(let f): formatFloat(f, verb, value)
        case .complex(let re, let im): formatComplex(re, im, verb, value)
        case .string(let s, _): formatString(s, verb, value)
        case .map(let entries, _):
            out += flags.sharpV ? value.type!.name + "{" : "map["
            for (i, key) in entries.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { out += flags.sharpV ? ", " : " " }
                printValue(.text(key), verb, depth: depth + 1)
                out += ":"
                printValue(entries[key]!, verb, depth: depth + 1)
            }
            out += flags.sharpV ? "}" : "]"
        case .slice(let elements, let type):
            out += flags.sharpV ? type.name + "{" : "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += flags.sharpV ? ", " : " " }
                printValue(element, verb, depth: depth + 1)
            }
            out += flags.sharpV ? "}" : "]"
        case .sample, .alertData:
            printStruct(value, verb, depth: depth)
        case .time(let t):
            formatString(t.description, "s")
        case .pointer(let target, _):
            if depth == 0, let target {
                switch target {
                case .sample, .alertData, .map, .slice:
                    out += "&"
                    printValue(target, verb, depth: depth + 1)
                    return
                default: break
                }
            }
            formatPointer(value, verb)
        }
    }

    private mutating func printStruct(_ value: TemplateValue, _ verb: Character, depth: Int) {
        let fields: [(String, TemplateValue)] =
            switch value {
            case .sample(let labels, let v): [("Labels", .stringMap(labels)), ("Value", .float(v))]
            case .alertData(let d):
                [
                    ("Labels", .stringMap(d.labels)), ("ExternalLabels", .stringMap(d.externalLabels)),
                    ("ExternalURL", .text(d.externalURL)), ("Value", .float(d.value)),
                ]
            default: []
            }
        if flags.sharpV { out += value.type!.name }
        out += "{"
        for (i, (name, field)) in fields.enumerated() {
            if i > 0 { out += flags.sharpV ? ", " : " " }
            if flags.plusV || flags.sharpV { out += name + ":" }
            printValue(field, verb, depth: depth + 1)
        }
        out += "}"
    }

    /// Go's `fmtPointer`.
    mutating func formatPointer(_ value: TemplateValue, _ verb: Character) {
        guard case .pointer(let target, _) = value else {
            badVerb(verb, value)
            return
        }
        let address: UInt64 = target == nil ? 0 : Self.fakeAddress
        switch verb {
        case "v":
            if target == nil { pad("<nil>") } else { formatHex(address, leading0x: !flags.sharp) }
        case "p": formatHex(address, leading0x: !flags.sharp)
        case "b", "o", "d", "x", "X": formatInteger(address, signed: false, verb, value)
        default: badVerb(verb, value)
        }
    }

    private mutating func formatHex(_ u: UInt64, leading0x: Bool) {
        let saved = flags.sharp
        flags.sharp = leading0x
        integer(u, base: 16, signed: false, verb: "v", upper: false)
        flags.sharp = saved
    }

    // MARK: Padding

    /// Go's `pad`: `s` widened to the width with spaces (or zeros, with the 0 flag, on the left).
    mutating func pad(_ s: String) {
        if out.utf8.count > TemplateExecutor.maxOutputBytes { return }
        guard let width = flags.width, width > 0 else {
            out += s
            return
        }
        let fill = width - s.unicodeScalars.count
        guard fill > 0 else {
            out += s
            return
        }
        let padding = String(repeating: flags.zero && !flags.minus ? "0" : " ", count: fill)
        out += flags.minus ? s + padding : padding + s
    }

    // MARK: Integers

    mutating func formatInteger(_ u: UInt64, signed: Bool, _ verb: Character, _ value: TemplateValue) {
        switch verb {
        case "v":
            if flags.sharpV && !signed { formatHex(u, leading0x: true) } else { integer(u, base: 10, signed: signed, verb: verb) }
        case "d": integer(u, base: 10, signed: signed, verb: verb)
        case "b": integer(u, base: 2, signed: signed, verb: verb)
        case "o", "O": integer(u, base: 8, signed: signed, verb: verb)
        case "x": integer(u, base: 16, signed: signed, verb: verb)
        case "X": integer(u, base: 16, signed: signed, verb: verb, upper: true)
        case "c": pad(String(Self.scalar(u)))
        case "q": pad(goQuoteRune(Self.scalar(u)))
        case "U":
            var s = "U+" + String(u, radix: 16, uppercase: true)
            let digits = max(flags.precision ?? 4, 4)
            if s.count - 2 < digits { s = "U+" + String(repeating: "0", count: digits - (s.count - 2)) + s.dropFirst(2) }
            if flags.sharp, u <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(u)), goIsPrint(scalar) {
                s += " '\(Character(scalar))'"
            }
            let saved = flags.zero
            flags.zero = false
            pad(s)
            flags.zero = saved
        default: badVerb(verb, value)
        }
    }

    private static func scalar(_ u: UInt64) -> Unicode.Scalar {
        guard u <= 0x10FFFF, let s = Unicode.Scalar(UInt32(u)) else { return "\u{FFFD}" }
        return s
    }

    /// Go's `fmt.fmtInteger`.
    private mutating func integer(_ value: UInt64, base: UInt64, signed: Bool, verb: Character, upper: Bool = false) {
        let negative = signed && Int64(bitPattern: value) < 0
        let u = negative ? 0 &- value : value
        var minimumDigits = 0
        if let precision = flags.precision {
            minimumDigits = precision
            if precision == 0 && u == 0 {
                let saved = flags.zero
                flags.zero = false
                pad("")
                flags.zero = saved
                return
            }
        } else if flags.zero && !flags.minus, let width = flags.width {
            minimumDigits = width
            if negative || flags.plus || flags.space { minimumDigits -= 1 }
        }
        var digits = String(u, radix: Int(base), uppercase: upper)
        if digits.count < minimumDigits { digits = String(repeating: "0", count: minimumDigits - digits.count) + digits }
        if flags.sharp {
            switch base {
            case 2: digits = "0b" + digits
            case 8: if !digits.hasPrefix("0") { digits = "0" + digits }
            case 16: digits = (upper ? "0X" : "0x") + digits
            default: break
            }
        }
        if verb == "O" { digits = "0o" + digits }
        if negative {
            digits = "-" + digits
        } else if flags.plus {
            digits = "+" + digits
        } else if flags.space {
            digits = " " + digits
        }
        let saved = flags.zero
        flags.zero = false
        pad(digits)
        flags.zero = saved
    }

    // MARK: Floats

    mutating func formatFloat(_ f: Double, _ verb: Character, _ value: TemplateValue) {
        switch verb {
        case "v": float(f, "g", -1)
        case "b", "g", "G", "x", "X": float(f, verb, flags.precision ?? -1)
        case "f", "e", "E", "F": float(f, verb == "F" ? "f" : verb, flags.precision ?? 6)
        default: badVerb(verb, value)
        }
    }

    /// Go's `fmt.fmtFloat`: signs, zero padding, and NaN/Inf never zero-padded.
    private mutating func float(_ v: Double, _ format: Character, _ precision: Int) {
        let precision = flags.precision ?? precision
        var num = GoFloatText.format(v, format, precision)
        if !num.hasPrefix("-") && !num.hasPrefix("+") { num = "+" + num }
        if flags.space && num.hasPrefix("+") && !flags.plus { num = " " + num.dropFirst() }
        if num.dropFirst().hasPrefix("I") || num.dropFirst().hasPrefix("N") {
            let saved = flags.zero
            flags.zero = false
            if num.dropFirst().hasPrefix("N") && !flags.space && !flags.plus { num.removeFirst() }
            pad(num)
            flags.zero = saved
            return
        }
        if flags.sharp && format != "b" { num = Self.sharpFloat(num, format, precision) }
        if flags.plus || !num.hasPrefix("+") {
            if flags.zero && !flags.minus, let width = flags.width, width > num.count {
                out.append(num.first!)
                out += String(repeating: "0", count: width - num.count)
                out += num.dropFirst()
                return
            }
            pad(num)
            return
        }
        pad(String(num.dropFirst()))
    }

    /// The # flag on floats: always a decimal point, and for %g / %x trailing zeros kept to
    /// the precision (6 by default). `num` starts with its sign.
    private static func sharpFloat(_ num: String, _ format: Character, _ precision: Int) -> String {
        var digits = "gGx".contains(format) ? (precision == -1 ? 6 : precision) : 0
        var mantissa = ""
        var tail = ""
        var hasPoint = false
        var sawNonzero = false
        for (i, c) in num.enumerated() where i > 0 {
            if !tail.isEmpty {
                tail.append(c)
                continue
            }
            switch c {
            case ".":
                hasPoint = true
            case "p", "P":
                tail.append(c)
                continue
            case _ where (c == "e" || c == "E") && format != "x" && format != "X":
                tail.append(c)
                continue
            default:
                if c != "0" { sawNonzero = true }
                if sawNonzero { digits -= 1 }
            }
            mantissa.append(c)
        }
        if !hasPoint {
            if mantissa == "0" { digits -= 1 }
            mantissa += "."
        }
        if digits > 0 { mantissa += String(repeating: "0", count: digits) }
        return String(num.first!) + mantissa + tail
    }

    private mutating func formatComplex(_ re: Double, _ im: Double, _ verb: Character, _ value: TemplateValue) {
        guard "vbgGxXfFeE".contains(verb) else {
            badVerb(verb, value)
            return
        }
        let saved = flags.plus
        out += "("
        formatFloat(re, verb, value)
        flags.plus = true
        formatFloat(im, verb, value)
        out += "i)"
        flags.plus = saved
    }

    // MARK: Strings

    mutating func formatString(_ s: String, _ verb: Character, _ value: TemplateValue? = nil) {
        switch verb {
        case "v": flags.sharpV ? quote(s) : pad(truncated(s))
        case "s": pad(truncated(s))
        case "x", "X": hexString(s, upper: verb == "X")
        case "q": quote(s)
        default: badVerb(verb, value ?? .text(s))
        }
    }

    private func truncated(_ s: String) -> String {
        guard let precision = flags.precision, s.unicodeScalars.count > precision else { return s }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s.unicodeScalars.prefix(precision))
        return String(view)
    }

    private mutating func quote(_ s: String) {
        let text = truncated(s)
        if flags.sharp && !text.contains("`") && text.unicodeScalars.allSatisfy({ $0 == "\t" || goIsPrint($0) }) {
            pad("`" + text + "`")
        } else if flags.plus {
            pad(goQuote(text).unicodeScalars.map { $0.isASCII ? String($0) : Self.asciiEscape($0) }.joined())
        } else {
            pad(goQuote(text))
        }
    }

    private static func asciiEscape(_ s: Unicode.Scalar) -> String {
        s.value < 0x10000 ? "\\u" + hexDigits(s.value, width: 4) : "\\U" + hexDigits(s.value, width: 8)
    }

    /// Go's `fmtSbx` for strings: two hex digits a byte, `% x` spaced, `%#x` with 0x.
    private mutating func hexString(_ s: String, upper: Bool) {
        var bytes = Array(s.utf8)
        if let precision = flags.precision, precision < bytes.count { bytes = Array(bytes.prefix(precision)) }
        var text = ""
        for (i, b) in bytes.enumerated() {
            if flags.space && i > 0 { text += " " }
            if flags.sharp && (flags.space || i == 0) { text += upper ? "0X" : "0x" }
            let h = String(b, radix: 16, uppercase: upper)
            text += (h.count < 2 ? "0" : "") + h
        }
        pad(text)
    }
}
