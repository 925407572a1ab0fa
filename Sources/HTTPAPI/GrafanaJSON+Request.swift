// The parts of Grafana's DataQueryRequest the JSON data source API reads (spec/compat-apis.md §3):
// the time range, the step derived from it, the targets and the ad-hoc filters.

internal import MetricModel
internal import PromQL

/// `range:{from,to}` of a request, in milliseconds.
struct GrafanaRange {
    var from: Timestamp
    var to: Timestamp

    /// Earliest and latest accepted times: years 0000 to 9999, the years RFC 3339 can write. Within
    /// these, `to - from` and the step arithmetic cannot overflow.
    static let earliest: Timestamp = -62_167_219_200_000
    static let latest: Timestamp = 253_402_300_799_999

    /// The range of a request: `from` and `to` required, each an RFC 3339 string (Grafana sends
    /// `2024-01-01T00:00:00.000Z`; the fraction is optional) or, as the Prometheus API also
    /// accepts, Unix seconds in a string (`"1704067200.5"`); a JSON number is taken as epoch
    /// milliseconds.
    init(_ field: JSONField) throws(APIError) {
        try field.requireObject()
        from = try Self.time(field["from"])
        to = try Self.time(field["to"])
        if to < from { throw field["to"].invalid("end timestamp must not be before start time") }
    }

    private static func time(_ field: JSONField) throws(APIError) -> Timestamp {
        let t: Timestamp
        switch field.value {
        case nil, .null?:
            throw field.missing
        case .string(let text)?:
            if let seconds = Double(text) {
                // Checked here: the Prometheus API's Go-style conversion wraps huge values around.
                guard seconds.isFinite, (Double(earliest)...Double(latest)).contains(seconds * 1000) else {
                    throw field.invalid("time outside years 0000 to 9999")
                }
                t = Timestamp((seconds * 1000).rounded())
            } else {
                do { t = try parseTime(text) } catch { throw field.invalid("\(error)") }
            }
        case .number(let ms)?:
            guard ms.rounded(.towardZero) == ms, ms >= Double(earliest), ms <= Double(latest) else {
                throw field.invalid("\(formatValue(ms)) is not a whole number of milliseconds in years 0000 to 9999")
            }
            t = Timestamp(ms)
        default:
            throw field.invalid("must be a time string")
        }
        guard t >= earliest, t <= latest else { throw field.invalid("time outside years 0000 to 9999") }
        return t
    }

    /// The range-query step for this range:
    ///
    ///     step = max(intervalMs, ⌈(to − from) / maxDataPoints⌉, ⌈(to − from) / 11000⌉, 1 ms)
    ///
    /// `intervalMs` falls back to `interval` (`"30s"`) when absent; an absent (or 0) `intervalMs`
    /// or `maxDataPoints` takes no part. The 11,000 term keeps every series within Prometheus's
    /// cap on points per series, so `(to − from) / step + 1` points at most.
    func step(_ body: JSONField) throws(APIError) -> Int64 {
        let span = to - from
        var step: Int64 = 1
        if let interval = try Self.count(body["intervalMs"]) {
            step = max(step, interval)
        } else if let text = try body["interval"].string(), !text.isEmpty {
            do { step = max(step, try parseDurationParam(text)) } catch { throw body["interval"].invalid("\(error)") }
        }
        if let points = try Self.count(body["maxDataPoints"]), points > 0 {
            step = max(step, Self.divideRoundingUp(span, points))
        }
        return self.step(atLeast: step)
    }

    /// The smallest step from `minimum` up that keeps a range query over this range within
    /// Prometheus's 11,000 points per series.
    func step(atLeast minimum: Int64) -> Int64 {
        max(minimum, Self.divideRoundingUp(to - from, PrometheusAPI.maxPointsPerSeries))
    }

    /// A non-negative whole number (fractions are dropped), nil when absent.
    private static func count(_ field: JSONField) throws(APIError) -> Int64? {
        guard let n = try field.number() else { return nil }
        guard n >= 0, n < 0x1p53 else { throw field.invalid("must be a number from 0 to 2^53") }
        return Int64(n)
    }

    private static func divideRoundingUp(_ a: Int64, _ b: Int64) -> Int64 { (a + b - 1) / b }
}

/// One query of `targets`, kept when it is not hidden and has a non-empty `target`.
struct GrafanaTarget {
    /// The PromQL text.
    var expression: String
    /// `refId`, echoed in the response when given.
    var refId: String?
    /// `type:"table"` (simple-json) or `payload.format:"table"`: answer a table of an instant query.
    var table: Bool
    /// Where the target is, for error messages: `targets[1].target`.
    var path: String

    /// The targets to evaluate, in request order.
    static func list(_ field: JSONField) throws(APIError) -> [GrafanaTarget] {
        guard let elements = try field.array() else { throw field.missing }
        var targets: [GrafanaTarget] = []
        for element in elements {
            guard try element.object() else { throw element.invalid("must be an object") }
            let expression = try element["target"].string() ?? ""
            let refId = try element["refId"].string()
            let hidden = try element["hide"].bool() ?? false
            var table = try element["type"].string() == "table"
            // simPod sends `payload` as an object; a payload that is not one carries no options.
            if case .object? = element["payload"].value {
                table = try element["payload"]["format"].string() == "table" || table
            }
            if hidden || expression.allSatisfy(\.isWhitespace) { continue }
            targets.append(
                GrafanaTarget(expression: expression, refId: refId, table: table, path: element["target"].path))
        }
        return targets
    }
}
