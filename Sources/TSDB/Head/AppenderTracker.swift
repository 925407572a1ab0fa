// AppenderTracker: the open appenders and the oldest time each may still append at, so head
// compaction can wait for the ones that overlap the range it persists (Prometheus's
// `WaitForAppendersOverlapping`).

internal import MetricModel
internal import Glibc

/// Open appenders → the `minValidTime` each was created with.
/// Thread-safety: all methods may be called concurrently.
final class AppenderTracker: @unchecked Sendable {
    // Safety: `open` only under `lock`.
    private let lock = Lock()
    private var open: [ObjectIdentifier: Timestamp] = [:]

    func register(_ appender: ObjectIdentifier, minValidTime: Timestamp) {
        lock.withLock { open[appender] = minValidTime }
    }

    func deregister(_ appender: ObjectIdentifier) {
        lock.withLock { _ = open.removeValue(forKey: appender) }
    }

    /// Appenders open now (`prometheus_tsdb_head_active_appenders`).
    var count: Int { lock.withLock { open.count } }

    /// Whether an open appender may still append a sample older than `time`.
    func anyOverlapping(before time: Timestamp) -> Bool {
        lock.withLock { open.values.contains { $0 < time } }
    }

    /// Blocks the calling (compaction) thread until no open appender may append before `time`.
    /// New appenders cannot: the head is compactable only when `time` is half a chunk range
    /// behind its newest sample, which is the oldest time a new appender accepts.
    func waitForAppenders(before time: Timestamp) {
        while anyOverlapping(before: time) {
            usleep(1_000)
        }
    }
}
