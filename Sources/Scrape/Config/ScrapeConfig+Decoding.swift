// Reading one `scrape_configs` entry as Prometheus's `ScrapeConfig.UnmarshalYAML` does: its own
// fields, the inlined HTTP client options and the service discovery sections, then the checks
// that need nothing from `global:`.

import MetricModel
import Relabel
import YAML

/// A scrape config as decoded: what was written, before the globals are applied (`validated`).
struct ScrapeSection {
    var config = ScrapeConfig(jobName: "", scrapeIntervalMs: 0, scrapeTimeoutMs: 0)
    var limitsWritten = ScrapeLimits()
    var protocolNames: [String]?
    var fallbackProtocol = ""
    var validationScheme: NameValidationScheme?
    var escapingScheme = ""
    var scrapeNativeHistograms: Bool?
    var extraScrapeMetrics: Bool?
    var convertClassicHistogramsToNHCB: Bool?
    var alwaysScrapeClassicHistograms: Bool?
    var relabel: [RelabelFields] = []
    var metricRelabel: [RelabelFields] = []
    /// Accepted but not acted on, by YAML name (`kubernetes_sd_configs`, `oauth2`).
    var unsupported: [String] = []

    static let ownFieldNames: Set<String> = [
        "job_name", "honor_labels", "honor_timestamps", "track_timestamps_staleness", "params", "scrape_interval",
        "scrape_timeout", "scrape_protocols", "fallback_scrape_protocol", "scrape_native_histograms",
        "always_scrape_classic_histograms", "convert_classic_histograms_to_nhcb", "scrape_failure_log_file",
        "metrics_path", "scheme", "enable_compression", "body_size_limit", "sample_limit", "target_limit",
        "label_limit", "label_name_length_limit", "label_value_length_limit", "native_histogram_bucket_limit",
        "native_histogram_min_bucket_factor", "keep_dropped_targets", "metric_name_validation_scheme",
        "metric_name_escaping_scheme", "extra_scrape_metrics", "relabel_configs", "metric_relabel_configs",
        "tenant",
    ]

    static let fieldNames = ownFieldNames.union(HTTPClientSection.fieldNames).union(ServiceDiscoveryKinds.keys)

    static let limitNames: Set<String> = [
        "body_size_limit", "sample_limit", "target_limit", "label_limit", "label_name_length_limit",
        "label_value_length_limit", "keep_dropped_targets", "native_histogram_bucket_limit",
    ]
}

extension ConfigDecoder {
    /// The entries of `scrape_configs`; a null entry stays nil ("empty or null scrape config
    /// section" once validated), one with type errors is dropped (the errors are collected).
    func scrapeSections(_ node: Node) throws(ConfigError) -> [ScrapeSection?] {
        try optionalElements(node, goType: "[]*config.ScrapeConfig") { item throws(ConfigError) in try scrapeSection(item) }
    }

    /// One scrape config.
    ///
    /// - Throws: `ConfigError` "job_name is empty", an HTTP client option's error, `"http://x"
    ///   is not a valid hostname` (a URL as a static target), "empty or null target relabeling
    ///   rule in scrape config", or a nested section's error.
    private func scrapeSection(_ node: Node) throws(ConfigError) -> ScrapeSection? {
        let mark = typeErrorCount
        var section = ScrapeSection()
        var client = HTTPClientSection()
        var discovery = ServiceDiscoverySection()
        var relabel: [RelabelFields?] = []
        var metricRelabel: [RelabelFields?] = []
        try fields(of: node, goType: "config.ScrapeConfig", known: ScrapeSection.fieldNames) { key, value throws(ConfigError) in
            if HTTPClientSection.fieldNames.contains(key) {
                try httpClientField(key, value, into: &client)
            } else if ServiceDiscoveryKinds.keys.contains(key) {
                try serviceDiscovery(key, value, into: &discovery)
            } else if ScrapeSection.limitNames.contains(key) {
                try limit(key, value, into: &section.limitsWritten)
            } else {
                try scrapeField(key, value, into: &section, relabel: &relabel, metricRelabel: &metricRelabel)
            }
        }
        guard !hadTypeErrors(since: mark) else { return nil }
        try discovery.checkNoNullSections()
        guard !section.config.jobName.isEmpty else { throw ConfigError("job_name is empty") }
        section.config.httpClient = try client.validated()
        if relabel.isEmpty { try discovery.checkStaticTargets() }
        guard !relabel.contains(where: { $0 == nil }) else {
            throw ConfigError("empty or null target relabeling rule in scrape config")
        }
        guard !metricRelabel.contains(where: { $0 == nil }) else {
            throw ConfigError("empty or null metric relabeling rule in scrape config")
        }
        section.relabel = relabel.compactMap { $0 }
        section.metricRelabel = metricRelabel.compactMap { $0 }
        section.config.staticConfigs = discovery.staticConfigs.compactMap { $0 }
        section.config.fileSDConfigs = discovery.fileSDConfigs.compactMap { $0 }
        section.config.httpSDConfigs = discovery.httpSDConfigs.compactMap { $0 }
        section.unsupported = discovery.others.map(\.key).sorted() + client.unsupported + discovery.unsupportedHTTPOptions
        return section
    }

    private func scrapeField(
        _ key: String, _ value: Node, into section: inout ScrapeSection,
        relabel: inout [RelabelFields?], metricRelabel: inout [RelabelFields?]
    ) throws(ConfigError) {
        switch key {
        case "job_name": section.config.jobName = try string(value) ?? ""
        case "honor_labels": section.config.honorLabels = try bool(value) ?? false
        case "honor_timestamps": section.config.honorTimestamps = try bool(value) ?? false
        case "track_timestamps_staleness": section.config.trackTimestampsStaleness = try bool(value) ?? false
        case "enable_compression": section.config.enableCompression = try bool(value) ?? false
        case "params": section.config.params = try params(value)
        case "scrape_interval": section.config.scrapeIntervalMs = try duration(value) ?? 0
        case "scrape_timeout": section.config.scrapeTimeoutMs = try duration(value) ?? 0
        case "scrape_protocols": section.protocolNames = try scrapeProtocolNames(value)
        case "fallback_scrape_protocol": section.fallbackProtocol = try string(value, goType: "config.ScrapeProtocol") ?? ""
        case "scrape_native_histograms": section.scrapeNativeHistograms = try nullableBool(value)
        case "always_scrape_classic_histograms": section.alwaysScrapeClassicHistograms = try nullableBool(value)
        case "convert_classic_histograms_to_nhcb": section.convertClassicHistogramsToNHCB = try nullableBool(value)
        case "extra_scrape_metrics": section.extraScrapeMetrics = try nullableBool(value)
        case "scrape_failure_log_file": section.config.scrapeFailureLogFile = try string(value).flatMap { $0.isEmpty ? nil : $0 }
        case "metrics_path":
            section.config.metricsPath = try string(value) ?? ""
        case "scheme": section.config.scheme = try string(value) ?? ""
        case "native_histogram_min_bucket_factor": section.config.nativeHistogramMinBucketFactor = try float(value) ?? 0
        case "metric_name_validation_scheme": section.validationScheme = try validationScheme(value)
        case "metric_name_escaping_scheme": section.escapingScheme = try string(value) ?? ""
        case "relabel_configs": relabel = try relabelList(value)
        case "metric_relabel_configs": metricRelabel = try relabelList(value)
        case "tenant": section.config.tenant = try string(value).flatMap { $0.isEmpty ? nil : $0 }
        default: preconditionFailure("unhandled scrape config field \(key)")
        }
    }

    /// A Go `*bool`: nil when null (unset, inherited from `global:`).
    private func nullableBool(_ node: Node) throws(ConfigError) -> Bool? {
        if node.isGoNull { return nil }
        return try bool(node)
    }

    /// `params` (`url.Values`): each name with its values in order.
    private func params(_ node: Node) throws(ConfigError) -> [(name: String, values: [String])] {
        var params: [(name: String, values: [String])] = []
        _ = try mapEntries(node, goType: "url.Values") { name, value throws(ConfigError) in
            guard let values = try strings(value) else { return false }
            params.append((String(decoding: name, as: UTF8.self), values))
            return true
        }
        return params
    }
}
