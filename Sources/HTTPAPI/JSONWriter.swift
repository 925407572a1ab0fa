// JSONWriter: appends JSON to a byte buffer, escaping strings as Go's encoding/json does.

/// Builds a JSON document as bytes, with Go-compatible string escaping (`<`, `>`, `&`,
/// U+2028 and U+2029 escaped, as Prometheus's JSON encoder does).
struct JSONWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    @inline(__always)
    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text written as it is (a literal goes to the `StaticString` version, which copies its bytes
    /// at once instead of walking a `String`'s UTF-8 view).
    @inline(__always)
    mutating func raw(text s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) { bytes.append(b) }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A quoted, escaped JSON string.
    mutating func string(_ s: String) {
        var s = s
        let ascii = s.withUTF8 { utf8 -> Bool in
            guard Self.isASCII(utf8) else { return false }
            asciiString(utf8)
            return true
        }
        if !ascii { scalarString(s) }
    }

    /// A quoted, escaped JSON string from UTF-8 bytes (invalid sequences become U+FFFD, as in
    /// `String(decoding:as:)`).
    mutating func string(utf8 slice: ArraySlice<UInt8>) {
        let ascii = slice.withUnsafeBufferPointer { utf8 -> Bool in
            guard Self.isASCII(utf8) else { return false }
            asciiString(utf8)
            return true
        }
        if !ascii { scalarString(String(decoding: slice, as: UTF8.self)) }
    }

    @inline(__always)
    private static func isASCII(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var any: UInt8 = 0
        for b in utf8 { any |= b }
        return any < 0x80
    }

    /// The quoted string of ASCII bytes: runs that need no escape are copied as they are.
    private mutating func asciiString(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            // Control characters, `"`, `\\`, `<`, `>`, `&` need escapes.
            if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x3C || b == 0x3E || b == 0x26 {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                escape(UInt32(b))
                runStart = i + 1
            }
            i += 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        bytes.append(UInt8(ascii: "\""))
    }

    /// The escape of one scalar that needs one.
    private mutating func escape(_ v: UInt32) {
        switch v {
        case 0x22: raw("\\\"")
        case 0x5C: raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        default:
            raw("\\u")
            for shift in stride(from: 12, through: 0, by: -4) {
                bytes.append(Self.hex[Int((v >> UInt32(shift)) & 0xF)])
            }
        }
    }

    /// The quoted string, scalar by scalar (any Unicode).
    private mutating func scalarString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x00..<0x20, 0x22, 0x5C, 0x3C, 0x3E, 0x26, 0x2028, 0x2029:
                escape(scalar.value)
            default:
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `["a","b"]`
    mutating func stringArray(_ values: [String]) {
        byte(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { byte(UInt8(ascii: ",")) }
            string(v)
        }
        byte(UInt8(ascii: "]"))
    }
}
