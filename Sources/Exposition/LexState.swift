// LexState: the start conditions of Prometheus's text lexers (`%x sComment sMeta1 …` in the `.l` files).

/// The lexer's start conditions, as in the `.l` files.
enum LexState: UInt8, Sendable {
    case initial
    case comment
    case meta1
    case meta2
    case labels
    case labelValue
    case value
    case timestamp
    case exemplar
    case exemplarValue
    case exemplarTimestamp
}
