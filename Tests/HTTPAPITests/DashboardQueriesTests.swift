// The provisioned Grafana dashboard (Deploy/compose/grafana/dashboards) against Sugarmill: with
// seeds/demo.om loaded, every panel query, the variable's query and the annotation query run as
// Grafana would send them (Prometheus API for the Prometheus data source, /grafana/query for the
// JSON data source) and answer without error, each panel with series. Also checks that the
// dashboard names only the data sources that datasources.yml provisions.

import Foundation
import Exposition
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import Testing
import YAML

/// One query of the dashboard.
struct DashboardQuery: Sendable, CustomStringConvertible {
    enum Kind: Sendable { case prometheus, json, variable, annotation }
    var kind: Kind
    var where_: String
    /// The query's JSON object as the dashboard has it (a panel target, or the variable/annotation).
    var target: [String: any Sendable]
    var expression: String

    var description: String { "\(where_): \(expression)" }
}

enum Dashboard {
    static let path = DeployFiles.root + "/Deploy/compose/grafana/dashboards/sugarmill-overview.json"
    static let datasourcesPath = DeployFiles.root + "/Deploy/compose/grafana/provisioning/datasources/datasources.yml"
    static let prometheusUID = "sugarmill-prom"
    static let jsonUID = "sugarmill-json"

    /// seeds/demo.om covers [08:00, 12:00) of 2025-06-01 UTC; the dashboard is asked for its last hour.
    static let end: Int64 = 1_748_779_200 - 60
    static let start: Int64 = end - 3600

    static func load() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Every query of the dashboard: panel targets (rows' nested panels too), template variables
    /// and annotations.
    static func queries(_ dashboard: [String: Any]) -> [DashboardQuery] {
        var queries: [DashboardQuery] = []
        func walk(_ panels: [[String: Any]]) {
            for panel in panels {
                walk(panel["panels"] as? [[String: Any]] ?? [])
                let title = panel["title"] as? String ?? "?"
                let panelUID = (panel["datasource"] as? [String: Any])?["uid"] as? String
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    let uid = (target["datasource"] as? [String: Any])?["uid"] as? String ?? panelUID
                    if uid == jsonUID {
                        queries.append(DashboardQuery(
                            kind: .json, where_: title, target: sendable(target), expression: target["target"] as? String ?? ""))
                    } else {
                        queries.append(DashboardQuery(
                            kind: .prometheus, where_: title, target: sendable(target), expression: target["expr"] as? String ?? ""))
                    }
                }
            }
        }
        walk(dashboard["panels"] as? [[String: Any]] ?? [])
        for variable in (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? [] {
            let query = (variable["query"] as? [String: Any])?["query"] as? String ?? variable["query"] as? String ?? ""
            queries.append(DashboardQuery(
                kind: .variable, where_: "variable \(variable["name"] as? String ?? "?")", target: [:], expression: query))
        }
        for annotation in (dashboard["annotations"] as? [String: Any])?["list"] as? [[String: Any]] ?? [] {
            guard let expr = annotation["expr"] as? String else { continue }
            queries.append(DashboardQuery(
                kind: .annotation, where_: "annotation \(annotation["name"] as? String ?? "?")", target: [:], expression: expr))
        }
        return queries
    }

    /// The JSON object with its values made `Sendable` (strings, numbers, booleans, nested objects).
    static func sendable(_ object: [String: Any]) -> [String: any Sendable] {
        object.compactMapValues { value -> (any Sendable)? in
            switch value {
            case let nested as [String: Any]: sendable(nested)
            case let string as String: string
            case let number as NSNumber: number.doubleValue
            default: nil
            }
        }
    }

    /// Grafana's substitutions: the built-in interval variables as Grafana computes them for a 1 h
    /// range and a 60 s scrape interval, and the dashboard's variable at its default (All → `.*`).
    static func substitute(_ expression: String) -> String {
        expression.replacingOccurrences(of: "$__rate_interval", with: "5m")
            .replacingOccurrences(of: "$__interval", with: "1m")
            .replacingOccurrences(of: "$__range", with: "1h")
            .replacingOccurrences(of: "$instance", with: ".*")
    }

    static func iso(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// seeds/demo.om as remote-write batches of 20 minutes each, oldest first, so that every
    /// sample stays within the head's appendable window as it arrives.
    static func demoBatches() throws -> [[(labels: [(String, String)], samples: [Sample])]] {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: DeployFiles.root + "/seeds/demo.om")))
        let series = try parseOpenMetrics(bytes)
        let window: Int64 = 20 * 60_000
        let first = series.flatMap { $0.samples.map(\.timestamp) }.min() ?? 0
        var batches: [Int64: [(labels: [(String, String)], samples: [Sample])]] = [:]
        for entry in series {
            let pairs = entry.labels.pairs.map { ($0.name, $0.value) }
            let grouped = Dictionary(grouping: entry.samples) { ($0.timestamp - first) / window }
            for (slot, samples) in grouped {
                batches[slot, default: []].append((pairs, samples.sorted { $0.timestamp < $1.timestamp }))
            }
        }
        return batches.keys.sorted().map { batches[$0]! }
    }
}

@Suite("Grafana dashboard queries against Sugarmill")
struct DashboardQueriesTests {
    @Test("the dashboard uses only the provisioned data sources, both kinds of them")
    func dataSourcesMatch() throws {
        let provisioned = try #require(try Composer.compose(try DeployFiles.text(Dashboard.datasourcesPath)))
        guard case .mapping(let root) = provisioned, case .sequence(let list)? = root["datasources"] else {
            Issue.record("datasources.yml has no datasources list")
            return
        }
        var kinds: [String: String] = [:]
        var urls: [String: String] = [:]
        for case .mapping(let source) in list {
            let uid = try #require(source["uid"]?.scalarValue)
            kinds[uid] = source["type"]?.scalarValue
            urls[uid] = source["url"]?.scalarValue
        }
        #expect(kinds[Dashboard.prometheusUID] == "prometheus")
        #expect(kinds[Dashboard.jsonUID] == "simpod-json-datasource")
        #expect(urls[Dashboard.jsonUID]?.hasSuffix("/grafana") == true)

        let text = try String(contentsOfFile: Dashboard.path, encoding: .utf8)
        let uids = Set(text.matches(of: /"uid": "([^"]+)"/).map { String($0.output.1) })
        #expect(uids.subtracting(["sugarmill-overview"]).isSubset(of: Set(kinds.keys)), "\(uids)")
        let queries = Dashboard.queries(try Dashboard.load())
        #expect(queries.contains { $0.kind == .prometheus } && queries.contains { $0.kind == .json })
    }

    @Test("every query of the dashboard runs without error over the demo data, panels with series")
    func queriesRun() async throws {
        let queries = Dashboard.queries(try Dashboard.load())
        #expect(queries.count >= 12, "\(queries.count) queries")
        let batches = try Dashboard.demoBatches()
        #expect(batches.count == 12)
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                for batch in batches {
                    let (status, body) = try await client.push(batch)
                    #expect(status == 204, "\(body)")
                }
                for query in queries {
                    let expression = Dashboard.substitute(query.expression)
                    #expect(!expression.contains("$"), "unsubstituted variable in \(query)")
                    let results = try await Self.run(query, expression, client)
                    switch results {
                    case .failure(let message): Issue.record("\(query): \(message)")
                    case .success(let count):
                        // Firing alerts are no part of the demo data: the annotation query may be empty.
                        if query.kind != .annotation { #expect(count > 0, "no series for \(query)") }
                    }
                }
            }
        }
    }

    /// Sends `query` as Grafana would; the number of series (or values) it answered, or its error.
    static func run(
        _ query: DashboardQuery, _ expression: String, _ client: any TestClientProtocol
    ) async throws -> Result<Int, QueryFailure> {
        let range = "start=\(Dashboard.start)&end=\(Dashboard.end)"
        switch query.kind {
        case .prometheus, .annotation:
            let uri = "/api/v1/query_range?query=\(escaped(expression))&\(range)&step=60"
            let (status, json) = try await client.getJSON(uri)
            guard status == 200, json["status"] as? String == "success" else {
                return .failure(QueryFailure("\(status) \(json["error"] ?? "")"))
            }
            return .success(((json["data"] as? [String: Any])?["result"] as? [Any])?.count ?? 0)
        case .variable:
            // label_values(<selector>, <label>): Grafana asks the label values API.
            let match = try #require(expression.firstMatch(of: /^label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\)$/))
            let uri = "/api/v1/label/\(match.output.2)/values?match[]=\(escaped(String(match.output.1)))&\(range)"
            let (status, json) = try await client.getJSON(uri)
            guard status == 200 else { return .failure(QueryFailure("\(status) \(json["error"] ?? "")")) }
            return .success((json["data"] as? [Any])?.count ?? 0)
        case .json:
            var target = query.target
            target["target"] = expression
            let body: [String: Any] = [
                "range": ["from": Dashboard.iso(Dashboard.start), "to": Dashboard.iso(Dashboard.end)],
                "intervalMs": 60_000, "maxDataPoints": 500, "targets": [target],
            ]
            let data = try JSONSerialization.data(withJSONObject: body)
            return try await client.execute(
                uri: "/grafana/query", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: Array(data))
            ) { response in
                let text = String(buffer: response.body)
                guard response.status.code == 200, let answer = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] else {
                    return .failure(QueryFailure("\(response.status.code) \(text)"))
                }
                // A table answers one element whose rows are the series.
                if let table = answer.first as? [String: Any], table["type"] as? String == "table" {
                    return .success((table["rows"] as? [Any])?.count ?? 0)
                }
                return .success(answer.count)
            }
        }
    }

    static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

/// A query's error answer.
struct QueryFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
