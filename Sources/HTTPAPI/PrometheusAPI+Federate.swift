// /federate: the newest sample of every matched series — float or native histogram — for another
// Prometheus to scrape, in the format its Accept header negotiates (`web/federate.go`).

internal import ChunkEncoding
internal import Hummingbird
package import MetricModel
internal import NIOCore
internal import PromQL
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

extension PrometheusAPI {
    func registerFederation<Context: RequestContext>(on router: Router<Context>) {
        route(router, "/federate", [.get]) { request, _ in
            let params: FormParameters
            do { params = try await formParameters(request) } catch {
                return Self.text("error parsing form values: \(error)\n", status: .badRequest)
            }
            let now = Timestamp(Date().timeIntervalSince1970 * 1000)
            // Go's Header.Get: the first Accept field.
            let accept = request.headers[values: .accept].first
            // A federation scrape reads like a query over every matched series: it takes a
            // --query.max-concurrency slot (Prometheus does not gate it).
            do throws(APIError) { _ = try await admitQuery(params) } catch {
                return Self.text("\(error.message)\n", status: .serviceUnavailable)
            }
            defer { queryGate?.leave() }
            return await Self.offLoop { federate(params, now: now, accept: accept) }
        }
    }

    /// Every series matching any `match[]`, with its newest sample in `[now - lookback, now]`
    /// unless that is a stale marker; external labels (and `instance=""`) added where missing.
    /// Families are in metric-name order; samples carry their timestamps. The format is
    /// negotiated from `accept` (``FederationFormat``); native histograms need protobuf.
    func federate(_ params: FormParameters, now: Timestamp, accept: String? = nil) -> Response {
        if let error = params.parseError { return Self.text("error parsing form values: \(error)\n", status: .badRequest) }
        var sets: [[LabelMatcher]] = []
        for raw in params.all("match[]") {
            do { sets.append(try parseMetricSelector(raw)) } catch {
                return Self.text("\(error)\n", status: .badRequest)
            }
        }
        let format = FederationFormat.negotiate(accept: accept)
        let minTime = now - lookbackDeltaMs
        var newest: [Labels: (Timestamp, FederatedValue)] = [:]
        do {
            // A selector without matchers selects nothing, as in Prometheus's index.
            for matchers in sets where !matchers.isEmpty {
                for series in try storage.select(matchers: matchers, minTime: minTime, maxTime: now, sorted: false)
                where newest[series.labels] == nil {
                    if let last = Self.newestSample(series.chunks, minTime: minTime, maxTime: now), !last.1.isStale {
                        newest[series.labels] = last
                    }
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

        var writer = FederationWriter(format: format, external: external)
        for (labels, (t, value)) in samples { writer.append(labels, t, value) }
        return Response(
            status: .ok, headers: [.contentType: format.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.finish())))
    }

    /// The newest sample of a series in `[minTime, maxTime]`, of whatever kind (chunk encodings
    /// 1, 2 and 3), stale markers included; integer histograms converted to float ones. Chunks
    /// are read newest first and one that ends before the sample found is not decoded; where
    /// chunks overlap, the later chunk's sample wins a tie. A chunk that cannot be decoded
    /// yields the samples before the damage (Prometheus's federation does not check either).
    static func newestSample(_ chunks: [ChunkData], minTime: Timestamp, maxTime: Timestamp) -> (Timestamp, FederatedValue)? {
        var best: (Timestamp, FederatedValue)?
        for chunk in chunks.reversed() where chunk.minTime <= maxTime && chunk.maxTime >= minTime {
            if let best, chunk.maxTime <= best.0 { continue }
            guard let found = newestSample(chunk, minTime: minTime, maxTime: maxTime) else { continue }
            if let best, found.0 <= best.0 { continue }
            best = found
        }
        return best
    }

    private static func newestSample(_ chunk: ChunkData, minTime: Timestamp, maxTime: Timestamp) -> (Timestamp, FederatedValue)? {
        switch chunk.encoding {
        case XORChunk.encoding:
            var iterator = XORIterator(chunk.bytes)
            var last: (Timestamp, FederatedValue)?
            while iterator.next() {
                let t = iterator.timestamp
                if t > maxTime { break }
                if t >= minTime { last = (t, .float(iterator.value)) }
            }
            return last
        case HistogramChunk.encoding:
            return newestHistogram(HistogramIterator.self, chunk.bytes, minTime: minTime, maxTime: maxTime, \.floatHistogram)
        case FloatHistogramChunk.encoding:
            return newestHistogram(FloatHistogramIterator.self, chunk.bytes, minTime: minTime, maxTime: maxTime, \.floatHistogram)
        default:
            return nil
        }
    }

    /// The newest histogram of a chunk in the range: found first by timestamp, then decoded again
    /// up to it, so only that sample's buckets are materialized.
    private static func newestHistogram<I: NativeHistogramIterator>(
        _: I.Type, _ bytes: [UInt8], minTime: Timestamp, maxTime: Timestamp, _ histogram: KeyPath<I, FloatHistogram>
    ) -> (Timestamp, FederatedValue)? {
        var iterator = I(bytes)
        var newest: Timestamp?
        while iterator.next() {
            let t = iterator.timestamp
            if t > maxTime { break }
            if t >= minTime { newest = t }
        }
        guard let newest else { return nil }
        iterator = I(bytes)
        while iterator.next(), iterator.timestamp < newest {}
        return (newest, .histogram(iterator[keyPath: histogram]))
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
