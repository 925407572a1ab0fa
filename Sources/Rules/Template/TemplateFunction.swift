// A function or method a template can call, with the Go signature that text/template checks
// arguments against (count, types, variadic tail).

/// Why a function failed; execution reports it as `error calling <name>: <message>`.
struct FunctionFailure: Error {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    /// What Go's `safeCall` reports when a function dereferences a nil pointer.
    static let nilDereference = FunctionFailure("runtime error: invalid memory address or nil pointer dereference")
}

/// A callable with Go parameter types.
struct TemplateFunction: Sendable {
    var parameters: [GoType]
    /// The element type of a final `...T` parameter.
    var variadic: GoType?
    var body: @Sendable ([TemplateValue]) throws(FunctionFailure) -> TemplateValue

    init(
        _ parameters: [GoType], variadic: GoType? = nil,
        _ body: @escaping @Sendable ([TemplateValue]) throws(FunctionFailure) -> TemplateValue
    ) {
        self.parameters = parameters
        self.variadic = variadic
        self.body = body
    }
}

extension TemplateValue {
    /// The string inside a `string` (or `template.HTML`) value; "" otherwise.
    var stringValue: String {
        if case .string(let s, _) = self { return s }
        return ""
    }

    /// The float inside a `float64` value; 0 otherwise.
    var floatValue: Double {
        if case .float(let f) = self { return f }
        return 0
    }

    /// Go's `reflect.Zero(type)`, as text/template uses it for nil and missing values.
    static func zero(_ type: GoType) -> TemplateValue {
        switch type {
        case .bool: .bool(false)
        case .int, .int64, .int32, .duration, .month, .weekday: .int(0, type)
        case .uint, .uint64, .uint8: .uint(0, type)
        case .float64: .float(0)
        case .complex128: .complex(0, 0)
        case .string, .html: .string("", type)
        case .map(_, let element): .map([:], element: element)
        case .slice, .queryResult: .slice([], type)
        case .pointer(let element): .pointer(nil, to: element)
        case .sample: .sample(labels: [:], value: 0)
        case .alertData: .alertData(AlertTemplateData(labels: [:], externalLabels: [:], externalURL: "", value: 0))
        case .time: .time(GoTime(seconds: -62_135_596_800, nanoseconds: 0))
        case .interface, .reflectValue: .invalid
        }
    }
}
