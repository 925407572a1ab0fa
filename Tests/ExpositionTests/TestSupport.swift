// TestSupport: collects parser output into comparable values, the Swift counterpart of the
// `parsedEntry` / `testParse` helpers in Prometheus's textparse tests.

import Exposition
import MetricModel
import Testing

/// One parsed entry in comparable form. Values compare by bit pattern.
enum Parsed: Equatable, CustomStringConvertible {
    case help(String, String)
    case type(String, MetricType)
    case unit(String, String)
    case comment(String)
    case series(String, Labels, Double, Timestamp?, Exemplar?)

    static func == (a: Parsed, b: Parsed) -> Bool {
        switch (a, b) {
        case let (.help(n1, t1), .help(n2, t2)): n1 == n2 && t1 == t2
        case let (.type(n1, t1), .type(n2, t2)): n1 == n2 && t1 == t2
        case let (.unit(n1, u1), .unit(n2, u2)): n1 == n2 && u1 == u2
        case let (.comment(c1), .comment(c2)): c1 == c2
        case let (.series(s1, l1, v1, t1, e1), .series(s2, l2, v2, t2, e2)):
            s1 == s2 && l1 == l2 && v1.bitPattern == v2.bitPattern && t1 == t2 && e1 == e2
        default: false
        }
    }

    var description: String {
        switch self {
        case let .help(n, t): "help(\(n), \(t.debugDescription))"
        case let .type(n, t): "type(\(n), \(t))"
        case let .unit(n, u): "unit(\(n), \(u))"
        case let .comment(c): "comment(\(c.debugDescription))"
        case let .series(s, l, v, t, e):
            "series(\(s) \(l) \(v) bits=\(String(v.bitPattern, radix: 16)) ts=\(t.map(String.init) ?? "nil") ex=\(e.map { "\($0.labels) \($0.value) \($0.timestamp.map(String.init) ?? "nil")" } ?? "nil"))"
        }
    }
}

/// Shorthand for a sample entry: series text, label pairs, value, timestamp, exemplar.
func sample(
    _ series: String, _ labels: [(String, String)], _ value: Double, _ timestamp: Timestamp? = nil,
    exemplar: Exemplar? = nil
) -> Parsed {
    .series(series, Labels(labels), value, timestamp, exemplar)
}

/// Builds labels from pairs, keeping empty values out as `Labels` does.
func labels(_ pairs: (String, String)...) -> Labels { Labels(pairs) }

/// Runs `parser` to the end and collects what it returned.
func collect(_ parser: inout some ExpositionParser) throws(ExpositionError) -> [Parsed] {
    var out: [Parsed] = []
    while let entry = try parser.next() {
        switch entry {
        case let .help(name, text): out.append(.help(name, text))
        case let .type(name, type): out.append(.type(name, type))
        case let .unit(name, unit): out.append(.unit(name, unit))
        case let .comment(text): out.append(.comment(text))
        case .series:
            let series = String(decoding: parser.series, as: UTF8.self)
            out.append(.series(series, try parser.labels(), parser.value, parser.timestamp, try parser.exemplar()))
        }
    }
    return out
}

/// Parses all of `input` as Prometheus text.
func parseProm(_ input: String) throws(ExpositionError) -> [Parsed] {
    var parser = PromTextParser(Array(input.utf8))
    return try collect(&parser)
}

/// Parses all of `input` as OpenMetrics.
func parseOM(_ input: String, _ dialect: OpenMetricsParser.Dialect = .prometheus3) throws(ExpositionError) -> [Parsed] {
    var parser = OpenMetricsParser(Array(input.utf8), dialect: dialect)
    return try collect(&parser)
}

/// The message of the error parsing stops with, or nil when the input parses to the end.
/// Like Prometheus's error tests, it keeps calling `next()` until something fails.
func firstError(_ parser: inout some ExpositionParser) -> ExpositionError? {
    do {
        while try parser.next() != nil {}
        return nil
    } catch {
        return error
    }
}

/// A piece of test input: text, or one raw byte (for the `\xff` inputs of Prometheus's tests).
enum Part: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, Sendable {
    case text(String)
    case byte(UInt8)
    init(stringLiteral value: String) { self = .text(value) }
    init(integerLiteral value: UInt8) { self = .byte(value) }
}

/// Concatenates text and raw bytes.
func bytes(_ parts: Part...) -> [UInt8] {
    var out: [UInt8] = []
    for part in parts {
        switch part {
        case let .text(s): out.append(contentsOf: s.utf8)
        case let .byte(b): out.append(b)
        }
    }
    return out
}

/// An input and the exact error message Prometheus gives for it ("" = parses to the end).
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var input: [UInt8]
    var message: String
    init(_ input: [UInt8], _ message: String) {
        self.input = input
        self.message = message
    }
    init(_ input: String, _ message: String) { self.init(Array(input.utf8), message) }
    var testDescription: String { String(decoding: input, as: UTF8.self).debugDescription }
}

let normalNaN = Double(bitPattern: StaleNaN.normalNaNBits)

/// One line per entry, for compact expectations:
/// `HELP name "text"`, `TYPE name type`, `UNIT name unit`, `COMMENT text`, and
/// `<series text> => <labels> <value>[ @<ms>][ # <exemplar labels> <value>[ @<ms>]]`.
func render(_ entries: [Parsed]) -> [String] {
    entries.map { entry in
        switch entry {
        case let .help(n, t): "HELP \(n) \(t.debugDescription)"
        case let .type(n, t): "TYPE \(n) \(t.rawValue)"
        case let .unit(n, u): "UNIT \(n) \(u)"
        case let .comment(c): "COMMENT \(c)"
        case let .series(s, l, v, t, e):
            "\(s) => \(l) \(v)" + (t.map { " @\($0)" } ?? "")
                + (e.map { " # \($0.labels) \($0.value)" + ($0.timestamp.map { " @\($0)" } ?? "") } ?? "")
        }
    }
}
