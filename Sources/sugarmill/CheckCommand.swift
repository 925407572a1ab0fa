// `sugarmill check config <files…>`: promtool's `check config`, with its output and exit status.
// (`check metrics` is in CheckMetrics.swift.)

import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Scrape
import SugarmillServer
#if canImport(Glibc)
import Glibc
#endif

/// `sugarmill check` — checks of files, as `promtool check`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the resources for validity.",
        subcommands: [CheckConfig.self, CheckMetrics.self]
    )
}

/// `sugarmill check config` — promtool's `check config`: loads each file as the server would and
/// prints `Checking <file>`, then ` SUCCESS: <file> is valid prometheus config file syntax` or
/// `  FAILED: <error>` (on standard error). Exits 1 when any file failed.
///
/// ```
/// $ sugarmill check config prometheus.yml
/// Checking prometheus.yml
///  SUCCESS: prometheus.yml is valid prometheus config file syntax
/// ```
struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check if the config files are valid or not.",
        discussion: "Rule files are found but not checked (rules are not supported yet)."
    )

    @Argument(help: "The config files to check.")
    var files: [String]

    @Flag(name: .customLong("syntax-only"), help: "Only check the config file syntax, ignoring file and content validation referenced in the config")
    var syntaxOnly = false

    func run() throws {
        var failed = false
        for file in files {
            print("Checking", file)
            do throws(ConfigError) {
                let result = try ConfigCheck.check(file: file, syntaxOnly: syntaxOnly)
                for warning in result.warnings { print("  WARNING:", warning) }
                if !result.ruleFiles.isEmpty { print("  SUCCESS: \(result.ruleFiles.count) rule files found") }
                print(" SUCCESS: \(file) is valid prometheus config file syntax")
            } catch {
                fflush(nil)  // stdout first, so FAILED follows its Checking line
                StandardError.write("  FAILED: \(error.message)\n")
                failed = true
            }
            print()
        }
        if failed { throw ExitCode(1) }
    }
}
