// Runtime fault injection for operators rehearsing failure (issue #10): `/api/v1/admin/faults`,
// served only with `--enable-feature=fault-injection`. Each injection is bounded in time, logged
// and counted by the server (`FaultInjecting`); this file parses and answers.

package import Hummingbird
internal import PromQL
internal import MetricModel

/// A fault an operator asks for: what, for how long, and its details.
package struct FaultRequest: Sendable, Equatable {
    package enum Kind: String, Sendable, CaseIterable {
        /// Storage file reads, writes or fsyncs fail with an errno.
        case diskError = "disk_error"
        /// Storage file reads, writes or fsyncs are slowed down.
        case diskLatency = "disk_latency"
        /// Scrapes (of one job, or all) are reset, time out or get half their body.
        case scrapeFailure = "scrape_failure"
        /// Remote-write sends (of one queue, or all) are reset, time out or lose their connection.
        case remoteWriteFailure = "remote_write_failure"
    }

    package var kind: Kind
    /// How long the fault lasts: at most ``maxDurationMs``.
    package var durationMs: Int64
    /// disk_error: the errno's name (EIO, ENOSPC, EROFS, EDQUOT).
    package var errno = "EIO"
    /// disk_error, disk_latency: which operations (read, write, sync).
    package var operations: [String] = ["write"]
    /// disk_latency: the delay added to each operation.
    package var latencyMs: Int64 = 0
    /// scrape_failure, remote_write_failure: reset, timeout or truncate.
    package var effect = "reset"
    /// scrape_failure: the job; remote_write_failure: the queue's remote_name; nil: all.
    package var target: String?

    /// Injections end by themselves within an hour.
    package static let maxDurationMs: Int64 = 3_600_000
    package static let errnoNames = ["EIO", "ENOSPC", "EROFS", "EDQUOT"]
    package static let operationNames = ["read", "write", "sync"]
    package static let effectNames = ["reset", "timeout", "truncate"]

    package init(kind: Kind, durationMs: Int64) {
        self.kind = kind
        self.durationMs = durationMs
    }
}

/// An injection in force.
package struct ActiveFault: Sendable {
    package var id: Int
    package var request: FaultRequest
    /// Wall-clock start and end, ms since the epoch.
    package var startMs: Int64
    package var endMs: Int64

    package init(id: Int, request: FaultRequest, startMs: Int64, endMs: Int64) {
        self.id = id
        self.request = request
        self.startMs = startMs
        self.endMs = endMs
    }
}

/// What carries out injections (the server: storage I/O, scrapes, remote-write sends).
package protocol FaultInjecting: Sendable {
    /// Starts `request`; it ends by itself after its duration.
    func inject(_ request: FaultRequest) -> ActiveFault
    /// The injections still in force.
    var active: [ActiveFault] { get }
    /// Ends every injection; returns how many were in force.
    func clearAll() -> Int
}

extension PrometheusAPI {
    /// Adds `GET|POST|DELETE /api/v1/admin/faults`.
    func registerFaults<Context: RequestContext>(on router: Router<Context>) {
        route(router, "/api/v1/admin/faults", [.get, .post, .delete]) { request, _ in
            await Self.faults(request, injector: faultInjector, maxBodyBytes: maxFormBodyBytes)
        }
    }

    /// Answers `/api/v1/admin/faults` with `injector` (nil: disabled); multi-tenant mode's front
    /// door calls it for the operator's admin token.
    package static func faults(_ request: Request, injector faultInjector: (any FaultInjecting)?, maxBodyBytes: Int = 8 << 20)
        async -> Response
    {
        guard let faultInjector else {
            return Self.error(APIError(.unavailable, "fault injection is disabled (start with --enable-feature=fault-injection)"))
        }
        do throws(APIError) {
            switch request.method {
            case .get:
                return Self.json(Self.faultsBody(faultInjector.active))
            case .delete:
                _ = faultInjector.clearAll()
                return Self.json(Self.faultsBody(faultInjector.active))
            default:
                let params = try await formParameters(request, maxBodyBytes: maxBodyBytes)
                try params.checkParsed()
                let started = faultInjector.inject(try Self.faultRequest(params))
                return Self.json(Self.faultsBody([started]))
            }
        } catch {
            return Self.error(error)
        }
    }

    /// Reads a POST's parameters: `kind`, `duration`, and the kind's own.
    static func faultRequest(_ params: FormParameters) throws(APIError) -> FaultRequest {
        guard let raw = params["kind"], let kind = FaultRequest.Kind(rawValue: raw) else {
            let kinds = FaultRequest.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError(.badData, "invalid parameter \"kind\": want one of \(kinds)")
        }
        let duration = try faultDuration(params, "duration")
        guard duration > 0, duration <= FaultRequest.maxDurationMs else {
            throw APIError(.badData, "invalid parameter \"duration\": must be more than 0 and at most 1h")
        }
        var request = FaultRequest(kind: kind, durationMs: duration)
        switch kind {
        case .diskError:
            request.errno = try choice(params, "errno", FaultRequest.errnoNames, default: "EIO")
            request.operations = try operations(params, default: ["write"])
        case .diskLatency:
            request.latencyMs = try faultDuration(params, "latency")
            guard request.latencyMs > 0, request.latencyMs <= 10_000 else {
                throw APIError(.badData, "invalid parameter \"latency\": must be more than 0 and at most 10s")
            }
            request.operations = try operations(params, default: FaultRequest.operationNames)
        case .scrapeFailure:
            request.effect = try choice(params, "effect", FaultRequest.effectNames, default: "reset")
            request.target = params["job"].flatMap { $0.isEmpty ? nil : $0 }
        case .remoteWriteFailure:
            request.effect = try choice(params, "effect", FaultRequest.effectNames, default: "reset")
            request.target = params["remote_name"].flatMap { $0.isEmpty ? nil : $0 }
        }
        return request
    }

    /// A required duration in Prometheus's syntax (`30s`, `5m`) or float seconds, in ms.
    private static func faultDuration(_ params: FormParameters, _ name: String) throws(APIError) -> Int64 {
        guard let raw = params[name], !raw.isEmpty else { throw APIError(.badData, "missing parameter \"\(name)\"") }
        do { return try parseDurationParam(raw) } catch {
            throw APIError(.badData, "invalid parameter \"\(name)\": \(error.message)")
        }
    }

    private static func choice(_ params: FormParameters, _ name: String, _ allowed: [String], default fallback: String) throws(APIError)
        -> String
    {
        guard let raw = params[name], !raw.isEmpty else { return fallback }
        guard allowed.contains(raw) else {
            throw APIError(.badData, "invalid parameter \"\(name)\": want one of \(allowed.joined(separator: ", "))")
        }
        return raw
    }

    /// `operations`: a comma-separated subset of read, write, sync.
    private static func operations(_ params: FormParameters, default fallback: [String]) throws(APIError) -> [String] {
        guard let raw = params["operations"], !raw.isEmpty else { return fallback }
        let names = raw.split(separator: ",").map { String($0).trimmingSpaces() }
        guard !names.isEmpty, names.allSatisfy(FaultRequest.operationNames.contains) else {
            throw APIError(.badData, "invalid parameter \"operations\": want a comma-separated list of read, write, sync")
        }
        return names
    }

    /// `{"status":"success","data":[{…}, …]}`.
    static func faultsBody(_ faults: [ActiveFault]) -> [UInt8] {
        var w = JSONWriter()
        w.raw("{\"status\":\"success\",\"data\":[")
        for (i, fault) in faults.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            let r = fault.request
            w.raw("{\"id\":")
            w.raw(text: String(fault.id))
            w.raw(",\"kind\":")
            w.string(r.kind.rawValue)
            w.raw(",\"start\":")
            w.raw(text: String(Double(fault.startMs) / 1000))
            w.raw(",\"end\":")
            w.raw(text: String(Double(fault.endMs) / 1000))
            switch r.kind {
            case .diskError:
                w.raw(",\"errno\":")
                w.string(r.errno)
                w.raw(",\"operations\":")
                w.stringArray(r.operations)
            case .diskLatency:
                w.raw(",\"latency\":")
                w.string(PrometheusDuration.format(milliseconds: r.latencyMs))
                w.raw(",\"operations\":")
                w.stringArray(r.operations)
            case .scrapeFailure, .remoteWriteFailure:
                w.raw(",\"effect\":")
                w.string(r.effect)
                w.raw(r.kind == .scrapeFailure ? ",\"job\":" : ",\"remote_name\":")
                if let target = r.target { w.string(target) } else { w.raw("null") }
            }
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("]}")
        return w.bytes
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
