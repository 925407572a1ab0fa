// OpenMetricsParser+Samples: label sets, values, timestamps and exemplars of OpenMetrics sample
// lines (Go's parseLVals, parseSeriesEndOfLine, getFloatValue and parseComment), in the 3.x and
// 2.42 variants.

internal import MetricModel

extension OpenMetricsParser {
    /// The inside of `{...}` after the brace, for the series or its exemplar.
    mutating func parseLabels(exemplar: Bool) throws(ExpositionError) {
        if legacy { return try parseLegacyLabels(exemplar: exemplar) }
        var t = lexer.lexOpenMetrics()
        while true {
            let tokenStart = lexer.start
            let tokenEnd = lexer.i
            switch t {
            case .braceClose:
                return
            case .labelName, .quotedString:
                break
            default:
                throw syntaxError("expected label name", t)
            }
            let isQuoted = t == .quotedString
            t = lexer.lexOpenMetrics()
            var name = tokenStart..<tokenEnd
            if isQuoted {
                if t == .comma || t == .braceClose {
                    // A quoted string alone is the metric name; exemplars cannot have one.
                    if exemplar { throw syntaxError("expected label name", t) }
                    guard !line.hasName else {
                        throw lexer.error(
                            .syntax, "metric name already set while parsing: \(lexer.quoted(line.lineStart..<lexer.i))",
                            at: tokenStart)
                    }
                    try lexer.checkQuotedName(name)
                    line.nameStart = tokenStart + 1
                    line.nameEnd = tokenEnd - 1
                    if t == .braceClose { return }
                    t = lexer.lexOpenMetrics()
                    continue
                }
                try lexer.checkQuotedName(name)
                name = tokenStart + 1..<tokenEnd - 1
            }
            guard t == .equal else { throw syntaxError("expected equal", t) }
            let t2 = lexer.lexOpenMetrics()
            guard t2 == .labelValue else { throw syntaxError("expected label value", t2) }
            let value = try checkedLabelValue()
            appendLabel(name, value, exemplar: exemplar)
            t = lexer.lexOpenMetrics()
            if t == .comma {
                t = lexer.lexOpenMetrics()  // a trailing comma is allowed
            } else if t != .braceClose {
                throw syntaxError("expected comma or brace close", t)
            }
        }
    }

    /// Prometheus 2.42's label grammar: `{}` or `{a="1",b="2"}`, no trailing comma.
    private mutating func parseLegacyLabels(exemplar: Bool) throws(ExpositionError) {
        var first = true
        while true {
            var t = lexer.lexOpenMetrics()
            switch t {
            case .braceClose:
                return
            case .comma:
                if first { throw syntaxError("expected label name or left brace", t) }
                t = lexer.lexOpenMetrics()
                guard t == .labelName else { throw syntaxError("expected label name", t) }
            case .labelName:
                if !first { throw syntaxError("expected comma", t) }
            default:
                throw syntaxError(first ? "expected label name or left brace" : "expected comma or left brace", t)
            }
            first = false
            let name = lexer.token
            let t2 = lexer.lexOpenMetrics()
            guard t2 == .equal else { throw syntaxError("expected equal", t2) }
            let t3 = lexer.lexOpenMetrics()
            guard t3 == .labelValue else { throw syntaxError("expected label value", t3) }
            appendLabel(name, try checkedLabelValue(), exemplar: exemplar)
        }
    }

    /// The current label value token without quotes, after Prometheus's UTF-8 check.
    private func checkedLabelValue() throws(ExpositionError) -> Range<Int> {
        let token = lexer.token
        guard GoQuote.isValidUTF8(lexer.bytes, token) else {
            let message = legacy ? "invalid UTF-8 label value" : "invalid UTF-8 label value: \(lexer.quoted(token))"
            throw lexer.error(.invalidUTF8, message, at: token.lowerBound)
        }
        return token.lowerBound + 1..<token.upperBound - 1
    }

    @inline(__always)
    private mutating func appendLabel(_ name: Range<Int>, _ value: Range<Int>, exemplar: Bool) {
        if exemplar {
            exemplarOffsets.append(name.lowerBound)
            exemplarOffsets.append(name.upperBound)
            exemplarOffsets.append(value.lowerBound)
            exemplarOffsets.append(value.upperBound)
        } else {
            line.labelOffsets.append(name.lowerBound)
            line.labelOffsets.append(name.upperBound)
            line.labelOffsets.append(value.lowerBound)
            line.labelOffsets.append(value.upperBound)
        }
    }

    /// Value, optional timestamp and optional exemplar after the name and labels.
    mutating func parseSeriesEndOfLine(_ t: Token) throws(ExpositionError) {
        if !legacy && !line.hasName {
            throw lexer.error(
                .syntax, "metric name not set while parsing: \(lexer.quoted(line.lineStart..<lexer.i))",
                at: line.lineStart)
        }
        line.value = try floatValue(t, after: "metric")
        let t2 = lexer.lexOpenMetrics()
        switch t2 {
        case .eof:
            throw lexer.error(.missingEOF, "data does not end with # EOF", at: lexer.i)
        case .linebreak:
            return
        case .comment:
            try parseExemplar()
        case .timestamp:
            line.timestamp = try milliseconds(what: "timestamp")
            let t3 = lexer.lexOpenMetrics()
            switch t3 {
            case .linebreak:
                return
            case .comment:
                try parseExemplar()
            default:
                throw syntaxError("expected next entry after timestamp", t3)
            }
        default:
            // Prometheus 3 has no default case here: the sample is returned and the next call
            // fails on what follows. 2.42 fails right away.
            if legacy { throw syntaxError("expected timestamp or # symbol", t2) }
        }
    }

    /// The float in the current VALUE token (after its leading space).
    private mutating func floatValue(_ t: Token, after: String) throws(ExpositionError) -> Double {
        guard t == .value else { throw syntaxError("expected value after \(after)", t) }
        let token = lexer.token.dropFirst()
        do {
            let v = try GoNumber.prometheusFloat(lexer.bytes, token)
            return v.isNaN ? SeriesLine.normalNaN : v
        } catch {
            throw lexer.numberError(error, in: token, lineStart: line.lineStart, legacy: legacy)
        }
    }

    /// The current TIMESTAMP token, float seconds, as Prometheus's `int64(ts * 1000)`.
    private func milliseconds(what: String) throws(ExpositionError) -> Timestamp {
        let token = lexer.token.dropFirst()
        let seconds: Double
        do {
            seconds = try GoNumber.prometheusFloat(lexer.bytes, token)
        } catch {
            throw lexer.numberError(error, in: token, lineStart: line.lineStart, legacy: legacy)
        }
        guard seconds.isFinite else {
            let shown = seconds.isNaN ? "NaN" : (seconds > 0 ? "+Inf" : "-Inf")
            let message = legacy ? "invalid \(what)" : "invalid \(what) \(shown)"
            throw lexer.error(.invalidNumber, message, at: token.lowerBound)
        }
        return Self.goInt64(seconds * 1000)
    }

    /// Go's float64 → int64 conversion on amd64: truncation, and the "integer indefinite"
    /// value `math.MinInt64` for anything out of range.
    static func goInt64(_ x: Double) -> Int64 {
        guard x >= -9_223_372_036_854_775_808.0 && x < 9_223_372_036_854_775_808.0 else { return .min }
        return Int64(x)
    }

    /// `# {labels} value [timestamp]` after a sample (Go's `parseComment`).
    private mutating func parseExemplar() throws(ExpositionError) {
        if legacy {
            let name = lexer.bytes[line.nameStart..<line.nameEnd]
            guard name.hasSuffix("_total") || name.hasSuffix("_bucket") else {
                throw lexer.error(
                    .syntax, "metric name \(String(decoding: name, as: UTF8.self)) does not support exemplars",
                    at: line.nameStart)
            }
        }
        try parseLabels(exemplar: true)
        hasExemplar = true
        exemplarValue = try floatValue(lexer.lexOpenMetrics(), after: "exemplar labels")
        let t = lexer.lexOpenMetrics()
        switch t {
        case .eof:
            throw lexer.error(.missingEOF, "data does not end with # EOF", at: lexer.i)
        case .linebreak:
            return
        case .timestamp:
            exemplarTimestamp = try milliseconds(what: "exemplar timestamp")
            let t2 = lexer.lexOpenMetrics()
            guard t2 == .linebreak else { throw syntaxError("expected next entry after exemplar timestamp", t2) }
        default:
            throw syntaxError("expected timestamp or comment", t)
        }
    }
}

extension ArraySlice<UInt8> {
    fileprivate func hasSuffix(_ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard count >= n else { return false }
        return suffix(n).elementsEqual(UnsafeBufferPointer(start: s.utf8Start, count: n))
    }
}
