// `sugarmill tsdb analyze` prints what promtool 2.42's `tsdb analyze` prints for the same blocks,
// and `goSortSlice` orders equal elements as Go 1.19's `sort.Slice` does.

import Foundation
import SugarmillServer
import Testing

@Suite struct TSDBAnalyzeTests {
    /// The lists promtool fills from Go maps: their tie order is random in promtool itself
    /// (it changes from run to run), so only their content is compared, not the order of ties.
    static let mapOrderedTitles: Set<String> = [
        "Label pairs most involved in churning:",
        "Label names most involved in churning:",
        "Most common label pairs:",
    ]

    /// The output split at blank lines: the header, then one titled list per section.
    static func sections(_ text: String) -> [[Substring]] {
        text.split(separator: "\n\n", omittingEmptySubsequences: false).map { $0.split(separator: "\n") }
    }

    /// Checks `actual` against promtool's `expected`: byte for byte, except the order of equal
    /// counts in map-ordered lists. There the counts must agree line by line and every line must be
    /// one promtool prints in `complete` (its output for the same block with no limit).
    static func expectMatches(_ actual: String, _ expected: String, complete: String) {
        let ours = sections(actual), theirs = sections(expected), all = sections(complete)
        #expect(ours.count == theirs.count)
        for (i, (a, e)) in zip(ours, theirs).enumerated() {
            guard let title = e.first, mapOrderedTitles.contains(String(title)) else {
                #expect(a == e)
                continue
            }
            #expect(a.map { $0.split(separator: " ").first } == e.map { $0.split(separator: " ").first }, "\(title)")
            let allowed = Set(all[i])
            #expect(a.count == Set(a).count, "\(title): duplicate lines")
            for line in a { #expect(allowed.contains(line), "\(title): \(line)") }
        }
        // Byte for byte once ties are put in one order.
        #expect(canonical(actual) == canonical(expected))
    }

    /// Sorts each run of equal counts in map-ordered lists (the truncated last run excepted).
    static func canonical(_ text: String) -> String {
        sections(text).map { lines -> String in
            guard let title = lines.first, mapOrderedTitles.contains(String(title)) else { return lines.joined(separator: "\n") }
            var body = Array(lines.dropFirst())
            let lastCount = body.last?.split(separator: " ").first
            var start = 0
            while start < body.count {
                let count = body[start].split(separator: " ").first
                var end = start
                while end < body.count && body[end].split(separator: " ").first == count { end += 1 }
                if count != lastCount { body[start..<end].sort() } else { body.removeSubrange(start..<end); break }
                start = end
            }
            return ([title] + body).joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    static func golden(_ name: String) throws -> String { try TSDBToolTests.expected(name) }

    @Test func serverBlockMatchesPromtool() throws {
        let dir = try TSDBToolTests.serverBlock()
        defer { try? FileManager.default.removeItem(at: dir) }
        let complete = try Self.golden("server-block.analyze-all")
        let all = try TSDBTool.analyze(dir, blockID: nil, limit: 100_000)
        Self.expectMatches(all, complete, complete: complete)
        Self.expectMatches(try TSDBTool.analyze(dir, blockID: nil, limit: 20), try Self.golden("server-block.analyze"), complete: complete)
        let extended = try TSDBTool.analyze(dir, blockID: "01M8C60Z0X7V1TMCCE0KCHVS4J", limit: 20, extended: true)
        Self.expectMatches(extended, try Self.golden("server-block.analyze-extended"), complete: complete)
        #expect(extended.hasSuffix("    100%: " + String(repeating: "#", count: 100) + "\n"))
    }

    @Test func promtoolBlocksMatchPromtool() throws {
        let dir = try TSDBToolTests.promtoolBlocks()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Default: the last block after Go's sort by min time (two blocks tie; insertion sort keeps name order).
        let last = try TSDBTool.analyze(dir, blockID: nil, limit: 20)
        #expect(last.hasPrefix("Block ID: 01M8C5V6NRAZZ1XA8PTQDMAZMT\n"))
        #expect(last == (try Self.golden("promtool-blocks.analyze")))
        // These lists are shorter than the limit, so the complete output is the output itself.
        let id = "01M8C5RMQ2QTN16PCMVBD109C2"
        let expected = try Self.golden("promtool-blocks.\(id).analyze-extended")
        Self.expectMatches(try TSDBTool.analyze(dir, blockID: id, limit: 20, extended: true), expected, complete: expected)
        let negative = "01M8C5V6M8376SVPYT35MXQVPH"
        #expect(try TSDBTool.analyze(dir, blockID: negative, limit: 3) == (try Self.golden("promtool-blocks.\(negative).analyze-limit3")))
    }

    @Test func unknownBlockIsReportedLikePromtool() throws {
        let dir = try TSDBToolTests.promtoolBlocks()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect { try TSDBTool.analyze(dir, blockID: "NOPE", limit: 20) } throws: { "\($0)" == "block NOPE not found" }
        let empty = try TSDBToolTests.dataDirectory([])
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect { try TSDBTool.analyze(empty, blockID: nil, limit: 20) } throws: { "\($0)" == "block  not found" }
    }

    /// Inputs and FNV-1a hashes of the resulting index order from `go-sort-slice.go`, run with Go 1.19.
    @Test func goSortSliceOrdersTiesLikeGo() throws {
        let lines = try Self.golden("go-sort-slice.fnv1a").split(separator: "\n")
        #expect(lines.count == 260)
        for line in lines {
            let fields = line.split(separator: " ")
            let n = Int(fields[0])!, k = Int(fields[1])!, pattern = String(fields[2])
            var state = UInt64(n * 1_000_003 + k)
            var elements: [(index: Int, value: Int)] = (0..<n).map { i in
                switch pattern {
                case "random":
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return (i, Int((state >> 33) % UInt64(k)))
                case "ascending": return (i, i * k / n)
                case "descending": return (i, (n - 1 - i) * k / n)
                default: return (i, i % k)
                }
            }
            TSDBTool.goSortSlice(&elements) { $0.value > $1.value }
            var hash: UInt64 = 14_695_981_039_346_656_037
            for element in elements { hash = (hash ^ UInt64(element.index)) &* 1_099_511_628_211 }
            let hex = String(hash, radix: 16)
            #expect(String(repeating: "0", count: 16 - hex.count) + hex == String(fields[3]), "\(line)")
        }
    }
}
