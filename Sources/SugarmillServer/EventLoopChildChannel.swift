// EventLoopChildChannel: serves each HTTP connection on its own NIO event loop thread, with
// responses compressed when the client asks.

internal import HummingbirdCore
internal import Logging
internal import NIOCore
internal import NIOHTTP1
internal import NIOHTTPCompression
internal import NIOHTTPTypesHTTP1
internal import Scrape

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

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
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
