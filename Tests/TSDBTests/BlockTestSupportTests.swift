// Shared helpers of the block reader/writer tests: fixture paths, temporary directories, an
// OpenMetrics line parser for the promtool inputs, a seeded generator, reading samples back.

import ChunkEncoding
import Foundation
import MetricModel
import TSDB
import Testing

/// Locations of the Prometheus 2.42 fixtures (Tests/Fixtures/prometheus-2.42).
enum BlockFixtures {
    /// Walks up from this file to the folder holding `Tests/Fixtures/prometheus-2.42`.
    static let root: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("Fixtures/prometheus-2.42")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            let nested = dir.appendingPathComponent("Tests/Fixtures/prometheus-2.42")
            if FileManager.default.fileExists(atPath: nested.path) { return nested }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("Tests/Fixtures/prometheus-2.42 not found above \(#filePath)")
    }()

    static let promtool = root.appendingPathComponent("promtool-blocks")
    /// dod_test, val_test, long_test_total, sym_test (from input.om).
    static let mainBlock = promtool.appendingPathComponent("01M8C5RMQ2QTN16PCMVBD109C2")
    /// neg_test (from input2.om), the 227-byte index of spec §4.9.
    static let negBlock = promtool.appendingPathComponent("01M8C5V6M8376SVPYT35MXQVPH")
    /// clamp_test (from input2.om).
    static let clampBlock = promtool.appendingPathComponent("01M8C5V6NRAZZ1XA8PTQDMAZMT")
    /// A head-compacted block of a live 2.42 server: 336 series, 1008 chunks, 147802 samples.
    static let serverBlock = root.appendingPathComponent("server-2.42/01M8C60Z0X7V1TMCCE0KCHVS4J")

    static let allBlocks = [mainBlock, negBlock, clampBlock, serverBlock]
}

/// A fresh temporary directory, removed when `body` returns.
func withBlockTempDir<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sugarmill-block-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// Copies a fixture block into `parent` (same directory name) and returns the copy.
func copyBlock(_ block: URL, into parent: URL) throws -> URL {
    let target = parent.appendingPathComponent(block.lastPathComponent)
    try FileManager.default.copyItem(at: block, to: target)
    return target
}

/// Reads a whole file.
func blockFileBytes(_ url: URL) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url))
}

/// Overwrites a file.
func writeBlockFile(_ bytes: [UInt8], to url: URL) throws {
    try Data(bytes).write(to: url)
}

/// Parses the sample lines of the promtool OpenMetrics inputs: `name{k="v",…} value seconds.millis`.
enum BlockOpenMetrics {
    static func parse(_ url: URL) throws -> [Labels: [Sample]] {
        var result: [Labels: [Sample]] = [:]
        let text = try String(contentsOf: url, encoding: .utf8)
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let (labels, rest) = try parseSeries(Substring(line))
            let fields = rest.split(separator: " ")
            try #require(fields.count == 2, "bad line: \(line)")
            result[labels, default: []].append(Sample(try milliseconds(fields[1]), try value(fields[0])))
        }
        return result
    }

    private static func parseSeries(_ line: Substring) throws -> (Labels, Substring) {
        guard let brace = line.firstIndex(of: "{") else {
            let space = try #require(line.firstIndex(of: " "))
            return (Labels([("__name__", String(line[..<space]))]), line[line.index(after: space)...])
        }
        var pairs = [("__name__", String(line[..<brace]))]
        var i = line.index(after: brace)
        while line[i] != "}" {
            if line[i] == "," { i = line.index(after: i) }
            let eq = try #require(line[i...].firstIndex(of: "="))
            let name = String(line[i..<eq])
            var j = line.index(eq, offsetBy: 2)  // skip `="`
            var value = ""
            while line[j] != "\"" {
                if line[j] == "\\" { j = line.index(after: j) }
                value.append(line[j])
                j = line.index(after: j)
            }
            pairs.append((name, value))
            i = line.index(after: j)
        }
        return (Labels(pairs), line[line.index(i, offsetBy: 2)...])
    }

    /// `-7200.000` → -7200000, without going through floating point.
    private static func milliseconds(_ s: Substring) throws -> Int64 {
        let negative = s.hasPrefix("-")
        let digits = negative ? s.dropFirst() : s
        let parts = digits.split(separator: ".")
        let whole = try #require(Int64(parts[0]))
        let frac = parts.count > 1 ? try #require(Int64(parts[1].padding(toLength: 3, withPad: "0", startingAt: 0))) : 0
        let ms = whole * 1000 + frac
        return negative ? -ms : ms
    }

    private static func value(_ s: Substring) throws -> Double {
        switch s {
        case "NaN": return Double(bitPattern: StaleNaN.normalNaNBits)  // what Prometheus's parser stores
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        default: return try #require(Double(String(s)))
        }
    }
}

/// Every sample of `series`, keyed by labels.
func blockSamples(_ series: [SeriesData]) throws -> [Labels: [Sample]] {
    var result: [Labels: [Sample]] = [:]
    for s in series {
        var iterator = SeriesSampleIterator(s.chunks)
        var samples: [Sample] = []
        while iterator.next() { samples.append(Sample(iterator.timestamp, iterator.value)) }
        if let error = iterator.error { throw error }
        result[s.labels, default: []].append(contentsOf: samples)
    }
    return result
}

/// Number of samples in an XOR chunk (its BE16 header).
func blockChunkSampleCount(_ chunk: ChunkData) -> Int {
    chunk.bytes.count < 2 ? 0 : Int(chunk.bytes[0]) << 8 | Int(chunk.bytes[1])
}

/// Selects every series of a block over all time.
func selectAll(_ block: BlockReader) throws -> [SeriesData] {
    try block.select(matchers: [], minTime: .min, maxTime: .max, sorted: true)
}
