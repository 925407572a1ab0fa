// `sugarmill check config <files…>`: promtool's `check config`, with its output and exit status.
// (`check metrics` is in CheckMetrics.swift.)

import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Rules
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
        subcommands: [CheckConfig.self, CheckRules.self, CheckMetrics.self]
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
        abstract: "Check if the config files are valid or not."
    )

    @Argument(help: "The config files to check.")
    var files: [String]

    @Flag(name: .customLong("syntax-only"), help: "Only check the config file syntax, ignoring file and content validation referenced in the config")
    var syntaxOnly = false

    @OptionGroup var lint: RuleLintOptions

    func run() throws {
        var outcome = RuleCheckOutcome()
        for file in files {
            print("Checking", file)
            var ruleFiles: [String] = []
            var nameValidation = NameValidationScheme.utf8
            do throws(ConfigError) {
                let result = try ConfigCheck.check(file: file, syntaxOnly: syntaxOnly)
                for warning in result.warnings { print("  WARNING:", warning) }
                if !result.ruleFiles.isEmpty { print("  SUCCESS: \(result.ruleFiles.count) rule files found") }
                print(" SUCCESS: \(file) is valid prometheus config file syntax")
                ruleFiles = result.ruleFiles
                nameValidation = result.config.global.metricNameValidationScheme
            } catch {
                fflush(nil)  // stdout first, so FAILED follows its Checking line
                StandardError.write("  FAILED: \(error.message)\n")
                outcome.failed(lintOnly: false)
            }
            print()
            for ruleFile in ruleFiles {
                outcome.report(lint.check(ruleFile, nameValidation: nameValidation), indent: "     ")
            }
        }
        try outcome.exit(lintFatal: lint.lintFatal)
    }
}

/// `sugarmill check rules` — promtool's `check rules`: parses and validates each rule file as the
/// server would load it, then lints it for duplicate rules.
///
/// ```
/// $ sugarmill check rules rules.yml
/// Checking rules.yml
///   SUCCESS: 2 rules found
/// ```
struct CheckRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check if the rule files are valid or not."
    )

    @Argument(help: "The rule files to check.")
    var files: [String]

    @OptionGroup var lint: RuleLintOptions

    func run() throws {
        var outcome = RuleCheckOutcome()
        for file in files {
            outcome.report(lint.check(file, nameValidation: .utf8), indent: "")
        }
        try outcome.exit(lintFatal: lint.lintFatal)
    }
}

/// promtool's `--lint` and `--lint-fatal` for rule files.
struct RuleLintOptions: ParsableArguments {
    @Option(name: .customLong("lint"), help: "Linting checks to apply. Available options are: all, duplicate-rules, none. Use --lint=none to disable linting")
    var lint = "duplicate-rules"

    @Flag(name: .customLong("lint-fatal"), help: "Make lint errors exit with exit code 3.")
    var lintFatal = false

    func validate() throws {
        for option in lint.split(separator: ",") where !["all", "duplicate-rules", "none"].contains(option) {
            throw ValidationError("unknown lint option \(option)")
        }
    }

    /// Prints `Checking <file>` and checks it.
    func check(_ file: String, nameValidation: NameValidationScheme) -> RuleFileCheck {
        print("Checking", file)
        let options = lint.split(separator: ",")
        let duplicates = options.contains("all") || options.contains("duplicate-rules")
        return RuleFileCheck.check(
            file: file, lintDuplicates: duplicates, nameValidation: nameValidation, templateCheck: RuleTemplates.parseCheck)
    }
}

/// promtool's exit status over several files: 1 for an error, 3 for lint findings with
/// `--lint-fatal`, else 0.
struct RuleCheckOutcome {
    private var anyFailure = false
    private var anyError = false

    mutating func failed(lintOnly: Bool) {
        anyFailure = true
        if !lintOnly { anyError = true }
    }

    /// Prints one rule file's result as promtool does (errors on standard error, `indent` before each).
    mutating func report(_ check: RuleFileCheck, indent: String) {
        if check.errors.isEmpty {
            print("  SUCCESS: \(check.ruleCount) rules found")
        } else {
            fflush(nil)
            StandardError.write("  FAILED:\n" + check.errors.map { indent + $0 + "\n" }.joined())
            failed(lintOnly: check.onlyLint)
        }
        print()
    }

    func exit(lintFatal: Bool) throws {
        if anyFailure && anyError { throw ExitCode(1) }
        if anyFailure && lintFatal { throw ExitCode(3) }
    }
}
