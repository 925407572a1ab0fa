// The input check of go-yaml v2's reader (readerc.go): UTF-8 only, and only the characters
// YAML 1.1 allows in a stream. Reader errors carry no line, as in go-yaml.

enum Reader {
    /// Bytes after the input that the scanner's look-ahead may read; all zero (the end mark,
    /// which no accepted input contains).
    static let padding = 8

    /// The text's bytes, without a leading byte-order mark, followed by `padding` zero bytes.
    ///
    /// - Throws: `YAMLError` (code `.reader`) with go-yaml's words: "invalid leading UTF-8 octet",
    ///   "incomplete UTF-8 octet sequence", "invalid trailing UTF-8 octet", "invalid length of a
    ///   UTF-8 sequence", "invalid Unicode character", "control characters are not allowed".
    static func checkedBytes(_ input: some Collection<UInt8>) throws(YAMLError) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(input.count + padding)
        bytes.append(contentsOf: input)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        try check(bytes)
        bytes.append(contentsOf: repeatElement(0, count: padding))
        return bytes
    }

    private static func check(_ bytes: [UInt8]) throws(YAMLError) {
        var position = 0
        while position < bytes.count {
            let lead = bytes[position]
            // Fast path: printable ASCII, tab and line breaks.
            if lead >= 0x20 && lead < 0x7F || lead == 0x09 || lead == 0x0A || lead == 0x0D {
                position += 1
                continue
            }
            let width = Scanner.width(lead)
            guard width > 0 else { throw YAMLError(.reader, "invalid leading UTF-8 octet") }
            guard position + width <= bytes.count else { throw YAMLError(.reader, "incomplete UTF-8 octet sequence") }
            var value = UInt32(width == 1 ? lead : width == 2 ? lead & 0x1F : width == 3 ? lead & 0x0F : lead & 0x07)
            for offset in 1..<width {
                let trailing = bytes[position + offset]
                guard trailing & 0xC0 == 0x80 else { throw YAMLError(.reader, "invalid trailing UTF-8 octet") }
                value = value << 6 | UInt32(trailing & 0x3F)
            }
            let shortest = width == 1 || width == 2 && value >= 0x80 || width == 3 && value >= 0x800
                || width == 4 && value >= 0x10000
            guard shortest else { throw YAMLError(.reader, "invalid length of a UTF-8 sequence") }
            guard !(0xD800...0xDFFF).contains(value), value <= 0x10FFFF else {
                throw YAMLError(.reader, "invalid Unicode character")
            }
            guard isPrintable(value) else { throw YAMLError(.reader, "control characters are not allowed") }
            position += width
        }
    }

    /// YAML 1.1's `c-printable`.
    private static func isPrintable(_ value: UInt32) -> Bool {
        value == 0x09 || value == 0x0A || value == 0x0D || (0x20...0x7E).contains(value) || value == 0x85
            || (0xA0...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
    }
}
