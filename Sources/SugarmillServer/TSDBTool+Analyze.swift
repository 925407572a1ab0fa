// `sugarmill tsdb analyze`: churn, label pair cardinality and chunk fullness of one block, printed
// line for line as promtool 2.42's `tsdb analyze` (cmd/promtool/tsdb.go, analyzeBlock).

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif
internal import MetricModel
internal import TSDB

extension TSDBTool {
    /// The text `promtool tsdb analyze [--limit N] [--extended] <dir> [<block id>]` prints.
    ///
    /// Without `blockID` the last block after sorting by min time (Go's unstable `sort.Slice` over
    /// directory order, ported exactly) is analyzed, as promtool does. Every list is cut to `limit`
    /// lines and sorted by Go's `sort.Slice`, so equal counts come out in promtool's order where
    /// promtool's input order is fixed (label names, metric names). The three lists promtool builds
    /// from Go maps (churn by pair and by name, most common pairs) have a random tie order in
    /// promtool itself; here they are fed to the sort in key order, one of promtool's possible outputs.
    ///
    /// - Parameters:
    ///   - directory: data directory holding block directories.
    ///   - blockID: the ULID of the block to analyze; nil for the last one.
    ///   - limit: how many lines each list shows (promtool's `--limit`, 20 by default).
    ///   - extended: append the chunk fullness histogram (promtool's `--extended`).
    /// - Throws: `ToolError("block <id> not found")` as promtool words it, or the block's read error.
    package static func analyze(_ directory: URL, blockID: String?, limit: Int, extended: Bool = false) throws -> String {
        var blocks = try openBlocks(directory)
        defer { blocks.forEach { $0.close() } }
        // Go's DBReadOnly.Blocks: directory (name) order, then sort.Slice by min time.
        blocks.sort { $0.directory.lastPathComponent < $1.directory.lastPathComponent }
        goSortSlice(&blocks) { $0.meta.minTime < $1.meta.minTime }
        let block: BlockReader?
        if let blockID, !blockID.isEmpty {
            block = blocks.first { $0.meta.ulid.string == blockID }
        } else {
            block = blocks.last
        }
        guard let block else { throw ToolError("block \(blockID ?? "") not found") }
        var out = try analyze(block, limit: limit)
        if extended { out += try compactionAnalysis(block) }
        return out
    }

    /// The lists of `analyzeBlock` for one block.
    static func analyze(_ block: BlockReader, limit: Int) throws -> String {
        let meta = block.meta
        let duration = meta.maxTime &- meta.minTime
        var out = "Block ID: \(meta.ulid.string)\n"
        out += "Duration: \(goDuration(milliseconds: duration))\n"
        out += "Series: \(meta.stats.numSeries)\n"
        let labelNames = try block.labelNames(matchers: [], minTime: .min, maxTime: .max)
        out += "Label names: \(labelNames.count)\n"

        var labelsUncovered: [String: UInt64] = [:]
        var pairsUncovered: [String: UInt64] = [:]
        var pairsCount: [String: UInt64] = [:]
        var entries = 0
        for id in try block.allSeriesIDs() {
            let series = try block.series(id: id)
            // Block time not covered by the series; uint64 arithmetic wraps as in Go.
            var uncovered = UInt64(bitPattern: duration)
            if let first = series.chunks.first, let last = series.chunks.last {
                uncovered &-= UInt64(bitPattern: last.maxTime &- first.minTime)
            }
            series.labels.forEach { name, value in
                let key = name + "=" + value
                labelsUncovered[name, default: 0] &+= uncovered
                pairsUncovered[key, default: 0] &+= uncovered
                pairsCount[key, default: 0] += 1
                entries += 1
            }
        }
        out += "Postings (unique label pairs): \(pairsUncovered.count)\n"
        out += "Postings entries (total label pairs): \(entries)\n"

        func churn(_ uncovered: [String: UInt64]) -> [(key: String, metric: UInt64)] {
            byKey(uncovered).map { ($0.key, goUInt64(Double($0.value) / Double(duration))) }
        }
        out += section("Label pairs most involved in churning:", churn(pairsUncovered), limit: limit)
        out += section("Label names most involved in churning:", churn(labelsUncovered), limit: limit)
        out += section("Most common label pairs:", byKey(pairsCount).map { ($0.key, $0.value) }, limit: limit)

        var lengths: [(key: String, metric: UInt64)] = []
        var cardinalities: [(key: String, metric: UInt64)] = []
        for name in labelNames {
            let values = try block.labelValues(name: name, matchers: [], minTime: .min, maxTime: .max)
            lengths.append((name, values.reduce(0) { $0 + UInt64($1.utf8.count) }))
            cardinalities.append((name, UInt64(values.count)))
        }
        out += section("Label names with highest cumulative label value length:", lengths, limit: limit)
        out += section("Highest cardinality labels:", cardinalities, limit: limit)
        let metricNames = try block.postingsCounts(name: "__name__").map { (key: $0.value, metric: UInt64($0.count)) }
        out += section("Highest cardinality metric names:", metricNames, limit: limit)
        return out
    }

    /// A map's entries in bytewise key order (a fixed stand-in for Go's random map order).
    static func byKey(_ map: [String: UInt64]) -> [(key: String, value: UInt64)] {
        map.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// One titled list: sorted by metric, descending, with Go's `sort.Slice`, then cut to `limit`.
    static func section(_ title: String, _ infos: [(key: String, metric: UInt64)], limit: Int) -> String {
        var infos = infos
        goSortSlice(&infos) { $0.metric > $1.metric }
        var out = "\n\(title)\n"
        for info in infos.prefix(max(0, limit)) { out += "\(info.metric) \(info.key)\n" }
        return out
    }

    /// `analyzeCompaction`: a histogram of chunk fullness (samples / 120) in ten buckets, each bar
    /// one `#` per whole percent of the block's chunks.
    static func compactionAnalysis(_ block: BlockReader) throws -> String {
        let maxSamplesPerChunk = 120.0
        let bucketCount = 10
        var histogram = [Int](repeating: 0, count: bucketCount)
        var totalChunks = 0
        for id in try block.allSeriesIDs() {
            for meta in try block.series(id: id).chunks {
                let chunk = try block.chunk(ref: meta.ref)
                // Every chunk encoding starts with its sample count, a big-endian uint16.
                guard chunk.bytes.count >= 2 else { throw ToolError("chunk \(meta.ref): too short for a sample count") }
                let samples = Int(chunk.bytes[0]) << 8 | Int(chunk.bytes[1])
                let size = min(Double(samples), maxSamplesPerChunk)
                // promtool panics (index -1) on an empty chunk; count it in the first bucket instead.
                let bucket = max(0, Int((Double(bucketCount) * size / maxSamplesPerChunk).rounded(.up)) - 1)
                histogram[bucket] += 1
                totalChunks += 1
            }
        }
        var out = "\nCompaction analysis:\nFullness: Amount of samples in chunks (100% is 120 samples)\n"
        for (bucket, count) in histogram.enumerated() {
            // promtool divides by zero (panics) for a block without chunks; print empty bars.
            let percentage = totalChunks == 0 ? 0 : 100 * count / totalChunks
            let label = "\((bucket + 1) * 10)"
            out += String(repeating: " ", count: max(0, 7 - label.count)) + label + "%: "
            out += String(repeating: "#", count: percentage) + "\n"
        }
        return out
    }

    /// Go's `uint64(x)` for a float64 on amd64: in range it truncates; NaN, infinities and values
    /// past 2^64 give 2^63; negative values wrap through int64.
    static func goUInt64(_ x: Double) -> UInt64 {
        let high: UInt64 = 1 << 63
        func truncate(_ v: Double) -> UInt64 {
            guard v.isFinite, v >= -9_223_372_036_854_775_808.0, v < 9_223_372_036_854_775_808.0 else { return high }
            return UInt64(bitPattern: Int64(v))
        }
        if x < 9_223_372_036_854_775_808.0 { return truncate(x) }
        return truncate(x - 9_223_372_036_854_775_808.0) | high
    }
}
