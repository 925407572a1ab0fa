// The Go types a Prometheus alert template can meet, by name and kind. Go's text/template
// decides by `reflect.Kind` how to compare, index, range over and print a value, checks
// arguments against a function's parameter types, and names types in its error messages
// ("can't evaluate field Foo in type *template.sample"); this is the part of Go's type system
// that those rules and texts need.

/// A Go type that template values and function parameters have.
package indirect enum GoType: Sendable, Equatable {
    case bool
    case int, int64, int32
    case uint, uint64, uint8
    case float64
    case complex128
    case string
    /// `html/template.HTML`, what `safeHtml` returns: a string kind, but not assignable to `string`.
    case html
    /// `time.Duration` (an int64 of nanoseconds).
    case duration
    /// `time.Month`, `time.Weekday` (ints with names).
    case month, weekday
    /// `time.Time`.
    case time
    /// Prometheus's `template.sample`: `struct { Labels map[string]string; Value float64 }`.
    case sample
    /// Prometheus's `template.queryResult`: `[]*sample`.
    case queryResult
    /// The anonymous struct `AlertTemplateData` builds.
    case alertData
    case map(key: GoType, element: GoType)
    case slice(GoType)
    case pointer(GoType)
    /// `interface {}`: any value is assignable.
    case interface
    /// `reflect.Value`, as builtins such as `eq` and `index` declare their parameters: any value,
    /// including none, is passed as it is.
    case reflectValue

    /// How Go's reflection classifies the type.
    enum Kind {
        case bool, int, uint, float, complex, string, structure, slice, map, pointer, interface
    }

    var kind: Kind {
        switch self {
        case .bool: .bool
        case .int, .int64, .int32, .duration, .month, .weekday: .int
        case .uint, .uint64, .uint8: .uint
        case .float64: .float
        case .complex128: .complex
        case .string, .html: .string
        case .time, .sample, .alertData, .reflectValue: .structure
        case .queryResult, .slice: .slice
        case .map: .map
        case .pointer: .pointer
        case .interface: .interface
        }
    }

    /// Go's `reflect.Type.String()`.
    package var name: String {
        switch self {
        case .bool: "bool"
        case .int: "int"
        case .int64: "int64"
        case .int32: "int32"
        case .uint: "uint"
        case .uint64: "uint64"
        case .uint8: "uint8"
        case .float64: "float64"
        case .complex128: "complex128"
        case .string: "string"
        case .html: "template.HTML"
        case .duration: "time.Duration"
        case .month: "time.Month"
        case .weekday: "time.Weekday"
        case .time: "time.Time"
        case .sample: "template.sample"
        case .queryResult: "template.queryResult"
        case .alertData:
            "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }"
        case .map(let key, let element): "map[\(key.name)]\(element.name)"
        case .slice(let element): "[]\(element.name)"
        case .pointer(let element): "*\(element.name)"
        case .interface: "interface {}"
        case .reflectValue: "reflect.Value"
        }
    }

    /// Whether Go's untyped `nil` converts to the type (`reflect.Zero` of it is a nil).
    var canBeNil: Bool {
        switch kind {
        case .slice, .map, .pointer, .interface: true
        default: self == .reflectValue
        }
    }
}
