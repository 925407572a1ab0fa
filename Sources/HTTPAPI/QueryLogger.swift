// QueryLogger: `query_log_file`, one JSON line per query as Prometheus 3 writes it
// (`promql/engine.go` exec, a promslog JSON handler).

package import MetricModel
internal import NIOConcurrencyHelpers
internal import PromQL
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
#if canImport(Glibc)
internal import Glibc
#endif

/// Where a query came from: the query log's `httpRequest` and the caller's W3C trace context.
struct QueryOrigin: Sendable {
    var clientIP: String
    var method: String
    var path: String
    /// `traceparent` (`00-<trace id>-<parent span id>-<flags>`), when the caller sent a valid one.
    var traceparent: String?

    /// Trace and span ids of a valid `traceparent`; zeros without one, as Prometheus logs
    /// them with tracing off.
    var traceIDs: (trace: String, span: String) {
        let zero = (String(repeating: "0", count: 32), String(repeating: "0", count: 16))
        guard let header = traceparent else { return zero }
        let parts = header.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[1].count == 32, parts[2].count == 16,
            parts[1].allSatisfy(\.isHexDigit), parts[2].allSatisfy(\.isHexDigit)
        else { return zero }
        return (parts[1].lowercased(), parts[2].lowercased())
    }
}

/// Appends one JSON line per evaluated query to the configured file; off without one.
///
/// ```swift
/// let log = QueryLogger()
/// try log.open("/var/log/queries.log")   // from global.query_log_file; nil closes it
/// ```
/// Thread-safety: all methods may be called concurrently.
package final class QueryLogger: Sendable {
    // Safety: `state` is only touched under its lock; writes are one write(2) each.
    private let state = NIOLockedValueBox<(path: String?, fd: Int32)>((nil, -1))
    /// `prometheus_engine_query_log_failures_total`
    package let failures = Counter()

    package init() {}

    /// Whether a file is open (`prometheus_engine_query_log_enabled`).
    package var isEnabled: Bool { state.withLockedValue { $0.fd >= 0 } }

    /// Logs to `path` from now on (nil or empty: stop logging). Reopening the same path keeps
    /// the file; a new path closes the old one, as Prometheus does on reload.
    package func open(_ path: String?) throws {
        let path = path.flatMap { $0.isEmpty ? nil : $0 }
        try state.withLockedValue { state in
            if state.path == path { return }
            if state.fd >= 0 { close(state.fd) }
            state = (nil, -1)
            guard let path else { return }
            let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o666)
            if fd < 0 {
                throw QueryLogError(message: "can't create json log file: open \(path): \(String(cString: strerror(errno)))")
            }
            state = (path, fd)
        }
    }

    /// One line: `{"time":…,"level":"INFO","msg":"promql query logged","params":…,"error":…,
    /// "stats":…,"spanID":…,"traceID":…,"httpRequest":…}`.
    func log(
        query: String, start: Timestamp, end: Timestamp, stepMs: Int64, error: String?, timer: QueryTimer,
        samples: QuerySampleStats, origin: QueryOrigin
    ) {
        guard isEnabled else { return }
        var w = JSONWriter(capacity: 512)
        w.raw("{\"time\":")
        w.string(Self.date(Timestamp(Date().timeIntervalSince1970 * 1000)))
        w.raw(",\"level\":\"INFO\",\"msg\":\"promql query logged\",\"params\":{\"end\":")
        w.string(Self.date(end))
        w.raw(",\"query\":")
        w.string(query)
        w.raw(",\"start\":")
        w.string(Self.date(start))
        w.raw(text: ",\"step\":\(stepMs / 1000)}")
        if let error {
            w.raw(",\"error\":")
            w.string(error)
        }
        w.raw(",\"stats\":")
        PrometheusAPI.writeStatsObject(timer, samples, &w)
        let (trace, span) = origin.traceIDs
        w.raw(text: ",\"spanID\":\"\(span)\",\"traceID\":\"\(trace)\",\"httpRequest\":{\"clientIP\":")
        w.string(origin.clientIP)
        w.raw(",\"method\":")
        w.string(origin.method)
        w.raw(",\"path\":")
        w.string(origin.path)
        w.raw("}}\n")
        let written = state.withLockedValue { state -> Bool in
            guard state.fd >= 0 else { return true }
            return w.bytes.withUnsafeBytes { write(state.fd, $0.baseAddress, $0.count) } == w.bytes.count
        }
        if !written { failures.add() }
    }

    /// Prometheus's `formatDate`: `2006-01-02T15:04:05.000Z07:00` in UTC.
    static func date(_ ms: Timestamp) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = ms - seconds * 1000
        let text = formatRFC3339Seconds(seconds)
        var fraction = String(millis)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        return text.dropLast() + "." + fraction + "Z"
    }

    deinit {
        state.withLockedValue { if $0.fd >= 0 { close($0.fd) } }
    }
}

/// The query log file cannot be opened.
package struct QueryLogError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
