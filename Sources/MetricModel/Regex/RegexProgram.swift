// The compiled form of a regular expression: a Thompson NFA as a flat array of instructions
// (Go's `syntax.Prog`), built from the parse tree as in Go's `syntax/compile.go`.

/// One NFA instruction.
struct RegexInstruction: Sendable {
    enum Op: UInt8, Sendable {
        case fail
        case match
        /// Consume the scalar `arg`.
        case scalar
        /// Consume a scalar in `classes[arg]`.
        case charClass
        case anyChar
        case anyCharNotNewline
        /// Try `out` first, then `arg`.
        case split
        /// Record the position in capture slot `arg`.
        case save
        /// Continue if the assertions `arg` hold here.
        case assertion
        case nop
    }

    var op: Op
    var out: Int32 = 0
    var arg: Int32 = 0
}

/// A compiled program: instructions, the character classes they refer to and the capture layout.
struct RegexProgram: Sendable {
    /// Programs larger than this are refused ("expression too large"); each match needs a few
    /// machine words per instruction. Go allows ~3.3M; this is kinder to a shared server.
    static let maxInstructions = 500_000

    var instructions: [RegexInstruction] = []
    var classes: [CompiledClass] = []
    var start: Int32 = 0
    /// Capture slots: two per group, group 0 (the whole match) included.
    var slotCount: Int = 2
    /// The program can only match at the start of the text (it begins with `^` or `\A`).
    var anchoredAtStart = false

    /// Compiles `node`, wrapping it in capture slots 0 and 1 for the whole match.
    static func compile(_ node: RegexNode, groupCount: Int) throws(RegexSyntaxError) -> RegexProgram {
        var c = RegexCompiler()
        c.program.slotCount = 2 * (groupCount + 1)
        _ = c.emit(.fail)
        let body = c.compile(.capture(index: 0, name: nil, node))
        let match = c.emit(.match)
        c.patch(body.holes, to: match)
        c.program.start = body.start == nil ? 0 : body.start!
        if c.program.instructions.count > maxInstructions { throw RegexSyntaxError(.tooLarge, "") }
        c.program.anchoredAtStart = c.program.computeAnchoredAtStart()
        return c.program
    }

    private func computeAnchoredAtStart() -> Bool {
        var pc = Int(start)
        while true {
            let inst = instructions[pc]
            switch inst.op {
            case .save, .nop: pc = Int(inst.out)
            case .assertion: return EmptyAssertion(rawValue: UInt8(inst.arg)).contains(.beginText)
            default: return false
            }
        }
    }
}

/// A character class ready for matching: an ASCII bitmap and the sorted ranges.
struct CompiledClass: Sendable {
    let ranges: ScalarRanges
    private let asciiLow: UInt64
    private let asciiHigh: UInt64

    init(_ ranges: ScalarRanges) {
        self.ranges = ranges
        var low: UInt64 = 0, high: UInt64 = 0
        for c in UInt32(0)..<128 where ranges.contains(c) {
            if c < 64 { low |= 1 << UInt64(c) } else { high |= 1 << UInt64(c - 64) }
        }
        asciiLow = low
        asciiHigh = high
    }

    @inline(__always)
    func contains(_ c: Int32) -> Bool {
        if c < 64 { return c >= 0 && asciiLow & (1 << UInt64(c)) != 0 }
        if c < 128 { return asciiHigh & (1 << UInt64(c - 64)) != 0 }
        return ranges.contains(UInt32(c))
    }
}

/// Go's fragment-and-patch-list compiler.
private struct RegexCompiler {
    /// A hole is an instruction's `out` (even) or `arg` (odd) to be filled in later.
    typealias Hole = Int

    struct Fragment {
        /// Nil for a fragment that never matches.
        var start: Int32?
        var holes: [Hole]
        var nullable: Bool
    }

    var program = RegexProgram()

    mutating func emit(_ op: RegexInstruction.Op, arg: Int32 = 0) -> Int32 {
        program.instructions.append(RegexInstruction(op: op, arg: arg))
        return Int32(program.instructions.count - 1)
    }

    mutating func patch(_ holes: [Hole], to target: Int32) {
        for h in holes {
            if h & 1 == 0 { program.instructions[h >> 1].out = target } else { program.instructions[h >> 1].arg = target }
        }
    }

    private mutating func single(_ op: RegexInstruction.Op, arg: Int32 = 0, nullable: Bool = false) -> Fragment {
        let i = emit(op, arg: arg)
        return Fragment(start: i, holes: [Int(i) << 1], nullable: nullable)
    }

    private static let never = Fragment(start: nil, holes: [], nullable: false)

    mutating func compile(_ node: RegexNode) -> Fragment {
        switch node {
        case .empty: return single(.nop, nullable: true)
        case .noMatch: return Self.never
        case .literal(let c): return single(.scalar, arg: Int32(bitPattern: c))
        case .charClass(let ranges):
            if ranges.isEmpty { return Self.never }
            if let c = ranges.singleScalar { return single(.scalar, arg: Int32(bitPattern: c)) }
            if ranges.isAll { return single(.anyChar) }
            if ranges.isAllButNewline { return single(.anyCharNotNewline) }
            program.classes.append(CompiledClass(ranges))
            return single(.charClass, arg: Int32(program.classes.count - 1))
        case .anyChar: return single(.anyChar)
        case .anyCharNotNewline: return single(.anyCharNotNewline)
        case .assertion(let a): return single(.assertion, arg: Int32(a.rawValue), nullable: true)
        case .capture(let index, _, let sub):
            let open = single(.save, arg: Int32(2 * index), nullable: true)
            let body = compile(sub)
            let close = single(.save, arg: Int32(2 * index + 1), nullable: true)
            return concatenate(concatenate(open, body), close)
        case .concatenation(let subs):
            var f = compile(subs[0])
            for sub in subs.dropFirst() { f = concatenate(f, compile(sub)) }
            return f
        case .alternation(let subs):
            var f = compile(subs[0])
            for sub in subs.dropFirst() { f = alternate(f, compile(sub)) }
            return f
        case .repetition(let sub, let min, let max, let greedy):
            return repetition(sub, min: min, max: max, greedy: greedy)
        }
    }

    /// `x{n,m}` as Go's `Simplify` spells it: n copies, then `x*`/`x+` or nested `(x(x)?)?`.
    private mutating func repetition(_ sub: RegexNode, min: Int, max: Int?, greedy: Bool) -> Fragment {
        guard let max else {
            if min == 0 { return star(compile(sub), greedy: greedy) }
            var f: Fragment? = nil
            for _ in 0..<(min - 1) { f = f.map { concatenate($0, compile(sub)) } ?? compile(sub) }
            let p = plus(compile(sub), greedy: greedy)
            return f.map { concatenate($0, p) } ?? p
        }
        if max == 0 { return single(.nop, nullable: true) }
        if min == 0 && max == 1 { return quest(compile(sub), greedy: greedy) }
        var prefix: Fragment? = nil
        for _ in 0..<min { prefix = prefix.map { concatenate($0, compile(sub)) } ?? compile(sub) }
        if max == min { return prefix! }
        if let p = prefix, p.start == nil { return Self.never }
        // The optional copies, Go's nested (x(x(x)?)?)? laid out flat: split, x, split, x, …
        // where every split's other branch leaves the repetition.
        var start: Int32? = prefix?.start
        var exits: [Hole] = []
        var previous = prefix?.holes ?? []
        for _ in min..<max {
            let q = emit(.split)
            if start == nil { start = q }
            patch(previous, to: q)
            let body = compile(sub)
            if greedy {
                program.instructions[Int(q)].out = body.start ?? 0
                exits.append(Int(q) << 1 | 1)
            } else {
                program.instructions[Int(q)].arg = body.start ?? 0
                exits.append(Int(q) << 1)
            }
            previous = body.holes
        }
        return Fragment(start: start, holes: exits + previous, nullable: min == 0 || prefix!.nullable)
    }

    private mutating func concatenate(_ a: Fragment, _ b: Fragment) -> Fragment {
        guard a.start != nil, let bStart = b.start else { return Self.never }
        patch(a.holes, to: bStart)
        return Fragment(start: a.start, holes: b.holes, nullable: a.nullable && b.nullable)
    }

    private mutating func alternate(_ a: Fragment, _ b: Fragment) -> Fragment {
        guard let aStart = a.start else { return b }
        guard let bStart = b.start else { return a }
        let i = emit(.split)
        program.instructions[Int(i)].out = aStart
        program.instructions[Int(i)].arg = bStart
        return Fragment(start: i, holes: a.holes + b.holes, nullable: a.nullable || b.nullable)
    }

    private mutating func quest(_ a: Fragment, greedy: Bool) -> Fragment {
        let i = emit(.split)
        guard let aStart = a.start else { return Fragment(start: i, holes: [Int(i) << 1, Int(i) << 1 | 1], nullable: true) }
        if greedy {
            program.instructions[Int(i)].out = aStart
            return Fragment(start: i, holes: [Int(i) << 1 | 1] + a.holes, nullable: true)
        }
        program.instructions[Int(i)].arg = aStart
        return Fragment(start: i, holes: [Int(i) << 1] + a.holes, nullable: true)
    }

    /// The loop of `x+` and `x*`: a split after `a` that jumps back to it.
    private mutating func loop(_ a: Fragment, greedy: Bool) -> Fragment {
        let i = emit(.split)
        let hole: Hole
        if greedy {
            program.instructions[Int(i)].out = a.start ?? 0
            hole = Int(i) << 1 | 1
        } else {
            program.instructions[Int(i)].arg = a.start ?? 0
            hole = Int(i) << 1
        }
        patch(a.holes, to: i)
        return Fragment(start: i, holes: [hole], nullable: true)
    }

    private mutating func star(_ a: Fragment, greedy: Bool) -> Fragment {
        guard a.start != nil else { return single(.nop, nullable: true) }
        // A nullable body needs (x+)? to keep Go's priority order (golang.org/issue/46123).
        if a.nullable { return quest(plus(a, greedy: greedy), greedy: greedy) }
        return loop(a, greedy: greedy)
    }

    private mutating func plus(_ a: Fragment, greedy: Bool) -> Fragment {
        guard a.start != nil else { return Self.never }
        return Fragment(start: a.start, holes: loop(a, greedy: greedy).holes, nullable: a.nullable)
    }
}
