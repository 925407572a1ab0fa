// Applying `global:` to a decoded scrape config and validating it, as Prometheus's
// `ScrapeConfig.Validate(globalConfig)` does: interval and timeout, limits, scrape protocols,
// name validation and escaping schemes, then the relabeling steps.

import MetricModel
import Relabel

extension ScrapeSection {
    private static let escapingSchemes = ["allow-utf-8", "underscores", "dots", "values"]
    private static let escapingChoices = "must be one of 'allow-utf-8', 'underscores', 'dots', or 'values'"

    /// The scrape config with the globals it inherits applied.
    ///
    /// - Throws: `ConfigError` with Prometheus's text, e.g. `scrape timeout greater than scrape
    ///   interval for scrape config with job name "node"`.
    func validated(global section: GlobalSection) throws(ConfigError) -> ScrapeConfig {
        let global = section.config
        var config = config
        let job = GoString.quote(config.jobName)
        if config.scrapeIntervalMs == 0 { config.scrapeIntervalMs = global.scrapeIntervalMs }
        if config.scrapeTimeoutMs > config.scrapeIntervalMs {
            throw ConfigError("scrape timeout greater than scrape interval for scrape config with job name \(job)")
        }
        if config.scrapeTimeoutMs == 0 { config.scrapeTimeoutMs = min(global.scrapeTimeoutMs, config.scrapeIntervalMs) }
        config.limits = limitsWritten.inheriting(global.limits)
        if config.scrapeFailureLogFile == nil { config.scrapeFailureLogFile = global.scrapeFailureLogFile }
        config.scrapeNativeHistograms = scrapeNativeHistograms ?? global.scrapeNativeHistograms
        config.extraScrapeMetrics = extraScrapeMetrics ?? global.extraScrapeMetrics

        do throws(ConfigError) {
            if let protocolNames {
                config.scrapeProtocols = try ScrapeProtocol.validated(protocolNames)
            } else if let inherited = section.scrapeProtocols {
                config.scrapeProtocols = inherited
            } else {
                config.scrapeProtocols = config.scrapeNativeHistograms
                    ? [.prometheusProto] + ScrapeProtocol.defaults : ScrapeProtocol.defaults
            }
        } catch {
            throw ConfigError("\(error.message) for scrape config with job name \(job)")
        }
        if !fallbackProtocol.isEmpty {
            do throws(ConfigError) {
                config.fallbackScrapeProtocol = try ScrapeProtocol(validating: fallbackProtocol)
            } catch {
                throw ConfigError("invalid fallback_scrape_protocol for scrape config with job name \(job): \(error.message)")
            }
        }

        config.metricNameValidationScheme = validationScheme ?? global.metricNameValidationScheme
        var globalEscaping = section.escapingScheme
        if globalEscaping.isEmpty {
            globalEscaping = global.metricNameValidationScheme == .legacy ? "underscores" : "allow-utf-8"
        } else if !Self.escapingSchemes.contains(globalEscaping) {
            throw ConfigError(
                "unknown global name escaping method specified, \(Self.escapingChoices), got \(GoString.quote(globalEscaping))")
        }
        var escaping = escapingScheme
        if escaping.isEmpty {
            if validationScheme == nil {
                escaping = globalEscaping
            } else {
                escaping = config.metricNameValidationScheme == .legacy ? "underscores" : "allow-utf-8"
            }
        }
        if escaping == "allow-utf-8" {
            guard config.metricNameValidationScheme == .utf8 else {
                throw ConfigError("utf8 metric names requested but validation scheme is not set to UTF8")
            }
        } else if !Self.escapingSchemes.contains(escaping) {
            throw ConfigError(
                "unknown scrape config name escaping method specified, \(Self.escapingChoices), got \(GoString.quote(escaping))")
        }
        config.metricNameEscapingScheme = escaping
        config.convertClassicHistogramsToNHCB = convertClassicHistogramsToNHCB ?? global.convertClassicHistogramsToNHCB
        config.alwaysScrapeClassicHistograms = alwaysScrapeClassicHistograms ?? global.alwaysScrapeClassicHistograms

        var relabelConfigs: [RelabelConfig] = []
        for step in relabel { relabelConfigs.append(try step.validated()) }
        var metricRelabelConfigs: [RelabelConfig] = []
        for step in metricRelabel { metricRelabelConfigs.append(try step.validated()) }
        config.relabelConfigs = relabelConfigs
        config.metricRelabelConfigs = metricRelabelConfigs
        return config
    }
}

extension ScrapeLimits {
    /// These limits with each unset (0) one taken from `global`. `native_histogram_bucket_limit`
    /// has no global counterpart.
    func inheriting(_ global: ScrapeLimits) -> ScrapeLimits {
        var limits = self
        if limits.bodySizeLimit == 0 { limits.bodySizeLimit = global.bodySizeLimit }
        if limits.sampleLimit == 0 { limits.sampleLimit = global.sampleLimit }
        if limits.targetLimit == 0 { limits.targetLimit = global.targetLimit }
        if limits.labelLimit == 0 { limits.labelLimit = global.labelLimit }
        if limits.labelNameLengthLimit == 0 { limits.labelNameLengthLimit = global.labelNameLengthLimit }
        if limits.labelValueLengthLimit == 0 { limits.labelValueLengthLimit = global.labelValueLengthLimit }
        if limits.keepDroppedTargets == 0 { limits.keepDroppedTargets = global.keepDroppedTargets }
        return limits
    }
}
