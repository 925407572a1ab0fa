// Parsing promqltest scripts line by line, as Prometheus's `promql/promqltest/test.go` does
// (`spec/promqltest-dsl.md` §1-§5): blank and comment lines end blocks, the first word picks
// the command, and the header patterns are upstream's regular expressions, unchanged.

import MetricModel

extension PromQLTestFile {
    /// Parses a whole script.
    ///
    /// - Parameters:
    ///   - source: The file's text.
    ///   - name: The name used in error messages (`name:line: …`).
    /// - Throws: `PromQLTestError` with code `.syntax` at the first line the DSL does not allow.
    ///   The eval expressions are not parsed here: the runner does that, so that PromQL the
    ///   parser cannot read yet fails one eval, not the file.
    package init(parsing source: String, name: String) throws(PromQLTestError) {
        var parser = ScriptParser(source: source, name: name)
        self.init(name: name, commands: try parser.parse())
    }
}

/// Upstream's header patterns (`patLoad`, `patEvalInstant`, …), compiled once per parse.
struct ScriptPatterns {
    let evalInstant = try! Regex(#"^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$"#)
    let evalRange = try! Regex(#"^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$"#)
    let expect = try! Regex(#"^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$"#)
    let expectRange = try! Regex(#"^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$"#)

    /// Capture group `i` of a match, or "" when it did not participate.
    static func group(_ match: Regex<AnyRegexOutput>.Match, _ i: Int) -> String {
        match.output[i].substring.map(String.init) ?? ""
    }
}

/// The line-by-line parser.
struct ScriptParser {
    let name: String
    /// Trimmed lines; comment lines are empty.
    let lines: [String]
    let patterns = ScriptPatterns()

    init(source: String, name: String) {
        self.name = name
        lines = source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { raw in
            let line = trimmed(String(decoding: raw, as: UTF8.self))
            return line.hasPrefix("#") ? "" : line
        }
    }

    func error(_ index: Int, _ message: String) -> PromQLTestError {
        PromQLTestError(.syntax, file: name, line: index + 1, message)
    }

    mutating func parse() throws(PromQLTestError) -> [PromQLTestCommand] {
        var commands: [PromQLTestCommand] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.isEmpty {
                i += 1
                continue
            }
            let word = line.prefix { $0 != " " && $0 != "\t" }.lowercased()
            if word == "clear" {
                commands.append(.clear(line: i + 1))
            } else if word.hasPrefix("load") {
                let load: LoadCommand
                (i, load) = try parseLoad(at: i)
                commands.append(.load(load))
            } else if word.hasPrefix("eval") {
                let eval: EvalCommand
                (i, eval) = try parseEval(at: i)
                commands.append(.eval(eval))
            } else {
                throw error(i, "invalid command \(goQuote(line))")
            }
            i += 1
        }
        return commands
    }

    // MARK: load

    /// `load[_with_nhcb] <step>` and its series lines; returns the index of the block's last line.
    func parseLoad(at start: Int) throws(PromQLTestError) -> (Int, LoadCommand) {
        let header = lines[start]
        var rest = Substring(header)
        var withNHCB = false
        if rest.hasPrefix("load_with_nhcb") {
            withNHCB = true
            rest = rest.dropFirst("load_with_nhcb".count)
        } else if rest.hasPrefix("load") {
            rest = rest.dropFirst(4)
        }
        guard let first = rest.first, first == " " || first == "\t", !trimmed(String(rest)).isEmpty else {
            throw error(start, "invalid load command. (load[_with_nhcb] <step:duration>)")
        }
        let stepText = trimmed(String(rest))
        let step: Int64
        do { step = try parseDuration(stepText) } catch {
            throw self.error(start, "invalid step definition \(goQuote(stepText)): \(error.message)")
        }
        var load = LoadCommand(line: start + 1, stepMilliseconds: step, withNHCB: withNHCB)
        var indexByLabels: [Labels: Int] = [:]
        var pendingST: (index: Int, labels: Labels, offsets: [Int64?])?
        var i = start
        while i + 1 < lines.count, !lines[i + 1].isEmpty {
            i += 1
            let line = lines[i]
            if isStartTimestampLine(line) {
                if let pending = pendingST { throw error(pending.index, "@st line has no following sample line") }
                pendingST = try parseStartTimestampLine(line, at: i)
                continue
            }
            let series: SeriesDescription
            do { series = try SeriesDescription(parsing: line) } catch { throw self.error(i, error.message) }
            var loaded = LoadCommand.Series(line: i + 1, labels: series.labels, values: series.values)
            if let pending = pendingST {
                guard pending.labels == series.labels else {
                    throw error(pending.index, "@st metric does not match the following sample line metric")
                }
                guard pending.offsets.count == series.values.count else {
                    throw error(pending.index, "@st line has \(pending.offsets.count) values but sample line has \(series.values.count)")
                }
                loaded.startTimestampOffsets = pending.offsets
                pendingST = nil
            }
            if let existing = indexByLabels[series.labels] {
                load.series[existing] = loaded
            } else {
                indexByLabels[series.labels] = load.series.count
                load.series.append(loaded)
            }
        }
        if let pending = pendingST { throw error(pending.index, "@st line has no following sample line") }
        return (i, load)
    }

    /// An `@st` line: its first word ends in `@st`.
    func isStartTimestampLine(_ line: String) -> Bool {
        guard let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return false }
        return line[..<space].hasSuffix("@st")
    }

    /// `metric{…}@st <offsets>`: offsets are signed durations relative to each sample's time.
    func parseStartTimestampLine(_ line: String, at i: Int) throws(PromQLTestError) -> (index: Int, labels: Labels, offsets: [Int64?]) {
        let space = line.firstIndex(where: { $0 == " " || $0 == "\t" })!
        let metric = line[..<space].dropLast(3)
        let labels: Labels
        do { labels = try SeriesDescription(parsing: metric + " _").labels } catch {
            throw self.error(i, "invalid @st line metric \(goQuote(String(metric))): \(error.message)")
        }
        var offsets: [Int64?] = []
        for item in line[space...].split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            do { try expandStartTimestampItem(item, into: &offsets) } catch {
                throw self.error(i, "invalid @st sequence: invalid ST item \(goQuote(String(item))): \(error.message)")
            }
        }
        return (i, labels, offsets)
    }

    /// `_`, `_xN`, `dur`, `durxN`, `dur+durxN`, `dur-durxN` (upstream's `parseSTItem`).
    func expandStartTimestampItem(_ item: Substring, into out: inout [Int64?]) throws(DSLLineError) {
        if item == "_" {
            out.append(nil)
            return
        }
        if item.hasPrefix("_x") {
            guard let n = UInt64(item.dropFirst(2)), n > 0, n <= SeriesDescription.maxRepeat else {
                throw DSLLineError("invalid repeat count")
            }
            out.append(contentsOf: repeatElement(nil, count: Int(n)))
            return
        }
        let (base, rest) = try durationPrefix(item)
        if rest.isEmpty {
            out.append(base)
            return
        }
        if rest.first == "x" {
            guard let n = UInt64(rest.dropFirst()), n <= SeriesDescription.maxRepeat else { throw DSLLineError("invalid repeat count") }
            out.append(contentsOf: repeatElement(Optional(base), count: Int(n) + 1))
            return
        }
        guard rest.first == "+" || rest.first == "-" else {
            throw DSLLineError("unexpected character \(goQuote(String(rest.prefix(1)))) after duration")
        }
        var (delta, tail) = try durationPrefix(rest.dropFirst())
        if rest.first == "-" { delta = -delta }
        guard tail.first == "x" else { throw DSLLineError("expected 'x<count>' after step duration") }
        guard let n = UInt64(tail.dropFirst()), n <= SeriesDescription.maxRepeat else { throw DSLLineError("invalid repeat count") }
        var offset = base
        for _ in 0...n {
            out.append(offset)
            offset += delta
        }
    }

    /// A signed duration at the start of `s` (digits then unit letters, stopping at `x`), in ms.
    func durationPrefix(_ s: Substring) throws(DSLLineError) -> (Int64, Substring) {
        var rest = s
        var negative = false
        if rest.first == "-" || rest.first == "+" {
            negative = rest.first == "-"
            rest = rest.dropFirst()
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { throw DSLLineError("expected digits in duration \(goQuote(String(s)))") }
        let unit = rest.dropFirst(digits.count).prefix { $0.isASCII && $0.isLetter && $0 != "x" }
        let text = rest.prefix(digits.count + unit.count)
        let ms: Int64
        do { ms = try parseDuration(String(text)) } catch {
            throw DSLLineError("invalid duration \(goQuote(String(text))): \(error.message)")
        }
        return (negative ? -ms : ms, rest.dropFirst(text.count))
    }

    // MARK: eval

    /// `eval …` and its body; returns the index of the block's last line.
    func parseEval(at start: Int) throws(PromQLTestError) -> (Int, EvalCommand) {
        let header = lines[start]
        let instant = try? patterns.evalInstant.firstMatch(in: header)
        let range = instant == nil ? (try? patterns.evalRange.firstMatch(in: header)) : nil
        var cmd: EvalCommand
        let modifier: String
        if let instant {
            modifier = ScriptPatterns.group(instant, 1)
            let at = ScriptPatterns.group(instant, 2)
            let expression = ScriptPatterns.group(instant, 3)
            let time: Int64
            do { time = try parseDuration(at) } catch {
                throw self.error(start, "error in eval \(expression): invalid timestamp definition \(goQuote(at)): \(error.message)")
            }
            cmd = EvalCommand(line: start + 1, expression: expression, kind: .instant(at: time))
        } else if let range {
            modifier = ScriptPatterns.group(range, 1)
            let expression = ScriptPatterns.group(range, 5)
            let steps = try stepRange(
                ScriptPatterns.group(range, 2), ScriptPatterns.group(range, 3), ScriptPatterns.group(range, 4),
                at: start, expression: expression)
            cmd = EvalCommand(line: start + 1, expression: expression, kind: .range(steps))
        } else {
            throw error(
                start,
                "invalid evaluation command. Must be either 'eval[_fail|_warn|_ordered] instant [at <offset:duration>] <query>' or 'eval[_fail|_warn] range from <from> to <to> step <step> <query>'"
            )
        }
        let isInstant = instant != nil
        switch modifier {
        case "ordered": cmd.ordered = true
        case "fail": cmd.fail = .any
        case "warn": cmd.legacyWarn = true
        case "info": cmd.legacyInfo = true
        default: break
        }
        let legacyFail = modifier == "fail"
        let expression = cmd.expression
        func evalError(_ i: Int, _ message: String) -> PromQLTestError {
            error(i, "error in eval \(expression) (line \(start + 1)): \(message)")
        }

        var position = 0
        var i = start
        while i + 1 < lines.count, !lines[i + 1].isEmpty {
            i += 1
            position += 1
            let line = lines[i]
            if legacyFail && line.hasPrefix("expected_fail_message") {
                cmd.fail = .exact(trimmed(String(line.dropFirst("expected_fail_message".count))))
                break
            }
            if legacyFail && line.hasPrefix("expected_fail_regexp") {
                let pattern = trimmed(String(line.dropFirst("expected_fail_regexp".count)))
                guard (try? RE2Regex(pattern)) != nil else {
                    throw evalError(i, "invalid regexp '\(pattern)' for expected_fail_regexp")
                }
                cmd.fail = .regex(pattern)
                break
            }
            if line.hasPrefix("expect range vector") {
                guard let m = try? patterns.expectRange.firstMatch(in: line) else {
                    throw evalError(i, "invalid range vector definition \(goQuote(line))")
                }
                cmd.rangeVector = try stepRange(
                    ScriptPatterns.group(m, 1), ScriptPatterns.group(m, 2), ScriptPatterns.group(m, 3),
                    at: i, expression: cmd.expression)
                cmd.excludeFromRangeQuery = true
                continue
            }
            if line.hasPrefix("expect string") {
                cmd.expectedString = try expectedString(line, at: i, evalError: evalError)
                cmd.excludeFromRangeQuery = true
                continue
            }
            if line.split(separator: " ", omittingEmptySubsequences: false).first == "expect" {
                try parseExpect(line, into: &cmd, legacyFail: legacyFail, at: i, evalError: evalError)
                position -= 1
                continue
            }
            if let number = parseGoNumber(line) {
                cmd.expectedScalar = number
                cmd.expectedSeries = []
                break
            }
            let series: SeriesDescription
            do { series = try SeriesDescription(parsing: line) } catch { throw self.error(i, error.message) }
            if series.values.count > 1 && isInstant && cmd.rangeVector == nil {
                throw evalError(
                    i,
                    "expecting multiple values in instant evaluation not allowed. consider using 'expect range vector' directive to enable a range vector result for an instant query"
                )
            }
            cmd.expectedScalar = nil
            let expected = ExpectedSeries(labels: series.labels, values: series.values, position: position)
            if let existing = cmd.expectedSeries.firstIndex(where: { $0.labels == series.labels }) {
                cmd.expectedSeries[existing] = expected
            } else {
                cmd.expectedSeries.append(expected)
            }
        }
        return (i, cmd)
    }

    /// `from`, `to` and `step` durations, with `to >= from`.
    func stepRange(_ from: String, _ to: String, _ step: String, at i: Int, expression: String) throws(PromQLTestError) -> StepRange {
        func duration(_ text: String, _ what: String) throws(PromQLTestError) -> Int64 {
            do { return try parseDuration(text) } catch {
                throw self.error(i, "error in eval \(expression): invalid \(what) definition \(goQuote(text)): \(error.message)")
            }
        }
        let start = try duration(from, "start timestamp")
        let end = try duration(to, "end timestamp")
        if end < start {
            throw error(i, "error in eval \(expression): invalid test definition, end timestamp (\(to)) is before start timestamp (\(from))")
        }
        let step = try duration(step, "step")
        return StepRange(start: start, end: end, step: step)
    }

    /// `expect string "…"` (Go `strconv.Unquote` of the rest of the line).
    func expectedString(
        _ line: String, at i: Int, evalError: (Int, String) -> PromQLTestError
    ) throws(PromQLTestError) -> String {
        let prefix = "expect string "
        guard line.hasPrefix(prefix), line.count > prefix.count else {
            throw evalError(i, "expected string literal not valid - a quoted string literal is required")
        }
        guard let value = unquotePromQLString(line.dropFirst(prefix.count).utf8) else {
            throw evalError(i, "expected string literal not valid - check that the string is correctly quoted")
        }
        return value
    }

    /// `expect <type> [msg:|regex: text]`.
    func parseExpect(
        _ line: String, into cmd: inout EvalCommand, legacyFail: Bool, at i: Int, evalError: (Int, String) -> PromQLTestError
    ) throws(PromQLTestError) {
        guard let m = try? patterns.expect.firstMatch(in: trimmed(line)) else {
            throw evalError(i, "invalid expect statement, must match `expect <type> <match_type>: <string>` format")
        }
        let kind = ScriptPatterns.group(m, 1)
        let text = trimmed(ScriptPatterns.group(m, 3))
        var match = MessageMatch.any
        switch ScriptPatterns.group(m, 2) {
        case "msg":
            match = .exact(text)
        case "regex":
            guard (try? RE2Regex(text)) != nil else { throw evalError(i, "invalid regex \(text) for \(kind)") }
            match = .regex(text)
        default:
            break
        }
        switch kind {
        case "ordered": cmd.ordered = true
        case "fail":
            if cmd.fail != nil && !(legacyFail && cmd.fail == .any) { throw evalError(i, "invalid expect lines, multiple expect fail lines are not allowed") }
            cmd.fail = match
        case "warn": cmd.warnings.append(match)
        case "info": cmd.infos.append(match)
        case "no_warn": cmd.noWarn = true
        case "no_info": cmd.noInfo = true
        default: break
        }
        if !cmd.infos.isEmpty && cmd.noInfo {
            throw evalError(i, "invalid expect lines, info and no_info cannot be used together")
        }
        if !cmd.warnings.isEmpty && cmd.noWarn {
            throw evalError(i, "invalid expect lines, warn and no_warn cannot be used together")
        }
    }
}

/// Go's `strings.TrimSpace` for the whitespace the files contain.
func trimmed(_ s: String) -> String {
    let scalars = s.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
    return String(scalars[first...last])
}
