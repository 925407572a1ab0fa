// Go's `%q` for the error texts Prometheus words with it (`"job" is not a valid label name`).

enum GoString {
    /// `strconv.Quote`: printable characters verbatim, `\"` `\\` and control characters escaped.
    static func quote(_ text: String) -> String {
        quote(bytes: Array(text.utf8))
    }

    /// `strconv.Quote` over raw bytes: invalid UTF-8 shows as `\xff`.
    static func quote(bytes: [UInt8]) -> String {
        var out = "\""
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                switch byte {
                case UInt8(ascii: "\""): out += "\\\""
                case UInt8(ascii: "\\"): out += "\\\\"
                case 0x07: out += "\\a"
                case 0x08: out += "\\b"
                case 0x0C: out += "\\f"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                case 0x0B: out += "\\v"
                case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
                default: out += "\\x" + hex(UInt32(byte), digits: 2)
                }
                index += 1
                continue
            }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            let end = min(index + length, bytes.count)
            var decoder = UTF8()
            var iterator = bytes[index..<end].makeIterator()
            if length > 1, end - index == length, case .scalarValue(let scalar) = decoder.decode(&iterator) {
                if scalar.properties.generalCategory.isPrintable {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + hex(scalar.value, digits: 4)
                } else {
                    out += "\\U" + hex(scalar.value, digits: 8)
                }
                index = end
            } else {
                out += "\\x" + hex(UInt32(byte), digits: 2)
                index += 1
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

extension Unicode.GeneralCategory {
    /// Go's `unicode.IsPrint` over categories: letters, marks, numbers, punctuation, symbols and
    /// the ASCII space.
    fileprivate var isPrintable: Bool {
        switch self {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            false
        default:
            true
        }
    }
}
