// POST /grafana/annotations (simple-json; spec/compat-apis.md §3): an annotation per sample of a
// PromQL range query, as Grafana's Prometheus data source makes annotations of a query.

internal import MetricModel
internal import PromQL

extension PrometheusAPI {
    /// The step of annotation queries, as Grafana's Prometheus annotations use by default.
    static let annotationStepMs: Int64 = 60_000

    /// `POST /grafana/annotations`, body `{range, annotation:{query:"<PromQL>", name, …}}`: a range
    /// query over `range` at 60 s steps (coarser when the range needs more than 11,000 steps); each
    /// sample becomes `{"annotation":<the request's annotation object>,"time":<ms>,"title":<series
    /// name>,"text":<value as Prometheus writes it>,"tags":["label=value",…]}` (tags without
    /// `__name__`). An empty query answers `[]`.
    func grafanaAnnotations(_ body: JSONField) throws(APIError) -> [UInt8] {
        let range = try GrafanaRange(body["range"])
        let annotation = body["annotation"]
        try annotation.requireObject()
        let query = try annotation["query"].string() ?? ""
        if query.allSatisfy(\.isWhitespace) { return Array("[]".utf8) }
        let expr = try grafanaExpression(query, at: annotation["query"].path)
        let step = range.step(atLeast: Self.annotationStepMs)
        let engine = Engine(querier: queryable, options: engineOptionsAfterQueue)
        let result = try Self.evaluate(annotation["query"].path) { () throws(QueryError) in
            try engine.rangeQuery(expr, start: range.from, end: range.to, step: step, query: query)
        }
        var echo = JSONWriter()
        annotation.value?.write(to: &echo)

        var w = JSONWriter(capacity: 4096)
        w.byte(UInt8(ascii: "["))
        var first = true
        if case .matrix(let series) = result.value {
            for s in series {
                let title = s.labels.targetName(or: query)
                var tags: [String] = []
                s.labels.forEach { name, value in
                    if name != Labels.metricNameLabel { tags.append("\(name)=\(value)") }
                }
                for sample in s.samples {
                    w.separator(&first)
                    w.raw("{\"annotation\":")
                    w.bytes.append(contentsOf: echo.bytes)
                    w.raw(",\"time\":")
                    w.integer(sample.timestamp)
                    w.raw(",\"title\":")
                    w.string(title)
                    w.raw(",\"text\":")
                    w.string(formatValue(sample.value))
                    w.raw(",\"tags\":")
                    w.stringArray(tags)
                    w.byte(UInt8(ascii: "}"))
                }
            }
        }
        w.byte(UInt8(ascii: "]"))
        return w.bytes
    }
}
