// The parse tree of an RE2 pattern (Go's `syntax.Regexp`, simplified): what the parser builds
// and the compiler turns into a program.

/// A node of a parsed regular expression.
indirect enum RegexNode: Sendable, Equatable {
    /// Matches the empty string.
    case empty
    /// Matches nothing (an empty class such as `[^\x00-\x{10FFFF}]`).
    case noMatch
    /// One scalar, case-sensitively.
    case literal(UInt32)
    /// One scalar out of a normalised class (case folding already applied).
    case charClass(ScalarRanges)
    case anyChar
    case anyCharNotNewline
    case assertion(EmptyAssertion)
    /// A capturing group; `index` counts opening parentheses from 1.
    case capture(index: Int, name: String?, RegexNode)
    /// `x*`, `x+`, `x?`, `x{n,m}`; `max == nil` means unbounded.
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool)
    case concatenation([RegexNode])
    case alternation([RegexNode])

    /// Whether the node can match the empty string.
    var isNullable: Bool {
        switch self {
        case .empty, .assertion: true
        case .noMatch, .literal, .charClass, .anyChar, .anyCharNotNewline: false
        case .capture(_, _, let sub): sub.isNullable
        case .repetition(let sub, let min, _, _): min == 0 || sub.isNullable
        case .concatenation(let subs): subs.allSatisfy(\.isNullable)
        case .alternation(let subs): subs.contains(where: \.isNullable)
        }
    }
}

/// The zero-width assertions (Go's `syntax.EmptyOp`), as bits so that a position's context
/// can be tested against an instruction's requirement with one `&`.
struct EmptyAssertion: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    static let beginLine = EmptyAssertion(rawValue: 1)
    static let endLine = EmptyAssertion(rawValue: 2)
    static let beginText = EmptyAssertion(rawValue: 4)
    static let endText = EmptyAssertion(rawValue: 8)
    static let wordBoundary = EmptyAssertion(rawValue: 16)
    static let noWordBoundary = EmptyAssertion(rawValue: 32)

    /// The assertions that hold between `before` and `after` (-1 for the text's ends).
    @inline(__always)
    static func context(before: Int32, after: Int32) -> EmptyAssertion {
        var flags: UInt8 = 0
        if before < 0 { flags |= 4 | 1 }
        if before == 10 { flags |= 1 }
        if after < 0 { flags |= 8 | 2 }
        if after == 10 { flags |= 2 }
        flags |= isWordScalar(before) != isWordScalar(after) ? 16 : 32
        return EmptyAssertion(rawValue: flags)
    }

    /// RE2's `\w`: ASCII letters, digits and `_`.
    @inline(__always)
    static func isWordScalar(_ c: Int32) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
    }
}
