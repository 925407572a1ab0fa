// POST /grafana/variable: dashboard variable queries in the forms Grafana's Prometheus data
// source understands (`label_values`, `label_names`, `metrics`, `query_result`, a series selector).

#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
internal import MetricModel
internal import PromQL

/// A variable query's text, taken apart (Grafana's `metricFindQuery` forms).
enum VariableQuery: Equatable {
    /// `label_names()` or `label_names(<selector>)`.
    case labelNames(selector: String?)
    /// `label_values(<label>)` or `label_values(<selector>, <label>)`.
    case labelValues(selector: String?, label: String)
    /// `metrics(<regex>)`.
    case metrics(regex: String)
    /// `query_result(<expr>)`.
    case queryResult(expression: String)
    /// Anything else that is not empty: a series selector whose series are listed.
    case series(selector: String)
    /// Empty text, or `label_values()`, `metrics()`, `query_result()` with nothing in the
    /// parentheses (which Grafana answers with no options): nothing to list.
    case none

    init(_ text: String) {
        let trimmed = Self.trimmed(Substring(text))
        if let inner = Self.arguments(of: "label_names", in: trimmed) {
            self = .labelNames(selector: inner.isEmpty ? nil : inner)
        } else if let inner = Self.arguments(of: "label_values", in: trimmed) {
            // The label comes last and has no comma; a selector before it may have commas.
            if inner.isEmpty {
                self = .none
            } else if let comma = inner.lastIndex(of: ",") {
                let selector = Self.trimmed(inner[..<comma])
                let label = Self.trimmed(inner[inner.index(after: comma)...])
                self = .labelValues(selector: String(selector), label: String(label))
            } else {
                self = .labelValues(selector: nil, label: inner)
            }
        } else if let inner = Self.arguments(of: "metrics", in: trimmed) {
            self = inner.isEmpty ? .none : .metrics(regex: inner)
        } else if let inner = Self.arguments(of: "query_result", in: trimmed) {
            self = inner.isEmpty ? .none : .queryResult(expression: inner)
        } else {
            self = trimmed.isEmpty ? .none : .series(selector: String(trimmed))
        }
    }

    /// The trimmed text between `name(` and the final `)`, or nil when `text` is not that call.
    private static func arguments(of name: String, in text: Substring) -> String? {
        guard text.hasPrefix(name), text.hasSuffix(")") else { return nil }
        let rest = Self.trimmed(text.dropFirst(name.count))
        guard rest.first == "(" else { return nil }
        return String(Self.trimmed(rest.dropFirst().dropLast()))
    }

    private static func trimmed(_ s: Substring) -> Substring {
        var s = s.drop(while: \.isWhitespace)
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return s
    }
}

extension PrometheusAPI {
    /// `POST /grafana/variable`, body `{"payload":{"target":"<query>"},"range":{from,to}}` (the
    /// payload may also be the query string itself): `[{"__text":…,"__value":…}]`.
    ///
    /// - `label_names()`: label names; `label_values(job)`, `label_values(up{a="b"}, job)`: values;
    ///   `metrics(<regex>)`: metric names the regex matches anywhere; these within `range` when given.
    /// - `query_result(<expr>)`: an instant query at `range.to` (now without a range), each sample as
    ///   Grafana writes it: `name{a="b"} <value> <ms>`; a scalar or string as its value alone.
    /// - any other text: a series selector; its series as `name{a="b"}` (Grafana's form).
    func grafanaVariable(_ body: JSONField) throws(APIError) -> [UInt8] {
        let payload = body["payload"]
        let text: String
        let path: String
        if case .string(let s)? = payload.value {
            (text, path) = (s, payload.path)
        } else {
            try payload.requireObject()
            (text, path) = (try payload["target"].string() ?? "", payload["target"].path)
        }
        let range = body["range"].isAbsent ? nil : try GrafanaRange(body["range"])
        let (minTime, maxTime) = range.map { ($0.from, $0.to) } ?? (Self.defaultMinTime, Self.defaultMaxTime)
        let values: [String]
        switch VariableQuery(text) {
        case .none:
            values = []
        case .labelNames(let selector):
            let matchers = try Self.variableSelector(selector, at: path)
            values = try storageRead { try storage.labelNames(matchers: matchers, minTime: minTime, maxTime: maxTime) }
        case .labelValues(let selector, let label):
            guard Self.isLabelName(label) else {
                throw JSONField.invalid(path, "\(goQuote(label)) is not a valid label name")
            }
            let matchers = try Self.variableSelector(selector, at: path)
            values = try storageRead {
                try storage.labelValues(name: label, matchers: matchers, minTime: minTime, maxTime: maxTime)
            }
        case .metrics(let regex):
            values = try grafanaMetricNames(matching: regex, at: path, minTime: minTime, maxTime: maxTime)
        case .queryResult(let expression):
            let time = range?.to ?? Timestamp(Date().timeIntervalSince1970 * 1000)
            values = try queryResultTexts(expression, at: time, path: path)
        case .series(let selector):
            let matchers = try Self.variableSelector(selector, at: path)
            if matchers.allSatisfy(\.matchesEmpty) {
                throw JSONField.invalid(path, "the selector needs a matcher that does not match the empty string")
            }
            let series = try storageRead {
                try storage.select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: true)
            }
            values = series.map { $0.labels.seriesName(.grafanaVariable) }
        }
        var w = JSONWriter(capacity: values.count * 48 + 2)
        w.variableOptions(values)
        return w.bytes
    }

    /// `query_result(expr)`: the texts Grafana's Prometheus data source makes of an instant query.
    private func queryResultTexts(_ expression: String, at time: Timestamp, path: String) throws(APIError) -> [String] {
        let expr = try grafanaExpression(expression, at: path)
        let engine = Engine(querier: queryable, options: engineOptionsAfterQueue)
        let result = try Self.evaluate(path) { () throws(QueryError) in
            try engine.instantQuery(expr, at: time, query: expression)
        }
        switch result.value {
        case .scalar(_, let v): return [formatValue(v)]
        case .string(_, let s): return [s]
        case .vector(let samples):
            return samples.map { "\($0.labels.seriesName(.grafanaVariable)) \(formatValue($0.value)) \($0.timestamp)" }
        case .matrix(let series):
            return series.flatMap { s in
                s.samples.map { "\(s.labels.seriesName(.grafanaVariable)) \(formatValue($0.value)) \($0.timestamp)" }
            }
        }
    }

    /// The matchers of an optional series selector; a parse error names `path`.
    private static func variableSelector(_ selector: String?, at path: String) throws(APIError) -> [LabelMatcher] {
        guard let selector, !selector.isEmpty else { return [] }
        do { return try parseMetricSelector(selector) } catch {
            throw JSONField.invalid(path, "\(error)")
        }
    }

    /// Grafana's label name rule for `label_values` (`[a-zA-Z_][a-zA-Z0-9_]*`).
    private static func isLabelName(_ s: String) -> Bool {
        guard let first = s.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return s.utf8.allSatisfy { b in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "_")
        }
    }
}
