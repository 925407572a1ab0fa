// ThreadPoolTaskExecutor: a task executor on threads of their own that may block (not the
// concurrency pool's, not event loops, where NIO forbids waiting on a future).

internal import NIOPosix

/// Runs jobs on a `NIOThreadPool`: for work that blocks its thread, such as a query waiting on
/// a remote-read endpoint.
final class ThreadPoolTaskExecutor: TaskExecutor {
    let pool: NIOThreadPool

    /// Starts a pool of `threads` threads, kept for the process's lifetime.
    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        pool.submit { _ in unowned.runSynchronously(on: executor) }
    }
}
