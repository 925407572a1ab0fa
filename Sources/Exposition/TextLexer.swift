// TextLexer: the byte cursor shared by the Prometheus text and OpenMetrics lexers. It mirrors
// the golex-generated DFAs in Prometheus's model/textparse: no backtracking, `i` rests on the
// first byte not taken, and a failed match leaves `i` on the byte that did not fit, which is
// what Prometheus's error messages print.

/// A cursor over borrowed exposition bytes with Prometheus's lexer semantics.
///
/// The Prometheus text parser reads its input with a `\n` appended (`append(b, '\n')` in Go);
/// here that newline is virtual: `byte(at: bytes.count)` is `\n` when `virtualNewline` is set,
/// so the caller's array is never copied.
struct TextLexer {
    /// The input; an `Array` is shared copy-on-write, so holding it does not copy it.
    let bytes: [UInt8]
    /// `bytes.count`, kept so the hot byte accessor needs no call.
    let count: Int
    /// Logical length: `bytes.count`, plus one for the virtual newline.
    let end: Int
    /// Whether quoted (UTF-8) metric and label names are recognised (Prometheus 3 grammar).
    let quotedNames: Bool
    /// Current position: the first byte not yet part of a token.
    var i = 0
    /// Start of the current token.
    var start = 0
    /// The start condition.
    var state: LexState = .initial

    init(_ bytes: [UInt8], virtualNewline: Bool, quotedNames: Bool) {
        self.bytes = bytes
        self.count = bytes.count
        self.end = bytes.count + (virtualNewline ? 1 : 0)
        self.quotedNames = quotedNames
    }

    /// The byte at `k` (`k < end`), with the virtual newline past the real bytes.
    @inline(__always)
    func byte(at k: Int) -> UInt8 {
        k < count ? bytes[k] : 0x0A
    }

    /// Advances one byte and returns it, or 0 at the end (Go's `l.next()`). In label values,
    /// metadata text and comments NUL bytes are skipped, as Prometheus does.
    @inline(__always)
    mutating func next() -> UInt8 {
        i += 1
        if i >= end { return 0 }
        var c = byte(at: i)
        if c == 0 && (state == .labelValue || state == .meta2 || state == .comment) {
            repeat {
                i += 1
                if i >= end { return 0 }
                c = byte(at: i)
            } while c == 0
        }
        return c
    }

    /// The current token's byte range (`l.buf()`).
    var token: Range<Int> { start..<i }

    /// Consumes a `"..."` string starting at the quote under the cursor. `newlines` says
    /// whether a raw `\n` may appear inside. Returns false where the DFA aborts.
    @inline(__always)
    mutating func quoted(newlines: Bool) -> Bool {
        var c = next()
        while true {
            switch c {
            case ASCII.quote:
                _ = next()
                return true
            case ASCII.backslash:
                c = next()
                if c == 0 || c == ASCII.newline { return false }
                c = next()
            case 0:
                return false
            case ASCII.newline:
                if !newlines { return false }
                c = next()
            default:
                c = next()
            }
        }
    }

    /// Matches the rest of a keyword after its first byte (under the cursor); leaves the
    /// cursor on the byte after the keyword. False where the DFA aborts.
    @inline(__always)
    mutating func keyword(_ rest: StaticString) -> Bool {
        let p = rest.utf8Start
        for k in 0..<rest.utf8CodeUnitCount where next() != p[k] {
            return false
        }
        return true
    }
}
