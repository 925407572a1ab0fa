// The parse tree of a template (Go's text/template/parse nodes). Every node knows its byte
// offset, which execution errors turn into `name:line:column`, and prints itself as Go's
// `Node.String()` does, which those errors quote: `at <humanize "one">`.

import MetricModel

/// A number literal with every Go type that can hold it (Go's `NumberNode`).
struct NumberLiteral {
    var text: String
    var int: Int64?
    var uint: UInt64?
    var float: Double?
    var complex: (real: Double, imaginary: Double)?
}

/// A pipeline: optional variable declarations, then commands joined by `|`.
struct PipeNode {
    var position: Int
    var isAssign = false
    var declarations: [VariableName] = []
    var commands: [CommandNode] = []

    /// A declared variable and where it is written.
    struct VariableName {
        var name: String
        var position: Int
    }
}

/// One command of a pipeline: operands separated by spaces.
struct CommandNode {
    var position: Int
    var arguments: [ArgumentNode] = []
}

/// An operand of a command.
indirect enum ArgumentNode {
    case identifier(String, position: Int)
    /// `$x.Field.Other`: the variable, then field names.
    case variable([String], position: Int)
    case dot(position: Int)
    case nilLiteral(position: Int)
    /// `.Field.Other`.
    case field([String], position: Int)
    /// `(pipeline).Field` or `$x.Method.Field` after a non-variable term.
    case chain(ArgumentNode, [String], position: Int)
    case bool(Bool, position: Int)
    case number(NumberLiteral, position: Int)
    case string(quoted: String, text: String, position: Int)
    case pipe(PipeNode)

    var position: Int {
        switch self {
        case .identifier(_, let p), .variable(_, let p), .dot(let p), .nilLiteral(let p), .field(_, let p),
            .chain(_, _, let p), .bool(_, let p), .number(_, let p), .string(_, _, let p):
            p
        case .pipe(let pipe): pipe.position
        }
    }
}

/// A `{{if}}`, `{{range}}` or `{{with}}` and its lists.
struct BranchNode {
    var position: Int
    var pipe: PipeNode
    var list: [TemplateNode]
    var elseList: [TemplateNode]?
}

/// A node of a template's body.
indirect enum TemplateNode {
    case text(String, position: Int)
    case action(PipeNode, position: Int)
    case ifNode(BranchNode)
    case range(BranchNode)
    case with(BranchNode)
    case template(name: String, pipe: PipeNode?, position: Int)
    case breakNode(position: Int)
    case continueNode(position: Int)
}

/// Any node, for error contexts: execution errors name the node being evaluated.
enum TemplateNodeReference {
    case node(TemplateNode)
    case pipe(PipeNode)
    case command(CommandNode)
    case argument(ArgumentNode)

    var position: Int {
        switch self {
        case .node(let n): n.position
        case .pipe(let p): p.position
        case .command(let c): c.position
        case .argument(let a): a.position
        }
    }

    var description: String {
        switch self {
        case .node(let n): n.description
        case .pipe(let p): p.description
        case .command(let c): c.description
        case .argument(let a): a.description
        }
    }
}

extension TemplateNode: CustomStringConvertible {
    var position: Int {
        switch self {
        case .text(_, let p), .action(_, let p), .template(_, _, let p), .breakNode(let p), .continueNode(let p): p
        case .ifNode(let b), .range(let b), .with(let b): b.position
        }
    }

    var description: String {
        switch self {
        case .text(let text, _): return text
        case .action(let pipe, _): return "{{\(pipe)}}"
        case .ifNode(let b): return Self.branch("if", b)
        case .range(let b): return Self.branch("range", b)
        case .with(let b): return Self.branch("with", b)
        case .template(let name, let pipe, _):
            return "{{template \(goQuote(name))" + (pipe.map { " \($0)" } ?? "") + "}}"
        case .breakNode: return "{{break}}"
        case .continueNode: return "{{continue}}"
        }
    }

    private static func branch(_ keyword: String, _ b: BranchNode) -> String {
        var out = "{{\(keyword) \(b.pipe)}}" + b.list.map(\.description).joined()
        if let elseList = b.elseList { out += "{{else}}" + elseList.map(\.description).joined() }
        return out + "{{end}}"
    }
}

extension PipeNode: CustomStringConvertible {
    var description: String {
        var out = ""
        if !declarations.isEmpty {
            out = declarations.map(\.name).joined(separator: ", ") + (isAssign ? " = " : " := ")
        }
        return out + commands.map(\.description).joined(separator: " | ")
    }
}

extension CommandNode: CustomStringConvertible {
    var description: String {
        arguments.map { argument in
            if case .pipe(let pipe) = argument { return "(\(pipe))" }
            return argument.description
        }.joined(separator: " ")
    }
}

extension ArgumentNode: CustomStringConvertible {
    var description: String {
        switch self {
        case .identifier(let name, _): return name
        case .variable(let names, _): return names.joined(separator: ".")
        case .dot: return "."
        case .nilLiteral: return "nil"
        case .field(let names, _): return names.map { "." + $0 }.joined()
        case .chain(let node, let fields, _):
            let head = if case .pipe(let pipe) = node { "(\(pipe))" } else { node.description }
            return head + fields.map { "." + $0 }.joined()
        case .bool(let b, _): return b ? "true" : "false"
        case .number(let n, _): return n.text
        case .string(let quoted, _, _): return quoted
        case .pipe(let pipe): return pipe.description
        }
    }
}
