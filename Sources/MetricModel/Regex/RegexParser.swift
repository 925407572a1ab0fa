// A parser for Go's RE2 syntax (`regexp/syntax` with the `Perl` flags, as Prometheus uses it).
// Iterative like Go's: an explicit stack of open groups, so deep nesting cannot overflow the
// thread's stack, and the same error codes and offending fragments as Go.

/// Parses an RE2 pattern into a `RegexNode` tree.
struct RegexParser {
    /// Flags that `(?imsU)` switch; `dotMatchesNewline` is also an option of the whole parse.
    struct Flags: OptionSet, Sendable {
        let rawValue: UInt8
        static let caseInsensitive = Flags(rawValue: 1)
        static let dotMatchesNewline = Flags(rawValue: 2)
        static let multiLine = Flags(rawValue: 4)
        static let ungreedy = Flags(rawValue: 8)
    }

    /// The largest count in `x{n,m}`, and the largest product of nested counts (as Go).
    static let maxRepeat = 1000
    /// Open groups allowed at once (Go limits the tree's height to 1000).
    static let maxNesting = 1000

    private struct Group {
        var alternatives: [RegexNode] = []
        var items: [RegexNode] = []
        let savedFlags: Flags
        let capture: Int?
        let name: String?
    }

    private let s: [Unicode.Scalar]
    private let whole: String
    private var pos = 0
    private var flags: Flags
    private var groups: [Group]
    private(set) var captureNames: [String?] = [nil]

    /// Parses `pattern`; `captureNames[i]` is the name of group `i` (index 0: the whole match).
    static func parse(_ pattern: String, flags: Flags = []) throws(RegexSyntaxError)
        -> (node: RegexNode, captureNames: [String?])
    {
        var parser = RegexParser(pattern, flags)
        let node = try parser.run()
        return (node, parser.captureNames)
    }

    private init(_ pattern: String, _ flags: Flags) {
        s = Array(pattern.unicodeScalars)
        whole = pattern
        self.flags = flags
        groups = [Group(savedFlags: flags, capture: nil, name: nil)]
    }

    private func text(_ from: Int, _ to: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s[max(0, from)..<min(to, s.count)])
        return String(view)
    }

    private mutating func push(_ node: RegexNode) { groups[groups.count - 1].items.append(node) }

    private mutating func run() throws(RegexSyntaxError) -> RegexNode {
        var lastRepeat: Int? = nil
        while pos < s.count {
            var thisRepeat: Int? = nil
            let c = s[pos]
            switch c {
            case "(":
                if pos + 1 < s.count && s[pos + 1] == "?" {
                    try parseGroupFlags()
                } else {
                    try openGroup(capture: true, name: nil, savedFlags: flags)
                    pos += 1
                }
            case "|":
                var g = groups.removeLast()
                g.alternatives.append(Self.concatenate(g.items))
                g.items = []
                groups.append(g)
                pos += 1
            case ")":
                try closeGroup()
                pos += 1
            case "^":
                push(.assertion(flags.contains(.multiLine) ? .beginLine : .beginText))
                pos += 1
            case "$":
                push(.assertion(flags.contains(.multiLine) ? .endLine : .endText))
                pos += 1
            case ".":
                push(flags.contains(.dotMatchesNewline) ? .anyChar : .anyCharNotNewline)
                pos += 1
            case "[":
                try parseClass()
            case "*", "+", "?":
                let start = pos
                pos += 1
                let (min, max): (Int, Int?) = c == "*" ? (0, nil) : c == "+" ? (1, nil) : (0, 1)
                try repeatLast(min: min, max: max, start: start, lastRepeat: lastRepeat)
                thisRepeat = start
            case "{":
                let start = pos
                guard let (min, max, end) = parseRepeatCounts() else {
                    literal(c.value)
                    pos += 1
                    break
                }
                pos = end
                if min < 0 || min > Self.maxRepeat || (max ?? 0) > Self.maxRepeat || (max != nil && min > max!) {
                    throw RegexSyntaxError(.invalidRepeatSize, text(start, pos))
                }
                try repeatLast(min: min, max: max, start: start, lastRepeat: lastRepeat)
                thisRepeat = start
            case "\\":
                try parseEscapeOutsideClass()
            default:
                literal(c.value)
                pos += 1
            }
            lastRepeat = thisRepeat
        }
        if groups.count != 1 { throw RegexSyntaxError(.missingParen, whole) }
        return Self.finish(groups[0])
    }

    private static func concatenate(_ items: [RegexNode]) -> RegexNode {
        switch items.count {
        case 0: .empty
        case 1: items[0]
        default: .concatenation(items)
        }
    }

    private static func finish(_ g: Group) -> RegexNode {
        if g.alternatives.isEmpty { return concatenate(g.items) }
        return .alternation(g.alternatives + [concatenate(g.items)])
    }

    private mutating func openGroup(capture: Bool, name: String?, savedFlags: Flags) throws(RegexSyntaxError) {
        if groups.count > Self.maxNesting { throw RegexSyntaxError(.nestingDepth, whole) }
        var index: Int? = nil
        if capture {
            index = captureNames.count
            captureNames.append(name)
        }
        groups.append(Group(savedFlags: savedFlags, capture: index, name: name))
    }

    private mutating func closeGroup() throws(RegexSyntaxError) {
        guard groups.count > 1 else { throw RegexSyntaxError(.unexpectedParen, whole) }
        let g = groups.removeLast()
        flags = g.savedFlags
        let node = Self.finish(g)
        if let index = g.capture {
            push(.capture(index: index, name: g.name, node))
        } else {
            push(node)
        }
    }

    /// Appends a literal scalar, as a class of its case-fold orbit under `(?i)`.
    private mutating func literal(_ c: UInt32) {
        if flags.contains(.caseInsensitive) {
            let orbit = CaseFolding.orbit(of: c)
            if orbit.count > 1 {
                push(.charClass(ScalarRanges(orbit.map { ($0, $0) })))
                return
            }
        }
        push(.literal(c))
    }

    // MARK: Repetition

    private mutating func repeatLast(min: Int, max: Int?, start: Int, lastRepeat: Int?) throws(RegexSyntaxError) {
        var greedy = !flags.contains(.ungreedy)
        if pos < s.count && s[pos] == "?" {
            pos += 1
            greedy.toggle()
        }
        if let last = lastRepeat { throw RegexSyntaxError(.invalidRepeatOp, text(last, pos)) }
        guard let sub = groups[groups.count - 1].items.popLast() else {
            throw RegexSyntaxError(.missingRepeatArgument, text(start, pos))
        }
        let node = RegexNode.repetition(sub, min: min, max: max, greedy: greedy)
        if (min >= 2 || (max ?? 0) >= 2) && !Self.repeatIsValid(node, Self.maxRepeat) {
            throw RegexSyntaxError(.invalidRepeatSize, text(start, pos))
        }
        push(node)
    }

    /// Whether nested counted repetitions stay within `n` copies of the innermost expression.
    private static func repeatIsValid(_ node: RegexNode, _ n: Int) -> Bool {
        var n = n
        switch node {
        case .repetition(let sub, let min, let max, _):
            if max == 0 { return true }
            let m = max ?? min
            if m > n { return false }
            if m > 0 { n /= m }
            return repeatIsValid(sub, n)
        case .capture(_, _, let sub): return repeatIsValid(sub, n)
        case .concatenation(let subs), .alternation(let subs): return subs.allSatisfy { repeatIsValid($0, n) }
        default: return true
        }
    }

    /// `{n}`, `{n,}` or `{n,m}` at `pos`: the counts (`min == -1` when a number is too big) and
    /// the index after `}`; nil when the text is not of that form (then `{` is a literal).
    private func parseRepeatCounts() -> (Int, Int?, Int)? {
        var i = pos + 1
        func number() -> Int?? {
            guard i < s.count, let d = digit(s[i]) else { return nil }
            if d == 0 && i + 1 < s.count && digit(s[i + 1]) != nil { return nil }  // leading zero
            var value = 0
            var tooBig = false
            while i < s.count, let d = digit(s[i]) {
                if value >= 100_000_000 { tooBig = true } else { value = value * 10 + d }
                i += 1
            }
            return .some(tooBig ? nil : value)
        }
        guard let minParsed = number() else { return nil }
        var min = minParsed ?? -1
        var max: Int? = min
        guard i < s.count else { return nil }
        if s[i] == "," {
            i += 1
            guard i < s.count else { return nil }
            if s[i] == "}" {
                max = nil
            } else {
                guard let maxParsed = number() else { return nil }
                if let m = maxParsed { max = m } else { min = -1 }
            }
        }
        guard i < s.count, s[i] == "}" else { return nil }
        return (min, max, i + 1)
    }

    private func digit(_ c: Unicode.Scalar) -> Int? {
        c.value >= 0x30 && c.value <= 0x39 ? Int(c.value - 0x30) : nil
    }

    // MARK: Groups and flags

    /// `(?P<name>`, `(?<name>`, `(?flags)`, `(?flags:` at `pos`.
    private mutating func parseGroupFlags() throws(RegexSyntaxError) {
        let start = pos
        let startsWithP = s.count - pos > 4 && s[pos + 2] == "P" && s[pos + 3] == "<"
        let startsWithName = s.count - pos > 3 && s[pos + 2] == "<"
        if startsWithP || startsWithName {
            let nameStart = pos + (startsWithP ? 4 : 3)
            guard let end = s[pos...].firstIndex(of: ">") else {
                throw RegexSyntaxError(.invalidNamedCapture, text(pos, s.count))
            }
            let name = text(nameStart, end)
            let valid = !name.isEmpty && name.unicodeScalars.allSatisfy { $0 == "_" || isAlphanumeric($0) }
            if !valid { throw RegexSyntaxError(.invalidNamedCapture, text(pos, end + 1)) }
            try openGroup(capture: true, name: name, savedFlags: flags)
            pos = end + 1
            return
        }
        var t = pos + 2
        var newFlags = flags
        var negated = false
        var sawFlag = false
        loop: while t < s.count {
            let c = s[t]
            t += 1
            let flag: Flags
            switch c {
            case "i": flag = .caseInsensitive
            case "m": flag = .multiLine
            case "s": flag = .dotMatchesNewline
            case "U": flag = .ungreedy
            case "-":
                if negated { break loop }
                negated = true
                sawFlag = false
                continue
            case ":", ")":
                if negated && !sawFlag { break loop }
                if c == ":" { try openGroup(capture: false, name: nil, savedFlags: flags) }
                flags = newFlags
                pos = t
                return
            default:
                break loop
            }
            if negated { newFlags.remove(flag) } else { newFlags.insert(flag) }
            sawFlag = true
        }
        throw RegexSyntaxError(.invalidPerlOp, text(start, t))
    }

    // MARK: Escapes

    private mutating func parseEscapeOutsideClass() throws(RegexSyntaxError) {
        guard pos + 1 < s.count else { throw RegexSyntaxError(.trailingBackslash, "") }
        switch s[pos + 1] {
        case "A": push(.assertion(.beginText)); pos += 2; return
        case "b": push(.assertion(.wordBoundary)); pos += 2; return
        case "B": push(.assertion(.noWordBoundary)); pos += 2; return
        case "z": push(.assertion(.endText)); pos += 2; return
        case "C": throw RegexSyntaxError(.invalidEscape, text(pos, pos + 2))
        case "Q":
            var i = pos + 2
            while i < s.count && !(s[i] == "\\" && i + 1 < s.count && s[i + 1] == "E") {
                literal(s[i].value)
                i += 1
            }
            pos = min(i + 2, s.count)
            return
        case "p", "P":
            var ranges = ScalarRanges()
            try parseUnicodeClass(into: &ranges)
            ranges.normalize()
            push(.charClass(ranges))
            return
        default:
            break
        }
        if let group = UnicodeClasses.perl(s[pos + 1]) {
            var ranges = ScalarRanges()
            ranges.append(group.ranges, folded: flags.contains(.caseInsensitive), negated: group.negated)
            ranges.normalize()
            push(.charClass(ranges))
            pos += 2
            return
        }
        literal(try parseEscape())
    }

    /// A single-scalar escape at `pos` (a backslash): `\n`, `\x41`, `\x{263a}`, `\101`, `\.`.
    private mutating func parseEscape() throws(RegexSyntaxError) -> UInt32 {
        let start = pos
        var t = pos + 1
        guard t < s.count else { throw RegexSyntaxError(.trailingBackslash, "") }
        let c = s[t]
        t += 1
        func fail() -> RegexSyntaxError { RegexSyntaxError(.invalidEscape, text(start, t)) }
        func octal(_ i: Int) -> UInt32? {
            i < s.count && s[i].value >= 0x30 && s[i].value <= 0x37 ? s[i].value - 0x30 : nil
        }
        switch c {
        case "1", "2", "3", "4", "5", "6", "7", "0":
            // A lone \1-\7 would be a backreference: not supported.
            if c != "0" && octal(t) == nil { throw fail() }
            var r = c.value - 0x30
            for _ in 1..<3 {
                guard let d = octal(t) else { break }
                r = r * 8 + d
                t += 1
            }
            pos = t
            return r
        case "x":
            guard t < s.count else { throw fail() }
            let first = s[t]
            t += 1
            if first == "{" {
                var r: UInt32 = 0
                var digits = 0
                while true {
                    guard t < s.count else { throw fail() }
                    let d = s[t]
                    t += 1
                    if d == "}" { break }
                    guard let v = hexValue(d) else { throw fail() }
                    r = r * 16 + v
                    if r > ScalarRanges.maxScalar { throw fail() }
                    digits += 1
                }
                if digits == 0 { throw fail() }
                pos = t
                return r
            }
            guard t < s.count else { throw fail() }
            let second = s[t]
            t += 1
            guard let x = hexValue(first), let y = hexValue(second) else { throw fail() }
            pos = t
            return x * 16 + y
        case "a": pos = t; return 7
        case "f": pos = t; return 12
        case "n": pos = t; return 10
        case "r": pos = t; return 13
        case "t": pos = t; return 9
        case "v": pos = t; return 11
        default:
            if c.value < 0x80 && !isAlphanumeric(c) {
                pos = t
                return c.value
            }
            throw fail()
        }
    }

    private func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: c.value - 0x30
        case 0x41...0x46: c.value - 0x41 + 10
        case 0x61...0x66: c.value - 0x61 + 10
        default: nil
        }
    }

    private func isAlphanumeric(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x30 && c.value <= 0x39) || (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
    }

    /// `\pL`, `\p{Greek}`, `\PL`, `\p{^Greek}` at `pos`, appended to `ranges`.
    private mutating func parseUnicodeClass(into ranges: inout ScalarRanges) throws(RegexSyntaxError) {
        var negated = s[pos + 1] == "P"
        let t = pos + 2
        let sequenceEnd: Int
        var name: String
        if t < s.count && s[t] == "{" {
            guard let close = s[pos...].firstIndex(of: "}") else {
                throw RegexSyntaxError(.invalidCharRange, text(pos, s.count))
            }
            sequenceEnd = close + 1
            name = text(t + 1, close)
        } else {
            sequenceEnd = min(t + 1, s.count)
            name = text(t, sequenceEnd)
        }
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        guard let table = UnicodeClasses.unicode(name) else {
            throw RegexSyntaxError(.invalidCharRange, text(pos, sequenceEnd))
        }
        if table.negated { negated.toggle() }
        ranges.append(table.ranges, folded: flags.contains(.caseInsensitive), negated: negated)
        pos = sequenceEnd
    }

    // MARK: Classes

    /// `[...]` at `pos`.
    private mutating func parseClass() throws(RegexSyntaxError) {
        let start = pos
        pos += 1
        var ranges = ScalarRanges()
        var negated = false
        if pos < s.count && s[pos] == "^" {
            negated = true
            pos += 1
        }
        let folded = flags.contains(.caseInsensitive)
        var first = true
        while pos >= s.count || s[pos] != "]" || first {
            first = false
            if s.count - pos > 2 && s[pos] == "[" && s[pos + 1] == ":", let close = findPosixEnd(from: pos + 2) {
                let name = text(pos + 2, close)
                guard let group = UnicodeClasses.posix(name) else {
                    throw RegexSyntaxError(.invalidCharRange, text(pos, close + 2))
                }
                ranges.append(group.ranges, folded: folded, negated: group.negated)
                pos = close + 2
                continue
            }
            if s.count - pos >= 2 && s[pos] == "\\" {
                if s[pos + 1] == "p" || s[pos + 1] == "P" {
                    try parseUnicodeClass(into: &ranges)
                    continue
                }
                if let group = UnicodeClasses.perl(s[pos + 1]) {
                    ranges.append(group.ranges, folded: folded, negated: group.negated)
                    pos += 2
                    continue
                }
            }
            let rangeStart = pos
            let lo = try parseClassCharacter(classStart: start)
            var hi = lo
            if s.count - pos >= 2 && s[pos] == "-" && s[pos + 1] != "]" {
                pos += 1
                hi = try parseClassCharacter(classStart: start)
                if hi < lo { throw RegexSyntaxError(.invalidCharRange, text(rangeStart, pos)) }
            }
            if folded { ranges.appendFolded(lo, hi) } else { ranges.append(lo, hi) }
        }
        pos += 1
        ranges.normalize()
        if negated { ranges.negate() }
        push(.charClass(ranges))
    }

    private func findPosixEnd(from i: Int) -> Int? {
        var j = i
        while j + 1 < s.count {
            if s[j] == ":" && s[j + 1] == "]" { return j }
            j += 1
        }
        return nil
    }

    private mutating func parseClassCharacter(classStart: Int) throws(RegexSyntaxError) -> UInt32 {
        guard pos < s.count else { throw RegexSyntaxError(.missingBracket, text(classStart, s.count)) }
        if s[pos] == "\\" { return try parseEscape() }
        pos += 1
        return s[pos - 1].value
    }
}
