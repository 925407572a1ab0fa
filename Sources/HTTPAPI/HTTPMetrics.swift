// HTTPMetrics: Prometheus's `prometheus_http_*` families (web/web.go): requests by handler and
// status code, request latency and response size by handler, recorded by HTTPMetricsMiddleware.

package import MetricModel
internal import NIOConcurrencyHelpers
internal import Synchronization

/// What the HTTP server counts, by handler: the route pattern as Prometheus names it
/// (`/api/v1/query`, `/api/v1/label/:name/values`, `/metrics`).
///
/// Recording is cheap enough for remote write: the handler's counters are found in one of
/// `stripeCount` small maps (a lock each, held for the lookup only) and bumped atomically.
/// Thread-safety: everything may be called concurrently.
package final class HTTPMetrics: Sendable {
    /// `prometheus_http_request_duration_seconds`'s buckets (web.go).
    package static let durationBounds: [Double] = [0.1, 0.2, 0.4, 1, 3, 8, 20, 60, 120]
    /// `prometheus_http_response_size_bytes`'s buckets: `ExponentialBuckets(100, 10, 8)`.
    package static let sizeBounds: [Double] = (0..<8).map { 100 * pow10($0) }

    private static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * 10 } }

    /// The status codes counted without a lock; any other goes to the handler's locked map.
    static let commonCodes: [Int] = [200, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405, 406, 413, 415, 422, 429, 499, 500, 503, 504]

    /// One handler's series.
    final class Handler: Sendable {
        /// The `handler` label.
        let name: String
        let codes = HTTPMetrics.commonCodes.map { _ in Counter() }
        let otherCodes = NIOLockedValueBox<[Int: Int]>([:])
        let duration = FixedBucketHistogram(bounds: HTTPMetrics.durationBounds, unitScale: 1e-9)
        let size = FixedBucketHistogram(bounds: HTTPMetrics.sizeBounds)

        init(name: String) { self.name = name }

        @inline(__always)
        func count(code: Int) {
            if let slot = HTTPMetrics.codeSlot(code) { codes[slot].add() } else { otherCodes.withLockedValue { $0[code, default: 0] += 1 } }
        }

        var codeCounts: [(code: Int, count: Int)] {
            var all = zip(HTTPMetrics.commonCodes, codes).map { ($0, $1.current) }.filter { $0.1 > 0 }
            all += otherCodes.withLockedValue { $0.map { ($0.key, $0.value) } }
            return all.sorted { $0.0 < $1.0 }
        }
    }

    @inline(__always)
    static func codeSlot(_ code: Int) -> Int? {
        // A short scan: the list is small and the common codes come first.
        for i in 0..<commonCodes.count where commonCodes[i] == code { return i }
        return nil
    }

    private static let stripeCount = 8
    /// Handlers by Hummingbird's endpoint path (`/api/v1/label/{name}/values`), striped by its hash.
    private let stripes: [NIOLockedValueBox<[String: Handler]>] = (0..<HTTPMetrics.stripeCount).map { _ in
        NIOLockedValueBox([:])
    }

    package init() {}

    /// The series of the route Hummingbird names `endpointPath`, made on first use.
    func handler(endpointPath: String) -> Handler {
        let stripe = stripes[endpointPath.hashValue & (Self.stripeCount - 1)]
        if let found = stripe.withLockedValue({ $0[endpointPath] }) { return found }
        let made = Handler(name: Self.prometheusHandlerName(endpointPath))
        return stripe.withLockedValue { map in
            if let raced = map[endpointPath] { return raced }
            map[endpointPath] = made
            return made
        }
    }

    /// Records one request to `endpointPath` (a test's or a non-router caller's entry point).
    package func record(endpointPath: String, code: Int, durationNanoseconds: Int, responseBytes: Int) {
        let handler = handler(endpointPath: endpointPath)
        handler.count(code: code)
        handler.duration.observe(durationNanoseconds)
        handler.size.observe(responseBytes)
    }

    /// Hummingbird's route pattern in Prometheus's (httprouter's) spelling: `{name}` → `:name`,
    /// `**` → `*filepath`.
    package static func prometheusHandlerName(_ endpointPath: String) -> String {
        endpointPath.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            if part == "**" { return "*filepath" }
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 { return ":" + part.dropFirst().dropLast() }
            return String(part)
        }.joined(separator: "/")
    }

    /// The three families in the text format, handlers sorted by name; nothing before a request.
    package func exposition() -> String {
        var handlers = stripes.flatMap { $0.withLockedValue { Array($0.values) } }
        guard !handlers.isEmpty else { return "" }
        handlers.sort { $0.name < $1.name }
        var out = MetricsText()
        let duration = "prometheus_http_request_duration_seconds"
        out.family(duration, .histogram, "Histogram of latencies for HTTP requests.")
        for h in handlers {
            out.histogram(duration, MetricsText.label("handler", h.name), h.duration.snapshot, bounds: Self.durationBounds)
        }
        let requests = "prometheus_http_requests_total"
        out.family(requests, .counter, "Counter of HTTP requests.")
        for h in handlers {
            for (code, count) in h.codeCounts {
                out.sample(requests, "code=\"\(code)\"," + MetricsText.label("handler", h.name), value: count)
            }
        }
        let size = "prometheus_http_response_size_bytes"
        out.family(size, .histogram, "Histogram of response size for HTTP requests.")
        for h in handlers {
            out.histogram(size, MetricsText.label("handler", h.name), h.size.snapshot, bounds: Self.sizeBounds)
        }
        return out.text
    }
}
