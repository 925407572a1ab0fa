// `sugarmill tsdb list|dump` print exactly what promtool 2.42 prints for the same blocks.

import ChunkEncoding
import Foundation
import Glibc
import MetricModel
import PromQL
import SugarmillServer
import Testing

@Suite struct TSDBToolTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// Copies blocks into a fresh data directory (with the `wal/` promtool wants).
    static func dataDirectory(_ blocks: [URL]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sugarmill-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("wal"), withIntermediateDirectories: true)
        for block in blocks {
            try FileManager.default.copyItem(at: block, to: dir.appendingPathComponent(block.lastPathComponent))
        }
        return dir
    }

    static func promtoolBlocks() throws -> URL {
        let source = fixtures.appendingPathComponent("prometheus-2.42/promtool-blocks")
        let blocks = try FileManager.default.contentsOfDirectory(atPath: source.path).filter { $0.hasPrefix("01") }
        return try dataDirectory(blocks.map { source.appendingPathComponent($0) })
    }

    static func serverBlock() throws -> URL {
        try dataDirectory([fixtures.appendingPathComponent("prometheus-2.42/server-2.42/01M8C60Z0X7V1TMCCE0KCHVS4J")])
    }

    static func expected(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent("promtool-2.42-output/\(name)"), encoding: .utf8)
    }

    static func everything() throws -> [LabelMatcher] { try parseMetricSelector("{__name__=~\"(?s:.*)\"}") }

    @Test func listMatchesPromtool() throws {
        let dir = try Self.promtoolBlocks()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try TSDBTool.list(dir) == Self.expected("promtool-blocks.list"))
        let server = try Self.serverBlock()
        defer { try? FileManager.default.removeItem(at: server) }
        #expect(try TSDBTool.list(server) == Self.expected("server-block.list"))
    }

    @Test func dumpMatchesPromtool() throws {
        let dir = try Self.promtoolBlocks()
        defer { try? FileManager.default.removeItem(at: dir) }
        var out = ""
        try TSDBTool.dump(dir, matchers: Self.everything(), minTime: .min / 2, maxTime: .max / 2) { out += $0 }
        #expect(out == (try Self.expected("promtool-blocks.dump")))
    }

    @Test func serverBlockDumpMatchesPromtoolChecksum() throws {
        let dir = try Self.serverBlock()
        defer { try? FileManager.default.removeItem(at: dir) }
        var crc: UInt32 = 0
        var length = 0
        try TSDBTool.dump(dir, matchers: Self.everything(), minTime: .min / 2, maxTime: .max / 2) { piece in
            let bytes = Array(piece.utf8)
            crc = CRC32C.update(crc, bytes)
            length += bytes.count
        }
        let expected = try Self.expected("server-block.dump.crc32c").split(separator: " ")
        #expect(String(crc, radix: 16).leftPadded(8) == String(expected[0]))
        #expect(length == Int(expected[1].trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// promtool opens a data directory for `tsdb list|analyze|dump` without its lock file
    /// (`tsdb.OpenDBReadOnly`), so that it can read one a running server holds; so do we.
    @Test func readingToolsWorkOnADirectoryWhoseLockIsHeld() throws {
        let dir = try Self.promtoolBlocks()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lock = dir.appendingPathComponent("lock").path
        // Held as a running server holds it: flock(2) on another open file of <dir>/lock.
        let fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        try #require(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }
        #expect(try TSDBTool.list(dir) == Self.expected("promtool-blocks.list"))
        var out = ""
        try TSDBTool.dump(dir, matchers: Self.everything(), minTime: .min / 2, maxTime: .max / 2) { out += $0 }
        #expect(out == (try Self.expected("promtool-blocks.dump")))
        _ = try TSDBTool.analyze(dir, blockID: nil, limit: 20)
        // Still held by its owner, and still there.
        #expect(FileManager.default.fileExists(atPath: lock))
        let other = open(lock, O_RDWR | O_CLOEXEC)
        defer { close(other) }
        #expect(flock(other, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK)
    }

    @Test func goDurationLikeGo() {
        #expect(TSDBTool.goDuration(milliseconds: 2001) == "2.001s")
        #expect(TSDBTool.goDuration(milliseconds: 7_185_001) == "1h59m45.001s")
        #expect(TSDBTool.goDuration(milliseconds: 3_600_000) == "1h0m0s")
        #expect(TSDBTool.goDuration(milliseconds: 500) == "500ms")
        #expect(TSDBTool.goDuration(milliseconds: 90_500) == "1m30.5s")
        #expect(TSDBTool.goDuration(milliseconds: 0) == "0s")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: Swift.max(0, width - count)) + self }
}

@Suite struct CreateBlocksFromTests {
    @Test func openMetricsBackfillDumpsLikePromtoolsBlocks() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sugarmill-backfill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let inputs = TSDBToolTests.fixtures.appendingPathComponent("prometheus-2.42/promtool-blocks")
        let first = try TSDBTool.createBlocks(fromOpenMetrics: inputs.appendingPathComponent("input.om"), into: output)
        let second = try TSDBTool.createBlocks(fromOpenMetrics: inputs.appendingPathComponent("input2.om"), into: output)
        // Same blocks as promtool made from the same inputs (ULID and size aside).
        func columns(_ listing: String) -> [[Substring]] {
            listing.split(separator: "\n").dropFirst().map { Array($0.split(separator: " ", omittingEmptySubsequences: true)[1..<7]) }
        }
        let expectedList = try TSDBToolTests.expected("promtool-blocks.list")
        let expectedRows = Set(columns(expectedList).map { $0.joined(separator: " ") })
        #expect(Set((columns(first) + columns(second)).map { $0.joined(separator: " ") }) == expectedRows)
        var out = ""
        try TSDBTool.dump(output, matchers: TSDBToolTests.everything(), minTime: .min / 2, maxTime: .max / 2) { out += $0 }
        #expect(out == (try TSDBToolTests.expected("promtool-blocks.dump")))
    }

    @Test func missingTimestampIsRejectedLikePromtool() throws {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("no-ts-\(UUID().uuidString).om")
        try Data("m 1\n# EOF\n".utf8).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sugarmill-backfill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        #expect {
            _ = try TSDBTool.createBlocks(fromOpenMetrics: input, into: output)
        } throws: { error in
            "\(error)".contains("expected timestamp for series got none")
        }
    }
}

@Suite struct ServerFlagsTests {
    @Test func byteSizesPrintAsPrometheusUnits() {
        #expect(formatByteSize(0) == "0B")
        #expect(formatByteSize(512 << 20) == "512MiB")
        #expect(formatByteSize((1 << 30) + (512 << 20)) == "1GiB512MiB")
        #expect(formatByteSize(1000) == "1000B")
        #expect(parseByteSize(formatByteSize(128 << 20)) == 128 << 20)
    }

    @Test func flagsUsePrometheusNamesAndFormats() {
        var options = ServerOptions()
        options.retentionMs = 30 * 24 * 3600 * 1000
        options.retentionBytes = 10 << 30
        let flags = options.flags
        #expect(flags["storage.tsdb.retention.time"] == "30d")
        #expect(flags["storage.tsdb.retention.size"] == "10GiB")
        // Max block duration defaults to 10 % of retention: 3d.
        #expect(flags["storage.tsdb.max-block-duration"] == "3d")
        #expect(flags["query.lookback-delta"] == "5m")
        #expect(flags["web.enable-admin-api"] == "false")
        #expect(flags["web.cors.origin"] == ".*")
        #expect(flags["storage.tsdb.no-lockfile"] == "false")
    }
}
