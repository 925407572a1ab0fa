// Builds parse trees from tokens as Go's text/template/parse does: the top-level template and
// every `{{define}}` / `{{block}}` in the text, with Go's checks (functions must be defined,
// variables declared, `{{break}}` inside `{{range}}`) and its error texts, prefixed
// `template: <name>:<line>: `.

import MetricModel

/// The templates one text defines, by name, and the text they came from.
struct ParsedTemplates {
    /// The name of the top-level template, which also names the text in error locations.
    var name: String
    var text: String
    var trees: [String: [TemplateNode]]
}

/// A recursive-descent parser over the lexer's tokens.
struct TemplateParser {
    /// How deeply parentheses, control structures and definitions may nest. Go allows 10000
    /// nested parentheses; both parsing and execution recurse once per level (up to ~5 KiB of
    /// stack a level in debug builds), and a Swift task's stack may be as small as 512 KiB, so
    /// we stop far earlier: alert templates nest a handful of levels.
    static let maxNesting = 50

    let tokens: [TemplateToken]
    var index = 0
    var highWater = 0
    let name: String
    let functions: Set<String>
    var trees: [String: [TemplateNode]] = [:]
    // Per-tree state.
    var variables: [String] = ["$"]
    var rangeDepth = 0
    var actionLine = 0
    var nesting = 0

    private init(name: String, text: String, functions: Set<String>) {
        self.name = name
        self.functions = functions
        tokens = TemplateLexer.tokens(of: text)
    }

    /// Parses `text` as the template `name`; identifiers must name one of `functions`.
    ///
    /// - Throws: `ParseMessage` with Go's full text, e.g. `template: x:1: unexpected EOF`.
    static func parse(_ text: String, name: String, functions: Set<String>) throws(ParseMessage) -> ParsedTemplates {
        var parser = TemplateParser(name: name, text: text, functions: functions)
        let root = try parser.parseTopLevel()
        try parser.add(name: name, root: root)
        return ParsedTemplates(name: name, text: text, trees: parser.trees)
    }

    // MARK: Tokens

    mutating func next() -> TemplateToken {
        let token = tokens[min(index, tokens.count - 1)]
        highWater = max(highWater, min(index, tokens.count - 1))
        index += 1
        return token
    }

    mutating func backup(_ count: Int = 1) { index -= count }

    mutating func peek() -> TemplateToken {
        let token = next()
        backup()
        return token
    }

    mutating func nextNonSpace() -> TemplateToken {
        var token = next()
        while token.kind == .space { token = next() }
        return token
    }

    mutating func peekNonSpace() -> TemplateToken {
        let token = nextNonSpace()
        backup()
        return token
    }

    // MARK: Errors

    func error(_ message: String) -> ParseMessage {
        ParseMessage("template: \(name):\(tokens[highWater].line): \(message)")
    }

    func unexpected(_ token: TemplateToken, _ context: String) -> ParseMessage {
        guard token.kind == .error else { return error("unexpected \(token.quoted) in \(context)") }
        var extra = ""
        if actionLine != 0 && actionLine != token.line {
            extra = " in action started at \(name):\(actionLine)"
            if token.value.hasSuffix(" action") { extra = String(extra.dropFirst(" in action".count)) }
        }
        return error(token.quoted + extra)
    }

    private mutating func expect(_ kind: TemplateToken.Kind, _ context: String) throws(ParseMessage) -> TemplateToken {
        let token = nextNonSpace()
        guard token.kind == kind else { throw unexpected(token, context) }
        return token
    }

    // MARK: Templates

    /// What `textOrAction` found: a node, or the `{{end}}` / `{{else}}` that closes a list.
    private enum Item {
        case node(TemplateNode)
        case end(position: Int)
        case elseItem(position: Int)

        var description: String {
            switch self {
            case .node(let n): n.description
            case .end: "{{end}}"
            case .elseItem: "{{else}}"
            }
        }
    }

    private mutating func parseTopLevel() throws(ParseMessage) -> [TemplateNode] {
        var root: [TemplateNode] = []
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let mark = index
                _ = next()
                if nextNonSpace().kind == .define {
                    try inNewTree { (p: inout TemplateParser) throws(ParseMessage) in try p.parseDefinition() }
                    continue
                }
                index = mark
            }
            switch try textOrAction() {
            case .node(let n): root.append(n)
            case let other: throw error("unexpected \(other.description)")
            }
        }
        return root
    }

    /// Runs `body` with the variables and range depth of a fresh tree, as Go's nested
    /// `{{define}}` and `{{block}}` parsers start.
    private mutating func inNewTree(_ body: (inout TemplateParser) throws(ParseMessage) -> Void) throws(ParseMessage) {
        let saved = (variables, rangeDepth)
        variables = ["$"]
        rangeDepth = 0
        try nested { (p: inout TemplateParser) throws(ParseMessage) in try body(&p) }
        (variables, rangeDepth) = saved
    }

    mutating func nested<T>(
        _ message: String = "max nesting depth exceeded", _ body: (inout TemplateParser) throws(ParseMessage) -> T
    ) throws(ParseMessage) -> T {
        guard nesting < Self.maxNesting else { throw error(message) }
        nesting += 1
        defer { nesting -= 1 }
        return try body(&self)
    }

    private mutating func add(name treeName: String, root: [TemplateNode]) throws(ParseMessage) {
        if let existing = trees[treeName], !Self.isEmpty(existing) {
            if !Self.isEmpty(root) { throw error("template: multiple definition of template \(goQuote(treeName))") }
            return
        }
        trees[treeName] = root
    }

    /// Go's `IsEmptyTree`: only space.
    private static func isEmpty(_ nodes: [TemplateNode]) -> Bool {
        nodes.allSatisfy { node in
            guard case .text(let text, _) = node else { return false }
            return text.utf8.allSatisfy { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
        }
    }

    private mutating func parseDefinition() throws(ParseMessage) {
        let context = "define clause"
        let token = nextNonSpace()
        guard token.kind == .string || token.kind == .rawString else { throw unexpected(token, context) }
        guard let treeName = GoLiteral.unquote(token.value) else { throw error(GoLiteral.invalidSyntax) }
        _ = try expect(.rightDelim, context)
        let (list, end) = try itemList()
        guard case .end = end else { throw error("unexpected \(end.description) in \(context)") }
        try add(name: treeName, root: list)
    }

    /// Nodes up to an `{{end}}` or `{{else}}`, which is returned separately.
    private mutating func itemList() throws(ParseMessage) -> ([TemplateNode], Item) {
        var list: [TemplateNode] = []
        while peekNonSpace().kind != .eof {
            let item = try textOrAction()
            guard case .node(let n) = item else { return (list, item) }
            list.append(n)
        }
        throw error("unexpected EOF")
    }

    private mutating func textOrAction() throws(ParseMessage) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .text:
            return .node(.text(token.value, position: token.position))
        case .leftDelim:
            actionLine = token.line
            defer { actionLine = 0 }
            return try action()
        default:
            throw unexpected(token, "input")
        }
    }

    private mutating func action() throws(ParseMessage) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .block: return .node(try blockControl())
        case .breakKeyword, .continueKeyword:
            let next = nextNonSpace()
            let keyword = token.kind == .breakKeyword ? "{{break}}" : "{{continue}}"
            guard next.kind == .rightDelim else { throw unexpected(next, keyword) }
            guard rangeDepth > 0 else { throw error("\(keyword) outside {{range}}") }
            return .node(token.kind == .breakKeyword ? .breakNode(position: token.position) : .continueNode(position: token.position))
        case .elseKeyword:
            let peeked = peekNonSpace()
            if peeked.kind == .ifKeyword || peeked.kind == .with { return .elseItem(position: peeked.position) }
            return .elseItem(position: try expect(.rightDelim, "else").position)
        case .end:
            return .end(position: try expect(.rightDelim, "end").position)
        case .ifKeyword: return .node(.ifNode(try parseControl("if")))
        case .range: return .node(.range(try parseControl("range")))
        case .with: return .node(.with(try parseControl("with")))
        case .template: return .node(try templateControl())
        default:
            backup()
            let position = peek().position
            // Variables declared here stay until the enclosing {{end}}.
            return .node(.action(try pipeline("command", end: .rightDelim), position: position))
        }
    }

    private mutating func parseControl(_ context: String) throws(ParseMessage) -> BranchNode {
        try nested { (p: inout TemplateParser) throws(ParseMessage) in
            let mark = p.variables.count
            defer { p.variables.removeSubrange(mark...) }
            let pipe = try p.pipeline(context, end: .rightDelim)
            if context == "range" { p.rangeDepth += 1 }
            let (list, next) = try p.itemList()
            if context == "range" { p.rangeDepth -= 1 }
            var elseList: [TemplateNode]? = nil
            if case .elseItem = next {
                // `{{else if …}}` / `{{else with …}}`: an if/with inside the else, whose {{end}}
                // also closes this one.
                if context == "if" && p.peek().kind == .ifKeyword {
                    _ = p.next()
                    elseList = [.ifNode(try p.parseControl("if"))]
                } else if context == "with" && p.peek().kind == .with {
                    _ = p.next()
                    elseList = [.with(try p.parseControl("with"))]
                } else {
                    let (list, end) = try p.itemList()
                    guard case .end = end else { throw p.error("expected end; found \(end.description)") }
                    elseList = list
                }
            }
            return BranchNode(position: pipe.position, pipe: pipe, list: list, elseList: elseList)
        }
    }

    private mutating func templateName(_ token: TemplateToken, _ context: String) throws(ParseMessage) -> String {
        guard token.kind == .string || token.kind == .rawString else { throw unexpected(token, context) }
        guard let name = GoLiteral.unquote(token.value) else { throw error(GoLiteral.invalidSyntax) }
        return name
    }

    private mutating func blockControl() throws(ParseMessage) -> TemplateNode {
        let context = "block clause"
        let token = nextNonSpace()
        let blockName = try templateName(token, context)
        let pipe = try pipeline(context, end: .rightDelim)
        try inNewTree { (p: inout TemplateParser) throws(ParseMessage) in
            let (list, end) = try p.itemList()
            guard case .end = end else { throw p.error("unexpected \(end.description) in \(context)") }
            try p.add(name: blockName, root: list)
        }
        return .template(name: blockName, pipe: pipe, position: token.position)
    }

    private mutating func templateControl() throws(ParseMessage) -> TemplateNode {
        let context = "template clause"
        let token = nextNonSpace()
        let templateName = try templateName(token, context)
        var pipe: PipeNode? = nil
        if nextNonSpace().kind != .rightDelim {
            backup()
            pipe = try pipeline(context, end: .rightDelim)
        }
        return .template(name: templateName, pipe: pipe, position: token.position)
    }
}
