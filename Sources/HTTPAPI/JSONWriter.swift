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

    @inline(__always)
    mutating func raw(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) { bytes.append(b) }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A quoted, escaped JSON string.
    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x00..<0x20, 0x3C, 0x3E, 0x26, 0x2028, 0x2029:
                raw("\\u")
                let v = scalar.value
                for shift in stride(from: 12, through: 0, by: -4) {
                    bytes.append(Self.hex[Int((v >> UInt32(shift)) & 0xF)])
                }
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
