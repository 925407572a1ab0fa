// A task executor on a NIO event loop: async code that prefers it runs on the loop's thread.

package import NIOCore

/// A task executor that runs jobs on one event loop (in its task queue, with no wake-up when the
/// job is enqueued from the loop itself).
package final class EventLoopTaskExecutor: TaskExecutor {
    package let eventLoop: any EventLoop

    package init(eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}

extension EventLoopTaskExecutor {
    /// Sleeps on the loop's own timer (`Task.sleep` would wake a timer thread, which then wakes
    /// the loop); throws `CancellationError` when the task is cancelled.
    package func sleep(milliseconds: Int64) async throws {
        let timer = eventLoop.scheduleTask(in: .milliseconds(milliseconds)) {}
        do {
            try await withTaskCancellationHandler {
                try await timer.futureResult.get()
            } onCancel: {
                timer.cancel()
            }
        } catch {
            throw CancellationError()
        }
    }
}
