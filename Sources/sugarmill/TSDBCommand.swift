// `sugarmill tsdb …`: promtool-compatible tools over a data directory.

import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SugarmillServer
import PromQL

/// `sugarmill tsdb` — the `promtool tsdb` tools.
struct TSDBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsdb",
        abstract: "Inspect and build Prometheus-format TSDB data (like promtool tsdb).",
        subcommands: [List.self, Analyze.self, Dump.self, CreateBlocksFrom.self]
    )

    /// `sugarmill tsdb list <dir>`: one line per block, as promtool prints it.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the blocks of a data directory.")

        @Flag(name: [.customShort("r"), .customLong("human-readable")], help: "Print human-readable values.")
        var humanReadable = false

        @Argument(help: "Data directory.")
        var directory = "Storage/"

        func run() throws {
            print(try TSDBTool.list(URL(fileURLWithPath: directory), humanReadable: humanReadable), terminator: "")
        }
    }

    /// `sugarmill tsdb analyze <dir> [<block id>]`: churn and cardinality of a block, as promtool prints them.
    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyze churn, label pair cardinality and compaction efficiency.")

        @Option(name: .customLong("limit"), help: "How many items to show in each list.")
        var limit = 20

        @Flag(name: .customLong("extended"), help: "Run extended analysis.")
        var extended = false

        @Argument(help: "Data directory.")
        var directory = "Storage/"

        @Argument(help: "Block to analyze (default is the last block).")
        var blockID: String?

        func run() throws {
            do {
                print(try TSDBTool.analyze(
                    URL(fileURLWithPath: directory), blockID: blockID, limit: limit, extended: extended), terminator: "")
            } catch let error as ToolError {
                // promtool prints the bare message to stderr and exits 1.
                StandardError.write("\(error)\n")
                throw ExitCode(1)
            }
        }
    }

    /// `sugarmill tsdb create-blocks-from openmetrics <file> [<dir>]`, as promtool's.
    struct CreateBlocksFrom: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-blocks-from", abstract: "Import samples and produce TSDB blocks.",
            subcommands: [OpenMetrics.self])

        struct OpenMetrics: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "openmetrics", abstract: "Import samples from OpenMetrics input and produce TSDB blocks.")

            @Flag(name: [.customShort("r"), .customLong("human-readable")], help: "Print human readable values.")
            var humanReadable = false

            @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Do not print created blocks.")
            var quiet = false

            @Argument(help: "OpenMetrics file to read samples from.")
            var input: String

            @Argument(help: "Output directory for generated blocks.")
            var output = "data/"

            func run() throws {
                let listing = try TSDBTool.createBlocks(
                    fromOpenMetrics: URL(fileURLWithPath: input), into: URL(fileURLWithPath: output), humanReadable: humanReadable)
                if !quiet { print(listing, terminator: "") }
            }
        }
    }

    /// `sugarmill tsdb dump <dir>`: every sample, as `labels value timestamp` lines like promtool.
    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Dump the samples of a data directory.")

        @Option(name: .customLong("min-time"), help: "Minimum timestamp to dump (ms).")
        var minTime = Int64.min / 2

        @Option(name: .customLong("max-time"), help: "Maximum timestamp to dump (ms).")
        var maxTime = Int64.max / 2

        @Option(name: .customLong("match"), help: "Series selector.")
        var match = "{__name__=~\"(?s:.*)\"}"

        @Argument(help: "Data directory.")
        var directory = "Storage/"

        func run() throws {
            let matchers = try parseMetricSelector(match)
            try TSDBTool.dump(URL(fileURLWithPath: directory), matchers: matchers, minTime: minTime, maxTime: maxTime) {
                print($0, terminator: "")
            }
        }
    }
}

