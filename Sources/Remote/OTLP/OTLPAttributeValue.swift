// OTLP attribute values as Prometheus label values: the text of pdata's `Value.AsString()`
// (go.opentelemetry.io/collector/pdata/pcommon), which Prometheus's OTLP translator uses.

#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
internal import MetricModel
package import WireFormat

extension Opentelemetry_Proto_Common_V1_AnyValue {
    /// The value as pdata's `AsString()` writes it: strings as they are, `true`/`false`,
    /// integers in decimal, doubles as JavaScript prints numbers (`0.5`, `1e+21`, `1e-7`),
    /// bytes in standard base64, arrays and key-value lists as Go's `encoding/json` writes
    /// them (keys sorted, `<>&` escaped); an empty value is `""`.
    ///
    /// ```swift
    /// var v = Opentelemetry_Proto_Common_V1_AnyValue()
    /// v.doubleValue = 0.25
    /// v.promString   // "0.25"
    /// ```
    package var promString: String {
        switch value {
        case nil: return ""
        case .stringValue(let s): return s
        case .boolValue(let b): return b ? "true" : "false"
        case .intValue(let i): return String(i)
        case .doubleValue(let d): return Self.javaScriptNumber(d)
        case .bytesValue(let bytes): return bytes.base64EncodedString()
        case .arrayValue, .kvlistValue:
            var out = ""
            // Go's json.Marshal fails on NaN and ±Inf; pdata then returns "".
            return appendJSON(to: &out) ? out : ""
        }
    }

    /// Go's JSON for the value (`AsRaw()` marshalled); false when it holds NaN or ±Inf.
    private func appendJSON(to out: inout String) -> Bool {
        switch value {
        case nil: out += "null"
        case .stringValue(let s): Self.appendJSONString(s, to: &out)
        case .boolValue(let b): out += b ? "true" : "false"
        case .intValue(let i): out += String(i)
        case .doubleValue(let d):
            guard d.isFinite else { return false }
            out += Self.javaScriptNumber(d)
        case .bytesValue(let bytes): Self.appendJSONString(bytes.base64EncodedString(), to: &out)
        case .arrayValue(let array):
            out += "["
            for (i, element) in array.values.enumerated() {
                if i > 0 { out += "," }
                guard element.appendJSON(to: &out) else { return false }
            }
            out += "]"
        case .kvlistValue(let list):
            // A Go map: the last of duplicate keys wins, keys in byte order.
            var byKey: [String: Opentelemetry_Proto_Common_V1_AnyValue] = [:]
            for kv in list.values { byKey[kv.key] = kv.value }
            out += "{"
            for (i, key) in byKey.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { out += "," }
                Self.appendJSONString(key, to: &out)
                out += ":"
                guard byKey[key]!.appendJSON(to: &out) else { return false }
            }
            out += "}"
        }
        return true
    }

    /// A double as Go's `encoding/json` (and pdata) writes it, after ES6's Number-to-String:
    /// plain digits, exponent form below 1e-6 and from 1e21, exponent without padding.
    static func javaScriptNumber(_ d: Double) -> String {
        if d.isNaN { return "json: unsupported value: NaN" }
        if d.isInfinite { return "json: unsupported value: \(d < 0 ? "-Inf" : "+Inf")" }
        let magnitude = d.magnitude
        let exponent = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
        var s = goFormatShortest(d, exponent: exponent)
        // "1e-07" → "1e-7"
        if exponent, let e = s.lastIndex(of: "e"), s[s.index(after: e)...].hasPrefix("-0") {
            s.remove(at: s.index(e, offsetBy: 2))
        }
        return s
    }

    /// A JSON string as Go's `encoding/json` writes it: `"`, `\`, control characters, `<`, `>`,
    /// `&`, U+2028 and U+2029 escaped.
    static func appendJSONString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hexDigits(scalar.value, width: 4)
            case _ where scalar.value < 0x20:
                out += "\\u" + hexDigits(scalar.value, width: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
