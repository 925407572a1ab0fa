// ExpositionError: the Exposition module's one error type, carrying Prometheus's message
// wording plus where in the input the parser stopped.

/// An error from the Prometheus text or OpenMetrics parsers.
///
/// `message` is Prometheus's `err.Error()` text for the same input where Prometheus has one
/// (`data does not end with # EOF`, `expected label value, got "'" ("INVALID") while parsing:
/// "a{b='"`, `strconv.ParseFloat: parsing "1z": invalid syntax while parsing: "a 1 1z"`);
/// `description` adds the position.
///
/// ```swift
/// do { _ = try parseOpenMetrics(Array("a 1 1\n".utf8)) } catch { print(error) }
/// // 2:1: data does not end with # EOF
/// ```
package struct ExpositionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable classification of the failure.
    package enum Code: String, Sendable, Hashable {
        /// The bytes do not follow the format's grammar.
        case syntax
        /// A sample value, timestamp or exemplar number is not a valid Go float/int or is out of range.
        case invalidNumber
        /// A label value, quoted name or HELP text is not valid UTF-8.
        case invalidUTF8
        /// A `# TYPE` line names an unknown type.
        case invalidMetricType
        /// A `# UNIT` is not a suffix of its metric name.
        case invalidUnit
        /// OpenMetrics input without the final `# EOF`.
        case missingEOF
        /// Bytes after OpenMetrics `# EOF`.
        case dataAfterEOF
        /// A label set Prometheus's storage would reject (duplicate names, empty set).
        case invalidLabels
        /// A sample without the timestamp that backfilling requires.
        case missingTimestamp
        /// Protobuf exposition bytes that are not valid wire format for `MetricFamily`
        /// (truncated varint, length past the end, wrong wire type, bad packed run).
        case invalidProtobuf
        /// A protobuf native histogram whose spans, buckets or counts do not fit together.
        case invalidHistogram
    }

    /// What kind of failure this is.
    package var code: Code
    /// The message without position, worded as Prometheus words it.
    package var message: String
    /// Byte offset in the input where the parser stopped.
    package var offset: Int
    /// 1-based line of `offset`.
    package var line: Int
    /// 1-based column of `offset`, in bytes.
    package var column: Int

    /// An error with an explicit position.
    package init(_ code: Code, _ message: String, offset: Int, line: Int, column: Int) {
        self.code = code
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// An error at byte `offset` of `bytes`; line and column are computed here (slow path only).
    init(_ code: Code, _ message: String, at offset: Int, in bytes: [UInt8]) {
        let clamped = max(0, min(offset, bytes.count))
        var line = 1
        var lineStart = 0
        var k = 0
        while k < clamped {
            if bytes[k] == 0x0A {
                line += 1
                lineStart = k + 1
            }
            k += 1
        }
        self.init(code, message, offset: clamped, line: line, column: clamped - lineStart + 1)
    }

    /// An error in binary input (protobuf), where lines mean nothing: line and column are 0.
    init(_ code: Code, _ message: String, byteOffset: Int) {
        self.init(code, message, offset: byteOffset, line: 0, column: 0)
    }

    /// `<line>:<column>: <message>`, or `byte <offset>: <message>` for binary input.
    package var description: String {
        line == 0 ? "byte \(offset): \(message)" : "\(line):\(column): \(message)"
    }
}
