// Reading `alerting:` as Prometheus's `AlertingConfig.UnmarshalYAML` and
// `AlertmanagerConfig.UnmarshalYAML` do: the inlined HTTP client options and service discovery
// sections, Prometheus's defaults and its checks, in its order and words. The relabeling steps
// are validated later with the rest of the config (`Config.Validate`): `validated()`.

import MetricModel
import Relabel
import YAML

/// `alerting:` as decoded, its relabeling steps not yet validated.
struct AlertingSection {
    var alertRelabel: [RelabelFields] = []
    var alertmanagers: [AlertmanagerSection] = []
}

/// One `alertmanagers` entry as decoded.
struct AlertmanagerSection {
    var config = AlertmanagerConfig()
    var relabel: [RelabelFields] = []
    var alertRelabel: [RelabelFields] = []
    /// Accepted but not acted on, by YAML name (`dns_sd_configs`, `sigv4`, `oauth2`).
    var unsupported: [String] = []

    static let ownFieldNames: Set<String> = [
        "sigv4", "scheme", "path_prefix", "timeout", "api_version", "relabel_configs", "alert_relabel_configs",
    ]

    static let fieldNames = ownFieldNames.union(HTTPClientSection.fieldNames).union(ServiceDiscoveryKinds.keys)

    /// The Alertmanager API versions Prometheus 3 speaks (v1 was removed).
    static let supportedAPIVersions = ["v2"]
}

extension ConfigDecoder {
    /// `alerting:`; nil when its fields had type errors (collected, checks skipped as in Go).
    ///
    /// - Throws: `ConfigError` "empty or null alert relabeling rule", "empty or null Alertmanager
    ///   config section" (Prometheus itself crashes on a null entry), or an entry's error.
    func alertingSection(_ node: Node) throws(ConfigError) -> AlertingSection? {
        let mark = typeErrorCount
        var relabel: [RelabelFields?] = []
        var alertmanagers: [AlertmanagerSection?] = []
        try fields(of: node, goType: "config.plain", known: ["alert_relabel_configs", "alertmanagers"]) {
            key, value throws(ConfigError) in
            if key == "alert_relabel_configs" {
                relabel = try relabelList(value)
            } else {
                alertmanagers = try optionalElements(value, goType: "[]*config.AlertmanagerConfig") { item throws(ConfigError) in
                    try alertmanagerSection(item)
                }
            }
        }
        guard !hadTypeErrors(since: mark) else { return nil }
        guard !relabel.contains(where: { $0 == nil }) else { throw ConfigError("empty or null alert relabeling rule") }
        guard !alertmanagers.contains(where: { $0 == nil }) else {
            throw ConfigError("empty or null Alertmanager config section")
        }
        return AlertingSection(alertRelabel: relabel.compactMap { $0 }, alertmanagers: alertmanagers.compactMap { $0 })
    }

    /// One `alertmanagers` entry (`config.AlertmanagerConfig`).
    ///
    /// - Throws: `ConfigError` `expected Alertmanager api version to be one of [v2] but got v1`,
    ///   "empty or null section in static_configs", an HTTP client option's error, "at most one of
    ///   basic_auth, authorization, oauth2, & sigv4 must be configured", `"http://am" is not a
    ///   valid hostname` (a URL as a static target), "empty or null Alertmanager target
    ///   relabeling rule", "empty or null Alertmanager alert relabeling rule".
    private func alertmanagerSection(_ node: Node) throws(ConfigError) -> AlertmanagerSection? {
        let mark = typeErrorCount
        var section = AlertmanagerSection()
        var client = HTTPClientSection()
        var discovery = ServiceDiscoverySection()
        var relabel: [RelabelFields?] = []
        var alertRelabel: [RelabelFields?] = []
        var hasSigV4 = false
        try fields(of: node, goType: "config.AlertmanagerConfig", known: AlertmanagerSection.fieldNames) {
            key, value throws(ConfigError) in
            if HTTPClientSection.fieldNames.contains(key) {
                try httpClientField(key, value, into: &client)
                return
            }
            if ServiceDiscoveryKinds.keys.contains(key) {
                try serviceDiscovery(key, value, into: &discovery)
                return
            }
            switch key {
            case "scheme": section.config.scheme = try string(value) ?? ""
            case "path_prefix": section.config.pathPrefix = try string(value) ?? ""
            // go-yaml sets a null field to its zero value: `timeout: ~` is 0, `api_version: ~` is "".
            case "timeout": section.config.timeoutMs = try duration(value) ?? 0
            case "api_version":
                guard !value.isGoNull else {
                    section.config.apiVersion = ""
                    return
                }
                guard let version = try string(value, goType: "config.plain") else { return }
                guard AlertmanagerSection.supportedAPIVersions.contains(version) else {
                    let supported = AlertmanagerSection.supportedAPIVersions.joined(separator: " ")
                    throw ConfigError("expected Alertmanager api version to be one of [\(supported)] but got \(version)")
                }
                section.config.apiVersion = version
            case "relabel_configs": relabel = try relabelList(value)
            case "alert_relabel_configs": alertRelabel = try relabelList(value)
            default:
                // `sigv4`: taken, not acted on (requests are not signed).
                hasSigV4 = !value.isGoNull
            }
        }
        guard !hadTypeErrors(since: mark) else { return nil }
        try discovery.checkNoNullSections()
        let httpClient = try client.validated()
        if hasSigV4 && (httpClient.basicAuth != nil || httpClient.authorization != nil || client.oauth2 != nil) {
            throw ConfigError("at most one of basic_auth, authorization, oauth2, & sigv4 must be configured")
        }
        if relabel.isEmpty { try discovery.checkStaticTargets() }
        guard !relabel.contains(where: { $0 == nil }) else {
            throw ConfigError("empty or null Alertmanager target relabeling rule")
        }
        guard !alertRelabel.contains(where: { $0 == nil }) else {
            throw ConfigError("empty or null Alertmanager alert relabeling rule")
        }
        section.config.httpClient = httpClient
        section.config.staticConfigs = discovery.staticConfigs.compactMap { $0 }
        section.config.fileSDConfigs = discovery.fileSDConfigs.compactMap { $0 }
        section.config.httpSDConfigs = discovery.httpSDConfigs.compactMap { $0 }
        section.relabel = relabel.compactMap { $0 }
        section.alertRelabel = alertRelabel.compactMap { $0 }
        section.unsupported = discovery.others.map(\.key).sorted() + client.unsupported + discovery.unsupportedHTTPOptions
        if hasSigV4 { section.unsupported.append("sigv4") }
        return section
    }
}

extension AlertingSection {
    /// The config with its relabeling steps validated (Prometheus's `AlertingConfig.Validate`:
    /// the global alert relabeling, then each set's alert relabeling and target relabeling),
    /// and what it takes without acting on, named after its set (`alertmanagers "config-0": sigv4`).
    ///
    /// - Throws: `ConfigError` with `RelabelConfig`'s (Prometheus's) text.
    func validated() throws(ConfigError) -> (config: AlertingConfig, unsupported: [String]) {
        var config = AlertingConfig()
        var unsupported: [String] = []
        for step in alertRelabel { config.alertRelabelConfigs.append(try step.validated()) }
        for (index, section) in alertmanagers.enumerated() {
            var alertmanager = section.config
            for step in section.alertRelabel { alertmanager.alertRelabelConfigs.append(try step.validated()) }
            for step in section.relabel { alertmanager.relabelConfigs.append(try step.validated()) }
            config.alertmanagers.append(alertmanager)
            let name = GoString.quote(AlertmanagerConfig.name(index: index))
            unsupported += section.unsupported.map { "alertmanagers \(name): \($0)" }
        }
        return (config, unsupported)
    }
}
