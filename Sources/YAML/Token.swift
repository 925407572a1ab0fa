// The tokens the scanner hands the composer (libyaml's `yaml_token_t`).

struct Token {
    enum Kind: Equatable {
        case streamStart, streamEnd
        case versionDirective, tagDirective
        case documentStart, documentEnd
        case blockSequenceStart, blockMappingStart, blockEnd
        case flowSequenceStart, flowSequenceEnd, flowMappingStart, flowMappingEnd
        case blockEntry, flowEntry, key, value
        case alias, anchor, tag, scalar
    }

    var kind: Kind
    var start: Position
    var end: Position
    /// A scalar's text, an anchor's or alias's name, a tag's or `%TAG` directive's handle.
    var value: [UInt8] = []
    /// A tag's suffix, a `%TAG` directive's prefix.
    var suffix: [UInt8] = []
    var style: Node.ScalarStyle = .plain
    /// A `%YAML` directive's version.
    var major = 0
    var minor = 0

    init(_ kind: Kind, start: Position, end: Position) {
        self.kind = kind
        self.start = start
        self.end = end
    }
}
