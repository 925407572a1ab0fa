// EventLoopChildChannel: serves each HTTP connection on its own NIO event loop thread, with
// responses compressed when the client asks.

internal import HummingbirdCore
internal import Logging
internal import NIOCore
internal import NIOHTTP1
internal import NIOHTTPCompression
internal import NIOHTTPTypesHTTP1
internal import Scrape
internal import Synchronization

/// Wraps a child channel so that each connection's task prefers the connection's event loop as
/// its executor. Reading a request, running the handler and writing the response then happen on
/// one thread: no wake-up of a concurrency-pool thread per request and no hop back to the loop for
/// the write.
///
/// With `compressResponses`, replies are gzip- or deflate-compressed when the request's
/// `Accept-Encoding` allows, and every reply carries `Vary: Accept-Encoding`, as Prometheus's
/// `CompressionHandler` does; and request bodies sent with `Content-Encoding: gzip` or `deflate`
/// (OTLP exporters and collectors compress) reach the handlers decompressed, at most
/// `maxDecompressedBodyBytes` of them. Both sit in front of the HTTP/1 codec, so they need an
/// inner channel with one (Hummingbird's `HTTP1Channel`).
struct EventLoopChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value
    let inner: Inner
    var compressResponses = true
    var maxDecompressedBodyBytes = 256 << 20
    /// `--web.max-connections`; nil: no limit.
    var connectionLimit: ConnectionLimit?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        if let connectionLimit {
            guard connectionLimit.admit() else {
                logger.debug("connection refused: --web.max-connections reached", metadata: ["max": "\(connectionLimit.max)"])
                return channel.close().flatMapThrowing { throw ConnectionLimitReached() }
            }
            channel.closeFuture.whenComplete { _ in connectionLimit.release() }
        }
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            if compressResponses {
                let pipeline = channel.pipeline.syncOperations
                let codec = try pipeline.handler(type: HTTP1ToHTTPServerCodec.self)
                let compressor = HTTPResponseCompressor(responseCompressionPredicate: { head, _ in
                    head.headers.add(name: "Vary", value: "Accept-Encoding")
                    return .compressIfPossible
                })
                try pipeline.addHandler(GuardedResponseCompressor(compressor), position: .before(codec))
                try pipeline.addHandler(
                    NIOHTTPRequestDecompressor(limit: .size(maxDecompressedBodyBytes)), position: .before(codec))
            }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        let executor = EventLoopTaskExecutor(eventLoop: value.channel.eventLoop)
        await withTaskExecutorPreference(executor) {
            await inner.handle(value: value, logger: logger)
        }
    }
}

/// `--web.max-connections`: open HTTP connections, at most `max`. A connection past the limit is
/// closed as soon as it is accepted (Prometheus's listener stops accepting instead, and the
/// connection waits in the kernel's backlog).
package final class ConnectionLimit: Sendable {
    let max: Int
    private let open = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)
    /// Connections open now.
    package var openCount: Int { open.load(ordering: .relaxed) }
    /// Connections closed at once because `max` were open.
    package var refusedCount: Int { refused.load(ordering: .relaxed) }

    package init(max: Int) { self.max = max }

    /// Counts a new connection in; false (and nothing counted) when `max` are open already.
    func admit() -> Bool {
        var current = open.load(ordering: .relaxed)
        while current < max {
            let (exchanged, original) = open.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        refused.add(1, ordering: .relaxed)
        return false
    }

    func release() { open.subtract(1, ordering: .relaxed) }

    /// `sugarmill_http_connections`, `…_max` and `sugarmill_http_connections_refused_total`.
    var metricsText: String {
        "# HELP sugarmill_http_connections Open HTTP connections.\n# TYPE sugarmill_http_connections gauge\n"
            + "sugarmill_http_connections \(open.load(ordering: .relaxed))\n"
            + "# HELP sugarmill_http_connections_max The --web.max-connections limit.\n# TYPE sugarmill_http_connections_max gauge\n"
            + "sugarmill_http_connections_max \(max)\n"
            + "# HELP sugarmill_http_connections_refused_total Connections closed at once because --web.max-connections were open.\n"
            + "# TYPE sugarmill_http_connections_refused_total counter\n"
            + "sugarmill_http_connections_refused_total \(refused.load(ordering: .relaxed))\n"
    }
}

/// Why a connection was closed at once (`--web.max-connections`).
struct ConnectionLimitReached: Error {}
