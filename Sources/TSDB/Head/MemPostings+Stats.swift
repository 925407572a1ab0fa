// MemPostings+Stats: the cardinality statistics behind `/api/v1/status/tsdb`.

internal import MetricModel

/// One cardinality statistic: a name (a metric, a label name or a `name=value` pair) and a count.
package struct CardinalityStat: Sendable, Equatable {
    package var name: String
    package var count: UInt64

    package init(name: String, count: UInt64) {
        self.name = name
        self.count = count
    }
}

/// The head index's highest cardinalities, as Prometheus's `index.PostingsStats`.
package struct PostingsStats: Sendable {
    /// Series per value of the chosen label (`__name__`: series per metric name).
    package var seriesCountByMetricName: [CardinalityStat] = []
    /// Distinct values per label name.
    package var labelValueCountByLabelName: [CardinalityStat] = []
    /// Approximate bytes the label's pairs take across all series, per label name.
    package var memoryInBytesByLabelName: [CardinalityStat] = []
    /// Series per `name=value` pair.
    package var seriesCountByLabelValuePair: [CardinalityStat] = []
    /// Label pairs (name, value) in the index, counted once each.
    package var numLabelPairs = 0
}

extension MemPostings {
    /// The `limit` highest counts of each statistic, highest first (ties by name, so the answer
    /// is stable; Prometheus leaves their order to map iteration).
    func stats(byValuesOf label: String, limit: Int) -> PostingsStats {
        var metrics: [CardinalityStat] = []
        var labelNames: [CardinalityStat] = []
        var memory: [CardinalityStat] = []
        var pairs: [CardinalityStat] = []
        var numLabelPairs = 0
        forEachLabel { name, values in
            guard !name.isEmpty else { return }
            labelNames.append(CardinalityStat(name: name, count: UInt64(values.count)))
            numLabelPairs += values.count
            var bytes: UInt64 = 0
            for (value, seriesCount) in values {
                let series = UInt64(seriesCount)
                if name == label { metrics.append(CardinalityStat(name: value, count: series)) }
                pairs.append(CardinalityStat(name: name + "=" + value, count: series))
                bytes += Self.encodedSize(name, value) * series
            }
            memory.append(CardinalityStat(name: name, count: bytes))
        }
        return PostingsStats(
            seriesCountByMetricName: Self.top(metrics, limit),
            labelValueCountByLabelName: Self.top(labelNames, limit),
            memoryInBytesByLabelName: Self.top(memory, limit),
            seriesCountByLabelValuePair: Self.top(pairs, limit),
            numLabelPairs: numLabelPairs)
    }

    /// Bytes one label pair takes in Prometheus's string-labels encoding (a length prefix of 1 or
    /// 4 bytes before each of name and value): `SizeOfLabels`.
    static func encodedSize(_ name: String, _ value: String) -> UInt64 {
        func size(_ count: Int) -> UInt64 { UInt64(count) + (count < 255 ? 1 : 4) }
        return size(name.utf8.count) + size(value.utf8.count)
    }

    static func top(_ stats: [CardinalityStat], _ limit: Int) -> [CardinalityStat] {
        let sorted = stats.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.name.utf8.lexicographicallyPrecedes($1.name.utf8)
        }
        return Array(sorted.prefix(limit))
    }
}

extension Head {
    /// Cardinality statistics of the head's index, `limit` entries per list, with series counted
    /// per metric name.
    package func postingsStats(limit: Int) -> PostingsStats {
        postings.stats(byValuesOf: Labels.metricNameLabel, limit: limit)
    }
}
