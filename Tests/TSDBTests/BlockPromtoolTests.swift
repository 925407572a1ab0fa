// Interop: promtool 2.42 (`tsdb list`, `analyze`, `dump`) accepts blocks BlockWriter writes and reads
// the same samples. Runs only where promtool is installed (Debian: `apt-get install -y prometheus`).

import ChunkEncoding
import Foundation
import MetricModel
import TSDB
import Testing

/// `promtool` on the PATH, or nil.
let blockPromtoolPath: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/promtool" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

@Suite(
    "BlockWriter: promtool accepts written blocks",
    .enabled(if: blockPromtoolPath != nil, "promtool is not installed (apt-get install -y prometheus); skipping interop")
)
struct BlockPromtoolTests {
    /// Runs promtool; returns exit status and standard output.
    static func promtool(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(blockPromtoolPath))
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("tsdb list and analyze exit 0 and report the written series")
    func listAndAnalyze() throws {
        let series = BlockWriterTests.randomSeries(seed: 11, count: 40)
        let (minTime, maxTime) = BlockWriterTests.range(series)
        try withBlockTempDir { data in
            let ulid = ULID(timestampMs: 1_700_000_000_000, random: SeededGenerator(seed: 11))
            let meta = try BlockWriter.write(series: series, minTime: minTime, maxTime: maxTime, into: data, ulid: ulid)
            let list = try Self.promtool(["tsdb", "list", data.path])
            #expect(list.status == 0, "\(list.output)")
            #expect(list.output.contains(ulid.string), "\(list.output)")
            let row = list.output.split(separator: "\n").first { $0.hasPrefix(ulid.string) }.map { $0.split(separator: " ") } ?? []
            #expect(row.contains("\(meta.stats.numSamples)") && row.contains("\(meta.stats.numChunks)") && row.contains("40"), "\(list.output)")
            let analyze = try Self.promtool(["tsdb", "analyze", data.path, ulid.string])
            #expect(analyze.status == 0, "\(analyze.output)")
            #expect(analyze.output.contains("Series: 40"), "\(analyze.output)")
        }
    }

    @Test("tsdb dump prints exactly the samples that were written, across several chunk segments")
    func dump() throws {
        let series = BlockWriterTests.randomSeries(seed: 12, count: 30)
        let (minTime, maxTime) = BlockWriterTests.range(series)
        try withBlockTempDir { data in
            let ulid = ULID(timestampMs: 1_700_000_000_000, random: SeededGenerator(seed: 12))
            // Small segments, so promtool also resolves references into chunks/000002 and later.
            _ = try BlockWriter.write(
                series: series, minTime: minTime, maxTime: maxTime, into: data, ulid: ulid, segmentSizeBytes: 4096
            )
            let segments = try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent(ulid.string + "/chunks").path)
            #expect(segments.count > 2)
            // promtool 2.42's dump opens the head too and needs a wal/ directory (spec §1.4).
            try FileManager.default.createDirectory(at: data.appendingPathComponent("wal"), withIntermediateDirectories: false)
            let dump = try Self.promtool(["tsdb", "dump", "--min-time=\(Int64.min)", "--max-time=\(Int64.max)", data.path])
            #expect(dump.status == 0, "\(dump.output.prefix(2000))")
            // Lines are `{a="1", b="2"} value timestamp`, the label part as Labels.description prints it.
            var printed: [String: [(Int64, Double)]] = [:]
            for line in dump.output.split(separator: "\n") where line.hasPrefix("{") {
                guard let close = line.range(of: "} ", options: .backwards) else { continue }
                let fields = line[close.upperBound...].split(separator: " ")
                guard fields.count == 2, let t = Int64(fields[1]) else { continue }
                let value: Double
                switch fields[0] {
                case "+Inf": value = .infinity
                case "-Inf": value = -.infinity
                case "NaN": value = .nan
                default: value = Double(String(fields[0])) ?? .nan
                }
                printed[String(line[...close.lowerBound]), default: []].append((t, value))
            }
            let expected = try blockSamples(series)
            #expect(printed.count == expected.count)
            for (labels, samples) in expected {
                let got = printed[labels.description] ?? []
                #expect(got.map(\.0) == samples.map(\.timestamp), "\(labels)")
                let same = zip(got, samples).allSatisfy { $0.1 == $1.value || ($0.1.isNaN && $1.value.isNaN) }
                #expect(same && got.count == samples.count, "\(labels)")
            }
        }
    }

    @Test("a tombstones file BlockTombstones.encode writes is honoured by promtool")
    func tombstones() throws {
        let chunk = XORChunkForPromtool.make(0..<20)
        let series = [SeriesData(labels: Labels(["__name__": "deleted_test"]), chunks: [chunk.chunkData])]
        try withBlockTempDir { data in
            let ulid = ULID(timestampMs: 1_700_000_000_000, random: SeededGenerator(seed: 13))
            _ = try BlockWriter.write(series: series, minTime: 0, maxTime: 20_000, into: data, ulid: ulid)
            let block = data.appendingPathComponent(ulid.string)
            let id = try {
                let reader = try BlockReader(directory: block)
                defer { reader.close() }
                return try #require(try reader.seriesIDs(matching: []).first)
            }()
            try writeBlockFile(BlockTombstones.encode([UInt64(id): [5_000...9_000]]), to: block.appendingPathComponent("tombstones"))
            try FileManager.default.createDirectory(at: data.appendingPathComponent("wal"), withIntermediateDirectories: false)
            let dump = try Self.promtool(["tsdb", "dump", "--min-time=0", "--max-time=100000", data.path])
            #expect(dump.status == 0, "\(dump.output)")
            var times: [Int64] = []
            for line in dump.output.split(separator: "\n") where line.hasPrefix("{") {
                if let last = line.split(separator: " ").last, let t = Int64(last) { times.append(t) }
            }
            let kept: [Int64] = [0, 1000, 2000, 3000, 4000] + stride(from: 10_000, to: 20_000, by: 1000).map { Int64($0) }
            #expect(times == kept)
        }
    }
}

/// Builds small XOR chunks for the promtool tests: one sample per second, value = index.
enum XORChunkForPromtool {
    static func make(_ range: Range<Int>) -> XORChunk {
        var chunk = XORChunk()
        for i in range { chunk.append(Int64(i) * 1000, Double(i)) }
        return chunk
    }
}
