// /api/v1/query: instant queries (selectors so far; the full engine is issue #4).

internal import MetricModel
internal import PromQL
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

extension PrometheusAPI {
    /// `GET|POST /api/v1/query?query=…&time=…`
    func query(_ params: FormParameters) throws(APIError) -> [UInt8] {
        guard let text = params["query"], !text.isEmpty else {
            throw APIError(.badData, "invalid parameter \"query\": unknown position: parse error: no expression found in input")
        }
        let time: Timestamp
        if let raw = params["time"], !raw.isEmpty {
            do { time = try parseTime(raw) } catch { throw APIError(.badData, "invalid parameter \"time\": \(error)") }
        } else {
            time = Timestamp(Date().timeIntervalSince1970 * 1000)
        }
        var lookback = lookbackDeltaMs
        if let raw = params["lookback_delta"], !raw.isEmpty {
            do { lookback = try parseDurationParam(raw) } catch {
                throw APIError(.badData, "error parsing lookback delta duration: \(error)")
            }
        }
        let expr: Expr
        do { expr = try parseExpr(text) } catch {
            throw APIError(.badData, "invalid parameter \"query\": \(error)")
        }
        let value: QueryValue
        do {
            value = try SelectorEvaluator(querier: storage, lookbackDeltaMs: lookback).evaluate(expr, at: time)
        } catch let error as EvaluationError {
            throw APIError(.execution, error.message)
        } catch {
            throw APIError(.internal, "\(error)")
        }
        return Self.encode(value)
    }

    /// `{"resultType":…,"result":[…]}` exactly as Prometheus writes it.
    static func encode(_ value: QueryValue) -> [UInt8] {
        var w = JSONWriter(capacity: 4096)
        switch value {
        case .vector(let samples):
            w.raw("{\"resultType\":\"vector\",\"result\":[")
            for (i, s) in samples.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"metric\":")
                writeLabels(s.labels, &w)
                w.raw(",\"value\":")
                writePoint(s.timestamp, s.value, &w)
                w.raw("}")
            }
            w.raw("]}")
        case .matrix(let series):
            w.raw("{\"resultType\":\"matrix\",\"result\":[")
            for (i, s) in series.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"metric\":")
                writeLabels(s.labels, &w)
                w.raw(",\"values\":[")
                for (j, sample) in s.samples.enumerated() {
                    if j > 0 { w.byte(UInt8(ascii: ",")) }
                    writePoint(sample.timestamp, sample.value, &w)
                }
                w.raw("]}")
            }
            w.raw("]}")
        }
        return w.bytes
    }

    static func writeLabels(_ labels: Labels, _ w: inout JSONWriter) {
        w.byte(UInt8(ascii: "{"))
        var first = true
        labels.forEach { name, value in
            if !first { w.byte(UInt8(ascii: ",")) }
            first = false
            w.string(name)
            w.byte(UInt8(ascii: ":"))
            w.string(value)
        }
        w.byte(UInt8(ascii: "}"))
    }

    /// `[1435781451.781,"1"]`
    static func writePoint(_ t: Timestamp, _ v: Double, _ w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        w.raw(formatTimestamp(t))
        w.raw(",\"")
        w.raw(formatValue(v))
        w.raw("\"]")
    }
}
