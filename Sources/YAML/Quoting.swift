// Writing YAML scalars that every reader (go-yaml v2 and v3, our composer) reads back as the very
// string written: for the files Sugarmill writes itself (the tenants file, tenants' rule files).

/// Writing strings as YAML scalars.
package enum YAMLQuoting {
    /// A YAML double-quoted scalar (YAML 1.1 §5.7, 9.2): `\` and `"` escaped, and as `\uXXXX`
    /// every character a YAML reader refuses raw or reads as a line break (C0, DEL, C1, U+2028,
    /// U+2029, U+FEFF, U+FFFE, U+FFFF). No string can be taken for a number, a boolean, null, an
    /// alias or a tag this way.
    ///
    /// ```swift
    /// YAMLQuoting.doubleQuoted("a \"b\"\n")  // "\"a \\\"b\\\"\\u000a\""
    /// ```
    package static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x5c: out += "\\\\"
            case 0x22: out += "\\\""
            case 0..<0x20, 0x7f...0x9f, 0x2028, 0x2029, 0xfeff, 0xfffe, 0xffff:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
