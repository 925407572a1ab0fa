// CompactionService: turns the head into blocks in the background, as Prometheus's DB run loop does.

internal import Logging
internal import ServiceLifecycle
internal import TSDB
internal import Dispatch
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// Compacts when a commit leaves the head compactable, and checks every `interval` anyway, and compacts it on a dedicated
/// queue (blocking file I/O stays off the cooperative thread pool). A failed compaction is
/// logged and retried at the next tick; it never stops the server.
struct CompactionService: Service {
    let db: DB
    let logger: Logger
    var interval: Duration = .seconds(60)

    private static let queue = DispatchQueue(label: "sugarmill.compaction")

    func run() async throws {
        // Wake-ups: a commit that made the head compactable, or the periodic tick.
        let (wakeups, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        db.onCompactable = { continuation.yield() }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                continuation.yield()
            }
        }
        defer {
            ticker.cancel()
            db.onCompactable = nil
            continuation.finish()
        }
        await cancelWhenGracefulShutdown {
            for await _ in wakeups {
                if Task.isShuttingDownGracefully || Task.isCancelled { return }
                await compactOnce()
            }
        }
    }

    private func compactOnce() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Self.queue.async {
                do {
                    try db.compact()
                } catch {
                    logger.error("compaction failed", metadata: ["error": "\(error)"])
                }
                done.resume()
            }
        }
    }
}
