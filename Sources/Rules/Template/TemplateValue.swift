// The values a template computes with: Go values of the types in GoType. Interfaces are
// transparent (Go's executor digs into `interface {}` after every command), so a value is
// always concrete or `invalid`, Go's zero `reflect.Value` that prints as "<no value>".

/// A Go value inside template execution.
///
/// ```swift
/// let data = TemplateValue.slice([.float(0), .float(1.5)], .slice(.float64))  // []float64{0, 1.5}
/// ```
package indirect enum TemplateValue: Sendable {
    /// No value at all (a missing field of nil data, a nil interface).
    case invalid
    case bool(Bool)
    /// A signed integer of type `.int`, `.int64`, `.int32`, `.duration`, `.month` or `.weekday`.
    case int(Int64, GoType)
    /// An unsigned integer of type `.uint`, `.uint64` or `.uint8`.
    case uint(UInt64, GoType)
    case float(Double)
    case complex(Double, Double)
    /// A string of type `.string` or `.html`.
    case string(String, GoType)
    /// A `map[string]element`.
    case map([String: TemplateValue], element: GoType)
    /// A slice; the type is `.slice(element)` or `.queryResult`.
    case slice([TemplateValue], GoType)
    /// A pointer to a value of type `to`; nil for a nil pointer.
    case pointer(TemplateValue?, to: GoType)
    /// Prometheus's `template.sample`.
    case sample(labels: [String: String], value: Double)
    /// What an alert's templates see as dot.
    case alertData(AlertTemplateData)
    case time(GoTime)

    /// A Go `string`.
    package static func text(_ s: String) -> TemplateValue { .string(s, .string) }

    /// A Go `int`.
    package static func integer(_ i: Int) -> TemplateValue { .int(Int64(i), .int) }

    /// A `map[string]string`.
    package static func stringMap(_ map: [String: String]) -> TemplateValue {
        .map(map.mapValues { .text($0) }, element: .string)
    }

    /// A `*template.sample`, what `first` returns.
    static func samplePointer(_ s: TemplateQuerySample) -> TemplateValue {
        .pointer(.sample(labels: s.labels, value: s.value), to: .sample)
    }

    /// The value's Go type; nil for `invalid`.
    package var type: GoType? {
        switch self {
        case .invalid: nil
        case .bool: .bool
        case .int(_, let t), .uint(_, let t), .string(_, let t), .slice(_, let t): t
        case .float: .float64
        case .complex: .complex128
        case .map(_, let element): .map(key: .string, element: element)
        case .pointer(_, let t): .pointer(t)
        case .sample: .sample
        case .alertData: .alertData
        case .time: .time
        }
    }

    var isValid: Bool {
        if case .invalid = self { return false }
        return true
    }

    /// Follows pointers to the value they point at; `isNil` when one of them is nil.
    var indirect: (value: TemplateValue, isNil: Bool) {
        var v = self
        while case .pointer(let target, _) = v {
            guard let target else { return (v, true) }
            v = target
        }
        return (v, false)
    }

    /// Go's `isTrue`: not the zero value of its type. Every type here has a truth value.
    var truth: Bool {
        switch self {
        case .invalid: false
        case .bool(let b): b
        case .int(let i, _): i != 0
        case .uint(let u, _): u != 0
        case .float(let f): f != 0
        case .complex(let r, let i): r != 0 || i != 0
        case .string(let s, _): !s.isEmpty
        case .map(let m, _): !m.isEmpty
        case .slice(let s, _): !s.isEmpty
        case .pointer(let target, _): target != nil
        case .sample, .alertData, .time: true
        }
    }

    /// The length Go's `len` reports, for strings (bytes), maps and slices.
    var length: Int? {
        switch self {
        case .string(let s, _): s.utf8.count
        case .map(let m, _): m.count
        case .slice(let s, _): s.count
        default: nil
        }
    }
}
