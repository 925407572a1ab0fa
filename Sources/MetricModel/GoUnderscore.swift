// Go's number-literal underscore rule, shared by the exposition parsers and PromQL (both parse
// numbers exactly as Go's strconv does).

/// Go's `strconv.underscoreOK`: `_` only between digits, or between a base prefix (`0b`, `0o`,
/// `0x`) and a digit; an optional leading sign is skipped.
///
/// ```swift
/// goUnderscoreOK(Array("1_000".utf8)[...])  // true
/// goUnderscoreOK(Array("1__0".utf8)[...])   // false
/// ```
package func goUnderscoreOK(_ s: ArraySlice<UInt8>) -> Bool {
    var k = s.startIndex
    if k < s.endIndex && (s[k] == UInt8(ascii: "+") || s[k] == UInt8(ascii: "-")) { k += 1 }
    var saw: UInt8 = UInt8(ascii: "^")
    var hex = false
    if s.endIndex - k >= 2 && s[k] == UInt8(ascii: "0") {
        let p = s[k + 1] | 0x20
        if p == UInt8(ascii: "b") || p == UInt8(ascii: "o") || p == UInt8(ascii: "x") {
            k += 2
            saw = UInt8(ascii: "0")
            hex = p == UInt8(ascii: "x")
        }
    }
    while k < s.endIndex {
        let c = s[k]
        k += 1
        if (c &- UInt8(ascii: "0")) < 10 || (hex && (c | 0x20) &- UInt8(ascii: "a") < 6) {
            saw = UInt8(ascii: "0")
            continue
        }
        if c == UInt8(ascii: "_") {
            if saw != UInt8(ascii: "0") { return false }
            saw = UInt8(ascii: "_")
            continue
        }
        if saw == UInt8(ascii: "_") { return false }
        saw = UInt8(ascii: "!")
    }
    return saw != UInt8(ascii: "_")
}
