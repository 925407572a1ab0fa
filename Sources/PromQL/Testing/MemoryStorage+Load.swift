// Executing `load` commands into a MemoryStorage, including `load_with_nhcb`'s conversion of
// classic histograms into native-histogram series (`spec/promqltest-dsl.md` §4).

import MetricModel

extension MemoryStorage {
    /// Storage holding the series of a script made only of `load` blocks.
    ///
    /// ```swift
    /// let storage = try MemoryStorage(loading: """
    ///     load 1m
    ///       http_requests{job="api"} 0+10x10
    ///     """)
    /// ```
    ///
    /// - Throws: `PromQLTestError` for a syntax error, a non-load command or an out-of-order sample.
    package init(loading script: String) throws(PromQLTestError) {
        self.init()
        let file = try PromQLTestFile(parsing: script, name: "load")
        for command in file.commands {
            switch command {
            case .load(let load): try apply(load, file: file.name)
            case .clear(let line): throw PromQLTestError(.syntax, file: file.name, line: line, "only load commands are accepted")
            case .eval(let eval): throw PromQLTestError(.syntax, file: file.name, line: eval.line, "only load commands are accepted")
            }
        }
    }

    /// Appends the samples of a `load` block: value `i` of a series at `i * step` ms.
    ///
    /// Float values (stale markers included) are stored, with the start timestamps of an `@st`
    /// line (sample time plus offset); a series with any `{{…}}` value is
    /// marked as a native-histogram series. With `load_with_nhcb`, every classic histogram
    /// (`x_bucket` with a numeric `le`, `x_count`, `x_sum`) also yields the series `x{…}`
    /// (without `le`), marked as native-histogram.
    ///
    /// - Throws: `PromQLTestError` with code `.load` when a sample is not after the series'
    ///   last one (Prometheus loads with no out-of-order window).
    package mutating func apply(_ load: LoadCommand, file: String) throws(PromQLTestError) {
        for s in load.series {
            var samples: [Sample] = []
            var startTimestamps: [Timestamp: Timestamp] = [:]
            samples.reserveCapacity(s.values.count)
            for (i, value) in s.values.enumerated() {
                guard case .float(let v) = value else { continue }
                let t = Int64(i) * load.stepMilliseconds
                samples.append(Sample(t, v))
                if let offsets = s.startTimestampOffsets, i < offsets.count, let offset = offsets[i] {
                    startTimestamps[t] = t &+ offset
                }
            }
            do { try append(s.labels, samples, startTimestamps: startTimestamps) } catch {
                throw PromQLTestError(.load, file: file, line: s.line, "\(error.message) loading \(s.labels)")
            }
            if s.hasHistograms { markNativeHistogram(s.labels) }
        }
        if load.withNHCB {
            for labels in Self.nativeHistogramsWithCustomBuckets(load.series) { markNativeHistogram(labels) }
        }
    }

    /// The series `load_with_nhcb` creates: one per classic histogram with float samples.
    static func nativeHistogramsWithCustomBuckets(_ series: [LoadCommand.Series]) -> [Labels] {
        var result: Set<Labels> = []
        for s in series {
            guard let name = s.labels.metricName, s.values.contains(where: { if case .float = $0 { true } else { false } })
            else { continue }
            let base: Substring
            if name.hasSuffix("_bucket") {
                guard let le = s.labels["le"], let bound = parseGoNumber(le), !bound.isNaN else { continue }
                base = name.dropLast("_bucket".count)
            } else if name.hasSuffix("_count") {
                base = name.dropLast("_count".count)
            } else if name.hasSuffix("_sum") {
                base = name.dropLast("_sum".count)
            } else {
                continue
            }
            var builder = LabelsBuilder(s.labels)
            builder.remove("le")
            builder.set(Labels.metricNameLabel, String(base))
            result.insert(builder.labels())
        }
        return result.sorted()
    }
}
