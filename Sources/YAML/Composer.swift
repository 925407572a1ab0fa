// Composing the first document of a YAML text into a `Node` tree: go-yaml v2's parser
// (parserc.go, libyaml's grammar) and its node composer (decode.go's `parser`) in one recursive
// descent, asking the scanner for tokens in the order go-yaml does so errors come out the same.

/// Composes YAML text the way go-yaml v2 (`yaml.Unmarshal`, as Prometheus reads its config)
/// accepts it.
///
/// Only the first document is read; what follows it is not looked at. Aliases compose to the
/// node their anchor names. Hostile input fails cleanly: nesting is bounded by `maxDepth`, and
/// alias expansion by go-yaml's "excessive aliasing" ratio.
///
/// ```swift
/// let root = try Composer.compose("scrape_configs:\n  - job_name: node\n")
/// // .mapping([scrape_configs: .sequence([.mapping([job_name: node])])])
/// ```
package struct Composer {
    /// How deeply collections may nest. go-yaml allows 10,000; recursion that deep would
    /// overflow a Swift thread's stack, and no config needs more than a few dozen.
    package static let maxDepth = 512

    private var scanner: Scanner
    private var tagDirectives: [(handle: [UInt8], prefix: [UInt8])] = []
    /// Anchored nodes by name, with their size counting alias expansions.
    private var anchors: [[UInt8]: (node: Node, size: Int)] = [:]
    private var anchorsInProgress: [[UInt8]] = []
    private var depth = 0
    /// go-yaml's decoder counts: nodes visited, and those of them reached through an alias.
    private var decodeCount = 1
    private var aliasCount = 0

    private init(checkedBytes: [UInt8]) {
        scanner = Scanner(checkedBytes: checkedBytes)
    }

    /// The first document of `text`; nil when there is none (empty, or only comments).
    ///
    /// - Throws: `YAMLError` worded as go-yaml v2's errors.
    /// - Complexity: O(n) in the text's length, plus the size of what aliases copy.
    package static func compose(_ text: String) throws(YAMLError) -> Node? {
        try compose(bytes: text.utf8)
    }

    /// The first document of UTF-8 `bytes`; invalid UTF-8 is go-yaml's reader error.
    package static func compose(bytes: some Collection<UInt8>) throws(YAMLError) -> Node? {
        var composer = Composer(checkedBytes: try Reader.checkedBytes(bytes))
        return try composer.document()
    }

    // MARK: - Stream and document

    private mutating func document() throws(YAMLError) -> Node? {
        let first = try scanner.peek()
        guard first.kind == .streamStart else { throw .parser("did not find expected <stream-start>", at: first.start) }
        scanner.skipToken()

        var token = try scanner.peek()
        let root: (node: Node, size: Int)
        switch token.kind {
        case .versionDirective, .tagDirective, .documentStart:
            try processDirectives()
            token = try scanner.peek()
            guard token.kind == .documentStart else {
                throw .parser("did not find expected <document start>", at: token.start)
            }
            scanner.skipToken()
            token = try scanner.peek()
            switch token.kind {
            case .versionDirective, .tagDirective, .documentStart, .documentEnd, .streamEnd:
                root = empty(at: token.start)
            default:
                root = try node(block: true, indentless: false)
            }
        case .streamEnd:
            return nil
        default:
            try processDirectives()
            root = try node(block: true, indentless: false)
        }
        // go-yaml reads the document's end, which may scan (and fail on) what follows.
        _ = try scanner.peek()
        return root.node
    }

    private mutating func processDirectives() throws(YAMLError) {
        var sawVersion = false
        var token = try scanner.peek()
        while token.kind == .versionDirective || token.kind == .tagDirective {
            if token.kind == .versionDirective {
                if sawVersion { throw .parser("found duplicate %YAML directive", at: token.start) }
                if token.major != 1 || token.minor != 1 { throw .parser("found incompatible YAML document", at: token.start) }
                sawVersion = true
            } else {
                if tagDirectives.contains(where: { $0.handle == token.value }) {
                    throw .parser("found duplicate %TAG directive", at: token.start)
                }
                tagDirectives.append((token.value, token.suffix))
            }
            scanner.skipToken()
            token = try scanner.peek()
        }
        for (handle, prefix) in [("!", "!"), ("!!", "tag:yaml.org,2002:")]
        where !tagDirectives.contains(where: { $0.handle == Array(handle.utf8) }) {
            tagDirectives.append((Array(handle.utf8), Array(prefix.utf8)))
        }
    }

    // MARK: - Nodes

    /// One node (libyaml's `parse_node`): an alias, or properties then content. `indentless`
    /// lets a block sequence start at its parent key's indentation (`key:\n- a`).
    private mutating func node(block: Bool, indentless: Bool) throws(YAMLError) -> (node: Node, size: Int) {
        var token = try scanner.peek()
        if token.kind == .alias {
            scanner.skipToken()
            return try alias(token)
        }

        let start = token.start
        var anchor: [UInt8]?
        var tagToken: Token?
        if token.kind == .anchor {
            anchor = token.value
            scanner.skipToken()
            token = try scanner.peek()
            if token.kind == .tag {
                tagToken = token
                scanner.skipToken()
                token = try scanner.peek()
            }
        } else if token.kind == .tag {
            tagToken = token
            scanner.skipToken()
            token = try scanner.peek()
            if token.kind == .anchor {
                anchor = token.value
                scanner.skipToken()
                token = try scanner.peek()
            }
        }
        let tag = try tagToken.map { (tagToken) throws(YAMLError) in try resolve(tagToken, nodeStart: start) }

        if let anchor { anchorsInProgress.append(anchor) }
        let composed: (node: Node, size: Int)
        switch token.kind {
        case .blockEntry where indentless:
            composed = try indentlessSequence(tag: tag, start: start)
        case .scalar:
            scanner.skipToken()
            let text = String(decoding: token.value, as: UTF8.self)
            composed = (.scalar(Node.Scalar(text, style: token.style, tag: tag, mark: start.mark)), 1)
        case .flowSequenceStart:
            composed = try flowSequence(tag: tag, start: start)
        case .flowMappingStart:
            composed = try flowMapping(tag: tag, start: start)
        case .blockSequenceStart where block:
            composed = try blockSequence(tag: tag, start: start)
        case .blockMappingStart where block:
            composed = try blockMapping(tag: tag, start: start)
        default:
            guard anchor != nil || tag != nil else {
                throw .parser("did not find expected node content", at: token.start, context: start)
            }
            composed = (.scalar(Node.Scalar("", style: .plain, tag: tag, mark: start.mark)), 1)
        }
        decodeCount = Self.saturatingAdd(decodeCount, 1)
        if let anchor {
            anchorsInProgress.removeLast()
            anchors[anchor] = composed
        }
        return composed
    }

    /// An empty plain scalar (a key or value left out).
    private mutating func empty(at position: Position) -> (node: Node, size: Int) {
        decodeCount = Self.saturatingAdd(decodeCount, 1)
        return (.scalar(Node.Scalar("", style: .plain, tag: nil, mark: position.mark)), 1)
    }

    /// The tag a tag token names, its handle replaced by the `%TAG` prefix.
    private func resolve(_ token: Token, nodeStart: Position) throws(YAMLError) -> String {
        if token.value.isEmpty { return String(decoding: token.suffix, as: UTF8.self) }
        guard let directive = tagDirectives.first(where: { $0.handle == token.value }) else {
            throw .parser("found undefined tag handle", at: token.start, context: nodeStart)
        }
        return String(decoding: directive.prefix + token.suffix, as: UTF8.self)
    }

    /// The node an alias names (go-yaml: "unknown anchor 'x' referenced"), counted toward
    /// go-yaml's limit on alias expansion.
    private mutating func alias(_ token: Token) throws(YAMLError) -> (node: Node, size: Int) {
        let name = String(decoding: token.value, as: UTF8.self)
        if anchorsInProgress.contains(token.value) {
            throw YAMLError(.composer, "anchor '\(name)' value contains itself")
        }
        guard let anchored = anchors[token.value] else {
            throw YAMLError(.composer, "unknown anchor '\(name)' referenced")
        }
        decodeCount = Self.saturatingAdd(decodeCount, Self.saturatingAdd(anchored.size, 1))
        aliasCount = Self.saturatingAdd(aliasCount, anchored.size)
        if aliasCount > 100 && decodeCount > 1000
            && Double(aliasCount) / Double(decodeCount) > Self.allowedAliasRatio(decodeCount) {
            throw YAMLError(.composer, "document contains excessive aliasing")
        }
        return (anchored.node, Self.saturatingAdd(anchored.size, 1))
    }

    /// go-yaml's `allowedAliasRatio`: 99% of decoded nodes may come from aliases in documents
    /// up to 400,000 nodes, falling to 10% at 4,000,000.
    private static func allowedAliasRatio(_ decodeCount: Int) -> Double {
        if decodeCount <= 400_000 { return 0.99 }
        if decodeCount >= 4_000_000 { return 0.10 }
        return 0.99 - 0.89 * (Double(decodeCount - 400_000) / 3_600_000)
    }

    static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }

    /// Enters a collection at its first token (skipped unless `skipping` is false), refusing
    /// nesting deeper than `maxDepth`; the caller leaves it with `depth -= 1`.
    private mutating func open(skipping: Bool = true) throws(YAMLError) -> Token {
        let first = try scanner.peek()
        depth += 1
        if depth > Self.maxDepth {
            throw YAMLError(.tooDeep, "exceeded max depth of \(Self.maxDepth)", line: first.start.line + 1)
        }
        if skipping { scanner.skipToken() }
        return first
    }

    /// The first token of a flow collection's next entry, after the `,` that must separate it
    /// from the one before; nil at the `]` or `}` that closes the collection (left unread).
    private mutating func nextFlowEntry(
        closing: Token.Kind, opening: Token, isFirst: inout Bool
    ) throws(YAMLError) -> Token? {
        var token = try scanner.peek()
        if token.kind == closing { return nil }
        if !isFirst {
            guard token.kind == .flowEntry else {
                let expected = closing == .flowSequenceEnd ? "',' or ']'" : "',' or '}'"
                throw .parser("did not find expected \(expected)", at: token.start, context: opening.start)
            }
            scanner.skipToken()
            token = try scanner.peek()
        }
        isFirst = false
        return token
    }
}

// MARK: - Collections

extension Composer {
    private mutating func blockSequence(tag: String?, start: Position) throws(YAMLError) -> (node: Node, size: Int) {
        let first = try open()
        defer { depth -= 1 }
        var items: [Node] = []
        var size = 1
        while true {
            var token = try scanner.peek()
            if token.kind == .blockEntry {
                let mark = token.end
                scanner.skipToken()
                token = try scanner.peek()
                let item = token.kind != .blockEntry && token.kind != .blockEnd
                    ? try node(block: true, indentless: false) : empty(at: mark)
                items.append(item.node)
                size = Self.saturatingAdd(size, item.size)
            } else if token.kind == .blockEnd {
                scanner.skipToken()
                break
            } else {
                throw .parser("did not find expected '-' indicator", at: token.start, context: first.start)
            }
        }
        return (.sequence(Node.Sequence(items, style: .block, tag: tag, mark: start.mark)), size)
    }

    /// A block sequence at its parent key's indentation: its entries end at the first token
    /// that is not `-`, which is left for the mapping.
    private mutating func indentlessSequence(tag: String?, start: Position) throws(YAMLError) -> (node: Node, size: Int) {
        _ = try open(skipping: false)
        defer { depth -= 1 }
        var items: [Node] = []
        var size = 1
        while true {
            var token = try scanner.peek()
            guard token.kind == .blockEntry else { break }
            let mark = token.end
            scanner.skipToken()
            token = try scanner.peek()
            let item = [.blockEntry, .key, .value, .blockEnd].contains(token.kind)
                ? empty(at: mark) : try node(block: true, indentless: false)
            items.append(item.node)
            size = Self.saturatingAdd(size, item.size)
        }
        return (.sequence(Node.Sequence(items, style: .block, tag: tag, mark: start.mark)), size)
    }

    private mutating func blockMapping(tag: String?, start: Position) throws(YAMLError) -> (node: Node, size: Int) {
        let first = try open()
        defer { depth -= 1 }
        var entries: [Node.Mapping.Entry] = []
        var size = 1
        while true {
            var token = try scanner.peek()
            let key: (node: Node, size: Int)
            if token.kind == .key {
                let mark = token.end
                scanner.skipToken()
                token = try scanner.peek()
                key = [.key, .value, .blockEnd].contains(token.kind) ? empty(at: mark) : try node(block: true, indentless: true)
            } else if token.kind == .blockEnd {
                scanner.skipToken()
                break
            } else {
                throw .parser("did not find expected key", at: token.start, context: first.start)
            }
            token = try scanner.peek()
            let value: (node: Node, size: Int)
            if token.kind == .value {
                let mark = token.end
                scanner.skipToken()
                token = try scanner.peek()
                value = [.key, .value, .blockEnd].contains(token.kind) ? empty(at: mark) : try node(block: true, indentless: true)
            } else {
                value = empty(at: token.start)
            }
            entries.append(Node.Mapping.Entry(key: key.node, value: value.node))
            size = Self.saturatingAdd(size, Self.saturatingAdd(key.size, value.size))
        }
        return (.mapping(Node.Mapping(entries, style: .block, tag: tag, mark: start.mark)), size)
    }

    private mutating func flowSequence(tag: String?, start: Position) throws(YAMLError) -> (node: Node, size: Int) {
        let first = try open()
        defer { depth -= 1 }
        var items: [Node] = []
        var size = 1
        var isFirst = true
        while let token = try nextFlowEntry(closing: .flowSequenceEnd, opening: first, isFirst: &isFirst) {
            if token.kind == .key {
                let pair = try singlePairMapping(token)
                items.append(pair.node)
                size = Self.saturatingAdd(size, pair.size)
            } else if token.kind != .flowSequenceEnd {
                let item = try node(block: false, indentless: false)
                items.append(item.node)
                size = Self.saturatingAdd(size, item.size)
            }
        }
        scanner.skipToken()
        return (.sequence(Node.Sequence(items, style: .flow, tag: tag, mark: start.mark)), size)
    }

    /// `[a: 1]`: a flow sequence entry that is a one-entry mapping (libyaml's
    /// `flow_sequence_entry_mapping_*` states, quirks included).
    private mutating func singlePairMapping(_ keyToken: Token) throws(YAMLError) -> (node: Node, size: Int) {
        _ = try open()
        defer { depth -= 1 }
        var token = try scanner.peek()
        let key: (node: Node, size: Int)
        if token.kind != .value && token.kind != .flowEntry && token.kind != .flowSequenceEnd {
            key = try node(block: false, indentless: false)
        } else {
            key = empty(at: token.end)
            scanner.skipToken()
        }
        token = try scanner.peek()
        var value: (node: Node, size: Int)?
        if token.kind == .value {
            scanner.skipToken()
            let next = try scanner.peek()
            if next.kind != .flowEntry && next.kind != .flowSequenceEnd {
                value = try node(block: false, indentless: false)
            }
        }
        let resolvedValue = value ?? empty(at: token.start)
        _ = try scanner.peek()
        decodeCount = Self.saturatingAdd(decodeCount, 1)
        let entry = Node.Mapping.Entry(key: key.node, value: resolvedValue.node)
        let size = Self.saturatingAdd(1, Self.saturatingAdd(key.size, resolvedValue.size))
        return (.mapping(Node.Mapping([entry], style: .flow, tag: nil, mark: keyToken.start.mark)), size)
    }

    private mutating func flowMapping(tag: String?, start: Position) throws(YAMLError) -> (node: Node, size: Int) {
        let first = try open()
        defer { depth -= 1 }
        var entries: [Node.Mapping.Entry] = []
        var size = 1
        var isFirst = true
        while var token = try nextFlowEntry(closing: .flowMappingEnd, opening: first, isFirst: &isFirst) {
            let key: (node: Node, size: Int)
            let value: (node: Node, size: Int)
            if token.kind == .key {
                scanner.skipToken()
                token = try scanner.peek()
                key = [.value, .flowEntry, .flowMappingEnd].contains(token.kind)
                    ? empty(at: token.start) : try node(block: false, indentless: false)
                value = try flowMappingValue()
            } else if token.kind != .flowMappingEnd {
                key = try node(block: false, indentless: false)
                value = empty(at: try scanner.peek().start)
            } else {
                continue
            }
            entries.append(Node.Mapping.Entry(key: key.node, value: value.node))
            size = Self.saturatingAdd(size, Self.saturatingAdd(key.size, value.size))
        }
        scanner.skipToken()
        return (.mapping(Node.Mapping(entries, style: .flow, tag: tag, mark: start.mark)), size)
    }

    private mutating func flowMappingValue() throws(YAMLError) -> (node: Node, size: Int) {
        var token = try scanner.peek()
        if token.kind == .value {
            scanner.skipToken()
            token = try scanner.peek()
            if token.kind != .flowEntry && token.kind != .flowMappingEnd {
                return try node(block: false, indentless: false)
            }
        }
        return empty(at: token.start)
    }
}
