// /federate: the newest sample of every matched series, in the text exposition format, for
// another Prometheus to scrape (`web/federate.go`).

internal import ChunkEncoding
internal import Hummingbird
package import MetricModel
internal import PromQL
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

extension PrometheusAPI {
    /// The text exposition format Prometheus answers federation with.
    static let federationContentType = "text/plain; version=0.0.4; charset=utf-8"

    func registerFederation<Context: RequestContext>(on router: Router<Context>) {
        route(router, "/federate", [.get]) { request, _ in
            let params: FormParameters
            do { params = try await formParameters(request) } catch {
                return Self.text("error parsing form values: \(error)\n", status: .badRequest)
            }
            let now = Timestamp(Date().timeIntervalSince1970 * 1000)
            // A federation scrape reads like a query over every matched series: it takes a
            // --query.max-concurrency slot (Prometheus does not gate it).
            do throws(APIError) { _ = try await admitQuery(params) } catch {
                return Self.text("\(error.message)\n", status: .serviceUnavailable)
            }
            defer { queryGate?.leave() }
            return await Self.offLoop { federate(params, now: now) }
        }
    }

    /// Every series matching any `match[]`, with its newest sample in `[now - lookback, now]`
    /// unless that is a stale marker; external labels (and `instance=""`) added where missing.
    /// Families are untyped and in metric-name order; samples carry their timestamps.
    func federate(_ params: FormParameters, now: Timestamp) -> Response {
        if let error = params.parseError { return Self.text("error parsing form values: \(error)\n", status: .badRequest) }
        var sets: [[LabelMatcher]] = []
        for raw in params.all("match[]") {
            do { sets.append(try parseMetricSelector(raw)) } catch {
                return Self.text("\(error)\n", status: .badRequest)
            }
        }
        let minTime = now - lookbackDeltaMs
        var newest: [Labels: (Timestamp, Double)] = [:]
        do {
            // A selector without matchers selects nothing, as in Prometheus's index.
            for matchers in sets where !matchers.isEmpty {
                for series in try storage.select(matchers: matchers, minTime: minTime, maxTime: now, sorted: false)
                where newest[series.labels] == nil {
                    var iterator = SeriesSampleIterator(series.chunks, minTime: minTime, maxTime: now)
                    var last: (Timestamp, Double)?
                    while iterator.next() { last = (iterator.timestamp, iterator.value) }
                    if let last, !StaleNaN.isStale(last.1) { newest[series.labels] = last }
                }
            }
        } catch {
            federationErrors.add()
            return Self.text("\(error)\n", status: .internalServerError)
        }
        // Sorted by name, then (Prometheus keeps its merged input's order) by labels.
        let samples = newest.sorted { a, b in
            let (nameA, nameB) = (a.key.metricName ?? "", b.key.metricName ?? "")
            return nameA != nameB ? nameA.utf8.lexicographicallyPrecedes(nameB.utf8) : a.key < b.key
        }
        var external = (externalLabels?() ?? .empty).pairs
        if !external.contains(where: { $0.name == "instance" }) { external.append(("instance", "")) }
        external.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }

        var out: [UInt8] = []
        out.reserveCapacity(samples.count * 96)
        var lastName: String?
        for (labels, (t, v)) in samples {
            // Nameless series cannot be exposed.
            guard let name = labels.metricName, !name.isEmpty else { continue }
            if name != lastName {
                out.append(contentsOf: Array("# TYPE \(name) untyped\n".utf8))
                lastName = name
            }
            out.append(contentsOf: Array(name.utf8))
            var first = true
            func label(_ n: String, _ value: String) {
                out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
                first = false
                out.append(contentsOf: Array(n.utf8))
                out.append(contentsOf: Array("=\"".utf8))
                Self.appendEscapedLabelValue(value, to: &out)
                out.append(UInt8(ascii: "\""))
            }
            for (n, value) in labels.pairs where n != Labels.metricNameLabel && !value.isEmpty { label(n, value) }
            for (n, value) in external where labels[n].map({ $0.isEmpty }) ?? true { label(n, value) }
            if !first { out.append(UInt8(ascii: "}")) }
            out.append(contentsOf: Array(" \(goFormatG(v)) \(t)\n".utf8))
        }
        return Self.text(String(decoding: out, as: UTF8.self), contentType: Self.federationContentType)
    }

    /// A label value in the text format: backslash, double quote and newline escaped.
    static func appendEscapedLabelValue(_ value: String, to out: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            default: out.append(byte)
            }
        }
    }
}
