// BlockReader.select / labelNames / labelValues with every matcher kind, checked against brute force.

import Foundation
import MetricModel
import TSDB
import Testing

@Suite("BlockReader: matchers on the 2.42 server block")
struct BlockSelectTests {
    /// Matcher sets covering `=`, `!=`, `=~`, `!~`, empty-matching matchers and absent labels.
    static let cases: [[(MatchType, String, String)]] = [
        [(.equal, "__name__", "go_goroutines")],
        [(.regexMatch, "__name__", "prometheus_tsdb_.*_bucket")],
        [(.notEqual, "__name__", "go_goroutines")],
        [(.regexNoMatch, "__name__", "go_.*|process_.*")],
        [(.equal, "handler", "/metrics"), (.regexMatch, "__name__", ".*_count")],
        [(.equal, "le", "")],
        [(.notEqual, "le", "")],
        [(.regexMatch, "le", "0\\.0.*"), (.regexNoMatch, "__name__", ".*compaction.*")],
        [(.equal, "no_such_label", "x")],
        [(.equal, "no_such_label", "")],
        [(.notEqual, "no_such_label", "x")],
        [(.regexMatch, "no_such_label", ".*")],
        [(.equal, "job", "self"), (.regexMatch, "code", "2..|5..")],
        [(.regexMatch, "quantile", ".+"), (.notEqual, "quantile", "1")],
        [(.equal, "__name__", "no_such_metric")],
        [(.regexMatch, "__name__", "go_.*"), (.regexMatch, "__name__", ".*_total")],
    ]

    static func matchers(_ spec: [(MatchType, String, String)]) throws -> [LabelMatcher] {
        try spec.map { try LabelMatcher($0.0, $0.1, $0.2) }
    }

    static func bruteForce(_ all: [SeriesData], _ matchers: [LabelMatcher]) -> [Labels] {
        all.map(\.labels).filter { labels in matchers.allSatisfy { $0.matches(labels[$0.name] ?? "") } }
    }

    @Test("select equals filtering every series by hand", arguments: 0..<cases.count)
    func selectMatches(_ index: Int) throws {
        let block = try BlockReader(directory: BlockFixtures.serverBlock)
        defer { block.close() }
        let all = try selectAll(block)
        let matchers = try Self.matchers(Self.cases[index])
        let selected = try block.select(matchers: matchers, minTime: .min, maxTime: .max, sorted: true)
        #expect(selected.map(\.labels) == Self.bruteForce(all, matchers), "\(matchers)")
        #expect(try block.seriesIDs(matching: matchers).count == selected.count)
    }

    @Test("known selections: one series, all series, none")
    func knownCounts() throws {
        let block = try BlockReader(directory: BlockFixtures.serverBlock)
        defer { block.close() }
        func count(_ spec: [(MatchType, String, String)]) throws -> Int {
            try block.select(matchers: Self.matchers(spec), minTime: .min, maxTime: .max, sorted: false).count
        }
        #expect(try count([(.equal, "__name__", "go_goroutines")]) == 1)
        #expect(try count([(.equal, "job", "self")]) == 336)
        #expect(try count([(.equal, "handler", "/metrics")]) == 24)
        #expect(try count([(.equal, "__name__", "prometheus_tsdb_compaction_duration_seconds_bucket")]) == 15)
        #expect(try count([(.equal, "no_such_label", "")]) == 336)
        #expect(try count([(.notEqual, "job", "self")]) == 0)
        #expect(try count([(.equal, "job", "other")]) == 0)
    }

    @Test("labelNames and labelValues with matchers equal brute force", arguments: 0..<cases.count)
    func labelsWithMatchers(_ index: Int) throws {
        let block = try BlockReader(directory: BlockFixtures.serverBlock)
        defer { block.close() }
        let all = try selectAll(block)
        let matchers = try Self.matchers(Self.cases[index])
        let matching = Self.bruteForce(all, matchers)
        let bytewise: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let names = Set(matching.flatMap { $0.pairs.map(\.name) }).sorted(by: bytewise)
        #expect(try block.labelNames(matchers: matchers, minTime: .min, maxTime: .max) == names)
        let values = Set(matching.compactMap { $0["le"] }).sorted(by: bytewise)
        #expect(try block.labelValues(name: "le", matchers: matchers, minTime: .min, maxTime: .max) == values)
    }

    @Test("labelValues without matchers lists the index's values, sorted bytewise")
    func allValues() throws {
        let block = try BlockReader(directory: BlockFixtures.serverBlock)
        defer { block.close() }
        let all = try selectAll(block)
        let bytewise: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in try block.labelNames(matchers: [], minTime: .min, maxTime: .max) {
            let expected = Set(all.compactMap { $0.labels[name] }).sorted(by: bytewise)
            #expect(try block.labelValues(name: name, matchers: [], minTime: .min, maxTime: .max) == expected, "\(name)")
        }
        #expect(try block.labelValues(name: "no_such_label", matchers: [], minTime: .min, maxTime: .max).isEmpty)
    }
}
