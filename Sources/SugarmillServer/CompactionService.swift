// CompactionService: turns heads into blocks in the background, as Prometheus's DB run loop does —
// for one database, or for every tenant's, including tenants added while the server runs.

internal import Logging
internal import ServiceLifecycle
internal import TSDB
internal import Dispatch
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// Compacts when a commit leaves a head compactable, and checks every `interval` anyway, on a
/// dedicated queue (blocking file I/O stays off the cooperative thread pool). A failed compaction
/// is logged and retried at the next tick; it never stops the server.
///
/// The databases are read at each wake-up, on the queue: one no longer listed is not compacted,
/// and ``betweenCompactions(_:)`` lets its owner close it without racing a compaction.
struct CompactionService: Service {
    /// The databases to compact now.
    let databases: @Sendable () -> [DB]
    let wakeups: CompactionWakeups
    let logger: Logger
    var interval: Duration = .seconds(60)

    private static let queue = DispatchQueue(label: "sugarmill.compaction")

    /// One database, for the service's whole life.
    init(db: DB, logger: Logger) {
        self.init(databases: { [db] }, wakeups: CompactionWakeups(), logger: logger)
    }

    /// A set that changes: whoever adds a database later attaches it to `wakeups`.
    init(databases: @escaping @Sendable () -> [DB], wakeups: CompactionWakeups, logger: Logger) {
        self.databases = databases
        self.wakeups = wakeups
        self.logger = logger
    }

    func run() async throws {
        // Wake-ups: a commit that made a head compactable, or the periodic tick.
        for db in databases() { wakeups.attach(db) }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                wakeups.wake()
            }
        }
        defer {
            ticker.cancel()
            for db in databases() { db.onCompactable = nil }
            wakeups.finish()
        }
        await cancelWhenGracefulShutdown {
            for await _ in wakeups.stream {
                if Task.isShuttingDownGracefully || Task.isCancelled { return }
                await compactOnce()
            }
        }
    }

    /// Runs `body` on the compaction queue: after the compaction running now (if any), before the
    /// next. Blocks the calling thread, so call it from one that may block.
    static func betweenCompactions<T>(_ body: () throws -> T) rethrows -> T {
        try queue.sync(execute: body)
    }

    private func compactOnce() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Self.queue.async {
                for db in databases() {
                    do {
                        try db.compact()
                    } catch {
                        logger.error("compaction failed", metadata: ["tsdb.path": "\(db.directory.path)", "error": "\(error)"])
                    }
                }
                done.resume()
            }
        }
    }
}

/// What wakes a ``CompactionService``: commits of the databases attached, and its ticker.
/// Thread-safety: all methods may be called concurrently.
package final class CompactionWakeups: Sendable {
    package let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    func wake() { continuation.yield() }

    /// Wakes the service whenever a commit leaves `db`'s head compactable.
    func attach(_ db: DB) {
        db.onCompactable = { [continuation] in continuation.yield() }
    }

    func finish() { continuation.finish() }
}
