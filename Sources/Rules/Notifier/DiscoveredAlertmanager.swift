// Alertmanagers from target groups (Prometheus's `AlertmanagerFromGroup`): each target gets
// `__scheme__` and `__alerts_path__` from its set's config, the group's labels, then the set's
// `relabel_configs`; its URL is `scheme://address/path` as Go's `url.URL.String` writes it.

import MetricModel
import Relabel
import Scrape

/// One Alertmanager found by discovery, kept or dropped by relabeling.
struct DiscoveredAlertmanager: Sendable, Equatable {
    /// After relabeling (kept ones) or before it (dropped ones), as Prometheus keeps them.
    var labels: Labels
    /// Where alerts are posted, and the `alertmanager` label of its metrics.
    var url: String

    /// The label Prometheus keeps the push path in.
    static let pathLabel = "__alerts_path__"

    init(labels: Labels) {
        self.labels = labels
        url = Self.url(scheme: labels["__scheme__"] ?? "", host: labels["__address__"] ?? "", path: labels[Self.pathLabel] ?? "")
    }

    /// The Alertmanagers of one target group: kept and dropped.
    ///
    /// - Throws: `NotifierError` `"http://am" is not a valid hostname` when relabeling left a URL
    ///   as an address; the whole group is then skipped, as in Prometheus.
    static func alertmanagers(
        in group: TargetGroup, config: AlertmanagerConfig
    ) throws(NotifierError) -> (active: [DiscoveredAlertmanager], dropped: [DiscoveredAlertmanager]) {
        var active: [DiscoveredAlertmanager] = []
        var dropped: [DiscoveredAlertmanager] = []
        let path = postPath(prefix: config.pathPrefix, apiVersion: config.apiVersion)
        for target in group.targets {
            var builder = LabelsBuilder()
            builder.set("__address__", target)
            builder.set("__scheme__", config.scheme)
            builder.set(pathLabel, path)
            // The group's labels, except those the target sets itself (its address): they can
            // change `__scheme__` and `__alerts_path__`.
            group.labels.forEach { name, value in
                if name != "__address__" { builder.set(name, value) }
            }
            let discovered = builder.labels()
            guard let relabeled = discovered.relabeled(config.relabelConfigs) else {
                dropped.append(DiscoveredAlertmanager(labels: discovered))
                continue
            }
            let address = relabeled["__address__"] ?? ""
            if address.contains("/") { throw NotifierError("\(goQuote(address)) is not a valid hostname") }
            active.append(DiscoveredAlertmanager(labels: relabeled))
        }
        return (active, dropped)
    }

    /// Prometheus's `postPath`: `path.Join("/", prefix, "/api/<version>/alerts")`.
    static func postPath(prefix: String, apiVersion: String) -> String {
        var parts: [Substring] = []
        for element in (prefix + "/api/" + apiVersion + "/alerts").split(separator: "/") where element != "." {
            if element == ".." {
                _ = parts.popLast()
            } else {
                parts.append(element)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Go's `(&url.URL{Scheme:, Host:, Path:}).String()`: the path percent-encoded as
    /// `EscapedPath` does, a `/` put before a relative one.
    static func url(scheme: String, host: String, path: String) -> String {
        var text = scheme.isEmpty ? "" : scheme + ":"
        if !scheme.isEmpty || !host.isEmpty {
            if !host.isEmpty || !path.isEmpty { text += "//" }
            text += host
        }
        let escaped = escapedPath(path)
        if !escaped.isEmpty && !escaped.hasPrefix("/") && !host.isEmpty { text += "/" }
        return text + escaped
    }

    /// Go's `escape(path, encodePath)`: letters, digits, `-_.~` and `$&+,/:;=@` as they are,
    /// every other byte as `%XX`.
    private static func escapedPath(_ path: String) -> String {
        let plain = Set("-_.~$&+,/:;=@".utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in path.utf8 {
            let isAlphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
            if isAlphanumeric || plain.contains(byte) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
