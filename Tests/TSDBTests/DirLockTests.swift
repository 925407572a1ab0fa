// `<data>/lock` as Prometheus 2.42 holds it (tsdb/tsdbutil/dir_locker.go, spec/tsdb-format.md
// §1.1): a second database on an open directory fails to open — in this process or in another,
// whose flock(2) is Python's here — a clean close deletes the file, a crash leaves it for the next
// open to take over, and `prometheus_tsdb_clean_start` says which of these happened.

import Foundation
import Glibc
import MetricModel
import Testing
import TSDB

@Suite struct DirLockTests {
    static func lockFile(_ dir: URL) -> String { dir.appendingPathComponent("lock").path }

    static func exists(_ dir: URL) -> Bool { FileManager.default.fileExists(atPath: lockFile(dir)) }

    static let labels = Labels(["__name__": "m"])

    @Test func aSecondOpenFailsWithPrometheusMessageWhileTheFirstIsOpen() throws {
        try withTempDB { dir in
            let first = try DB(directory: dir, logger: quietTSDBLogger)
            #expect(first.cleanStart == .clean)
            #expect(Self.exists(dir))
            let error = try #require(throws: TSDBError.self) { _ = try DB(directory: dir, logger: quietTSDBLogger) }
            #expect(error.code == .locked)
            #expect(error.errnoCode == EWOULDBLOCK)
            #expect("\(error)" == "lock DB directory: resource temporarily unavailable")
            // The failed open neither deleted the holder's file nor disturbed its database.
            #expect(Self.exists(dir))
            _ = try first.appendBatch([(Self.labels, 1_000, 1)])
            try first.close()
            let next = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? next.close() }
            #expect(try next.samples()[Self.labels] == [Sample(1_000, 1)])
        }
    }

    @Test func aCleanCloseDeletesTheFileAndTheNextOpenIsClean() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            var info = stat()
            #expect(stat(Self.lockFile(dir), &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFREG)
            #expect(info.st_mode & 0o777 & ~0o666 == 0, "mode 0666 less the umask")
            try db.close()
            #expect(!Self.exists(dir))
            try db.close()  // twice is fine
            let reopened = try DB(directory: dir, logger: quietTSDBLogger)
            #expect(reopened.cleanStart == .clean)
            try reopened.close()
            #expect(!Self.exists(dir))
        }
    }

    @Test func afterASimulatedCrashTheNextOpenTakesTheLeftOverFileOver() throws {
        try withTempDB { dir in
            let crashed = try DB(directory: dir, logger: quietTSDBLogger)
            _ = try crashed.appendBatch([(Self.labels, 1_000, 1)])
            crashed.simulateCrash()
            #expect(Self.exists(dir), "a dead process leaves its lock file")
            let refused = #expect(throws: TSDBError.self) { _ = try crashed.appendBatch([(Self.labels, 2_000, 2)]) }
            #expect(refused?.code == .closed, "a dead process writes nothing more")

            let reopened = try DB(directory: dir, logger: quietTSDBLogger)
            #expect(reopened.cleanStart == .replaced)
            #expect(try reopened.samples()[Self.labels] == [Sample(1_000, 1)])
            // It holds the file it took over.
            #expect(throws: TSDBError.self) { _ = try DB(directory: dir, logger: quietTSDBLogger) }
            try reopened.close()
            #expect(!Self.exists(dir))
        }
    }

    @Test func noLockfileCreatesNoneAndLooksAtNone() throws {
        try withTempDB { dir in
            var options = DBOptions()
            options.noLockfile = true
            let db = try DB(directory: dir, options: options, logger: quietTSDBLogger)
            #expect(db.cleanStart == .disabled)
            #expect(!Self.exists(dir))
            try db.close()
            // A left-over file is neither taken over nor deleted (Prometheus's Release is a no-op then).
            FileManager.default.createFile(atPath: Self.lockFile(dir), contents: nil)
            let again = try DB(directory: dir, options: options, logger: quietTSDBLogger)
            #expect(again.cleanStart == .disabled)
            try again.close()
            #expect(Self.exists(dir))
        }
    }

    @Test func aReadOnlyOpenTakesNoLockAsPromtoolsDoesNot() throws {
        try withTempDB { dir in
            let writer = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? writer.close() }
            _ = try writer.appendBatch([(Self.labels, 1_000, 1)])
            var options = DBOptions()
            options.readOnly = true
            let reader = try DB(directory: dir, options: options, logger: quietTSDBLogger)
            #expect(reader.cleanStart == .disabled)
            #expect(try reader.samples()[Self.labels] == [Sample(1_000, 1)])
            try reader.close()
            // The writer's lock and file are untouched.
            #expect(Self.exists(dir))
            #expect(throws: TSDBError.self) { _ = try DB(directory: dir, logger: quietTSDBLogger) }
        }
    }

    @Test func aFailedOpenLetsGoOfTheLockAndDeletesTheFile() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            _ = try db.appendBatch([(Self.labels, 1_000, 1)])  // a WAL to read at the next open
            try db.close()
            let wal = dir.appendingPathComponent("wal").path
            IOFaults.inject(.fail(errno: EIO), on: [.read], under: wal)
            defer { IOFaults.clear(under: wal) }
            #expect(throws: TSDBError.self) { _ = try DB(directory: dir, logger: quietTSDBLogger) }
            #expect(IOFaults.hits(under: wal) > 0)
            #expect(!Self.exists(dir))
            IOFaults.clear(under: wal)
            let reopened = try DB(directory: dir, logger: quietTSDBLogger)
            #expect(reopened.cleanStart == .clean)
            #expect(try reopened.samples()[Self.labels] == [Sample(1_000, 1)])
            try reopened.close()
        }
    }

    @Test func aLockFileThatCannotBeOpenedFailsTheOpenWithGosWording() throws {
        try withTempDB { dir in
            try FileManager.default.createDirectory(atPath: Self.lockFile(dir), withIntermediateDirectories: false)
            let error = try #require(throws: TSDBError.self) { _ = try DB(directory: dir, logger: quietTSDBLogger) }
            #expect(error.code == .io)
            let path = dir.absoluteURL.standardizedFileURL.appendingPathComponent("lock").path
            #expect("\(error)" == "lock DB directory: open \(path): is a directory")
        }
    }

    // MARK: Another process

    /// Runs Python with `script`; its exit status and standard output.
    static func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Tries flock(LOCK_EX|LOCK_NB) on the file as Go's fileutil.Flock does: prints `locked` or `busy`.
    static let tryLock = """
        import fcntl, os, sys
        fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            print("locked")
        except BlockingIOError:
            print("busy")
        """

    /// Holds the lock until its standard input closes, after printing `held`.
    static let holdLock = """
        import fcntl, os, sys
        fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o666)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        print("held", flush=True)
        sys.stdin.read()
        """

    @Test func anotherProcessCannotLockAnOpenDirectory() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            #expect(try Self.python(Self.tryLock, [Self.lockFile(dir)]) == (0, "busy\n"))
            try db.close()
            #expect(try Self.python(Self.tryLock, [Self.lockFile(dir)]) == (0, "locked\n"))
        }
    }

    @Test func aDirectoryAnotherProcessHoldsCannotBeOpened() throws {
        try withTempDB { dir in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", Self.holdLock, Self.lockFile(dir)]
            let output = Pipe()
            let input = Pipe()
            process.standardOutput = output
            process.standardInput = input
            try process.run()
            defer { process.waitUntilExit() }
            let said = output.fileHandleForReading.availableData
            let error = #expect(throws: TSDBError.self) { _ = try DB(directory: dir, logger: quietTSDBLogger) }
            input.fileHandleForWriting.closeFile()
            process.waitUntilExit()
            #expect(String(decoding: said, as: UTF8.self).hasPrefix("held"))
            #expect(error?.code == .locked)
            #expect(error.map { "\($0)" } == "lock DB directory: resource temporarily unavailable")
            // The holder is gone, its file stays: taken over.
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            #expect(db.cleanStart == .replaced)
            try db.close()
        }
    }
}
