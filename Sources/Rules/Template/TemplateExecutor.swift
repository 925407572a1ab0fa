// Runs a parsed template against data, as Go's text/template `exec.go` does: walks text,
// actions, if/with/range (with break and continue) and template calls, keeps the variable
// stack, and words failures `template: <name>:<line>:<col>: executing "<tmpl>" at <node>: …`.
// Templates run under Prometheus's option `missingkey=zero`.

import MetricModel

/// A failed execution, with Go's full message.
struct ExecFailure: Error {
    var message: String
}

/// One execution of a set of parsed templates.
struct TemplateExecutor {
    /// How deeply `{{template}}` calls, control structures and parenthesized pipelines may nest
    /// while executing, together. Go allows 100000 template calls; every level recurses through
    /// the walker (up to ~5 KiB of stack in debug builds) and a Swift task's stack may be as
    /// small as 512 KiB, so we stop where only accidental recursion gets.
    static let maxNesting = 50
    /// The most output one execution may write, so that `{{range 1000000000}}` cannot exhaust
    /// memory. Go has no such limit.
    static let maxOutputBytes = 16 << 20
    /// The most nodes, commands and loop iterations one execution may evaluate.
    static let maxSteps = 10_000_000

    let templates: ParsedTemplates
    let functions: [String: TemplateFunction]
    private let textBytes: [UInt8]
    var output = ""
    private var outputBytes = 0
    private var steps = 0
    var variables: [(name: String, value: TemplateValue)] = []
    /// The template being executed, which errors name.
    var templateName: String
    /// The node being evaluated, which errors point at.
    var node: TemplateNodeReference?
    /// Current nesting, against `maxNesting`.
    private var depth = 0

    init(templates: ParsedTemplates, functions: [String: TemplateFunction]) {
        self.templates = templates
        self.functions = functions
        textBytes = Array(templates.text.utf8)
        templateName = templates.name
    }

    /// What a body left for its loop to do.
    enum Flow {
        case normal, breakLoop, continueLoop
    }

    /// Executes the top-level template with `data` as dot and `$`.
    mutating func execute(_ data: TemplateValue) throws(ExecFailure) -> String {
        variables = [("$", data)]
        guard let root = templates.trees[templates.name] else {
            throw error("\(goQuote(templates.name)) is an incomplete or empty template")
        }
        _ = try walk(data, root)
        return output
    }

    // MARK: Errors

    /// Go's `state.errorf`: the message with the template, position and node it happened at.
    func error(_ message: String) -> ExecFailure {
        guard let node else { return ExecFailure(message: "template: \(templateName): \(message)") }
        let position = min(node.position, textBytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<position where textBytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        let column = line == 1 ? position : position - lineStart
        return ExecFailure(
            message: "template: \(templates.name):\(line):\(column): executing \(goQuote(templateName)) at <\(node.description)>: \(message)"
        )
    }

    mutating func at(_ reference: TemplateNodeReference) {
        node = reference
    }

    /// Counts work against `maxSteps`.
    mutating func step() throws(ExecFailure) {
        steps += 1
        if steps > Self.maxSteps { throw error("template execution exceeds \(Self.maxSteps) steps") }
    }

    private mutating func write(_ text: String) throws(ExecFailure) {
        outputBytes += text.utf8.count
        if outputBytes > Self.maxOutputBytes { throw error("template output exceeds \(Self.maxOutputBytes) bytes") }
        output += text
    }

    // MARK: Variables

    mutating func push(_ name: String, _ value: TemplateValue) {
        variables.append((name, value))
    }

    mutating func setVariable(_ name: String, _ value: TemplateValue) throws(ExecFailure) {
        guard let i = variables.lastIndex(where: { $0.name == name }) else { throw error("undefined variable: \(name)") }
        variables[i].value = value
    }

    func variable(_ name: String) throws(ExecFailure) -> TemplateValue {
        guard let v = variables.last(where: { $0.name == name }) else { throw error("undefined variable: \(name)") }
        return v.value
    }

    // MARK: Walking

    mutating func walk(_ dot: TemplateValue, _ nodes: [TemplateNode]) throws(ExecFailure) -> Flow {
        for n in nodes {
            let flow = try walk(dot, n)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private mutating func walk(_ dot: TemplateValue, _ n: TemplateNode) throws(ExecFailure) -> Flow {
        at(.node(n))
        try step()
        switch n {
        case .text(let text, _):
            try write(text)
        case .action(let pipe, _):
            // Variables declared here live until the enclosing {{end}}; a declaration prints nothing.
            let value = try evalPipeline(dot, pipe)
            if pipe.declarations.isEmpty {
                at(.node(n))
                try write(Self.printable(value))
            }
        case .ifNode(let b):
            return try walkIfOrWith(dot, b, setsDot: false)
        case .with(let b):
            return try walkIfOrWith(dot, b, setsDot: true)
        case .range(let b):
            try nested { (s: inout TemplateExecutor) throws(ExecFailure) in try s.walkRange(dot, b, n) }
        case .template(let name, let pipe, _):
            try walkTemplate(dot, name: name, pipe: pipe)
        case .breakNode:
            return .breakLoop
        case .continueNode:
            return .continueLoop
        }
        return .normal
    }

    /// Go's `printValue`: pointers are followed, no value prints as "<no value>".
    static func printable(_ value: TemplateValue) -> String {
        let (v, isNil) = value.indirect
        if isNil { return "<nil>" }
        guard v.isValid else { return "<no value>" }
        return GoFormat.sprint([v])
    }

    /// Runs `body` one nesting level deeper; `message` words the failure past `maxNesting`.
    mutating func nested<T>(
        _ message: String = "exceeded maximum nesting depth", _ body: (inout TemplateExecutor) throws(ExecFailure) -> T
    ) throws(ExecFailure) -> T {
        guard depth < Self.maxNesting else { throw error("\(message) (\(Self.maxNesting))") }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
    }

    private mutating func walkIfOrWith(_ dot: TemplateValue, _ b: BranchNode, setsDot: Bool) throws(ExecFailure) -> Flow {
        try nested { (s: inout TemplateExecutor) throws(ExecFailure) in try s.walkIfOrWithBody(dot, b, setsDot: setsDot) }
    }

    private mutating func walkIfOrWithBody(_ dot: TemplateValue, _ b: BranchNode, setsDot: Bool) throws(ExecFailure) -> Flow {
        let mark = variables.count
        defer { variables.removeSubrange(mark...) }
        let value = try evalPipeline(dot, b.pipe)
        if value.truth { return try walk(setsDot ? value : dot, b.list) }
        if let elseList = b.elseList { return try walk(dot, elseList) }
        return .normal
    }

    private mutating func walkRange(_ dot: TemplateValue, _ b: BranchNode, _ n: TemplateNode) throws(ExecFailure) {
        at(.node(n))
        let outer = variables.count
        defer { variables.removeSubrange(outer...) }
        let value = try evalPipeline(dot, b.pipe).indirect.value
        let mark = variables.count
        let declarations = b.pipe.declarations
        // One pass of the body; false when {{break}} ends the loop.
        func iteration(_ s: inout TemplateExecutor, index: TemplateValue, element: TemplateValue) throws(ExecFailure) -> Bool {
            try s.step()
            if let first = declarations.first {
                if b.pipe.isAssign {
                    try s.setVariable(first.name, declarations.count > 1 ? index : element)
                } else {
                    s.variables[s.variables.count - 1].value = element
                }
            }
            if declarations.count > 1 {
                if b.pipe.isAssign {
                    try s.setVariable(declarations[1].name, element)
                } else {
                    s.variables[s.variables.count - 2].value = index
                }
            }
            defer { s.variables.removeSubrange(mark...) }
            return try s.walk(element, b.list) != .breakLoop
        }
        var ran = false
        switch value {
        case .int, .uint:
            if declarations.count > 1 {
                throw error("can't use \(GoFormat.sprint([value])) to iterate over more than one variable")
            }
            let count: UInt64 =
                switch value {
                case .int(let i, _): i > 0 ? UInt64(i) : 0
                case .uint(let u, _): u
                default: 0
                }
            var i: UInt64 = 0
            while i < count {
                ran = true
                let element: TemplateValue =
                    if case .int(_, let t) = value { .int(Int64(i), t) } else { .uint(i, value.type ?? .uint) }
                if try !iteration(&self, index: .invalid, element: element) { break }
                i += 1
            }
        case .slice(let elements, _):
            for (i, element) in elements.enumerated() {
                ran = true
                if try !iteration(&self, index: .integer(i), element: element) { break }
            }
        case .map(let entries, _):
            for key in entries.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                ran = true
                if try !iteration(&self, index: .text(key), element: entries[key]!) { break }
            }
        case .invalid:
            break
        default:
            throw error("range can't iterate over \(GoFormat.sprint([value]))")
        }
        if !ran, let elseList = b.elseList { _ = try walk(dot, elseList) }
    }

    private mutating func walkTemplate(_ dot: TemplateValue, name: String, pipe: PipeNode?) throws(ExecFailure) {
        guard let root = templates.trees[name] else { throw error("template \(goQuote(name)) not defined") }
        try nested("exceeded maximum template depth") { (s: inout TemplateExecutor) throws(ExecFailure) in
            // Variables the pipeline declares stay in the caller.
            let newDot = try s.evalPipeline(dot, pipe)
            let saved = (s.variables, s.templateName)
            s.variables = [("$", newDot)]
            s.templateName = name
            defer { (s.variables, s.templateName) = saved }
            _ = try s.walk(newDot, root)
        }
    }
}
