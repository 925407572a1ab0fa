// The TSDB admin API (`/api/v1/admin/tsdb/*`, Prometheus's web/api/v1/api.go deleteSeries,
// cleanTombstones and snapshot), served only with `--web.enable-admin-api`.

internal import Hummingbird
package import MetricModel
internal import PromQL

/// The storage operations behind the admin API (the TSDB's `DB` provides them).
package protocol AdminStorage: Sendable {
    /// Deletes samples of the series matching `matchers` in `[minTime, maxTime]` (tombstones).
    func delete(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws
    /// Rewrites blocks that have tombstones without the deleted data.
    func cleanTombstones() throws
    /// Writes `<data>/snapshots/<name>` and returns `<name>`.
    func snapshot(skipHead: Bool) throws -> String
}

extension PrometheusAPI {
    /// Adds `POST|PUT /api/v1/admin/tsdb/{delete_series,clean_tombstones,snapshot}`.
    func registerAdmin<Context: RequestContext>(on router: Router<Context>) {
        for path in ["/api/v1/admin/tsdb/delete_series", "/api/v1/admin/tsdb/clean_tombstones", "/api/v1/admin/tsdb/snapshot"] {
            let name = path.split(separator: "/").last.map(String.init) ?? ""
            route(router, path, [.post, .put]) { request, _ in await Self.offLoop { await admin(name, request) } }
        }
    }

    /// Runs one admin operation: 204 without a body, or the snapshot's `{"name":…}`.
    private func admin(_ operation: String, _ request: Request) async -> Response {
        // Prometheus checks the flag before anything else.
        guard let admin else { return Self.error(APIError(.unavailable, "admin APIs disabled")) }
        do {
            let params = try await formParameters(request)
            switch operation {
            case "delete_series":
                try deleteSeries(admin, params)
            case "clean_tombstones":
                do { try admin.cleanTombstones() } catch { throw APIError(.internal, "\(error)") }
            default:
                return try snapshot(admin, params)
            }
            return Response(status: .noContent)
        } catch let error as APIError {
            return Self.error(error)
        } catch {
            return Self.error(APIError(.internal, "\(error)"))
        }
    }

    /// `delete_series`: `match[]` (at least one), `start`/`end` (default: all time).
    private func deleteSeries(_ admin: any AdminStorage, _ params: FormParameters) throws(APIError) {
        try params.checkParsed()
        if params.all("match[]").isEmpty { throw APIError(.badData, "no match[] parameter provided") }
        let start = try Self.timeParameter(params, "start", default: Self.defaultMinTime)
        let end = try Self.timeParameter(params, "end", default: Self.defaultMaxTime)
        for matchers in try matcherSets(params) {
            do { try admin.delete(matchers: matchers, minTime: start, maxTime: end) } catch {
                throw APIError(.internal, "\(error)")
            }
        }
    }

    /// `snapshot`: `skip_head` (Go `strconv.ParseBool` syntax).
    private func snapshot(_ admin: any AdminStorage, _ params: FormParameters) throws(APIError) -> Response {
        var skipHead = false
        if let raw = params["skip_head"], !raw.isEmpty {
            guard let value = Self.parseGoBool(raw) else {
                throw APIError(
                    .badData, "invalid parameter \"skip_head\": unable to parse boolean: strconv.ParseBool: parsing \"\(raw)\": invalid syntax")
            }
            skipHead = value
        }
        let name: String
        do { name = try admin.snapshot(skipHead: skipHead) } catch { throw APIError(.internal, "create snapshot: \(error)") }
        var w = JSONWriter()
        w.raw("{\"status\":\"success\",\"data\":{\"name\":")
        w.string(name)
        w.raw("}}")
        return Self.json(w.bytes)
    }

    /// A time parameter, or `fallback` when absent or empty (Prometheus's `parseTimeParam`).
    static func timeParameter(_ params: FormParameters, _ name: String, default fallback: Timestamp) throws(APIError) -> Timestamp {
        guard let raw = params[name], !raw.isEmpty else { return fallback }
        do { return try parseTime(raw) } catch { throw APIError(.badData, "invalid parameter \"\(name)\": \(error)") }
    }

    /// Go's `strconv.ParseBool`: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False.
    static func parseGoBool(_ s: String) -> Bool? {
        switch s {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }
}
