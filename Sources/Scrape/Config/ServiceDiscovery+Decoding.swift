// Reading a scrape config's service discovery sections: `static_configs`, `file_sd_configs` and
// `http_sd_configs` in full (Prometheus's targetgroup, discovery/file and discovery/http); every
// other kind Prometheus registers is accepted as is and reported as not yet supported.

import MetricModel
import YAML

/// The `<name>_sd_configs` keys Prometheus 3 registers (discovery/install), besides the three we read.
enum ServiceDiscoveryKinds {
    static let unsupported: Set<String> = [
        "aws", "azure", "consul", "digitalocean", "dns", "docker", "dockerswarm", "ec2", "ecs", "elasticache",
        "eureka", "gce", "hetzner", "ionos", "kubernetes", "kuma", "lightsail", "linode", "marathon", "msk",
        "nerve", "nomad", "oci", "openstack", "outscale", "ovhcloud", "puppetdb", "rds", "scaleway", "serverset",
        "stackit", "triton", "uyuni", "vultr",
    ]

    /// Every service discovery key of a scrape config.
    static let keys: Set<String> = Set(unsupported.map { $0 + "_sd_configs" })
        .union(["static_configs", "file_sd_configs", "http_sd_configs"])

    /// The Go type go-yaml names a target group in errors (an anonymous struct in targetgroup.go).
    static let targetGroupGoType = #"struct { Targets []string "yaml:\"targets\""; Labels model.LabelSet "yaml:\"labels\"" }"#
}

/// A scrape config's service discovery sections as decoded.
struct ServiceDiscoverySection {
    var staticConfigs: [TargetGroup?] = []
    var fileSDConfigs: [FileSDConfig?] = []
    var httpSDConfigs: [HTTPSDConfig?] = []
    /// Other kinds by key, with whether an entry was null.
    var others: [(key: String, hasNull: Bool)] = []
    /// HTTP client options of HTTP SD configs that are taken but not acted on.
    var unsupportedHTTPOptions: [String] = []

    /// Prometheus's `readConfigs` check, in its order (keys sorted by name).
    ///
    /// - Throws: `ConfigError` "empty or null section in static_configs".
    func checkNoNullSections() throws(ConfigError) {
        var nullKeys: [String] = others.filter(\.hasNull).map(\.key)
        if staticConfigs.contains(where: { $0 == nil }) { nullKeys.append("static_configs") }
        if fileSDConfigs.contains(where: { $0 == nil }) { nullKeys.append("file_sd_configs") }
        if httpSDConfigs.contains(where: { $0 == nil }) { nullKeys.append("http_sd_configs") }
        if let first = nullKeys.min() { throw ConfigError("empty or null section in \(first)") }
    }

    /// Prometheus's `checkStaticTargets`, made when no relabeling step could fix a target up: a
    /// static target must be a host, not a URL.
    ///
    /// - Throws: `ConfigError` `"http://bad" is not a valid hostname`.
    func checkStaticTargets() throws(ConfigError) {
        for group in staticConfigs.compactMap({ $0 }) {
            for target in group.targets where target.contains("/") {
                throw ConfigError("\(GoString.quote(target)) is not a valid hostname")
            }
        }
    }
}

extension ConfigDecoder {
    /// Decodes one service discovery key of a scrape config into `section`.
    func serviceDiscovery(_ key: String, _ value: Node, into section: inout ServiceDiscoverySection) throws(ConfigError) {
        switch key {
        case "static_configs":
            let start = section.staticConfigs.count
            section.staticConfigs += try optionalElements(value, goType: "[]*targetgroup.Group") { item throws(ConfigError) in
                try targetGroup(item, source: "")
            }
            // Static groups are numbered across all `static_configs` entries (Prometheus's readConfigs).
            for index in start..<section.staticConfigs.count { section.staticConfigs[index]?.source = String(index) }
        case "file_sd_configs":
            section.fileSDConfigs += try optionalElements(value, goType: "[]*file.SDConfig") { item throws(ConfigError) in
                try fileSDConfig(item)
            }
        case "http_sd_configs":
            var unsupported: [String] = []
            let configs = try optionalElements(value, goType: "[]*http.SDConfig") { item throws(ConfigError) in
                try httpSDConfig(item, unsupported: &unsupported)
            }
            section.httpSDConfigs += configs
            section.unsupportedHTTPOptions += unsupported
        default:
            let name = String(key.dropLast("_sd_configs".count))
            guard let items = elements(value, goType: "[]*\(name).SDConfig") else { return }
            section.others.append((key, items.contains { $0.isGoNull }))
        }
    }

    /// A target group (`static_configs` entry, or one in a file SD file): `targets` and `labels`.
    ///
    /// - Throws: `ConfigError` `"" is not a valid label name` for a bad label name.
    func targetGroup(_ node: Node, source: String) throws(ConfigError) -> TargetGroup? {
        let mark = typeErrorCount
        var targets: [String] = []
        var labels: [(String, String)] = []
        try fields(of: node, goType: ServiceDiscoveryKinds.targetGroupGoType, known: ["targets", "labels"]) {
            key, value throws(ConfigError) in
            if key == "targets" {
                targets = try strings(value) ?? []
                return
            }
            _ = try mapEntries(value, goType: "model.LabelSet") { name, value throws(ConfigError) in
                // model.LabelName's own unmarshal checks the name (UTF-8 validation in Prometheus 3).
                guard let text = try stringBytes(value) else { return false }
                guard LabelNameCheck.isValid(name, scheme: .utf8) else {
                    throw ConfigError("\(GoString.quote(bytes: name)) is not a valid label name")
                }
                labels.append((String(decoding: name, as: UTF8.self), String(decoding: text, as: UTF8.self)))
                return true
            }
        }
        guard !hadTypeErrors(since: mark) else { return nil }
        return TargetGroup(targets: targets, labels: Labels(labels), source: source)
    }

    /// `file_sd_configs` entry (discovery/file `SDConfig`).
    ///
    /// - Throws: `ConfigError` "file service discovery config must contain at least one path
    ///   name", `path name "x" is not valid for file discovery`, a bad `refresh_interval`.
    private func fileSDConfig(_ node: Node) throws(ConfigError) -> FileSDConfig? {
        let mark = typeErrorCount
        var config = FileSDConfig(files: [])
        try fields(of: node, goType: "file.plain", known: ["files", "refresh_interval"]) { key, value throws(ConfigError) in
            if key == "files" {
                config.files = try strings(value) ?? []
            } else {
                config.refreshIntervalMs = try duration(value) ?? 0
            }
        }
        guard !hadTypeErrors(since: mark) else { return nil }
        guard !config.files.isEmpty else {
            throw ConfigError("file service discovery config must contain at least one path name")
        }
        for name in config.files where !ConfigPaths.isValidFileSDPattern(name) {
            throw ConfigError("path name \(GoString.quote(name)) is not valid for file discovery")
        }
        return config
    }

    /// `http_sd_configs` entry (discovery/http `SDConfig`).
    ///
    /// - Throws: `ConfigError` "URL is missing", "URL scheme must be 'http' or 'https'", "host is
    ///   missing in URL", or an HTTP client option's error.
    private func httpSDConfig(_ node: Node, unsupported: inout [String]) throws(ConfigError) -> HTTPSDConfig? {
        let mark = typeErrorCount
        var url = ""
        var refreshIntervalMs = HTTPSDConfig(url: "").refreshIntervalMs
        var client = HTTPClientSection()
        let known = HTTPClientSection.fieldNames.union(["url", "refresh_interval"])
        try fields(of: node, goType: "http.plain", known: known) { key, value throws(ConfigError) in
            switch key {
            case "url": url = try string(value) ?? ""
            case "refresh_interval": refreshIntervalMs = try duration(value) ?? 0
            default: try httpClientField(key, value, into: &client)
            }
        }
        guard !hadTypeErrors(since: mark) else { return nil }
        guard !url.isEmpty else { throw ConfigError("URL is missing") }
        let parsed = GoURL(url)
        guard parsed.scheme == "http" || parsed.scheme == "https" else {
            throw ConfigError("URL scheme must be 'http' or 'https'")
        }
        guard !parsed.host.isEmpty else { throw ConfigError("host is missing in URL") }
        var config = HTTPSDConfig(url: url)
        config.refreshIntervalMs = refreshIntervalMs
        config.httpClient = try client.validated()
        unsupported += client.unsupported.map { "http_sd_configs \($0)" }
        return config
    }
}

/// The parts of Go's `url.Parse` the config checks look at: the scheme (lowercased) and the host.
struct GoURL {
    var scheme = ""
    var host = ""

    init(_ text: String) {
        var rest = Substring(text)
        if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isASCII, first.isLetter,
            rest[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }) {
            scheme = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        guard rest.hasPrefix("//") else { return }
        let authority = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        host = String(authority.split(separator: "@", omittingEmptySubsequences: false).last ?? "")
    }
}
