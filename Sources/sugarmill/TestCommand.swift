// `sugarmill test rules <files…>`: promtool's rule unit tests, with its output and exit status.

import ArgumentParser
import Rules
import SugarmillServer
#if canImport(Glibc)
import Glibc
#endif

/// `sugarmill test` — unit tests, as `promtool test`.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Unit testing.",
        subcommands: [TestRules.self]
    )
}

/// `sugarmill test rules` — runs promtool's rule unit-test files: prints `Unit Testing:  <file>`,
/// then `  SUCCESS` or `  FAILED:` with each difference (on standard error). Exits 1 when any
/// test failed.
///
/// ```
/// $ sugarmill test rules tests.yml
/// Unit Testing:  tests.yml
///   SUCCESS
/// ```
struct TestRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Unit tests for rules."
    )

    @Argument(help: "The unit test file.")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            print("Unit Testing: ", file)
            let outcome = RuleUnitTestFile.run(file: file)
            fflush(nil)
            for warning in outcome.warnings { StandardError.write("  WARNING: \(warning)\n") }
            if outcome.errors.isEmpty {
                print("  SUCCESS")
            } else {
                StandardError.write("  FAILED:\n")
                for error in outcome.errors {
                    StandardError.write(error + "\n")
                    print()
                    fflush(nil)  // as promtool: each error, then a blank line on standard output
                }
                failed = true
            }
            print()
        }
        if failed { throw ExitCode(1) }
    }
}
