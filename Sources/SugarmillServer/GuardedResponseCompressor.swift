// GuardedResponseCompressor: swift-nio-extras' HTTPResponseCompressor, kept from trapping on a
// response that answers no request. Hummingbird answers a request it cannot parse (a URL over the
// HTTP parser's 80 KB, a broken header) with "400 Bad Request" although no request head reached
// the compressor; the compressor then takes the Accept-Encoding of a request it never saw from an
// empty queue, and the process dies (found by scripts/hostile-inputs.py).

internal import NIOCore
internal import NIOHTTP1
internal import NIOHTTPCompression

/// Hands every event to an `HTTPResponseCompressor`, except a response written while no request
/// is waiting for one, and informational (1xx) heads: those go out as they are, uncompressed.
final class GuardedResponseCompressor: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let compressor: HTTPResponseCompressor
    /// Request heads read and not yet answered: the compressor's queue holds as many.
    private var unanswered = 0
    /// Whether the response being written bypasses the compressor (it answers no request).
    private var bypassing = false

    init(_ compressor: HTTPResponseCompressor) {
        self.compressor = compressor
    }

    func handlerAdded(context: ChannelHandlerContext) { compressor.handlerAdded(context: context) }

    func handlerRemoved(context: ChannelHandlerContext) { compressor.handlerRemoved(context: context) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { unanswered += 1 }
        compressor.channelRead(context: context, data: data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200:
            bypassing = unanswered == 0
            if bypassing {
                context.write(data, promise: promise)
                return
            }
            unanswered -= 1
        case .head:
            // 1xx (100 Continue): the final response follows for the same request. The compressor
            // would take that request's Accept-Encoding for this one, and trap at the final one.
            context.write(data, promise: promise)
            return
        case .body:
            if bypassing {
                context.write(data, promise: promise)
                return
            }
        case .end:
            if bypassing {
                bypassing = false
                context.write(data, promise: promise)
                return
            }
        }
        compressor.write(context: context, data: data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) { compressor.flush(context: context) }
}
