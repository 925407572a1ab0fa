// Unquoting PromQL string literals (`util/strutil.Unquote`, a copy of Go's
// `strconv.Unquote` that also accepts single-quoted strings of any length).

/// The value of a quoted PromQL string (`"…"`, `'…'` or `` `…` ``), or nil when the
/// literal is malformed. The lexer has already validated the escapes, so nil is rare.
///
/// `\x..` and octal escapes produce single bytes; a result that is not valid UTF-8 is
/// repaired with U+FFFD, since Swift strings (and `Labels`) hold Unicode text.
func unquotePromQLString(_ literal: some Collection<UInt8>) -> String? {
    unquotePromQLBytes(literal).map { String(decoding: $0, as: UTF8.self) }
}

/// The bytes of a quoted PromQL string, as Go keeps them: possibly not valid UTF-8.
func unquotePromQLBytes(_ literal: some Collection<UInt8>) -> [UInt8]? {
    let s = Array(literal)
    guard s.count >= 2, let quote = s.first, s.last == quote else { return nil }
    let body = s[1..<(s.count - 1)]
    if quote == UInt8(ascii: "`") {
        if body.contains(quote) { return nil }
        return Array(body)
    }
    guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
    if body.contains(UInt8(ascii: "\n")) { return nil }
    if !body.contains(UInt8(ascii: "\\")) && !body.contains(quote) {
        return Array(body)
    }
    var out: [UInt8] = []
    out.reserveCapacity(body.count)
    var i = body.startIndex
    while i < body.endIndex {
        let c = body[i]
        if c == quote { return nil }
        if c != UInt8(ascii: "\\") {
            out.append(c)
            i += 1
            continue
        }
        i += 1
        guard i < body.endIndex else { return nil }
        let e = body[i]
        i += 1
        switch e {
        case UInt8(ascii: "a"): out.append(0x07)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "\\"): out.append(e)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            if e != quote { return nil }
            out.append(e)
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let n = e == UInt8(ascii: "x") ? 2 : (e == UInt8(ascii: "u") ? 4 : 8)
            guard body.endIndex - i >= n else { return nil }
            var v: UInt32 = 0
            for j in 0..<n {
                guard let d = hexValue(body[i + j]) else { return nil }
                v = v << 4 | d
            }
            i += n
            if e == UInt8(ascii: "x") {
                out.append(UInt8(v))
            } else {
                guard let scalar = Unicode.Scalar(v) else { return nil }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard body.endIndex - i >= 2 else { return nil }
            var v = UInt32(e - UInt8(ascii: "0"))
            for j in 0..<2 {
                let d = body[i + j]
                guard d >= UInt8(ascii: "0"), d <= UInt8(ascii: "7") else { return nil }
                v = v << 3 | UInt32(d - UInt8(ascii: "0"))
            }
            i += 2
            if v > 255 { return nil }
            out.append(UInt8(v))
        default:
            return nil
        }
    }
    return out
}

private func hexValue(_ b: UInt8) -> UInt32? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
    default: nil
    }
}
