// Pipelines, commands and operands (Go's parse.go `pipeline`, `command`, `operand`, `term`).

import MetricModel

extension TemplateParser {
    /// Go limits a pipeline to this many commands.
    static let maxPipelineCommands = 100_000

    /// `declarations? command ('|' command)*` up to `end`.
    mutating func pipeline(_ context: String, end: TemplateToken.Kind) throws(ParseMessage) -> PipeNode {
        var pipe = PipeNode(position: peekNonSpace().position)
        try declarations(of: &pipe, context)
        while true {
            let token = nextNonSpace()
            switch token.kind {
            case end:
                try check(pipe, context)
                return pipe
            case .bool, .charConstant, .complex, .dot, .field, .identifier, .number, .nilKeyword, .rawString,
                .string, .variable, .leftParen:
                backup()
                pipe.commands.append(try command())
                if pipe.commands.count > Self.maxPipelineCommands { throw error("pipeline too long") }
            default:
                throw unexpected(token, context)
            }
        }
    }

    /// `$x :=`, `$x =` and, for range, `$i, $e :=`.
    private mutating func declarations(of pipe: inout PipeNode, _ context: String) throws(ParseMessage) {
        while true {
            let mark = index
            let variable = peekNonSpace()
            guard variable.kind == .variable else { return }
            _ = nextNonSpace()
            let afterVariable = peek()
            let next = peekNonSpace()
            let declared = PipeNode.VariableName(name: variable.value, position: variable.position)
            switch next.kind {
            case .assign, .declare:
                pipe.isAssign = next.kind == .assign
                _ = nextNonSpace()
                pipe.declarations.append(declared)
                variables.append(variable.value)
                return
            case .char where next.value == ",":
                _ = nextNonSpace()
                pipe.declarations.append(declared)
                variables.append(variable.value)
                if context == "range" && pipe.declarations.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen: continue
                    default: throw error("range can only initialize variables")
                    }
                }
                throw error("too many declarations in \(context)")
            default:
                _ = afterVariable
                index = mark
                return
            }
        }
    }

    private func check(_ pipe: PipeNode, _ context: String) throws(ParseMessage) {
        if pipe.commands.isEmpty { throw error("missing value for \(context)") }
        for (i, command) in pipe.commands.enumerated().dropFirst() {
            switch command.arguments[0] {
            case .bool, .dot, .nilLiteral, .number, .string:
                throw error("non executable command in pipeline stage \(i + 1)")
            default: continue
            }
        }
    }

    /// Operands separated by spaces, up to `|` (consumed) or a closing delimiter (left).
    private mutating func command() throws(ParseMessage) -> CommandNode {
        var command = CommandNode(position: peekNonSpace().position)
        loop: while true {
            _ = peekNonSpace()
            if let operand = try operand() { command.arguments.append(operand) }
            let token = next()
            switch token.kind {
            case .space: continue loop
            case .rightDelim, .rightParen: backup()
            case .pipe: break
            default: throw unexpected(token, "operand")
            }
            break loop
        }
        if command.arguments.isEmpty { throw error("empty command") }
        return command
    }

    /// A term and the fields that follow it; nil when the next token is not an operand.
    private mutating func operand() throws(ParseMessage) -> ArgumentNode? {
        guard let term = try term() else { return nil }
        guard peek().kind == .field else { return term }
        let position = peek().position
        var fields: [String] = []
        while peek().kind == .field { fields.append(String(next().value.dropFirst())) }
        switch term {
        case .field(let names, _): return .field(names + fields, position: position)
        case .variable(let names, _): return .variable(names + fields, position: position)
        case .bool, .string, .number, .nilLiteral, .dot:
            throw error("unexpected . after term \(goQuote(term.description))")
        default: return .chain(term, fields, position: position)
        }
    }

    private mutating func term() throws(ParseMessage) -> ArgumentNode? {
        let token = nextNonSpace()
        switch token.kind {
        case .identifier:
            guard functions.contains(token.value) else { throw error("function \(goQuote(token.value)) not defined") }
            return .identifier(token.value, position: token.position)
        case .dot: return .dot(position: token.position)
        case .nilKeyword: return .nilLiteral(position: token.position)
        case .variable:
            guard variables.contains(token.value) else { throw error("undefined variable \(goQuote(token.value))") }
            return .variable([token.value], position: token.position)
        case .field:
            return .field(token.value.split(separator: ".").map(String.init), position: token.position)
        case .bool: return .bool(token.value == "true", position: token.position)
        case .charConstant, .complex, .number:
            do {
                return .number(try Self.number(token), position: token.position)
            } catch {
                throw self.error(error.text)
            }
        case .leftParen:
            return .pipe(try nested("max expression depth exceeded") { (p: inout TemplateParser) throws(ParseMessage) in
                try p.pipeline("parenthesized pipeline", end: .rightParen)
            })
        case .string, .rawString:
            guard let text = GoLiteral.unquote(token.value) else { throw error(GoLiteral.invalidSyntax) }
            return .string(quoted: token.value, text: text, position: token.position)
        default:
            backup()
            return nil
        }
    }
}

extension TemplateParser {
    /// Go's `newNumber`: the literal under every type that can hold it.
    static func number(_ token: TemplateToken) throws(ParseMessage) -> NumberLiteral {
        let text = token.value
        var n = NumberLiteral(text: text)
        switch token.kind {
        case .charConstant:
            let code = try GoLiteral.unquoteChar(text).get()
            n.int = Int64(code)
            n.uint = UInt64(code)
            n.float = Double(code)
            return n
        case .complex:
            guard let (re, im) = complexParts(text) else { throw ParseMessage("illegal number syntax: \(goQuote(text))") }
            n.complex = (re, im)
            simplifyComplex(&n)
            return n
        default:
            break
        }
        if text.hasSuffix("i"), let f = GoLiteral.parseFloat(String(text.dropLast())) {
            n.complex = (0, f)
            simplifyComplex(&n)
            return n
        }
        let u = GoLiteral.parseUnsigned(text)
        n.uint = u
        if let i = GoLiteral.parseSigned(text) {
            n.int = i
            if i == 0 { n.uint = u ?? 0 }
        }
        if let i = n.int {
            n.float = Double(i)
        } else if let u = n.uint {
            n.float = Double(u)
        } else if let f = GoLiteral.parseFloat(text) {
            // Integer-looking but not an int or uint: too big.
            if !text.contains(where: { ".eEpP".contains($0) }) { throw ParseMessage("integer overflow: \(goQuote(text))") }
            n.float = f
            if let i = Int64(exactly: f) { n.int = i }
            if let u = UInt64(exactly: f) { n.uint = u }
        }
        if n.int == nil && n.uint == nil && n.float == nil { throw ParseMessage("illegal number syntax: \(goQuote(text))") }
        return n
    }

    /// "1+2i" split into its real and imaginary parts.
    private static func complexParts(_ text: String) -> (Double, Double)? {
        let bytes = Array(text.utf8)
        guard bytes.last == UInt8(ascii: "i") else { return nil }
        var split: Int? = nil
        for i in 1..<bytes.count where bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            let previous = bytes[i - 1] | 0x20
            let partIsHex = String(decoding: bytes[(split ?? 0)..<i], as: UTF8.self).lowercased().contains("0x")
            if previous == UInt8(ascii: "p") || (previous == UInt8(ascii: "e") && !partIsHex) { continue }
            split = i
        }
        guard let split else { return nil }
        let realText = String(decoding: bytes[..<split], as: UTF8.self)
        let imaginaryText = String(decoding: bytes[split..<(bytes.count - 1)], as: UTF8.self)
        guard let re = GoLiteral.parseFloat(realText), let im = GoLiteral.parseFloat(imaginaryText) else { return nil }
        return (re, im)
    }

    private static func simplifyComplex(_ n: inout NumberLiteral) {
        guard let (re, im) = n.complex, im == 0 else { return }
        n.float = re
        n.int = Int64(exactly: re)
        n.uint = UInt64(exactly: re)
    }
}
