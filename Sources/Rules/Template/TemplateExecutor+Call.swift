// Calling functions and methods (Go's `evalCall`, `evalArg`, `validateType`): arguments are
// checked against the parameter types, literals take the parameter's type, `and` / `or`
// short-circuit, and a function's failure reads `error calling <name>: <reason>`.

import MetricModel

extension TemplateExecutor {
    /// The functions whose arguments Go's builtins receive as `reflect.Value`s, and which
    /// `and` / `or` short-circuit.
    mutating func evalFunction(
        _ dot: TemplateValue, _ name: String, _ identifier: ArgumentNode, call: TemplateNodeReference,
        arguments: [ArgumentNode]?, final: TemplateValue?
    ) throws(ExecFailure) -> TemplateValue {
        at(.argument(identifier))
        guard let function = functions[name] else { throw error("\(goQuote(name)) is not a defined function") }
        return try evalCall(dot, function, name: name, call: call, arguments: arguments, final: final)
    }

    mutating func evalCall(
        _ dot: TemplateValue, _ function: TemplateFunction, name: String, call: TemplateNodeReference,
        arguments: [ArgumentNode]?, final: TemplateValue?
    ) throws(ExecFailure) -> TemplateValue {
        let arguments = Array((arguments ?? []).dropFirst())
        let given = arguments.count + (final == nil ? 0 : 1)
        let fixed = function.parameters.count
        if function.variadic != nil {
            if given < fixed {
                throw error("wrong number of args for \(name): want at least \(fixed) got \(arguments.count)")
            }
        } else if given != fixed {
            throw error("wrong number of args for \(name): want \(fixed) got \(given)")
        }

        if name == "and" || name == "or", function.variadic == .reflectValue {
            var value = TemplateValue.invalid
            for argument in arguments {
                value = try evalArgument(dot, .reflectValue, argument)
                if value.truth == (name == "or") { return value }
            }
            if let final { value = final }
            return value
        }

        var values: [TemplateValue] = []
        for (i, argument) in arguments.enumerated() {
            let type = i < fixed ? function.parameters[i] : function.variadic!
            values.append(try evalArgument(dot, type, argument))
        }
        if let final {
            var type = function.parameters.last ?? .interface
            if let variadic = function.variadic { type = given - 1 < fixed ? function.parameters[given - 1] : variadic }
            values.append(try validate(final, type))
        }
        if name == "call", function.variadic == .reflectValue {
            let callee = arguments.first?.description ?? (final.map { GoFormat.sprint([$0]) } ?? "")
            values.insert(.text(callee), at: 0)
        }
        let result: TemplateValue
        do {
            result = try function.body(values)
        } catch {
            at(call)
            throw self.error("error calling \(name): \(error.message)")
        }
        // A string may double with every call (`$s = print $s $s`); stop where output would.
        if case .string(let s, _) = result, s.utf8.count > Self.maxOutputBytes {
            at(call)
            throw self.error("error calling \(name): result exceeds \(Self.maxOutputBytes) bytes")
        }
        return result
    }

    /// Go's `validateType`: `value` as an argument of type `type` (nil: any).
    func validate(_ value: TemplateValue, _ type: GoType?) throws(ExecFailure) -> TemplateValue {
        guard let type else { return value }
        guard let valueType = value.type else {
            if type.canBeNil { return .zero(type) }
            throw error("invalid value; expected \(type.name)")
        }
        if type == .reflectValue || type == .interface || valueType == type { return value }
        if case .pointer(let target, let pointee) = value, pointee == type {
            guard let target else { throw error("dereference of nil pointer of type \(type.name)") }
            return target
        }
        throw error("wrong type for value; expected \(type.name); got \(valueType.name)")
    }

    /// Go's `evalArg`: an operand evaluated as an argument of type `type`.
    mutating func evalArgument(_ dot: TemplateValue, _ type: GoType?, _ n: ArgumentNode) throws(ExecFailure) -> TemplateValue {
        at(.argument(n))
        switch n {
        case .dot:
            return try validate(dot, type)
        case .nilLiteral:
            guard let type, type.canBeNil else { throw error("cannot assign nil to \(type?.name ?? "<nil>")") }
            return .zero(type)
        case .field(let names, _):
            return try validate(
                try evalFieldChain(dot, dot, names, callNode: .argument(n), arguments: [n], final: nil), type)
        case .variable:
            return try validate(try evalVariable(dot, n, arguments: nil, final: nil), type)
        case .pipe(let pipe):
            let value = try nested { (s: inout TemplateExecutor) throws(ExecFailure) in try s.evalPipeline(dot, pipe) }
            return try validate(value, type)
        case .identifier(let name, _):
            return try validate(try evalFunction(dot, name, n, call: .argument(n), arguments: nil, final: nil), type)
        case .chain:
            return try validate(try evalChain(dot, n, arguments: nil, final: nil), type)
        case .bool, .number, .string:
            break
        }
        guard let type else { return try literal(n) }
        switch type.kind {
        case .bool:
            if case .bool(let b, _) = n { return .bool(b) }
            throw error("expected bool; found \(n)")
        case .complex:
            if case .number(let literal, _) = n, let (re, im) = literal.complex { return .complex(re, im) }
            throw error("expected complex; found \(n)")
        case .float:
            if case .number(let literal, _) = n, let f = literal.float { return .float(f) }
            throw error("expected float; found \(n)")
        case .int:
            if case .number(let literal, _) = n, let i = literal.int { return .int(i, type) }
            throw error("expected integer; found \(n)")
        case .uint:
            if case .number(let literal, _) = n, let u = literal.uint { return .uint(u, type) }
            throw error("expected unsigned integer; found \(n)")
        case .string:
            if case .string(_, let text, _) = n { return .string(text, type) }
            throw error("expected string; found \(n)")
        case .interface:
            return try literal(n)
        case .structure where type == .reflectValue:
            return try literal(n)
        default:
            throw error("can't handle \(n) for arg of type \(type.name)")
        }
    }

    /// A literal where any type goes (Go's `evalEmptyInterface` for literals).
    private func literal(_ n: ArgumentNode) throws(ExecFailure) -> TemplateValue {
        switch n {
        case .bool(let b, _): .bool(b)
        case .number(let literal, _): try idealConstant(literal)
        case .string(_, let text, _): .text(text)
        default: .invalid
        }
    }
}
