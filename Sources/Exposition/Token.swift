// Token: the lexical tokens of Prometheus's text lexers (`promlex.l`, `openmetricslex.l`).

/// A token kind. `goName` is the name Prometheus prints in parse errors (`"INVALID"`, `"LNAME"`).
enum Token: UInt8, Sendable {
    case invalid
    case eof
    case linebreak
    case whitespace
    case help
    case type
    case unit
    case eofWord
    case text
    case comment
    case metricName
    case quotedString
    case braceOpen
    case braceClose
    case labelName
    case labelValue
    case comma
    case equal
    case timestamp
    case value

    /// The token's name in Prometheus error messages (`token.String()` in Go).
    var goName: String {
        switch self {
        case .invalid: "INVALID"
        case .eof: "EOF"
        case .linebreak: "LINEBREAK"
        case .whitespace: "WHITESPACE"
        case .help: "HELP"
        case .type: "TYPE"
        case .unit: "UNIT"
        case .eofWord: "EOFWORD"
        case .text: "TEXT"
        case .comment: "COMMENT"
        case .metricName: "MNAME"
        case .quotedString: "QSTRING"
        case .braceOpen: "BOPEN"
        case .braceClose: "BCLOSE"
        case .labelName: "LNAME"
        case .labelValue: "LVALUE"
        case .comma: "COMMA"
        case .equal: "EQUAL"
        case .timestamp: "TIMESTAMP"
        case .value: "VALUE"
        }
    }
}
