// The server and the data directory's lock file (`<data>/lock`, Prometheus's DirLocker): a
// second server on a directory in use stops at startup with Prometheus's error, each tenant's
// database holds a lock of its own, and `--storage.tsdb.no-lockfile` turns it off.

import Foundation
import HTTPAPI
import Logging
import SugarmillServer
import Tenancy
import Testing
import TSDB

@Suite struct DataDirLockServerTests {
    /// Options for a server on `<dir>/data`, listening on a free port, with an empty config.
    static func options(_ dir: URL) throws -> ServerOptions {
        var options = ServerOptions()
        options.storagePath = dir.appendingPathComponent("data").path
        options.listenAddress = "127.0.0.1:\(try freeTCPPort())"
        let config = dir.appendingPathComponent("prometheus.yml").path
        try "global: {scrape_interval: 1m}\n".write(toFile: config, atomically: true, encoding: .utf8)
        options.configFile = config
        return options
    }

    /// `path` of the server on `port`, once it answers (it opens its storage first).
    static func get(_ port: Int, _ path: String) async throws -> String {
        let url = "http://127.0.0.1:\(port)\(path)"
        _ = try await eventuallyAsync(60) { !((try? await SelfMetricsTests.get(url)) ?? "").isEmpty }
        return try await SelfMetricsTests.get(url)
    }

    @Test func aServerOnADirectoryInUseFailsAtStartupWithPrometheusError() async throws {
        try await withTemporaryDirectory { dir in
            let options = try Self.options(dir)
            let holder = try DB(directory: URL(fileURLWithPath: options.storagePath), logger: quietLogger)
            defer { try? holder.close() }
            let error = await #expect(throws: ServerError.self) {
                try await Server(options: options, logger: quietLogger).run()
            }
            #expect(error?.message == "opening storage failed: lock DB directory: resource temporarily unavailable")
            #expect(FileManager.default.fileExists(atPath: options.storagePath + "/lock"), "the holder keeps its file")
        }
    }

    @Test func aStoppedServerLeavesNoLockFileAndReportsACleanStart() async throws {
        try await withTemporaryDirectory { dir in
            let options = try Self.options(dir)
            let lock = options.storagePath + "/lock"
            let metrics = try await withRunningServer(options, directory: dir) { port in
                let text = try await Self.get(port, "/metrics")
                #expect(FileManager.default.fileExists(atPath: lock))
                return text
            }
            #expect(metrics.contains("\nprometheus_tsdb_clean_start 1\n"), "\(metrics)")
            #expect(!FileManager.default.fileExists(atPath: lock))

            // A lock file a crash left: taken over, and said so.
            FileManager.default.createFile(atPath: lock, contents: nil)
            let again = try await withRunningServer(options, directory: dir) { port in try await Self.get(port, "/metrics") }
            #expect(again.contains("\nprometheus_tsdb_clean_start 0\n"))
            #expect(!FileManager.default.fileExists(atPath: lock))
        }
    }

    @Test func noLockfileCreatesNoneAndSaysMinusOne() async throws {
        try await withTemporaryDirectory { dir in
            var options = try Self.options(dir)
            options.noLockfile = true
            let metrics = try await withRunningServer(options, directory: dir) { port in
                let flags = try await Self.get(port, "/api/v1/status/flags")
                #expect(flags.contains(#""storage.tsdb.no-lockfile":"true""#), "\(flags)")
                #expect(!FileManager.default.fileExists(atPath: options.storagePath + "/lock"))
                return try await Self.get(port, "/metrics")
            }
            #expect(metrics.contains("\nprometheus_tsdb_clean_start -1\n"), "\(metrics)")
        }
    }

    @Test func eachTenantHoldsTheLockOfItsOwnDirectory() async throws {
        try await withTemporaryDirectory { dir in
            let tenancy = try TenancyConfig.load(yaml: "trust_org_id_header: true\ntenants:\n  - id: a\n  - id: b\n")
            let server = Server(options: ServerOptions(), logger: quietLogger)
            let lock = { (id: String) in dir.appendingPathComponent("tenants/\(id)/lock").path }
            let registry = try server.makeTenantRegistry(tenancy, file: nil, storageURL: dir, dbOptions: DBOptions(), startTime: 0)
            #expect(FileManager.default.fileExists(atPath: lock("a")) && FileManager.default.fileExists(atPath: lock("b")))
            #expect(registry.databases.allSatisfy { $0.cleanStart == .clean })
            // A second server on the same data directory: its first tenant's database is locked,
            // and it stops without leaving anything open or deleting the first server's files.
            let error = #expect(throws: ServerError.self) {
                _ = try server.makeTenantRegistry(tenancy, file: nil, storageURL: dir, dbOptions: DBOptions(), startTime: 0)
            }
            #expect(error?.message == #"opening storage failed: tenant "a": lock DB directory: resource temporarily unavailable"#)
            #expect(FileManager.default.fileExists(atPath: lock("a")) && FileManager.default.fileExists(atPath: lock("b")))
            try await registry.close()
            #expect(!FileManager.default.fileExists(atPath: lock("a")) && !FileManager.default.fileExists(atPath: lock("b")))
        }
    }

    @Test func aTenantWhoseDirectoryIsLockedFailsTheStartAndClosesTheOthers() async throws {
        try await withTemporaryDirectory { dir in
            let tenancy = try TenancyConfig.load(yaml: "trust_org_id_header: true\ntenants:\n  - id: a\n  - id: b\n")
            let holder = try DB(directory: dir.appendingPathComponent("tenants/b"), logger: quietLogger)
            defer { try? holder.close() }
            let server = Server(options: ServerOptions(), logger: quietLogger)
            let error = #expect(throws: ServerError.self) {
                _ = try server.makeTenantRegistry(tenancy, file: nil, storageURL: dir, dbOptions: DBOptions(), startTime: 0)
            }
            #expect(error?.message == #"opening storage failed: tenant "b": lock DB directory: resource temporarily unavailable"#)
            // Tenant a, opened first, was closed again: its lock is free and its file gone.
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("tenants/a/lock").path))
            let a = try DB(directory: dir.appendingPathComponent("tenants/a"), logger: quietLogger)
            #expect(a.cleanStart == .clean)
            try a.close()
        }
    }
}
