// A full (or read-only) disk under remote write: 503 so senders retry, nothing of the refused
// request stored, queries keep answering, and writes succeed again once space is back — with
// every acknowledged sample still there after a restart (issue #10, "Disk full").

import Foundation
import Glibc
import HTTPAPI
import HummingbirdTesting
import MetricModel
import Testing
import TSDB

@Suite struct DiskFullWriteTests {
    static func matrix(_ client: some TestClientProtocol) async throws -> String {
        try await client.getText("/api/v1/query?query=m%5B10m%5D&time=600").1
    }

    @Test(arguments: [ENOSPC, EROFS])
    func fullDiskAnswers503ThenRecovers(errno code: Int32) async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, db in
                #expect(try await client.push([([("__name__", "m")], [Sample(60_000, 1)])]).0 == 204)
                let before = try await Self.matrix(client)

                IOFaults.failWrites(under: dir.path, errno: code)
                let (status, body) = try await client.push([([("__name__", "m")], [Sample(120_000, 2)])])
                #expect(status == 503)
                #expect(body.hasPrefix("storage unavailable, retry later"), "\(body)")
                // Queries still answer, and the refused sample is not visible.
                #expect(try await Self.matrix(client) == before)

                IOFaults.clear(under: dir.path)
                // The sender's retry of the same request now lands.
                #expect(try await client.push([([("__name__", "m")], [Sample(120_000, 2)])]).0 == 204)
                #expect(try await client.push([([("__name__", "m")], [Sample(180_000, 3)])]).0 == 204)
                let stored = try db.select(matchers: [try LabelMatcher(.equal, "__name__", "m")], minTime: 0, maxTime: 600_000, sorted: true)
                #expect(stored.count == 1)
            }
            // Restart: the WAL holds every acknowledged sample, once.
            let replayed = try await withAPI(directory: dir) { client, _ in try await Self.matrix(client) }
            #expect(replayed.contains(#""values":[[60,"1"],[120,"2"],[180,"3"]]"#), "\(replayed)")
        }
    }

    @Test func otherWriteFailuresAre500() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                IOFaults.failWrites(under: dir.path, errno: EIO)
                defer { IOFaults.clear(under: dir.path) }
                let (status, body) = try await client.push([([("__name__", "m")], [Sample(60_000, 1)])])
                #expect(status == 500)
                #expect(body.hasPrefix("storage error"), "\(body)")
            }
        }
    }
}
