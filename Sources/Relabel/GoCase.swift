// Go's `strings.ToLower` / `strings.ToUpper`, for the `lowercase` and `uppercase` actions.
// Go maps scalar by scalar with Unicode's simple (one-to-one) case mappings, so "ß" stays
// "ß" in upper case where Swift's `uppercased()` gives "SS".

/// Case mapping with Go's rules: one scalar in, one scalar out; invalid UTF-8 becomes U+FFFD.
enum GoCase {
    /// Go's `strings.ToLower` of `bytes`.
    static func lowercased(_ bytes: [UInt8]) -> String {
        map(bytes, ascii: (UInt8(ascii: "A"), UInt8(ascii: "Z"))) { scalar in
            // İ (U+0130) lower-cases to "i̇" in full, to "i" in Go's simple mapping.
            if scalar == "\u{130}" { return "i" }
            return single(scalar.properties.lowercaseMapping) ?? scalar
        }
    }

    /// Go's `strings.ToUpper` of `bytes`.
    static func uppercased(_ bytes: [UInt8]) -> String {
        map(bytes, ascii: (UInt8(ascii: "a"), UInt8(ascii: "z"))) { scalar in
            // Where the full upper-case mapping has several scalars (ß → SS, ᾳ → ΑΙ), the simple
            // one is the title-case scalar when that is single (ᾳ → ᾼ), else the scalar itself.
            single(scalar.properties.uppercaseMapping) ?? single(scalar.properties.titlecaseMapping) ?? scalar
        }
    }

    /// Maps each scalar of `bytes`; the fast path flips the case bit of ASCII letters in `ascii`.
    private static func map(
        _ bytes: [UInt8], ascii: (lower: UInt8, upper: UInt8), _ transform: (Unicode.Scalar) -> Unicode.Scalar
    ) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return String(unsafeUninitializedCapacity: bytes.count) { buffer in
                for (i, byte) in bytes.enumerated() {
                    buffer[i] = byte >= ascii.lower && byte <= ascii.upper ? byte ^ 0x20 : byte
                }
                return bytes.count
            }
        }
        var result = String.UnicodeScalarView()
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            result.append(transform(scalar))
        }
        return String(result)
    }

    private static func single(_ mapping: String) -> Unicode.Scalar? {
        var scalars = mapping.unicodeScalars.makeIterator()
        guard let first = scalars.next(), scalars.next() == nil else { return nil }
        return first
    }
}
