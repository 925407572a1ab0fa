// Reading `global:` as Prometheus's `GlobalConfig.UnmarshalYAML` does: defaults for what is
// unset, the timeout checked against the interval, external labels and scrape protocols validated.

import MetricModel
import YAML

/// `global:` as decoded, with what the model does not keep: whether `scrape_protocols` and
/// `metric_name_escaping_scheme` were given (scrape configs inherit them only then).
struct GlobalSection {
    var config = GlobalConfig()
    /// `scrape_protocols` when written; nil lets each scrape config choose by native histograms.
    var scrapeProtocols: [ScrapeProtocol]?
    /// `metric_name_escaping_scheme` as written, "" when unset.
    var escapingScheme = ""
    /// External labels as written, before `$VAR` expansion, in name order.
    var externalLabels: [(name: String, value: String)] = []

    static let fieldNames: Set<String> = [
        "scrape_interval", "scrape_timeout", "scrape_protocols", "evaluation_interval", "rule_query_offset",
        "query_log_file", "scrape_failure_log_file", "external_labels", "body_size_limit", "sample_limit",
        "target_limit", "label_limit", "label_name_length_limit", "label_value_length_limit", "keep_dropped_targets",
        "metric_name_validation_scheme", "metric_name_escaping_scheme", "scrape_native_histograms",
        "convert_classic_histograms_to_nhcb", "always_scrape_classic_histograms", "extra_scrape_metrics",
    ]
}

extension ConfigDecoder {
    /// `global:`; nil when its fields had type errors (collected, validation skipped as in Go).
    ///
    /// - Throws: `ConfigError` "global scrape timeout greater than scrape interval", an invalid
    ///   external label (`"" is not a valid label name`), a bad duration or scrape protocol.
    func globalSection(_ node: Node) throws(ConfigError) -> GlobalSection? {
        // A `global:` that is null leaves Go's zero value, which Prometheus replaces by the defaults.
        if node.isGoNull { return GlobalSection() }
        let mark = typeErrorCount
        var section = GlobalSection()
        var global = GlobalConfig()
        global.scrapeIntervalMs = 0
        global.scrapeTimeoutMs = 0
        global.evaluationIntervalMs = 0
        var validation: NameValidationScheme?
        var rawLabels: [(name: [UInt8], value: [UInt8])] = []
        var protocolNames: [String]?
        var scrapeNativeHistograms: Bool?
        var extraScrapeMetrics: Bool?
        try fields(of: node, goType: "config.plain", known: GlobalSection.fieldNames) { key, value throws(ConfigError) in
            switch key {
            case "scrape_interval": global.scrapeIntervalMs = try duration(value) ?? 0
            case "scrape_timeout": global.scrapeTimeoutMs = try duration(value) ?? 0
            case "evaluation_interval": global.evaluationIntervalMs = try duration(value) ?? 0
            case "rule_query_offset": global.ruleQueryOffsetMs = try duration(value) ?? 0
            case "scrape_protocols": protocolNames = try scrapeProtocolNames(value)
            case "query_log_file": global.queryLogFile = try string(value).flatMap { $0.isEmpty ? nil : $0 }
            case "scrape_failure_log_file": global.scrapeFailureLogFile = try string(value).flatMap { $0.isEmpty ? nil : $0 }
            case "external_labels": rawLabels = try labelMap(value, goType: "map[string]string") ?? []
            case "metric_name_validation_scheme": validation = try validationScheme(value)
            case "metric_name_escaping_scheme": section.escapingScheme = try string(value) ?? ""
            case "scrape_native_histograms": scrapeNativeHistograms = try bool(value)
            case "convert_classic_histograms_to_nhcb": global.convertClassicHistogramsToNHCB = try bool(value) ?? false
            case "always_scrape_classic_histograms": global.alwaysScrapeClassicHistograms = try bool(value) ?? false
            case "extra_scrape_metrics": extraScrapeMetrics = try bool(value)
            default: try limit(key, value, into: &global.limits)
            }
        }
        guard !hadTypeErrors(since: mark) else { return nil }

        global.metricNameValidationScheme = validation ?? .utf8
        for (name, value) in rawLabels.sorted(by: { $0.name.lexicographicallyPrecedes($1.name) }) {
            guard LabelNameCheck.isValid(name, scheme: global.metricNameValidationScheme) else {
                throw ConfigError("\(GoString.quote(bytes: name)) is not a valid label name")
            }
            guard String(validating: value, as: UTF8.self) != nil else {
                throw ConfigError("\(GoString.quote(bytes: value)) is not a valid label value")
            }
            section.externalLabels.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }

        if global.scrapeIntervalMs == 0 { global.scrapeIntervalMs = GlobalConfig().scrapeIntervalMs }
        if global.scrapeTimeoutMs > global.scrapeIntervalMs {
            throw ConfigError("global scrape timeout greater than scrape interval")
        }
        if global.scrapeTimeoutMs == 0 { global.scrapeTimeoutMs = min(GlobalConfig().scrapeTimeoutMs, global.scrapeIntervalMs) }
        if global.evaluationIntervalMs == 0 { global.evaluationIntervalMs = GlobalConfig().evaluationIntervalMs }
        global.scrapeNativeHistograms = scrapeNativeHistograms ?? false
        global.extraScrapeMetrics = extraScrapeMetrics ?? false
        if let protocolNames {
            do throws(ConfigError) {
                section.scrapeProtocols = try ScrapeProtocol.validated(protocolNames)
            } catch {
                throw ConfigError("\(error.message) for global config")
            }
        }
        global.scrapeProtocols = section.scrapeProtocols ?? ScrapeProtocol.defaults
        global.metricNameEscapingScheme = section.escapingScheme.isEmpty
            ? (global.metricNameValidationScheme == .legacy ? "underscores" : "allow-utf-8") : section.escapingScheme
        section.config = global
        return section
    }

    /// A limit shared by `global:` and scrape configs (`sample_limit`, `body_size_limit`, …).
    func limit(_ key: String, _ value: Node, into limits: inout ScrapeLimits) throws(ConfigError) {
        switch key {
        case "body_size_limit": limits.bodySizeLimit = try base2Bytes(value) ?? 0
        case "sample_limit": limits.sampleLimit = try unsignedInt(value)
        case "target_limit": limits.targetLimit = try unsignedInt(value)
        case "label_limit": limits.labelLimit = try unsignedInt(value)
        case "label_name_length_limit": limits.labelNameLengthLimit = try unsignedInt(value)
        case "label_value_length_limit": limits.labelValueLengthLimit = try unsignedInt(value)
        case "keep_dropped_targets": limits.keepDroppedTargets = try unsignedInt(value)
        case "native_histogram_bucket_limit": limits.nativeHistogramBucketLimit = try unsignedInt(value)
        default: preconditionFailure("not a limit: \(key)")
        }
    }

    /// A Go `uint` held in an `Int`; values past `Int.max` (no real limit) saturate.
    private func unsignedInt(_ value: Node) throws(ConfigError) -> Int {
        Int(clamping: try unsigned(value) ?? 0)
    }

    /// `scrape_protocols` as written; nil when null (unset), [] when an empty list.
    func scrapeProtocolNames(_ node: Node) throws(ConfigError) -> [String]? {
        if case .scalar(let scalar) = node, (try scalar.goResolved()) == .null { return nil }
        guard let items = elements(node, goType: "[]config.ScrapeProtocol") else { return nil }
        var names: [String] = []
        for item in items {
            if let name = try string(item, goType: "config.ScrapeProtocol") { names.append(name) }
        }
        return names
    }

    /// `model.ValidationScheme`: "" (unset), `legacy` or `utf8`.
    func validationScheme(_ node: Node) throws(ConfigError) -> NameValidationScheme? {
        guard let text = try customString(node) else { return nil }
        switch text {
        case "": return nil
        case "legacy": return .legacy
        case "utf8": return .utf8
        default: throw ConfigError("unrecognized ValidationScheme: \(GoString.quote(text))")
        }
    }

    /// A `map[string]string` of labels, raw bytes so invalid UTF-8 (`!!binary`) can be reported.
    func labelMap(_ node: Node, goType: String) throws(ConfigError) -> [(name: [UInt8], value: [UInt8])]? {
        var pairs: [(name: [UInt8], value: [UInt8])] = []
        let ok = try mapEntries(node, goType: goType) { name, value throws(ConfigError) in
            guard let bytes = try stringBytes(value) else { return false }
            pairs.append((name, bytes))
            return true
        }
        return ok ? pairs : nil
    }
}

extension ScrapeProtocol {
    /// Prometheus's `validateAcceptScrapeProtocols`.
    ///
    /// - Throws: `ConfigError` "scrape_protocols cannot be empty", "duplicated protocol in
    ///   scrape_protocols, got [A B A]", "scrape_protocols: unknown scrape protocol x, supported: […]".
    static func validated(_ names: [String]) throws(ConfigError) -> [ScrapeProtocol] {
        guard !names.isEmpty else { throw ConfigError("scrape_protocols cannot be empty") }
        var seen: Set<String> = []
        var protocols: [ScrapeProtocol] = []
        for name in names {
            guard seen.insert(name.lowercased()).inserted else {
                throw ConfigError("duplicated protocol in scrape_protocols, got [\(names.joined(separator: " "))]")
            }
            do throws(ConfigError) {
                protocols.append(try ScrapeProtocol(validating: name))
            } catch {
                throw ConfigError("scrape_protocols: \(error.message)")
            }
        }
        return protocols
    }

    /// `ScrapeProtocol.Validate`: names are case-sensitive.
    init(validating name: String) throws(ConfigError) {
        guard let value = ScrapeProtocol(rawValue: name) else {
            let supported = ScrapeProtocol.allCases.map(\.rawValue).sorted().joined(separator: " ")
            throw ConfigError("unknown scrape protocol \(name), supported: [\(supported)]")
        }
        self = value
    }
}

/// Label and metric name checks under a validation scheme (`model.ValidationScheme`).
package enum LabelNameCheck {
    /// `IsValidLabelName`: any non-empty UTF-8 (utf8), or `[a-zA-Z_][a-zA-Z0-9_]*` (legacy).
    package static func isValid(_ name: [UInt8], scheme: NameValidationScheme) -> Bool {
        isValid(name, scheme: scheme, colon: false)
    }

    /// `IsValidMetricName`: as a label name, colons allowed under the legacy scheme.
    package static func isValidMetricName(_ name: [UInt8], scheme: NameValidationScheme) -> Bool {
        isValid(name, scheme: scheme, colon: true)
    }

    private static func isValid(_ name: [UInt8], scheme: NameValidationScheme, colon: Bool) -> Bool {
        guard !name.isEmpty else { return false }
        switch scheme {
        case .utf8:
            return String(validating: name, as: UTF8.self) != nil
        case .legacy:
            for (index, byte) in name.enumerated() {
                let letter = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
                    || (colon && byte == 0x3A)
                let digit = byte >= 0x30 && byte <= 0x39 && index > 0
                if !letter && !digit { return false }
            }
            return true
        }
    }
}
