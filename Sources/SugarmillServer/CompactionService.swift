// CompactionService: turns the head into blocks in the background, as Prometheus's DB run loop does.

internal import Logging
internal import ServiceLifecycle
internal import TSDB
internal import Foundation

/// Checks every `interval` whether the head can be compacted, and compacts it on a dedicated
/// queue (blocking file I/O stays off the cooperative thread pool). A failed compaction is
/// logged and retried at the next tick; it never stops the server.
struct CompactionService: Service {
    let db: DB
    let logger: Logger
    var interval: Duration = .seconds(60)

    private static let queue = DispatchQueue(label: "sugarmill.compaction")

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            if Task.isShuttingDownGracefully { return }
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
}
