// The Grafana JSON data source's lists (spec/compat-apis.md §3): metric names for the query
// builder (`/metrics`, `/metric-payload-options`) and simple-json's `/search`, and label names and
// values for ad-hoc filters (`/tag-keys`, `/tag-values`). All from the whole stored time range.

internal import MetricModel
internal import PromQL

extension PrometheusAPI {
    /// The one payload the query builder offers with every metric: whether to answer a time
    /// series or a table (``GrafanaTarget/table``).
    private static let formatPayload =
        #"{"name":"format","label":"Format","type":"select","options":"# + formatOptions + "}"
    private static let formatOptions =
        #"[{"label":"Time series","value":"time_series"},{"label":"Table","value":"table"}]"#

    /// `POST /grafana/metrics`, body `{}` or `{"metric":…,"payload":{…}}` (or none): every metric
    /// name as `{"value":"<name>","payloads":[<format>]}`, sorted.
    func grafanaMetrics(_ body: JSONField) throws(APIError) -> [UInt8] {
        _ = try body["metric"].string()
        try body["payload"].object()
        let names = try grafanaMetricNames(matching: nil, at: "")
        var w = JSONWriter(capacity: names.count * (Self.formatPayload.utf8.count + 48) + 2)
        w.array(names) { w, name in
            w.raw("{\"value\":")
            w.string(name)
            w.raw(text: ",\"payloads\":[\(Self.formatPayload)]}")
        }
        return w.bytes
    }

    /// `POST /grafana/metric-payload-options`, body `{"metric","payload":{…},"name"}`: the options
    /// of the `format` payload; `[]` for any other name.
    func grafanaMetricPayloadOptions(_ body: JSONField) throws(APIError) -> [UInt8] {
        _ = try body["metric"].string()
        try body["payload"].object()
        let name = try body["name"].string()
        return Array((name == "format" ? Self.formatOptions : "[]").utf8)
    }

    /// `POST /grafana/search` (simple-json), body `{"target":"<regex>"}`: the metric names the
    /// regular expression matches anywhere in the name (all of them when it is empty or absent),
    /// as plain strings.
    func grafanaSearch(_ body: JSONField) throws(APIError) -> [UInt8] {
        var w = JSONWriter(capacity: 4096)
        w.stringArray(try grafanaMetricNames(matching: try body["target"].string(), at: body["target"].path))
        return w.bytes
    }

    /// `POST /grafana/tag-keys`: every label name as `{"type":"string","text":"<name>"}`; the
    /// request's ad-hoc `filters`, when given, narrow the series looked at.
    func grafanaTagKeys(_ body: JSONField) throws(APIError) -> [UInt8] {
        let matchers = try AdHocFilters.matchers(body)
        let names = try storageRead {
            try storage.labelNames(matchers: matchers, minTime: Self.defaultMinTime, maxTime: Self.defaultMaxTime)
        }
        return Self.textObjects(names, opening: "{\"type\":\"string\",\"text\":")
    }

    /// `POST /grafana/tag-values`, body `{"key":"job"}`: the label's values as `{"text":"<value>"}`;
    /// the request's ad-hoc `filters` on other keys, when given, narrow the series looked at.
    func grafanaTagValues(_ body: JSONField) throws(APIError) -> [UInt8] {
        let key = try body["key"].requiredString()
        if key.isEmpty { throw body["key"].invalid("must not be empty") }
        let matchers = try AdHocFilters.matchers(body).filter { $0.name != key }
        let values = try storageRead {
            try storage.labelValues(
                name: key, matchers: matchers, minTime: Self.defaultMinTime, maxTime: Self.defaultMaxTime)
        }
        return Self.textObjects(values, opening: "{\"text\":")
    }

    /// `[<opening>"<text>"},…]`: an object per text, its other members in `opening`.
    private static func textObjects(_ texts: [String], opening: StaticString) -> [UInt8] {
        var w = JSONWriter(capacity: texts.count * (opening.utf8CodeUnitCount + 24) + 2)
        w.array(texts) { w, text in
            w.raw(opening)
            w.string(text)
            w.byte(UInt8(ascii: "}"))
        }
        return w.bytes
    }

    /// The stored metric names, sorted; with `regex`, those it matches anywhere in the name (as
    /// JavaScript's `RegExp.test`, which Grafana's `metrics(…)` uses). A bad regex names `path`.
    func grafanaMetricNames(
        matching regex: String?, at path: String, minTime: Timestamp = defaultMinTime,
        maxTime: Timestamp = defaultMaxTime
    ) throws(APIError) -> [String] {
        var matchers: [LabelMatcher] = []
        if let regex, !regex.isEmpty {
            do {
                // Checked alone first, so that the error quotes the expression as written.
                _ = try LabelMatcher(.regexMatch, Labels.metricNameLabel, regex)
                matchers.append(try LabelMatcher(.regexMatch, Labels.metricNameLabel, ".*(?:\(regex)).*"))
            } catch {
                throw JSONField.invalid(path, "\(error)")
            }
        }
        return try storageRead {
            try storage.labelValues(
                name: Labels.metricNameLabel, matchers: matchers, minTime: minTime, maxTime: maxTime)
        }
    }

    /// A storage read; its failure is an internal error (the request was fine).
    func storageRead<T>(_ read: () throws -> T) throws(APIError) -> T {
        do { return try read() } catch { throw APIError(.internal, "\(error)") }
    }
}
