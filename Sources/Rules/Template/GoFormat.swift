// Go's fmt package for template values: `Sprint`, `Sprintln` and `Sprintf` with verbs, flags,
// width, precision, argument indexes, and fmt's texts for mistakes: `%!d(string=abc)`,
// `%!s(MISSING)`, `%!(EXTRA int=1)`, `%!(NOVERB)`, `%!(BADWIDTH)`, `%!v(BADINDEX)`.

import MetricModel

/// Formats template values the way Go's `fmt` prints them. An `.invalid` argument is Go's nil.
///
/// ```swift
/// GoFormat.sprintf("%.2f%%", [.float(12.345)])  // "12.35%"
/// GoFormat.sprintf("%d", [.text("abc")])         // "%!d(string=abc)"
/// ```
struct GoFormat {
    /// The flags, width and precision of the verb being printed (Go's `fmt.fmtFlags`).
    struct Flags {
        var plus = false, minus = false, sharp = false, space = false, zero = false
        var plusV = false, sharpV = false
        var width: Int? = nil
        var precision: Int? = nil
    }

    var out = ""
    var flags = Flags()
    /// Set while printing a bad verb's operand: methods such as `String()` are not called then.
    var erroring = false

    /// Go's `fmt.Sprint`: operands printed with %v, a space between two that are not strings.
    static func sprint(_ args: [TemplateValue]) -> String {
        var p = GoFormat()
        var previousIsString = false
        for (i, arg) in args.enumerated() {
            let isString = arg.type?.kind == .string
            if i > 0 && !isString && !previousIsString { p.out += " " }
            p.printArgument(arg, "v")
            previousIsString = isString
        }
        return p.out
    }

    /// Go's `fmt.Sprintln`: operands printed with %v, spaces between, a newline after.
    static func sprintln(_ args: [TemplateValue]) -> String {
        var p = GoFormat()
        for (i, arg) in args.enumerated() {
            if i > 0 { p.out += " " }
            p.printArgument(arg, "v")
        }
        return p.out + "\n"
    }

    /// Go's `fmt.Sprintf`.
    static func sprintf(_ format: String, _ args: [TemplateValue]) -> String {
        var p = GoFormat()
        p.printf(Array(format.utf8), args)
        return p.out
    }

    /// Go's `tooLarge`: widths and precisions above a million are refused.
    private static func tooLarge(_ x: Int) -> Bool { x > 1_000_000 || x < -1_000_000 }

    /// Go's `parsenum`: a decimal at `i`, or none; an absurd one swallows the rest of the format.
    private static func number(_ f: [UInt8], _ i: inout Int) -> Int? {
        var n = 0
        var found = false
        while i < f.count, f[i] >= UInt8(ascii: "0"), f[i] <= UInt8(ascii: "9") {
            if tooLarge(n) {
                i = f.count
                return nil
            }
            n = n * 10 + Int(f[i] - UInt8(ascii: "0"))
            found = true
            i += 1
        }
        return found ? n : nil
    }

    private mutating func printf(_ f: [UInt8], _ args: [TemplateValue]) {
        var argNum = 0
        var reordered = false
        var i = 0
        // Go's `argNumber`: an explicit `[n]` index at `i`.
        func argIndex(_ i: inout Int, _ argNum: inout Int, _ good: inout Bool) -> Bool {
            guard i < f.count, f[i] == UInt8(ascii: "[") else { return false }
            reordered = true
            guard f.count - i >= 3, let close = f[(i + 1)...].firstIndex(of: UInt8(ascii: "]")) else {
                i += 1
                good = false
                return false
            }
            var j = i + 1
            let n = Self.number(f, &j)
            i = close + 1
            guard let n, j == close else {
                good = false
                return false
            }
            if n - 1 >= 0 && n - 1 < args.count {
                argNum = n - 1
            } else {
                good = false
            }
            return true
        }
        // Go's `intFromArg`, for `*` widths and precisions.
        func intArgument(_ argNum: inout Int) -> Int? {
            guard argNum < args.count else { return nil }
            defer { argNum += 1 }
            let n: Int? =
                switch args[argNum] {
                case .int(let v, _): Int(exactly: v)
                case .uint(let v, _): v <= UInt64(Int.max) ? Int(v) : nil
                default: nil
                }
            guard let n, !Self.tooLarge(n) else { return nil }
            return n
        }

        while i < f.count {
            var good = true
            let literalStart = i
            while i < f.count, f[i] != UInt8(ascii: "%") { i += 1 }
            if i > literalStart { out += String(decoding: f[literalStart..<i], as: UTF8.self) }
            if i >= f.count { break }
            i += 1
            flags = Flags()
            flagLoop: while i < f.count {
                switch f[i] {
                case UInt8(ascii: "#"): flags.sharp = true
                case UInt8(ascii: "0"): flags.zero = true
                case UInt8(ascii: "+"): flags.plus = true
                case UInt8(ascii: "-"): flags.minus = true
                case UInt8(ascii: " "): flags.space = true
                default: break flagLoop
                }
                i += 1
            }
            var afterIndex = argIndex(&i, &argNum, &good)
            if i < f.count, f[i] == UInt8(ascii: "*") {
                i += 1
                flags.width = intArgument(&argNum)
                if flags.width == nil { out += "%!(BADWIDTH)" }
                if let w = flags.width, w < 0 {
                    flags.width = -w
                    flags.minus = true
                    flags.zero = false
                }
                afterIndex = false
            } else {
                flags.width = Self.number(f, &i)
                if afterIndex && flags.width != nil { good = false }
            }
            if i + 1 < f.count, f[i] == UInt8(ascii: ".") {
                i += 1
                if afterIndex { good = false }
                afterIndex = argIndex(&i, &argNum, &good)
                if i < f.count, f[i] == UInt8(ascii: "*") {
                    i += 1
                    flags.precision = intArgument(&argNum)
                    if let p = flags.precision, p < 0 { flags.precision = nil }
                    if flags.precision == nil { out += "%!(BADPREC)" }
                    afterIndex = false
                } else {
                    flags.precision = Self.number(f, &i) ?? 0
                }
            }
            if !afterIndex { afterIndex = argIndex(&i, &argNum, &good) }
            if i >= f.count {
                out += "%!(NOVERB)"
                break
            }
            let verbText = String(decoding: f[i...].prefix(4), as: UTF8.self)
            let verb = verbText.unicodeScalars.first ?? "\u{FFFD}"
            i += UTF8.width(verb)
            if verb == "%" {
                out += "%"
            } else if !good {
                out += "%!\(Character(verb))(BADINDEX)"
            } else if argNum >= args.count {
                out += "%!\(Character(verb))(MISSING)"
            } else {
                if verb == "v" {
                    flags.sharpV = flags.sharp
                    flags.sharp = false
                    flags.plusV = flags.plus
                    flags.plus = false
                }
                printArgument(args[argNum], Character(verb))
                argNum += 1
            }
        }
        if !reordered && argNum < args.count {
            flags = Flags()
            out += "%!(EXTRA "
            for (k, arg) in args[argNum...].enumerated() {
                if k > 0 { out += ", " }
                if let type = arg.type {
                    out += type.name + "="
                    printArgument(arg, "v")
                } else {
                    out += "<nil>"
                }
            }
            out += ")"
        }
    }

    /// Go's `badVerb`: `%!verb(type=value)`.
    mutating func badVerb(_ verb: Character, _ value: TemplateValue) {
        erroring = true
        out += "%!\(verb)("
        if let type = value.type {
            out += type.name + "="
            printValue(value, "v", depth: 0)
        } else {
            out += "<nil>"
        }
        out += ")"
        erroring = false
    }

    /// Go's `printArg`.
    mutating func printArgument(_ arg: TemplateValue, _ verb: Character) {
        guard let type = arg.type else {
            if verb == "T" || verb == "v" { pad("<nil>") } else { badVerb(verb, arg) }
            return
        }
        if verb == "T" {
            formatString(type.name, "s")
            return
        }
        if verb == "p" {
            formatPointer(arg, verb)
            return
        }
        printValue(arg, verb, depth: 0)
    }
}
