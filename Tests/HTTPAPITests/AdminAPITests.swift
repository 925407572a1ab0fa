// /api/v1/admin/tsdb/*: disabled by default as in Prometheus; delete_series, clean_tombstones, snapshot.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import Testing
import TSDB

/// The admin operations of a test DB (the server's own adapter lives in SugarmillServer).
struct TestAdmin: AdminStorage {
    let db: DB
    func delete(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws {
        try db.delete(matchers: matchers, minTime: minTime, maxTime: maxTime)
    }
    func cleanTombstones() throws { try db.cleanTombstones() }
    func snapshot(skipHead: Bool) throws -> String { try db.snapshot(skipHead: skipHead) }
}

@Suite struct AdminAPITests {
    static func enable(_ api: inout PrometheusAPI) {
        if let db = api.storage as? DB { api.admin = TestAdmin(db: db) }
    }

    static func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8))) as? [String: Any] ?? [:]
    }

    static let data: [(labels: [(String, String)], samples: [Sample])] = [
        ([("__name__", "m"), ("job", "a")], [Sample(1_000, 1), Sample(2_000, 2), Sample(3_000, 3)]),
        ([("__name__", "m"), ("job", "b")], [Sample(1_000, 4)]),
    ]

    @Test(arguments: ["delete_series?match[]=m", "clean_tombstones", "snapshot"])
    func disabledByDefault(_ path: String) async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                for method in [HTTPRequest.Method.post, .put] {
                    try await client.execute(uri: "/api/v1/admin/tsdb/\(path)", method: method) { response in
                        #expect(response.status.code == 500)
                        let body = Self.json(response.body)
                        #expect(body["status"] as? String == "error")
                        #expect(body["errorType"] as? String == "unavailable")
                        #expect(body["error"] as? String == "admin APIs disabled")
                    }
                }
            }
        }
    }

    @Test func deleteSeriesRemovesDataAndAnswers204() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: Self.enable) { client, db in
                #expect(try await client.push(Self.data).0 == 204)
                try await client.execute(
                    uri: "/api/v1/admin/tsdb/delete_series", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "match[]=m{job=\"a\"}&start=1.5&end=2")
                ) { response in
                    #expect(response.status.code == 204)
                    #expect(response.body.readableBytes == 0)
                }
                let all = [try LabelMatcher(.equal, "__name__", "m")]
                let left = try db.select(matchers: all, minTime: .min, maxTime: .max, sorted: true)
                #expect(left.count == 2)
                // PUT with every series of job b, all time.
                try await client.execute(uri: "/api/v1/admin/tsdb/delete_series?match[]=%7Bjob%3D%22b%22%7D", method: .put) { response in
                    #expect(response.status.code == 204)
                }
                let (_, series) = try await client.getJSON("/api/v1/series?match[]=m")
                #expect((series["data"] as? [[String: String]])?.map { $0["job"] } == ["a"])
            }
        }
    }

    @Test func deleteSeriesRejectsBadParameters() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: Self.enable) { client, _ in
                for (uri, message) in [
                    ("/api/v1/admin/tsdb/delete_series", "no match[] parameter provided"),
                    ("/api/v1/admin/tsdb/delete_series?match[]=%7B", "invalid parameter \"match[]\""),
                    ("/api/v1/admin/tsdb/delete_series?match[]=m&start=abc", "invalid parameter \"start\""),
                ] {
                    try await client.execute(uri: uri, method: .post) { response in
                        #expect(response.status.code == 400, "\(uri)")
                        let body = Self.json(response.body)
                        #expect(body["errorType"] as? String == "bad_data")
                        #expect((body["error"] as? String)?.hasPrefix(message) == true, "\(body)")
                    }
                }
            }
        }
    }

    @Test func cleanTombstonesAnswers204() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: Self.enable) { client, _ in
                try await client.execute(uri: "/api/v1/admin/tsdb/clean_tombstones", method: .post) { response in
                    #expect(response.status.code == 204)
                }
            }
        }
    }

    @Test func snapshotReturnsItsName() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: Self.enable) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                let name: String = try await client.execute(uri: "/api/v1/admin/tsdb/snapshot", method: .post) { response in
                    #expect(response.status.code == 200)
                    let body = Self.json(response.body)
                    #expect(body["status"] as? String == "success")
                    return (body["data"] as? [String: String])?["name"] ?? ""
                }
                #expect(name.wholeMatch(of: /\d{8}T\d{6}Z-[0-9a-f]{16}/) != nil, "\(name)")
                let snapshot = dir.appendingPathComponent("snapshots").appendingPathComponent(name)
                let blocks = try FileManager.default.contentsOfDirectory(atPath: snapshot.path)
                #expect(blocks.count == 1)  // the head as one block

                try await client.execute(uri: "/api/v1/admin/tsdb/snapshot?skip_head=true", method: .put) { response in
                    #expect(response.status.code == 200)
                }
                try await client.execute(uri: "/api/v1/admin/tsdb/snapshot?skip_head=maybe", method: .post) { response in
                    #expect(response.status.code == 400)
                    let body = Self.json(response.body)
                    #expect(body["error"] as? String == "invalid parameter \"skip_head\": unable to parse boolean: strconv.ParseBool: parsing \"maybe\": invalid syntax")
                }
            }
        }
    }
}
