// Go's `os.Expand`, which Prometheus applies to external label values: `$VAR` and `${VAR}`
// replaced from the environment, `$$` kept as `$`, a bare `$` left alone.

enum GoExpand {
    /// `text` with its variables replaced; an unset variable expands to "".
    static func expand(_ text: String, _ environment: (String) -> String?) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "$"), index + 1 < bytes.count else {
                out.append(bytes[index])
                index += 1
                continue
            }
            let (name, width) = shellName(bytes[(index + 1)...])
            if name.isEmpty && width == 0 {
                out.append(bytes[index])
            } else if !name.isEmpty {
                let key = String(decoding: name, as: UTF8.self)
                out += Array((key == "$" ? "$" : environment(key) ?? "").utf8)
            }
            index += 1 + width
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `getShellName`: the variable name after a `$` and how many bytes it takes.
    private static func shellName(_ rest: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, Int) {
        let start = rest.startIndex
        if rest[start] == UInt8(ascii: "{") {
            if rest.count > 2, isSpecial(rest[start + 1]), rest[start + 2] == UInt8(ascii: "}") {
                return (rest[(start + 1)...(start + 1)], 3)
            }
            for offset in 1..<rest.count where rest[start + offset] == UInt8(ascii: "}") {
                if offset == 1 { return ([], 2) }
                return (rest[(start + 1)..<(start + offset)], offset + 1)
            }
            return ([], 1)
        }
        if isSpecial(rest[start]) { return (rest[start...start], 1) }
        let name = rest.prefix { $0 == UInt8(ascii: "_") || ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) }
        return (name, name.count)
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        "*#$@!?-0123456789".utf8.contains(byte)
    }
}
