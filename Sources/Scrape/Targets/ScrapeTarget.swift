// Targets: the endpoints a scrape config scrapes, with their labels after relabeling
// (Prometheus's `scrape/target.go`: PopulateLabels, TargetsFromGroup, Target.URL).

package import MetricModel
import Relabel

/// One endpoint to scrape.
package struct ScrapeTarget: Sendable, Hashable {
    /// The labels after target relabeling, internal ones (`__address__`, `__scheme__`,
    /// `__metrics_path__`, `__param_*`, `__scrape_interval__`, `__scrape_timeout__`) included;
    /// `__meta_*` labels are gone.
    package var labels: Labels
    /// The labels before relabeling (service discovery's and the scrape config's).
    package var discoveredLabels: Labels
    /// The job (scrape pool) the target belongs to.
    package var job: String
    package var intervalMs: Int64
    package var timeoutMs: Int64
    /// `scheme://address/path?params`.
    package var url: String
    /// Identifies the target across config reloads and spreads scrape offsets.
    package var hash: UInt64

    /// The labels every sample of the target carries: `labels` without those starting with `__`.
    package var sampleLabels: Labels {
        var builder = LabelsBuilder()
        labels.forEach { name, value in
            if !name.hasPrefix("__") { builder.set(name, value) }
        }
        return builder.labels()
    }

    package static func == (lhs: ScrapeTarget, rhs: ScrapeTarget) -> Bool {
        lhs.hash == rhs.hash && lhs.labels == rhs.labels && lhs.url == rhs.url
    }

    package func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}

/// A discovered target that relabeling dropped, kept for `/api/v1/targets`.
package struct DroppedTarget: Sendable, Equatable {
    package var discoveredLabels: Labels
    package var job: String
}

/// The result of building the targets of a target group.
package struct TargetsFromGroup: Sendable {
    package var active: [ScrapeTarget] = []
    package var dropped: [DroppedTarget] = []
    /// One message per target that could not be built (`instance "…" in group …: …`).
    package var errors: [String] = []
}

package enum TargetLabel {
    package static let address = "__address__"
    package static let scheme = "__scheme__"
    package static let metricsPath = "__metrics_path__"
    package static let scrapeInterval = "__scrape_interval__"
    package static let scrapeTimeout = "__scrape_timeout__"
    package static let paramPrefix = "__param_"
    package static let metaPrefix = "__meta_"
    package static let job = "job"
    package static let instance = "instance"
    static let convertClassicHistogramsToNHCB = "__convert_classic_histograms_to_nhcb__"
    static let alwaysScrapeClassicHistograms = "__always_scrape_classic_histograms__"
    static let scrapeNativeHistograms = "__scrape_native_histograms__"
}

extension ScrapeConfig {
    /// The targets of `group` (`TargetsFromGroup`): each address with the group's labels and the
    /// scrape config's defaults, through `relabel_configs`.
    package func targets(from group: TargetGroup) -> TargetsFromGroup {
        var result = TargetsFromGroup()
        for (i, address) in group.targets.enumerated() {
            let discovered = discoveredLabels(address: address, groupLabels: group.labels)
            switch populate(discovered) {
            case .success(let target?):
                result.active.append(target)
            case .success(nil):
                result.dropped.append(DroppedTarget(discoveredLabels: discovered, job: jobName))
            case .failure(let error):
                result.errors.append("instance \(i) in group \(group.source): \(error.message)")
            }
        }
        return result
    }

    /// `PopulateDiscoveredLabels`: the group's labels, `__address__`, and the config's defaults
    /// where the labels do not set them.
    func discoveredLabels(address: String, groupLabels: Labels) -> Labels {
        var builder = LabelsBuilder(groupLabels)
        builder.set(TargetLabel.address, address)
        let defaults: [(String, String)] = [
            (TargetLabel.job, jobName),
            (TargetLabel.scrapeInterval, ModelDuration.format(milliseconds: scrapeIntervalMs)),
            (TargetLabel.scrapeTimeout, ModelDuration.format(milliseconds: scrapeTimeoutMs)),
            (TargetLabel.metricsPath, metricsPath),
            (TargetLabel.scheme, scheme),
            (TargetLabel.convertClassicHistogramsToNHCB, String(convertClassicHistogramsToNHCB)),
            (TargetLabel.alwaysScrapeClassicHistograms, String(alwaysScrapeClassicHistograms)),
            (TargetLabel.scrapeNativeHistograms, String(scrapeNativeHistograms)),
        ]
        let existing = builder.labels()
        for (name, value) in defaults where (existing[name] ?? "").isEmpty {
            builder.set(name, value)
        }
        for (name, values) in params {
            let label = TargetLabel.paramPrefix + name
            if let first = values.first, (existing[label] ?? "").isEmpty { builder.set(label, first) }
        }
        return builder.labels()
    }

    /// `PopulateLabels` after the discovered labels: relabeling, checks, `instance`. nil when
    /// relabeling dropped the target.
    func populate(_ discovered: Labels) -> Result<ScrapeTarget?, TargetError> {
        let relabeled: Labels
        if relabelConfigs.isEmpty {
            relabeled = discovered
        } else {
            guard let result = discovered.relabeled(relabelConfigs) else { return .success(nil) }
            relabeled = result
        }
        guard let address = relabeled[TargetLabel.address], !address.isEmpty else {
            return .failure(TargetError("no address"))
        }
        if let problem = Self.addressProblem(address) { return .failure(TargetError(problem)) }
        let interval = relabeled[TargetLabel.scrapeInterval] ?? ""
        let timeout = relabeled[TargetLabel.scrapeTimeout] ?? ""
        let intervalMs: Int64
        let timeoutMs: Int64
        do { intervalMs = try ModelDuration.parse(interval) } catch {
            return .failure(TargetError("error parsing scrape interval: \(error.message)"))
        }
        if intervalMs == 0 { return .failure(TargetError("scrape interval cannot be 0")) }
        do { timeoutMs = try ModelDuration.parse(timeout) } catch {
            return .failure(TargetError("error parsing scrape timeout: \(error.message)"))
        }
        if timeoutMs == 0 { return .failure(TargetError("scrape timeout cannot be 0")) }
        if timeoutMs > intervalMs {
            return .failure(TargetError(
                "scrape timeout cannot be greater than scrape interval (\(goQuote(timeout)) > \(goQuote(interval)))"))
        }
        var builder = LabelsBuilder()
        relabeled.forEach { name, value in
            if !name.hasPrefix(TargetLabel.metaPrefix) { builder.set(name, value) }
        }
        if (relabeled[TargetLabel.instance] ?? "").isEmpty { builder.set(TargetLabel.instance, address) }
        // Label values are Swift strings here (from YAML, JSON or relabeling): valid UTF-8, the
        // check Prometheus makes at this point.
        let labels = builder.labels()
        let url = Self.url(labels: labels, params: params)
        return .success(ScrapeTarget(
            labels: labels, discoveredLabels: discovered, job: jobName, intervalMs: intervalMs,
            timeoutMs: timeoutMs, url: url, hash: LabelHash.hash(labels.bytes + Array(url.utf8))))
    }

    /// `config.CheckTargetAddress`: a host and port, without a scheme or path.
    static func addressProblem(_ address: String) -> String? {
        // Prometheus 3 only rejects a "/" here (a URL given where an address belongs).
        if address.contains("/") { return "\(goQuote(address)) is not a valid hostname" }
        return nil
    }

    /// `Target.URL`: the scheme, address and path labels, and the config's params with
    /// `__param_<name>` labels replacing their first value.
    static func url(labels: Labels, params: [(name: String, values: [String])]) -> String {
        var query: [String: [String]] = [:]
        for (name, values) in params { query[name] = values }
        labels.forEach { name, value in
            guard name.hasPrefix(TargetLabel.paramPrefix) else { return }
            let key = String(name.dropFirst(TargetLabel.paramPrefix.count))
            if var values = query[key], !values.isEmpty {
                values[0] = value
                query[key] = values
            } else {
                query[key] = [value]
            }
        }
        var url = "\(labels[TargetLabel.scheme] ?? "http")://\(labels[TargetLabel.address] ?? "")"
        url += URLEscaping.path(labels[TargetLabel.metricsPath] ?? "")
        if !query.isEmpty {
            let encoded = query.keys.sorted().flatMap { key in
                query[key]!.map { URLEscaping.query(key) + "=" + URLEscaping.query($0) }
            }
            url += "?" + encoded.joined(separator: "&")
        }
        return url
    }
}

/// Why a target could not be built, with Prometheus's wording.
package struct TargetError: Error, Sendable, Equatable {
    package var message: String
    init(_ message: String) { self.message = message }
}

/// Go's `url.QueryEscape` and the path escaping of `url.URL.String`.
package enum URLEscaping {
    package static func query(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case UInt8(ascii: " "):
                out += "+"
            default:
                out += "%" + hexDigits(UInt32(b), width: 2).uppercased()
            }
        }
        return out
    }

    static func path(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"),
                UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "@"),
                UInt8(ascii: "!"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + hexDigits(UInt32(b), width: 2).uppercased()
            }
        }
        return out
    }
}
