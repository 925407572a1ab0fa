// /api/v1/series, /api/v1/labels, /api/v1/label/<name>/values.

internal import MetricModel
internal import PromQL

extension PrometheusAPI {
    /// Prometheus's MinTime/MaxTime defaults for `start`/`end`.
    static let defaultMinTime = Timestamp.min / 2
    static let defaultMaxTime = Timestamp.max / 2

    func timeRange(_ params: FormParameters) throws(APIError) -> (Timestamp, Timestamp) {
        var start = Self.defaultMinTime
        var end = Self.defaultMaxTime
        if let raw = params["start"], !raw.isEmpty {
            do { start = try parseTime(raw) } catch { throw APIError(.badData, "invalid parameter \"start\": \(error)") }
        }
        if let raw = params["end"], !raw.isEmpty {
            do { end = try parseTime(raw) } catch { throw APIError(.badData, "invalid parameter \"end\": \(error)") }
        }
        return (start, end)
    }

    /// `limit` as Prometheus 3's `parseLimitParam`: 0 or absent means no limit.
    func limit(_ params: FormParameters) throws(APIError) -> Int {
        guard let raw = params["limit"], !raw.isEmpty else { return 0 }
        let n: Int
        do { n = try goAtoi(raw) } catch { throw APIError(.badData, "invalid parameter \"limit\": \(error.message)") }
        if n < 0 { throw APIError(.badData, "invalid parameter \"limit\": limit must be non-negative") }
        return n
    }

    /// Parses every `match[]`; each selector needs a matcher that does not match the empty string.
    func matcherSets(_ params: FormParameters) throws(APIError) -> [[LabelMatcher]] {
        var sets: [[LabelMatcher]] = []
        for raw in params.all("match[]") {
            let matchers: [LabelMatcher]
            do { matchers = try parseMetricSelector(raw) } catch {
                throw APIError(.badData, "invalid parameter \"match[]\": \(error)")
            }
            if matchers.allSatisfy({ $0.matchesEmpty }) {
                throw APIError(.badData, "match[] must contain at least one non-empty matcher")
            }
            sets.append(matchers)
        }
        return sets
    }

    /// `GET|POST /api/v1/series`
    func series(_ params: FormParameters) throws(APIError) -> [UInt8] {
        try params.checkParsed()
        let sets = try matcherSets(params)
        if sets.isEmpty { throw APIError(.badData, "no match[] parameter provided") }
        let (start, end) = try timeRange(params)
        let limit = try limit(params)
        var seen = Set<Labels>()
        var all: [Labels] = []
        do {
            for matchers in sets {
                for s in try queryable.select(matchers: matchers, minTime: start, maxTime: end, sorted: false)
                where seen.insert(s.labels).inserted {
                    all.append(s.labels)
                }
            }
        } catch { throw APIError(.internal, "\(error)") }
        all.sort()
        var truncated = false
        if limit > 0 && all.count > limit {
            all.removeSubrange(limit...)
            truncated = true
        }
        var w = JSONWriter(capacity: all.count * 64 + 2)
        w.byte(UInt8(ascii: "["))
        for (i, labels) in all.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            Self.writeLabels(labels, &w)
        }
        w.byte(UInt8(ascii: "]"))
        return Self.withWarning(w.bytes, truncated)
    }

    /// `GET|POST /api/v1/labels`
    func labels(_ params: FormParameters) throws(APIError) -> [UInt8] {
        let sets = try matcherSets(params)
        let (start, end) = try timeRange(params)
        let limit = try limit(params)
        var names = Set<String>()
        do {
            for matchers in sets.isEmpty ? [[]] : sets {
                names.formUnion(try storage.labelNames(matchers: matchers, minTime: start, maxTime: end))
            }
        } catch { throw APIError(.internal, "\(error)") }
        return Self.sortedStrings(names, limit)
    }

    /// `GET /api/v1/label/<name>/values`; `U__`-escaped names are unescaped first.
    func labelValues(_ rawName: String, _ params: FormParameters) throws(APIError) -> [UInt8] {
        let name = Self.unescapeLabelName(rawName)
        let sets = try matcherSets(params)
        let (start, end) = try timeRange(params)
        let limit = try limit(params)
        var values = Set<String>()
        do {
            for matchers in sets.isEmpty ? [[]] : sets {
                values.formUnion(try storage.labelValues(name: name, matchers: matchers, minTime: start, maxTime: end))
            }
        } catch { throw APIError(.internal, "\(error)") }
        return Self.sortedStrings(values, limit)
    }

    static func sortedStrings(_ set: Set<String>, _ limit: Int) -> [UInt8] {
        var list = set.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var truncated = false
        if limit > 0 && list.count > limit {
            list.removeSubrange(limit...)
            truncated = true
        }
        var w = JSONWriter()
        w.stringArray(list)
        return withWarning(w.bytes, truncated)
    }

    /// Marks a `data` payload that must carry the truncation warning; `respond` places it.
    static func withWarning(_ data: [UInt8], _ truncated: Bool) -> [UInt8] {
        guard truncated else { return data }
        // The envelope writer appends `}`; close data and add warnings before it.
        var out = data
        out.append(contentsOf: Array(",\"warnings\":[\"results truncated due to limit\"]".utf8))
        return out
    }

    /// Undoes Prometheus's `U__` value escaping of label names (`U__http_2e_status` → `http.status`).
    static func unescapeLabelName(_ name: String) -> String {
        guard name.hasPrefix("U__") else { return name }
        var out = ""
        var chars = Array(name.dropFirst(3))[...]
        while let c = chars.popFirst() {
            if c == "_" {
                if chars.first == "_" {
                    chars = chars.dropFirst()
                    out.append("_")
                    continue
                }
                var hex = ""
                while let h = chars.first, h != "_" {
                    hex.append(h)
                    chars = chars.dropFirst()
                }
                guard chars.first == "_", let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                    return name
                }
                chars = chars.dropFirst()
                out.unicodeScalars.append(scalar)
            } else {
                out.append(c)
            }
        }
        return out
    }
}
