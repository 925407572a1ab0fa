// A real Prometheus 2.42 (`/usr/bin/prometheus`, Debian) started for interop tests: on a data
// directory, listening on 127.0.0.1 at a free port, logging into a file whose tail goes into
// failure messages, stopped by `stop()`. Requests go through curl so that tests in any target
// need no HTTP client. Shared by the test targets that compare our data or answers with
// Prometheus's own.
//
// Async tests use the async `start`, `get` and `apiData`: they wait on a thread of their own,
// never on one of the concurrency pool's (two on this machine), which the rest of the suite and
// a server under test need meanwhile — a Prometheus remote-reading from our server while the
// test blocks a pool thread waiting for it can stall both.

public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What went wrong while starting or asking Prometheus.
public struct InteropFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One Prometheus process started by a test. Its state is immutable but for the `Process`,
/// which is only signalled.
public final class PrometheusProcess: @unchecked Sendable {
    public static let binary = "/usr/bin/prometheus"
    public static let curl = "/usr/bin/curl"
    /// Whether the binary and curl are installed (`.ci/run` installs both).
    public static var available: Bool {
        FileManager.default.isExecutableFile(atPath: binary) && FileManager.default.isExecutableFile(atPath: curl)
    }

    /// `prometheus --version`'s major and minor version ("prometheus, version 2.42.0+ds …").
    public static func version() throws -> (major: Int, minor: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let numbers = text.split(separator: " ").dropFirst(2).first?.split(separator: ".").prefix(2).compactMap { Int($0) } ?? []
        guard numbers.count == 2 else { throw InteropFailure("no version in \(text.prefix(100))") }
        return (numbers[0], numbers[1])
    }

    /// `http://127.0.0.1:<port>`.
    public let base: String
    public let logPath: String
    private let process: Process

    /// Starts Prometheus on `dataDirectory` with `config` (written to `prometheus.yml` in
    /// `workDirectory`, where the log goes too) and waits up to 30 s for `/-/ready`.
    public init(
        dataDirectory: String, workDirectory: String, config: String = "", arguments: [String] = []
    ) throws {
        let configPath = workDirectory + "/prometheus.yml"
        try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
        let port = try Self.freePort()
        base = "http://127.0.0.1:\(port)"
        logPath = workDirectory + "/prometheus.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--config.file=\(configPath)", "--storage.tsdb.path=\(dataDirectory)",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ] + arguments
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline {
            if (try? get("/-/ready")) != nil { return }
            usleep(100_000)
        }
        stop()
        throw InteropFailure("Prometheus did not become ready: \(logTail)")
    }

    /// Starts Prometheus as `init` does, waiting off the concurrency pool.
    public static func start(
        dataDirectory: String, workDirectory: String, config: String = "", arguments: [String] = []
    ) async throws -> PrometheusProcess {
        try await offPool {
            try PrometheusProcess(dataDirectory: dataDirectory, workDirectory: workDirectory, config: config, arguments: arguments)
        }
    }

    deinit { stop() }

    /// The last 2,000 characters of Prometheus's log.
    public var logTail: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)).map { String($0.suffix(2000)) } ?? ""
    }

    /// GET `path` (with `--data-urlencode` parameters) from this Prometheus.
    public func get(_ path: String, _ parameters: [String] = []) throws -> Data {
        try Self.get(base + path, parameters)
    }

    /// GET `path` as `get` does, waiting off the concurrency pool.
    public func get(_ path: String, _ parameters: [String] = []) async throws -> Data {
        let url = base + path
        return try await Self.offPool { try Self.get(url, parameters) }
    }

    /// The `data` object of an API answer to GET `path`.
    public func apiData(_ path: String, _ parameters: [String] = []) throws -> [String: Any] {
        try Self.data(of: try get(path, parameters), path, parameters)
    }

    /// `apiData`, waiting off the concurrency pool.
    public func apiData(_ path: String, _ parameters: [String] = []) async throws -> [String: Any] {
        try Self.data(of: try await get(path, parameters), path, parameters)
    }

    private static func data(of body: Data, _ path: String, _ parameters: [String]) throws -> [String: Any] {
        guard let json = try JSONSerialization.jsonObject(with: body) as? [String: Any],
            let data = json["data"] as? [String: Any]
        else { throw InteropFailure("\(path) \(parameters): \(String(decoding: body, as: UTF8.self))") }
        return data
    }

    /// SIGTERM now; a thread of its own waits for the exit and sends SIGKILL after 10 s, so
    /// that no caller blocks while Prometheus shuts down.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        nonisolated(unsafe) let process = self.process
        let pid = process.processIdentifier
        Thread.detachNewThread {
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(pid, SIGKILL) }
        }
    }

    /// Runs `work` on a thread of its own.
    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Asks the kernel for a free TCP port on 127.0.0.1 (released again before Prometheus binds it).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw InteropFailure("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw InteropFailure("bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `curl -sf` (with `--data-urlencode` GET parameters); throws on a failed request.
    public static func get(_ url: String, _ parameters: [String] = []) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: curl)
        process.arguments = ["-sf", "--max-time", "5", "-G"] + parameters.flatMap { ["--data-urlencode", $0] } + [url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let body = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw InteropFailure("curl \(url): exit \(process.terminationStatus)") }
        return body
    }
}
