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

/// Supplies the targets (the scrape manager in the server).
package protocol TargetsSource: Sendable {
    func activeTargets() -> [APITarget]
    /// Dropped targets: discovered labels and pool.
    func droppedTargets() -> [(discoveredLabels: Labels, scrapePool: String)]
}

extension PrometheusAPI {
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
