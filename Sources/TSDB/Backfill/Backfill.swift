// Backfill: turns a list of series with samples into blocks, as `promtool tsdb create-blocks-from` does.

package import MetricModel
#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// Builds blocks from historical samples (`sugarmill tsdb create-blocks-from openmetrics`).
package enum Backfill {
    /// Writes one block per aligned `blockDurationMs` window that holds samples, like promtool 2.42:
    /// windows start at `(minTime / duration) * duration` (Go's truncating division), each block
    /// spans its first sample to its last sample + 1, and chunks are cut by the head's rules
    /// (120 samples at a steady rate, never across the window). Within a window a sample that
    /// is not newer than the previous sample of its series is dropped (the first value wins).
    /// - Returns: the metas of the blocks written, oldest first.
    package static func createBlocks(
        from series: [(labels: Labels, samples: [Sample])], into directory: URL,
        blockDurationMs: Int64 = 2 * 3600 * 1000
    ) throws -> [BlockMeta] {
        // Only windows that hold samples (a sparse input may span years).
        let minT = series.flatMap { $0.samples.map(\.timestamp) }.min() ?? 0
        let origin = (minT / blockDurationMs) * blockDurationMs
        var windows = Set<Timestamp>()
        for (_, samples) in series {
            for sample in samples { windows.insert(origin + (sample.timestamp - origin) / blockDurationMs * blockDurationMs) }
        }
        guard !windows.isEmpty else { return [] }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var metas: [BlockMeta] = []
        var generator = SystemRandomNumberGenerator()
        for start in windows.sorted() {
            let end = start + blockDurationMs
            let head = Head(chunkRange: blockDurationMs)
            var blockMin = Timestamp.max
            var blockMax = Timestamp.min
            for (labels, samples) in series {
                var created: MemSeries?
                for sample in samples where sample.timestamp >= start && sample.timestamp < end {
                    let memSeries = created ?? head.getOrCreate(labels: labels).series
                    created = memSeries
                    if memSeries.append(sample.timestamp, sample.value, chunkRange: blockDurationMs).appended {
                        blockMin = Swift.min(blockMin, sample.timestamp)
                        blockMax = Swift.max(blockMax, sample.timestamp)
                    }
                }
            }
            if blockMin <= blockMax {
                let all = [try LabelMatcher(.regexMatch, Labels.metricNameLabel, ".*")]
                let data = try head.select(matchers: all, minTime: .min, maxTime: .max, sorted: true)
                let ulid = ULID(timestampMs: Int64(Date().timeIntervalSince1970 * 1000), using: &generator)
                metas.append(try BlockWriter.write(series: data, minTime: blockMin, maxTime: blockMax + 1, into: directory, ulid: ulid))
            }
        }
        return metas
    }
}
