// Byte sizes as Prometheus reads them (`units.Base2Bytes`, alecthomas/units): `512MB`, `1.5GiB`,
// `0`. Base 1024 throughout; `KB` and `KiB` both mean 1024; a bare number has no unit and fails.

/// `units.ParseBase2Bytes`.
package enum Base2Bytes {
    private static let multipliers: [String: Double] = {
        var map: [String: Double] = ["B": 1]
        var scale = 1.0
        for prefix in ["K", "M", "G", "T", "P", "E"] {
            scale *= 1024
            map[prefix + "B"] = scale
            map[prefix + "iB"] = scale
        }
        return map
    }()

    /// Bytes for `text`.
    ///
    /// ```swift
    /// try Base2Bytes.parse("100MB")  // 104_857_600
    /// ```
    /// - Throws: `ConfigError` "units: unknown unit  in 100", "units: invalid …",
    ///   "units: overflow parsing unit".
    package static func parse(_ text: String) throws(ConfigError) -> Int64 {
        let invalid = ConfigError("units: invalid \(text)")
        var rest = Substring(text).utf8[...]
        var negative = false
        if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        if rest.elementsEqual("0".utf8) { return 0 }
        if rest.isEmpty { throw invalid }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        var total = 0.0
        while let first = rest.first {
            guard first == UInt8(ascii: ".") || isDigit(first) else { throw invalid }
            let whole = rest.prefix(while: isDigit)
            rest = rest.dropFirst(whole.count)
            var value = try leadingInteger(whole, invalid)
            var fractionDigits = 0
            if rest.first == UInt8(ascii: ".") {
                rest = rest.dropFirst()
                let fraction = rest.prefix(while: isDigit)
                rest = rest.dropFirst(fraction.count)
                fractionDigits = fraction.count
                var scale = 1.0
                for _ in 0..<fractionDigits { scale *= 10 }
                value += try leadingInteger(fraction, invalid) / scale
            }
            if whole.isEmpty && fractionDigits == 0 { throw invalid }
            let unitBytes = rest.prefix { $0 != UInt8(ascii: ".") && !isDigit($0) }
            rest = rest.dropFirst(unitBytes.count)
            let unit = String(decoding: unitBytes, as: UTF8.self)
            guard let multiplier = multipliers[unit] else { throw ConfigError("units: unknown unit \(unit) in \(text)") }
            total += value * multiplier
        }
        if negative { total = -total }
        guard total >= -9_223_372_036_854_775_808.0, total < 9_223_372_036_854_775_808.0 else {
            throw ConfigError("units: overflow parsing unit")
        }
        return Int64(total)
    }

    private static func leadingInteger(_ digits: Substring.UTF8View.SubSequence, _ invalid: ConfigError) throws(ConfigError) -> Double {
        var value: Int64 = 0
        for digit in digits {
            if value >= (Int64.max - 10) / 10 { throw invalid }
            value = value * 10 + Int64(digit - UInt8(ascii: "0"))
        }
        return Double(value)
    }
}
