// SugarmillRequestContext: the request context of the server's router, which knows the client's
// address (the query log's `httpRequest.clientIP`).

package import Hummingbird
package import NIOCore

/// Hummingbird's basic context plus the connection's remote address.
package struct SugarmillRequestContext: RequestContext, RemoteAddressRequestContext {
    package var coreContext: CoreRequestContextStorage
    package let remoteAddress: SocketAddress?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
