// ASCII: byte constants and the character classes (`D`, `L`, `M`) of Prometheus's `.l` lexer files.

/// Byte constants and the character classes of the `.l` files.
enum ASCII {
    static let newline: UInt8 = 0x0A
    static let tab: UInt8 = 0x09
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let comma: UInt8 = 0x2C
    static let equal: UInt8 = 0x3D
    static let backslash: UInt8 = 0x5C
    static let braceOpen: UInt8 = 0x7B
    static let braceClose: UInt8 = 0x7D

    /// `[ \t]`
    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == space || c == tab }
    /// `[0-9]`
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    /// `[a-zA-Z_]` (`L`)
    @inline(__always) static func isLabelStart(_ c: UInt8) -> Bool {
        (c | 0x20) &- 0x61 < 26 || c == 0x5F
    }
    /// `[a-zA-Z_0-9]`
    @inline(__always) static func isLabelByte(_ c: UInt8) -> Bool { isLabelStart(c) || isDigit(c) }
    /// `[a-zA-Z_:]` (`M`)
    @inline(__always) static func isMetricStart(_ c: UInt8) -> Bool { isLabelStart(c) || c == 0x3A }
    /// `[a-zA-Z_:0-9]`
    @inline(__always) static func isMetricByte(_ c: UInt8) -> Bool { isMetricStart(c) || isDigit(c) }
}
