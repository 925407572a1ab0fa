// Loading `prometheus.yml` (Prometheus's `config.Load`/`LoadFile` and `GetScrapeConfigs`): strict
// about unknown fields, Prometheus's defaults, checks and error texts, relative paths resolved
// against the file's directory, and the scrape configs of `scrape_config_files` read in.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MetricModel
import YAML

extension PrometheusConfig {
    /// Parses and validates a config file's text. `directory` resolves relative paths
    /// (`file_sd_configs`, `rule_files`, `*_file` secrets, `scrape_config_files`).
    ///
    /// An empty text is a valid config with every default, as in Prometheus.
    ///
    /// - Throws: `ConfigError` with Prometheus's wording, e.g.
    ///   `parsing YAML file prometheus.yml: yaml: unmarshal errors:\n  line 3: field foo not found in type config.plain`.
    package static func load(yaml: String, filename: String, directory: String) throws(ConfigError) -> PrometheusConfig {
        try load(yaml: yaml, filename: filename, directory: directory) { name in
            getenv(name).map { String(cString: $0) }
        }
    }

    /// `load(yaml:filename:directory:)` with the environment that `external_labels` values
    /// (`${VAR}`) are expanded from.
    package static func load(
        yaml: String, filename: String, directory: String, environment: (String) -> String?
    ) throws(ConfigError) -> PrometheusConfig {
        let loaded: (config: PrometheusConfig, global: GlobalSection)
        do {
            loaded = try decode(yaml, environment: environment)
        } catch {
            throw ConfigError("parsing YAML file \(filename): \(error.message)", code: error.code)
        }
        var config = loaded.config
        config.setDirectory(directory)
        try config.readScrapeConfigFiles(global: loaded.global)
        config.source = yaml
        return config
    }

    /// Reads and loads a config file.
    ///
    /// - Throws: `ConfigError` "open x.yml: no such file or directory" (code `.unreadableFile`)
    ///   or the errors of `load(yaml:filename:directory:)`.
    package static func load(file path: String) throws(ConfigError) -> PrometheusConfig {
        let bytes = try ConfigFile.contents(of: path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError("parsing YAML file \(path): yaml: invalid leading UTF-8 octet")
        }
        return try load(yaml: text, filename: path, directory: ConfigPaths.directory(of: path))
    }

    static let sectionNames: Set<String> = [
        "global", "runtime", "alerting", "rule_files", "scrape_config_files", "scrape_configs", "storage", "tracing",
        "remote_write", "remote_read", "otlp",
    ]

    /// Prometheus's `Load` up to, not including, `SetDirectory`.
    private static func decode(
        _ text: String, environment: (String) -> String?
    ) throws(ConfigError) -> (config: PrometheusConfig, global: GlobalSection) {
        var config = PrometheusConfig()
        var global = GlobalSection()
        guard let root = try ConfigYAML.compose(text) else { return (config, global) }
        let decoder = ConfigDecoder()
        var sections: [ScrapeSection?] = []
        var remoteWrites: [(config: RemoteWriteConfig, unsupported: [String])?] = []
        var remoteReads: [(config: RemoteReadConfig, unsupported: [String])?] = []
        var alerting: AlertingSection?
        try decoder.fields(of: root, goType: "config.plain", known: sectionNames) { key, value throws(ConfigError) in
            switch key {
            case "global": if let section = try decoder.globalSection(value) { global = section }
            case "rule_files": config.ruleFiles = try decoder.strings(value) ?? []
            case "scrape_config_files": config.scrapeConfigFiles = try decoder.strings(value) ?? []
            case "scrape_configs": sections = try decoder.scrapeSections(value)
            case "remote_write": remoteWrites = try decoder.remoteWriteSections(value)
            case "remote_read": remoteReads = try decoder.remoteReadSections(value)
            case "alerting": alerting = try decoder.alertingSection(value)
            case "tracing":
                if let section = try decoder.tracingSection(value) {
                    config.tracing = section.config
                    config.notYetSupported += section.unsupported
                }
            default: config.notYetSupported.append(key)
            }
        }
        if let error = decoder.unmarshalError { throw error }

        for path in config.ruleFiles where !ConfigPaths.isValidRulePattern(path) {
            throw ConfigError("invalid rule file path \(GoString.quote(path))")
        }
        for path in config.scrapeConfigFiles where !ConfigPaths.isValidRulePattern(path) {
            throw ConfigError("invalid scrape config file path \(GoString.quote(path))")
        }
        var jobNames: Set<String> = []
        for section in sections {
            guard let section else { throw ConfigError("empty or null scrape config section") }
            let scrapeConfig = try section.validated(global: global)
            guard jobNames.insert(scrapeConfig.jobName).inserted else {
                throw ConfigError("found multiple scrape configs with job name \(GoString.quote(scrapeConfig.jobName))")
            }
            config.scrapeConfigs.append(scrapeConfig)
            config.notYetSupported += section.unsupported.map { "scrape config \(GoString.quote(scrapeConfig.jobName)): \($0)" }
        }
        if let alerting {
            let validated = try alerting.validated()
            config.alerting = validated.config
            config.notYetSupported += validated.unsupported
        }

        var remoteWriteNames: Set<String> = []
        for section in remoteWrites {
            guard let section else { throw ConfigError("empty or null remote write config section") }
            let name = section.config.name
            if !name.isEmpty && !remoteWriteNames.insert(name).inserted {
                throw ConfigError("found multiple remote write configs with job name \(GoString.quote(name))")
            }
            config.remoteWrite.append(section.config)
            config.notYetSupported += section.unsupported.map { "remote_write \(GoString.quote(section.config.displayName)): \($0)" }
        }

        var remoteReadNames: Set<String> = []
        for section in remoteReads {
            guard let section else { throw ConfigError("empty or null remote read config section") }
            let name = section.config.name
            if !name.isEmpty && !remoteReadNames.insert(name).inserted {
                throw ConfigError("found multiple remote read configs with job name \(GoString.quote(name))")
            }
            config.remoteRead.append(section.config)
            config.notYetSupported += section.unsupported.map { "remote_read \(GoString.quote(section.config.url)): \($0)" }
        }

        // Prometheus expands `$VAR`/`${VAR}` in external label values after parsing (`$$` is `$`).
        global.config.externalLabels = Labels(global.externalLabels.map { ($0.name, GoExpand.expand($0.value, environment)) })
        config.global = global.config
        return (config, global)
    }

    /// Appends the scrape configs of the files `scrapeConfigFiles` matches (Prometheus's
    /// `GetScrapeConfigs`), each validated against `global:`, with paths resolved against its file.
    ///
    /// - Throws: `ConfigError` (code `.invalidScrapeConfigFile`) naming the file:
    ///   `"/etc/prometheus/jobs/a.yml": found multiple scrape configs with job name "node", first found in main config file`.
    private mutating func readScrapeConfigFiles(global: GlobalSection) throws(ConfigError) {
        var firstFound: [String: String] = [:]
        for scrapeConfig in scrapeConfigs { firstFound[scrapeConfig.jobName] = "main config file" }
        for pattern in scrapeConfigFiles {
            for path in ConfigPaths.glob(pattern) {
                let absolute = ConfigPaths.absolute(path)
                do throws(ConfigError) {
                    let sections = try Self.scrapeSections(inFile: path)
                    for section in sections {
                        guard let section else { throw ConfigError("empty or null scrape config section") }
                        var scrapeConfig = try section.validated(global: global)
                        if let first = firstFound[scrapeConfig.jobName] {
                            throw ConfigError(
                                "found multiple scrape configs with job name \(GoString.quote(scrapeConfig.jobName)), first found in \(first)")
                        }
                        firstFound[scrapeConfig.jobName] = GoString.quote(absolute)
                        scrapeConfig.setDirectory(ConfigPaths.directory(of: path))
                        scrapeConfigs.append(scrapeConfig)
                        notYetSupported += section.unsupported.map { "scrape config \(GoString.quote(scrapeConfig.jobName)): \($0)" }
                    }
                } catch {
                    throw ConfigError("\(GoString.quote(absolute)): \(error.message)", code: .invalidScrapeConfigFile)
                }
            }
        }
    }

    /// The `scrape_configs:` of one scrape config file (`config.ScrapeConfigs`), decoded.
    private static func scrapeSections(inFile path: String) throws(ConfigError) -> [ScrapeSection?] {
        let bytes = try ConfigFile.contents(of: path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError("yaml: invalid leading UTF-8 octet")
        }
        guard let root = try ConfigYAML.compose(text) else { return [] }
        let decoder = ConfigDecoder()
        var sections: [ScrapeSection?] = []
        var remoteWrites: [(config: RemoteWriteConfig, unsupported: [String])?] = []
        var remoteReads: [(config: RemoteReadConfig, unsupported: [String])?] = []
        try decoder.fields(of: root, goType: "config.ScrapeConfigs", known: ["scrape_configs"]) { _, value throws(ConfigError) in
            sections = try decoder.scrapeSections(value)
        }
        if let error = decoder.unmarshalError { throw error }
        return sections
    }
}
