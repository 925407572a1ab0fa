// Evaluating pipelines, commands, variables and field chains (Go's `evalPipeline`,
// `evalCommand`, `evalFieldChain`, `evalField`).

import MetricModel

extension TemplateExecutor {
    /// Go's `evalPipeline`: each command's value is the next one's final argument; declared
    /// variables are pushed (or, for `=`, assigned).
    mutating func evalPipeline(_ dot: TemplateValue, _ pipe: PipeNode?) throws(ExecFailure) -> TemplateValue {
        guard let pipe else { return .invalid }
        at(.pipe(pipe))
        var value: TemplateValue? = nil
        for command in pipe.commands {
            try step()
            value = try evalCommand(dot, command, final: value)
        }
        let result = value ?? .invalid
        for declaration in pipe.declarations {
            if pipe.isAssign { try setVariable(declaration.name, result) } else { push(declaration.name, result) }
        }
        return result
    }

    private func notAFunction(_ arguments: [ArgumentNode], _ final: TemplateValue?) throws(ExecFailure) {
        if arguments.count > 1 || final != nil {
            throw error("can't give argument to non-function \(arguments[0])")
        }
    }

    private mutating func evalCommand(_ dot: TemplateValue, _ command: CommandNode, final: TemplateValue?) throws(ExecFailure) -> TemplateValue {
        let first = command.arguments[0]
        switch first {
        case .field(let names, _):
            at(.argument(first))
            return try evalFieldChain(dot, dot, names, callNode: .argument(first), arguments: command.arguments, final: final)
        case .chain:
            return try evalChain(dot, first, arguments: command.arguments, final: final)
        case .identifier(let name, _):
            return try evalFunction(dot, name, first, call: .command(command), arguments: command.arguments, final: final)
        case .pipe(let pipe):
            try notAFunction(command.arguments, final)
            return try nested { (s: inout TemplateExecutor) throws(ExecFailure) in try s.evalPipeline(dot, pipe) }
        case .variable:
            return try evalVariable(dot, first, arguments: command.arguments, final: final)
        default:
            break
        }
        at(.argument(first))
        try notAFunction(command.arguments, final)
        switch first {
        case .bool(let b, _): return .bool(b)
        case .dot: return dot
        case .nilLiteral: throw error("nil is not a command")
        case .number(let n, _): return try idealConstant(n)
        case .string(_, let text, _): return .text(text)
        default: throw error("can't evaluate command \(goQuote(first.description))")
        }
    }

    /// Go's `idealConstant`: a number literal where no type is expected takes the type its
    /// syntax suggests (int unless it has a point or exponent).
    func idealConstant(_ n: NumberLiteral) throws(ExecFailure) -> TemplateValue {
        if let (re, im) = n.complex { return .complex(re, im) }
        let lower = n.text.lowercased()
        let isHexInt = lower.hasPrefix("0x") && !lower.contains("p")
        let isRune = n.text.hasPrefix("'")
        if let f = n.float, !isHexInt, !isRune, n.text.contains(where: { ".eEpP".contains($0) }) { return .float(f) }
        if let i = n.int { return .int(i, .int) }
        if n.uint != nil { throw error("\(n.text) overflows int") }
        return .invalid
    }

    mutating func evalChain(_ dot: TemplateValue, _ chain: ArgumentNode, arguments: [ArgumentNode]?, final: TemplateValue?) throws(ExecFailure) -> TemplateValue {
        guard case .chain(let head, let fields, _) = chain else { return .invalid }
        at(.argument(chain))
        if case .nilLiteral = head { throw error("indirection through explicit nil in \(chain)") }
        let receiver = try evalArgument(dot, nil, head)
        return try evalFieldChain(dot, receiver, fields, callNode: .argument(chain), arguments: arguments, final: final)
    }

    mutating func evalVariable(_ dot: TemplateValue, _ variable: ArgumentNode, arguments: [ArgumentNode]?, final: TemplateValue?) throws(ExecFailure) -> TemplateValue {
        guard case .variable(let names, _) = variable else { return .invalid }
        at(.argument(variable))
        let value = try self.variable(names[0])
        if names.count == 1 {
            try notAFunction(arguments ?? [variable], final)
            return value
        }
        return try evalFieldChain(
            dot, value, Array(names.dropFirst()), callNode: .argument(variable), arguments: arguments, final: final)
    }

    /// `.X.Y.Z` on `receiver`; only the last element gets the arguments.
    mutating func evalFieldChain(
        _ dot: TemplateValue, _ receiver: TemplateValue, _ names: [String], callNode: TemplateNodeReference,
        arguments: [ArgumentNode]?, final: TemplateValue?
    ) throws(ExecFailure) -> TemplateValue {
        var receiver = receiver
        for name in names.dropLast() {
            receiver = try evalField(dot, name, receiver, callNode: callNode, arguments: nil, final: nil)
        }
        return try evalField(dot, names[names.count - 1], receiver, callNode: callNode, arguments: arguments, final: final)
    }

    /// Go's `evalField`: a method, a struct field or a map key of `receiver`.
    private mutating func evalField(
        _ dot: TemplateValue, _ name: String, _ receiver: TemplateValue, callNode: TemplateNodeReference,
        arguments: [ArgumentNode]?, final: TemplateValue?
    ) throws(ExecFailure) -> TemplateValue {
        // Nothing to look into: with missingkey=zero, nothing comes out.
        guard let type = receiver.type else { return .invalid }
        let (value, isNil) = receiver.indirect
        if let method = TemplateMethods.method(name, of: value) {
            return try evalCall(dot, method, name: name, call: callNode, arguments: arguments, final: final)
        }
        let hasArguments = (arguments?.count ?? 0) > 1 || final != nil
        switch value {
        case .sample, .alertData:
            if let field = Self.structField(name, of: value) {
                if hasArguments { throw error("\(name) has arguments but cannot be invoked as function") }
                return field
            }
        case .map(let entries, let element):
            if hasArguments { throw error("\(name) is not a method but has arguments") }
            return entries[name] ?? .zero(element)
        case .pointer(_, let target) where isNil:
            if Self.structField(name, of: .zero(target)) != nil {
                throw error("nil pointer evaluating \(type.name).\(name)")
            }
        default:
            break
        }
        throw error("can't evaluate field \(name) in type \(type.name)")
    }

    private static func structField(_ name: String, of value: TemplateValue) -> TemplateValue? {
        switch (value, name) {
        case (.sample(let labels, _), "Labels"): .stringMap(labels)
        case (.sample(_, let v), "Value"): .float(v)
        case (.alertData(let d), "Labels"): .stringMap(d.labels)
        case (.alertData(let d), "ExternalLabels"): .stringMap(d.externalLabels)
        case (.alertData(let d), "ExternalURL"): .text(d.externalURL)
        case (.alertData(let d), "Value"): .float(d.value)
        default: nil
        }
    }
}
