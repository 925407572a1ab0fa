// Warnings and infos collected while evaluating, with Prometheus's texts
// (`util/annotations/annotations.go`). Like Prometheus, annotations are de-duplicated by
// their text without position; the position is added when they are rendered for a query.

import MetricModel

/// The annotations of one query evaluation.
struct AnnotationSet {
    enum Kind { case warning, info }

    struct Entry {
        var kind: Kind
        /// Full text without position, e.g. `PromQL warning: quantile value should be between 0 and 1, got 2`.
        var text: String
        var position: PositionRange?
        /// Forced-monotonicity details, merged across steps.
        var monotonicity: Monotonicity?
    }

    /// `histogram_quantile` monotonicity fix details (`histogramQuantileForcedMonotonicityErr`).
    struct Monotonicity {
        var minTime: Timestamp, maxTime: Timestamp
        var minBucket: Double, maxBucket: Double, maxDiff: Double
        var count: Int
    }

    private(set) var entries: [Entry] = []
    private var indexByText: [String: Int] = [:]

    mutating func add(_ kind: Kind, _ text: String, at position: PositionRange?) {
        add(Entry(kind: kind, text: text, position: position))
    }

    mutating func warn(_ text: String, at position: PositionRange?) {
        add(.warning, "PromQL warning: " + text, at: position)
    }

    mutating func info(_ text: String, at position: PositionRange?) {
        add(.info, "PromQL info: " + text, at: position)
    }

    mutating func add(_ entry: Entry) {
        if let i = indexByText[entry.text] {
            var merged = entry
            if let new = entry.monotonicity, let old = entries[i].monotonicity {
                merged.monotonicity = Monotonicity(
                    minTime: Swift.min(new.minTime, old.minTime), maxTime: Swift.max(new.maxTime, old.maxTime),
                    minBucket: Swift.min(new.minBucket, old.minBucket), maxBucket: Swift.max(new.maxBucket, old.maxBucket),
                    maxDiff: Swift.max(new.maxDiff, old.maxDiff), count: old.count + new.count + 1)
            }
            entries[i] = merged
        } else {
            indexByText[entry.text] = entries.count
            entries.append(entry)
        }
    }

    /// Warnings and infos as Prometheus's API writes them; with `query`, each ends in
    /// ` (line:column)` of the expression that caused it.
    func rendered(query: String?) -> Annotations {
        var result = Annotations()
        for e in entries {
            var text = e.text
            if let query, !query.isEmpty {
                if let m = e.monotonicity {
                    text += ", from buckets \(goFormatG(m.minBucket)) to \(goFormatG(m.maxBucket))"
                    text += ", with a max diff of \(goFormatPercentG2(m.maxDiff)), over \(m.count + 1) samples"
                    text += " from \(rfc3339Seconds(m.minTime)) to \(rfc3339Seconds(m.maxTime))"
                }
                if let p = e.position {
                    text += " (\(ParseError.lineColumn(of: p.start, in: query)))"
                }
            }
            switch e.kind {
            case .warning: result.warnings.append(text)
            case .info: result.infos.append(text)
            }
        }
        return result
    }
}

/// Go's `%.2g`.
private func goFormatPercentG2(_ v: Double) -> String {
    if !v.isFinite || v == 0 { return goFormatG(v) }
    // Round to two significant digits, then print like %g does.
    let exponent = Int((v.magnitude).exponentBase10)
    let scale = GoMath.pow(10, Double(1 - exponent))
    let rounded = (v * scale).rounded(.toNearestOrEven) / scale
    return goFormatG(rounded)
}

extension Double {
    /// floor(log10(|self|)) for finite non-zero values.
    fileprivate var exponentBase10: Double { (GoMath.log10(self)).rounded(.down) }
}

/// `time.Unix(ms/1000, 0).UTC().Format(time.RFC3339)`.
private func rfc3339Seconds(_ ms: Timestamp) -> String {
    formatRFC3339Seconds(ms / 1000)
}
