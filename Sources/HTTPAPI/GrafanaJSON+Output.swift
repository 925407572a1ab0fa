// The response shapes of the Grafana JSON data source API (spec/compat-apis.md §3): time series
// (`datapoints: [[value, ms], …]`), tables (`columns` and `rows`) and series names.

internal import MetricModel
internal import PromQL

/// How a series' labels are written as one name.
enum SeriesNameStyle {
    /// `up{instance="a",job="b"}` with values escaped as in PromQL, and just `up` when the name
    /// is the only label: the `target` of a time series.
    case target
    /// Grafana's `getOriginalMetricName`: values as they are, braces always (`up{}`). Variable
    /// queries answer in this form, so regexes written against Grafana's Prometheus source work.
    case grafanaVariable
}

extension Labels {
    /// The labels as one series name: the metric name, then the other labels in braces.
    func seriesName(_ style: SeriesNameStyle) -> String {
        var name = metricName ?? ""
        var others: [String] = []
        forEach { label, value in
            guard label != Labels.metricNameLabel else { return }
            others.append("\(label)=\(style == .target ? quoteForPromQL(value) : "\"\(value)\"")")
        }
        if style == .grafanaVariable || !others.isEmpty || name.isEmpty {
            name += "{" + others.joined(separator: ",") + "}"
        }
        return name
    }

    /// The name of a query's result series: ``seriesName(_:)`` in the `target` style, or the
    /// query's `expression` for a series without labels (a scalar, `sum(x)`), as Grafana names those.
    func targetName(or expression: String) -> String {
        isEmpty ? expression : seriesName(.target)
    }
}

extension JSONWriter {
    /// A comma before every element but the first.
    mutating func separator(_ first: inout Bool) {
        if !first { byte(UInt8(ascii: ",")) }
        first = false
    }

    /// A sample value as a JSON number; NaN and ±Inf, which JSON cannot write, as `null` (the gap
    /// Grafana draws for a missing point).
    mutating func sampleValue(_ v: Double) {
        if v.isFinite { appendValue(v, to: &bytes) } else { raw("null") }
    }

    /// An integer in decimal (epoch milliseconds), without building a `String`.
    mutating func integer(_ n: Int64) {
        if n < 0 { byte(UInt8(ascii: "-")) }
        var magnitude = n.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") &+ UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// `,"refId":"A"` when the target has one.
    mutating func refId(_ target: GrafanaTarget) {
        guard let refId = target.refId else { return }
        raw(",\"refId\":")
        string(refId)
    }

    /// One time series element per series: `{"target":…,"refId":…,"tags":{…},"datapoints":[[v,ms],…]}`.
    mutating func timeSeries(_ series: [MatrixSeries], of target: GrafanaTarget, first: inout Bool) {
        for s in series {
            separator(&first)
            raw("{\"target\":")
            string(s.labels.targetName(or: target.expression))
            refId(target)
            raw(",\"tags\":")
            PrometheusAPI.writeLabels(s.labels, &self)
            raw(",\"datapoints\":[")
            for (i, sample) in s.samples.enumerated() {
                if i > 0 { byte(UInt8(ascii: ",")) }
                byte(UInt8(ascii: "["))
                sampleValue(sample.value)
                byte(UInt8(ascii: ","))
                integer(sample.timestamp)
                byte(UInt8(ascii: "]"))
            }
            raw("]}")
        }
    }

    /// The table of an instant query's result: a `Time` column, one string column per label name
    /// of any series (sorted, `__name__` included; a series without the label has `""`), and a
    /// `Value` column. A vector gives a row per series, a range vector a row per sample, a scalar
    /// or string one row.
    mutating func table(_ value: PromQLValue, of target: GrafanaTarget) {
        var rows: [(labels: Labels, sample: Sample)] = []
        var text: String?
        switch value {
        case .scalar(let t, let v): rows = [(.empty, Sample(t, v))]
        case .string(let t, let s):
            rows = [(.empty, Sample(t, .nan))]
            text = s
        // Native histograms have no single value for a table cell: only float samples are rows.
        case .vector(let samples): rows = samples.filter { $0.histogram == nil }.map { ($0.labels, Sample($0.timestamp, $0.value)) }
        case .matrix(let series): rows = series.flatMap { s in s.samples.map { (s.labels, $0) } }
        }
        var names = Set<String>()
        for row in rows { row.labels.forEach { name, _ in names.insert(name) } }
        let columns = names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

        raw("{\"type\":\"table\"")
        refId(target)
        raw(",\"columns\":[{\"text\":\"Time\",\"type\":\"time\"}")
        for name in columns {
            raw(",{\"text\":")
            string(name)
            raw(",\"type\":\"string\"}")
        }
        if text == nil {
            raw(",{\"text\":\"Value\",\"type\":\"number\"}],\"rows\":[")
        } else {
            raw(",{\"text\":\"Value\",\"type\":\"string\"}],\"rows\":[")
        }
        for (i, row) in rows.enumerated() {
            if i > 0 { byte(UInt8(ascii: ",")) }
            byte(UInt8(ascii: "["))
            integer(row.sample.timestamp)
            for name in columns {
                byte(UInt8(ascii: ","))
                string(row.labels[name] ?? "")
            }
            byte(UInt8(ascii: ","))
            if let text { string(text) } else { sampleValue(row.sample.value) }
            byte(UInt8(ascii: "]"))
        }
        raw("]}")
    }

    /// `[…]` with one element per item, each written by `element`.
    mutating func array<Item>(_ items: [Item], _ element: (inout JSONWriter, Item) -> Void) {
        byte(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { byte(UInt8(ascii: ",")) }
            element(&self, item)
        }
        byte(UInt8(ascii: "]"))
    }

    /// `[{"__text":"v","__value":"v"},…]`: the answer to a variable query.
    mutating func variableOptions(_ values: [String]) {
        array(values) { w, value in
            w.raw("{\"__text\":")
            w.string(value)
            w.raw(",\"__value\":")
            w.string(value)
            w.byte(UInt8(ascii: "}"))
        }
    }
}
