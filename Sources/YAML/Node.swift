// The composed YAML node tree: scalars, sequences and mappings with where each starts, the way
// go-yaml v2 composes a document before decoding it (aliases already replaced by what they name).

/// Where a node starts in the text: 1-based line and column (columns count characters).
package struct Mark: Sendable, Hashable, CustomStringConvertible {
    package var line: Int
    package var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    package var description: String { "\(line):\(column)" }
}

/// One node of a composed document.
///
/// An alias (`*name`) composes to a copy of the node its anchor names, marks included, as
/// go-yaml decodes it. Mapping keys keep their order and may repeat: the decoder words the
/// repetition ("key \"a\" already set in map").
///
/// ```swift
/// let node = try Composer.compose("a: [1, 'two']")
/// if case .mapping(let mapping)? = node {
///     for (key, value) in mapping { print(key, value) }
/// }
/// ```
package enum Node: Sendable, Hashable {
    case scalar(Scalar)
    case sequence(Sequence)
    case mapping(Mapping)

    /// Where the node starts (its anchor or tag, if it has one).
    package var mark: Mark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .sequence(let sequence): sequence.mark
        case .mapping(let mapping): mapping.mark
        }
    }

    /// The tag as written, resolved against the `%TAG` handles (`!!str` is
    /// `tag:yaml.org,2002:str`); nil when the node has none.
    package var tag: String? {
        switch self {
        case .scalar(let scalar): scalar.tag
        case .sequence(let sequence): sequence.tag
        case .mapping(let mapping): mapping.tag
        }
    }

    /// The scalar's text, nil for a collection.
    package var scalarValue: String? {
        if case .scalar(let scalar) = self { return scalar.string }
        return nil
    }
}

extension Node {
    /// How a scalar was written.
    package enum ScalarStyle: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// How a collection was written.
    package enum CollectionStyle: Sendable, Hashable {
        case block, flow
    }

    /// A scalar: its text after unescaping and line folding, style and explicit tag.
    package struct Scalar: Sendable, Hashable {
        package var string: String
        package var style: ScalarStyle
        package var tag: String?
        package var mark: Mark

        package init(_ string: String, style: ScalarStyle = .plain, tag: String? = nil, mark: Mark) {
            self.string = string
            self.style = style
            self.tag = tag
            self.mark = mark
        }
    }

    /// A sequence's items in order.
    package struct Sequence: Sendable, Hashable, RandomAccessCollection {
        package var items: [Node]
        package var style: CollectionStyle
        package var tag: String?
        package var mark: Mark

        package init(_ items: [Node], style: CollectionStyle = .block, tag: String? = nil, mark: Mark) {
            self.items = items
            self.style = style
            self.tag = tag
            self.mark = mark
        }

        package var startIndex: Int { items.startIndex }
        package var endIndex: Int { items.endIndex }
        package subscript(position: Int) -> Node { items[position] }
    }

    /// A mapping's entries in document order; a key may appear more than once.
    package struct Mapping: Sendable, Hashable, RandomAccessCollection {
        /// One entry.
        package struct Entry: Sendable, Hashable {
            package var key: Node
            package var value: Node

            package init(key: Node, value: Node) {
                self.key = key
                self.value = value
            }
        }

        package var entries: [Entry]
        package var style: CollectionStyle
        package var tag: String?
        package var mark: Mark

        package init(_ entries: [Entry], style: CollectionStyle = .block, tag: String? = nil, mark: Mark) {
            self.entries = entries
            self.style = style
            self.tag = tag
            self.mark = mark
        }

        package var startIndex: Int { entries.startIndex }
        package var endIndex: Int { entries.endIndex }
        package subscript(position: Int) -> (key: Node, value: Node) {
            (entries[position].key, entries[position].value)
        }

        /// The value of the first entry whose key is the plain or quoted scalar `key`.
        package subscript(key: String) -> Node? {
            entries.first { $0.key.scalarValue == key }?.value
        }
    }
}
