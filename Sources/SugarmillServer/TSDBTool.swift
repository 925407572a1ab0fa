// TSDBTool: what `sugarmill tsdb list|dump` print, in promtool's formats.

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif
package import MetricModel
internal import ChunkEncoding
internal import Logging
internal import PromQL
internal import Glibc
package import TSDB
internal import Exposition

/// Helpers shared by the tsdb tools.
package enum TSDBTool {
    /// `tsdb list` output: one line per block, columns as promtool prints them.
    package static func list(_ directory: URL, humanReadable: Bool = false) throws -> String {
        let blocks = try openBlocks(directory)
        defer { blocks.forEach { $0.close() } }
        var rows = [["BLOCK ULID", "MIN TIME", "MAX TIME", "DURATION", "NUM SAMPLES", "NUM CHUNKS", "NUM SERIES", "SIZE"]]
        for block in blocks {
            let meta = block.meta
            let size = Self.size(of: block.directory)
            rows.append([
                meta.ulid.string,
                humanReadable ? formatTime(meta.minTime) : "\(meta.minTime)",
                humanReadable ? formatTime(meta.maxTime) : "\(meta.maxTime)",
                goDuration(milliseconds: meta.maxTime - meta.minTime),
                "\(meta.stats.numSamples)", "\(meta.stats.numChunks)", "\(meta.stats.numSeries)",
                humanReadable ? humanBytes(size) : "\(size)",
            ])
        }
        return tabulate(rows)
    }

    /// `tsdb dump` output (`labels value timestamp` per sample, series in label order, blocks and
    /// the WAL-backed head merged), handed to `write` in pieces of about 1 MiB.
    package static func dump(
        _ directory: URL, matchers: [LabelMatcher], minTime: Int64, maxTime: Int64, write: (String) -> Void
    ) throws {
        var options = DBOptions()
        options.readOnly = true
        let db = try DB(directory: directory, options: options, logger: Logger(label: "tsdb", factory: { _ in SwiftLogNoOpLogHandler() }))
        defer { try? db.close() }
        var out = ""
        for series in try db.select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: true) {
            let labels = series.labels.description
            var iterator = SeriesSampleIterator(series.chunks, minTime: minTime, maxTime: maxTime)
            while iterator.next() {
                out += "\(labels) \(goFormatG(iterator.value)) \(iterator.timestamp)\n"
                if out.utf8.count > 1 << 20 {
                    write(out)
                    out = ""
                }
            }
            if let error = iterator.error { throw error }
        }
        write(out)
    }

    /// `tsdb create-blocks-from openmetrics`: parses the file with the rules of promtool 2.42
    /// (every sample needs a timestamp), writes 2h blocks into `output`, and returns the listing
    /// of the new blocks in `tsdb list`'s format.
    package static func createBlocks(fromOpenMetrics input: URL, into output: URL, humanReadable: Bool = false) throws -> String {
        let bytes = Array(try Data(contentsOf: input))
        let series: [(labels: Labels, samples: [Sample])]
        do {
            series = try parseOpenMetrics(bytes, dialect: .prometheus2_42)
        } catch {
            throw ToolError("getting min and max timestamp: next: \(error.message)")
        }
        let metas = try Backfill.createBlocks(from: series, into: output)
        var rows = [["BLOCK ULID", "MIN TIME", "MAX TIME", "DURATION", "NUM SAMPLES", "NUM CHUNKS", "NUM SERIES", "SIZE"]]
        for meta in metas {
            let size = Self.size(of: output.appendingPathComponent(meta.ulid.string))
            rows.append([
                meta.ulid.string,
                humanReadable ? formatTime(meta.minTime) : "\(meta.minTime)",
                humanReadable ? formatTime(meta.maxTime) : "\(meta.maxTime)",
                goDuration(milliseconds: meta.maxTime - meta.minTime),
                "\(meta.stats.numSamples)", "\(meta.stats.numChunks)", "\(meta.stats.numSeries)",
                humanReadable ? humanBytes(size) : "\(size)",
            ])
        }
        // promtool flushes its tabwriter after each block: the header aligns with the first row only.
        guard rows.count > 2 else { return tabulate(rows) }
        return tabulate(Array(rows[0...1])) + rows[2...].map { tabulate([$0]) }.joined()
    }

    /// Every readable block of `directory`, sorted by min time (unreadable ones are reported on stderr).
    package static func openBlocks(_ directory: URL) throws -> [BlockReader] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        var blocks: [BlockReader] = []
        for name in names where ULID(name) != nil {
            do {
                blocks.append(try BlockReader(directory: directory.appendingPathComponent(name)))
            } catch {
                StandardError.write("skipping block \(name): \(error)\n")
            }
        }
        // Stable sort by min time, as promtool lists them.
        return blocks.enumerated().sorted { ($0.element.meta.minTime, $0.offset) < ($1.element.meta.minTime, $1.offset) }.map(\.element)
    }

    /// Total size of the regular files under `url`, bytes (what promtool reports).
    static func size(of url: URL) -> Int {
        guard let names = try? FileManager.default.subpathsOfDirectory(atPath: url.path) else { return 0 }
        var total = 0
        for name in names {
            total += Int(POSIXIO.regularFileSize(url.appendingPathComponent(name).path) ?? 0)
        }
        return total
    }

    /// Columns laid out like Go's `tabwriter.NewWriter(w, 13, 0, 2, ' ', 0)`, as promtool uses:
    /// each cell padded to max(content + 2, 13), the last column unpadded.
    static func tabulate(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
        for row in rows {
            for (i, cell) in row.enumerated() where i < row.count - 1 { widths[i] = max(widths[i], cell.count + 2, 13) }
        }
        var out = ""
        for row in rows {
            for (i, cell) in row.enumerated() {
                out += cell
                if i < row.count - 1 { out += String(repeating: " ", count: widths[i] - cell.count) }
            }
            out += "\n"
        }
        return out
    }

    /// Go's `time.Duration.String()` for a whole number of milliseconds (`2.001s`, `1h59m45.001s`, `500ms`).
    package static func goDuration(milliseconds: Int64) -> String {
        goDurationString(milliseconds: milliseconds)
    }

    static func formatTime(_ ms: Int64) -> String {
        var seconds = time_t(ms >= 0 ? ms / 1000 : (ms - 999) / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ n: Int32, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: Swift.max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2)) "
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)) +0000"
    }

    static func humanBytes(_ n: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(n) B" : "\(goFormatFixed(value, precision: 1)) \(units[unit])"
    }
}

/// A tool failure with promtool's wording, printed to the operator.
package struct ToolError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
