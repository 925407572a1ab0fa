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
    /// Floats (stale markers included) and `{{…}}` histograms are stored, with the start
    /// timestamps of an `@st` line (sample time plus offset). With `load_with_nhcb`, every
    /// classic histogram (`x_bucket` with a numeric `le`, `x_count`, `x_sum`) also becomes a
    /// series `x{…}` (without `le`) of native histograms with custom buckets, one per timestamp.
    ///
    /// - Throws: `PromQLTestError` with code `.load` when a sample is not after the series'
    ///   last one (Prometheus loads with no out-of-order window), or a classic histogram does
    ///   not convert.
    package mutating func apply(_ load: LoadCommand, file: String) throws(PromQLTestError) {
        for s in load.series {
            var values: [(Timestamp, Value)] = []
            var startTimestamps: [Timestamp: Timestamp] = [:]
            values.reserveCapacity(s.values.count)
            for (i, value) in s.values.enumerated() {
                let t = Int64(i) * load.stepMilliseconds
                switch value {
                case .omitted: continue
                case .float(let v): values.append((t, .float(v)))
                case .histogram(let h): values.append((t, .histogram(h.histogram)))
                }
                if let offsets = s.startTimestampOffsets, i < offsets.count, let offset = offsets[i] {
                    startTimestamps[t] = t &+ offset
                }
            }
            do {
                if s.hasHistograms {
                    try append(s.labels, values: values, startTimestamps: startTimestamps)
                } else {
                    let samples = values.map { t, v in if case .float(let f) = v { Sample(t, f) } else { Sample(t, 0) } }
                    try append(s.labels, samples, startTimestamps: startTimestamps)
                }
            } catch {
                throw PromQLTestError(.load, file: file, line: s.line, "\(error.message) loading \(s.labels)")
            }
        }
        if load.withNHCB {
            for (labels, samples) in try Self.nativeHistogramsWithCustomBuckets(load, file: file) {
                do { try append(labels, values: samples.map { ($0.timestamp, .histogram($0.histogram)) }) } catch {
                    throw PromQLTestError(.load, file: file, line: load.line, "\(error.message) loading \(labels)")
                }
            }
        }
    }

    /// The series `load_with_nhcb` creates (the harness's `appendCustomHistogram`): one per
    /// classic histogram, with a histogram at every timestamp where any of its float series has
    /// a sample. Sorted by labels.
    static func nativeHistogramsWithCustomBuckets(
        _ load: LoadCommand, file: String
    ) throws(PromQLTestError) -> [(Labels, [HistogramSample])] {
        var conversions: [Labels: [Timestamp: ClassicHistogramConversion]] = [:]
        for s in load.series {
            guard let name = s.labels.metricName else { continue }
            enum Part { case bucket(Double), count, sum }
            let part: Part
            let base: Substring
            if name.hasSuffix("_bucket") {
                guard let le = s.labels["le"], case .success(let bound) = goParseFloat(le), !bound.isNaN else { continue }
                part = .bucket(bound)
                base = name.dropLast("_bucket".count)
            } else if name.hasSuffix("_sum") {
                part = .sum
                base = name.dropLast("_sum".count)
            } else if name.hasSuffix("_count") {
                part = .count
                base = name.dropLast("_count".count)
            } else {
                continue
            }
            var builder = LabelsBuilder(s.labels)
            builder.remove("le")
            builder.set(Labels.metricNameLabel, String(base))
            let labels = builder.labels()
            var byTime = conversions[labels] ?? [:]
            for (i, value) in s.values.enumerated() {
                guard case .float(let v) = value else { continue }
                let t = Int64(i) * load.stepMilliseconds
                var c = byTime[t] ?? ClassicHistogramConversion()
                // An error sticks to the conversion and is reported when it converts.
                switch part {
                case .bucket(let le): try? c.setBucketCount(le: le, v)
                case .count: try? c.setCount(v)
                case .sum: c.setSum(v)
                }
                byTime[t] = c
            }
            conversions[labels] = byTime
        }
        var result: [(Labels, [HistogramSample])] = []
        for labels in conversions.keys.sorted() {
            var samples: [HistogramSample] = []
            for (t, c) in conversions[labels]!.sorted(by: { $0.key < $1.key }) {
                let h: FloatHistogram
                do { h = try c.convert().floatHistogram } catch {
                    throw PromQLTestError(.load, file: file, line: load.line, "\(error)")
                }
                do { try h.validate() } catch {
                    throw PromQLTestError(.load, file: file, line: load.line, "\(error)")
                }
                samples.append(HistogramSample(t, h))
            }
            result.append((labels, samples))
        }
        return result
    }
}
