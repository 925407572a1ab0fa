// EventLoopChildChannel: serves each HTTP connection on its own NIO event loop thread.

internal import HummingbirdCore
internal import Logging
internal import NIOCore
internal import Scrape

/// Wraps a child channel so that each connection's task prefers the connection's event loop as
/// its executor. Reading a request, running the handler and writing the response then happen on
/// one thread: no wake-up of a concurrency-pool thread per request and no hop back to the loop for
/// the write.
struct EventLoopChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value
    let inner: Inner

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        let executor = EventLoopTaskExecutor(eventLoop: value.channel.eventLoop)
        await withTaskExecutorPreference(executor) {
            await inner.handle(value: value, logger: logger)
        }
    }
}
