// /api/v1/targets (Prometheus's `web/api/v1` targets): active targets with their health and
// dropped ones, from whatever runs the scrapes.

package import MetricModel
internal import PromQL

/// A scrape target as the API shows it.
package struct APITarget: Sendable {
    package var discoveredLabels: Labels
    /// The target's labels without internal (`__`) ones.
    package var labels: Labels
    package var scrapePool: String
    package var scrapeURL: String
    /// `up`, `down` or `unknown`.
    package var health: String
    package var lastError: String
    /// ms since the epoch; nil before the first scrape.
    package var lastScrapeMs: Int64?
    package var lastScrapeDurationSeconds: Double
    package var scrapeInterval: String
    package var scrapeTimeout: String

    package init(
        discoveredLabels: Labels, labels: Labels, scrapePool: String, scrapeURL: String, health: String,
        lastError: String, lastScrapeMs: Int64?, lastScrapeDurationSeconds: Double, scrapeInterval: String,
        scrapeTimeout: String
    ) {
        self.discoveredLabels = discoveredLabels
        self.labels = labels
        self.scrapePool = scrapePool
        self.scrapeURL = scrapeURL
        self.health = health
        self.lastError = lastError
        self.lastScrapeMs = lastScrapeMs
        self.lastScrapeDurationSeconds = lastScrapeDurationSeconds
        self.scrapeInterval = scrapeInterval
        self.scrapeTimeout = scrapeTimeout
    }
}

/// A metric family's `# TYPE`, `# HELP` and `# UNIT`.
package struct APIMetadata: Sendable, Hashable {
    package var type: String
    package var help: String
    package var unit: String

    package init(type: String, help: String, unit: String) {
        self.type = type
        self.help = help
        self.unit = unit
    }
}

/// Supplies the targets (the scrape manager in the server).
package protocol TargetsSource: Sendable {
    func activeTargets() -> [APITarget]
    /// Dropped targets: discovered labels and pool.
    func droppedTargets() -> [(discoveredLabels: Labels, scrapePool: String)]
    /// Distinct metadata per metric family across targets.
    func metadata() -> [String: [APIMetadata]]
    /// Each target's labels (without internal ones) and metadata by family.
    func targetMetadata() -> [(labels: Labels, metadata: [String: APIMetadata])]
    /// The scrape pools (one per scrape config), targets or not.
    func scrapePools() -> [String]
}

extension TargetsSource {
    /// Default: the pools that have targets.
    package func scrapePools() -> [String] {
        Array(Set(activeTargets().map(\.scrapePool) + droppedTargets().map(\.scrapePool)))
    }

    package func metadata() -> [String: [APIMetadata]] { [:] }
    package func targetMetadata() -> [(labels: Labels, metadata: [String: APIMetadata])] { [] }
}

extension PrometheusAPI {
    /// `GET /api/v1/scrape_pools`: `{"scrapePools":[…]}`, sorted.
    func scrapePools() -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.raw("{\"scrapePools\":")
        w.stringArray((targetsSource?.scrapePools() ?? []).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        w.raw("}")
        return w.bytes
    }

    /// `GET /api/v1/targets?state=active|dropped|any&scrapePool=…`
    func targets(_ params: FormParameters) throws(APIError) -> [UInt8] {
        let state = (params["state"] ?? "").lowercased()
        let pool = params["scrapePool"] ?? ""
        let showActive = state.isEmpty || state == "any" || state == "active"
        let showDropped = state.isEmpty || state == "any" || state == "dropped"
        let active = (targetsSource?.activeTargets() ?? []).filter { pool.isEmpty || $0.scrapePool == pool }
        let dropped = (targetsSource?.droppedTargets() ?? []).filter { pool.isEmpty || $0.scrapePool == pool }
        var w = JSONWriter(capacity: 1024)
        w.raw("{\"activeTargets\":[")
        if showActive {
            for (i, t) in active.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"discoveredLabels\":")
                Self.writeLabels(t.discoveredLabels, &w)
                w.raw(",\"labels\":")
                Self.writeLabels(t.labels, &w)
                w.raw(",\"scrapePool\":")
                w.string(t.scrapePool)
                w.raw(",\"scrapeUrl\":")
                w.string(t.scrapeURL)
                w.raw(",\"globalUrl\":")
                w.string(t.scrapeURL)
                w.raw(",\"lastError\":")
                w.string(t.lastError)
                w.raw(",\"lastScrape\":")
                w.string(Self.rfc3339(t.lastScrapeMs))
                w.raw(",\"lastScrapeDuration\":")
                w.raw(text: formatValue(t.lastScrapeDurationSeconds))
                w.raw(",\"health\":")
                w.string(t.health)
                w.raw(",\"scrapeInterval\":")
                w.string(t.scrapeInterval)
                w.raw(",\"scrapeTimeout\":")
                w.string(t.scrapeTimeout)
                w.raw("}")
            }
        }
        w.raw("],\"droppedTargets\":[")
        if showDropped {
            for (i, t) in dropped.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"discoveredLabels\":")
                Self.writeLabels(t.discoveredLabels, &w)
                w.raw(",\"scrapePool\":")
                w.string(t.scrapePool)
                w.raw("}")
            }
        }
        w.raw("],\"droppedTargetCounts\":{")
        var counts: [String: Int] = [:]
        for t in targetsSource?.droppedTargets() ?? [] { counts[t.scrapePool, default: 0] += 1 }
        for pool in Set((targetsSource?.activeTargets() ?? []).map(\.scrapePool)) where counts[pool] == nil { counts[pool] = 0 }
        for (i, pool) in counts.keys.sorted().enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.string(pool)
            w.raw(text: ":\(counts[pool]!)")
        }
        w.raw("}}")
        return w.bytes
    }

    /// Go's `time.Time` JSON (RFC 3339 with nanoseconds, trailing zeros dropped), in UTC;
    /// the zero time before the first scrape.
    static func rfc3339(_ ms: Int64?) -> String {
        guard let ms else { return "0001-01-01T00:00:00Z" }
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = ms - seconds * 1000
        let c = DateFunctions.civil(seconds)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var text = "\(c.year)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))"
        if millis != 0 {
            var fraction = String(millis)
            fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }
}

extension PrometheusAPI {
    /// `GET /api/v1/metadata?metric=…&limit=…&limit_per_metric=…`: families in name order.
    func metadata(_ params: FormParameters) throws(APIError) -> [UInt8] {
        let limit = try optionalInt(params, "limit")
        let perMetric = try optionalInt(params, "limit_per_metric")
        let metric = params["metric"] ?? ""
        var all = targetsSource?.metadata() ?? [:]
        // Pushed metadata after the scraped, without repeating an entry.
        for (family, entries) in remoteMetadata.all() {
            var merged = all[family, default: []]
            for entry in entries where !merged.contains(entry) { merged.append(entry) }
            all[family] = merged
        }
        var w = JSONWriter(capacity: 1024)
        w.byte(UInt8(ascii: "{"))
        var written = 0
        for family in all.keys.sorted() where metric.isEmpty || family == metric {
            if let limit, limit >= 0, written >= limit { break }
            if written > 0 { w.byte(UInt8(ascii: ",")) }
            written += 1
            w.string(family)
            w.raw(":[")
            var entries = all[family]!
            if let perMetric, perMetric > 0 { entries = Array(entries.prefix(perMetric)) }
            for (i, entry) in entries.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                Self.writeMetadata(entry, &w)
            }
            w.raw("]")
        }
        w.byte(UInt8(ascii: "}"))
        return w.bytes
    }

    /// `GET /api/v1/targets/metadata?match_target=…&metric=…&limit=…`.
    func targetMetadata(_ params: FormParameters) throws(APIError) -> [UInt8] {
        let limit = try optionalInt(params, "limit")
        let metric = params["metric"] ?? ""
        var matchers: [LabelMatcher] = []
        if let raw = params["match_target"], !raw.isEmpty {
            do { matchers = try parseMetricSelector(raw) } catch {
                throw APIError(.badData, "invalid parameter \"match_target\": \(error)")
            }
        }
        var w = JSONWriter(capacity: 1024)
        w.byte(UInt8(ascii: "["))
        var written = 0
        outer: for (labels, metadata) in targetsSource?.targetMetadata() ?? []
        where matchers.allSatisfy({ $0.matches(labels[$0.name] ?? "") }) {
            for family in metadata.keys.sorted() where metric.isEmpty || family == metric {
                if let limit, limit >= 0, written >= limit { break outer }
                if written > 0 { w.byte(UInt8(ascii: ",")) }
                written += 1
                w.raw("{\"target\":")
                Self.writeLabels(labels, &w)
                w.raw(",\"metric\":")
                w.string(family)
                w.raw(",")
                Self.writeMetadataFields(metadata[family]!, &w)
                w.raw("}")
            }
        }
        w.byte(UInt8(ascii: "]"))
        return w.bytes
    }

    private func optionalInt(_ params: FormParameters, _ name: String) throws(APIError) -> Int? {
        guard let raw = params[name], !raw.isEmpty else { return nil }
        guard let value = Int(raw) else { throw APIError(.badData, "\(name) must be a number") }
        return value
    }

    static func writeMetadata(_ m: APIMetadata, _ w: inout JSONWriter) {
        w.byte(UInt8(ascii: "{"))
        writeMetadataFields(m, &w)
        w.byte(UInt8(ascii: "}"))
    }

    static func writeMetadataFields(_ m: APIMetadata, _ w: inout JSONWriter) {
        w.raw("\"type\":")
        w.string(m.type)
        w.raw(",\"help\":")
        w.string(m.help)
        w.raw(",\"unit\":")
        w.string(m.unit)
    }
}
