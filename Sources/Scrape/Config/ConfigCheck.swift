// promtool's `check config` beyond loading: referenced rule, secret, certificate and file-SD
// files must exist and parse (cmd/promtool `checkConfig`), with promtool's texts.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `promtool check config` checks of a config file.
package enum ConfigCheck {
    /// A file that passed.
    package struct Result: Sendable {
        package var config: PrometheusConfig
        /// The rule files the `rule_files` patterns match.
        package var ruleFiles: [String]
        /// promtool's `WARNING:` lines (a file-SD file that does not exist).
        package var warnings: [String]
    }

    /// Loads `path` and, unless `syntaxOnly`, checks the files it refers to.
    ///
    /// - Throws: `ConfigError` with promtool's text, e.g. `"rules/x.yml" does not point to an
    ///   existing file`, `error loading scrape configs: "/abs/jobs.yml": …`.
    package static func check(file path: String, syntaxOnly: Bool) throws(ConfigError) -> Result {
        let config: PrometheusConfig
        do throws(ConfigError) {
            config = try PrometheusConfig.load(file: path)
        } catch where error.code == .invalidScrapeConfigFile {
            throw ConfigError("error loading scrape configs: \(error.message)", code: error.code)
        }
        var result = Result(config: config, ruleFiles: [], warnings: [])
        if !syntaxOnly {
            for pattern in config.ruleFiles {
                let matches = ConfigPaths.glob(pattern)
                if !pattern.contains("*") {
                    guard let first = matches.first else {
                        throw ConfigError("\(GoString.quote(pattern)) does not point to an existing file")
                    }
                    if let failure = statFailure(first) {
                        throw ConfigError("error checking rule file \(GoString.quote(first)): \(failure)")
                    }
                }
                result.ruleFiles += matches
            }
        }
        for scrapeConfig in config.scrapeConfigs {
            try check(scrapeConfig, syntaxOnly: syntaxOnly, warnings: &result.warnings)
        }
        return result
    }

    private static func check(_ scrapeConfig: ScrapeConfig, syntaxOnly: Bool, warnings: inout [String]) throws(ConfigError) {
        let tls = scrapeConfig.httpClient.tls
        if !syntaxOnly, case .file(let path) = scrapeConfig.httpClient.authorization?.credentials, let failure = statFailure(path) {
            throw ConfigError(
                "error checking authorization credentials or bearer token file \(GoString.quote(path)): \(failure)")
        }
        if let cert = tls.certFile, tls.keyFile == nil {
            throw ConfigError("client cert file \(GoString.quote(cert)) specified without client key file")
        }
        if let key = tls.keyFile, tls.certFile == nil {
            throw ConfigError("client key file \(GoString.quote(key)) specified without client cert file")
        }
        guard !syntaxOnly else { return }
        if let cert = tls.certFile, let failure = statFailure(cert) {
            throw ConfigError("error checking client cert file \(GoString.quote(cert)): \(failure)")
        }
        if let key = tls.keyFile, let failure = statFailure(key) {
            throw ConfigError("error checking client key file \(GoString.quote(key)): \(failure)")
        }
        for fileSD in scrapeConfig.fileSDConfigs {
            for pattern in fileSD.files {
                let matches = ConfigPaths.glob(pattern)
                if matches.isEmpty {
                    warnings.append(
                        "file \(GoString.quote(pattern)) for file_sd in scrape job \(GoString.quote(scrapeConfig.jobName)) does not exist")
                }
                for match in matches {
                    do throws(ConfigError) {
                        _ = try FileSDConfig.targetGroups(fromFile: match)
                    } catch {
                        throw ConfigError("checking SD file \(GoString.quote(pattern)): \(error.message)")
                    }
                }
            }
        }
    }

    /// Go's `os.Stat` error text for `path`, nil when it exists.
    private static func statFailure(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) != 0 else { return nil }
        var message = String(cString: strerror(errno))
        if let first = message.first { message = first.lowercased() + message.dropFirst() }
        return "stat \(path): \(message)"
    }
}
