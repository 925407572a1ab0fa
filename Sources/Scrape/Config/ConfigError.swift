// The error of loading a config: Prometheus's text, and a code saying which stage failed.

/// A config file that cannot be used, with Prometheus's wording.
///
/// ```swift
/// do { _ = try PrometheusConfig.load(file: "prometheus.yml") }
/// catch { print(error.message) }  // parsing YAML file prometheus.yml: job_name is empty
/// ```
package struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which stage failed.
    package enum Code: String, Sendable {
        /// The text is not a valid config (YAML, unknown fields, failed checks).
        case invalidConfig
        /// The file could not be read.
        case unreadableFile
        /// A file named by `scrape_config_files` could not be read or is not valid; the message
        /// starts with that file's absolute path (Prometheus's `GetScrapeConfigs`).
        case invalidScrapeConfigFile
    }

    package var code: Code
    package var message: String

    package init(_ message: String, code: Code = .invalidConfig) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
}
