// The HTTP clients a notifier sends with: one per combination of the client-wide settings
// (redirects, HTTP/2), made when first needed by the send loop and shut down when it ends.
// TLS and authorization are per request, so sets that differ only in those share a client.

import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import Scrape

/// The notifier's HTTP clients. Thread-safety: all methods may be called concurrently.
final class NotifierClients: Sendable {
    private struct Key: Hashable {
        var followRedirects: Bool
        var enableHTTP2: Bool
    }

    private let state = NIOLockedValueBox<(clients: [Key: HTTPClient], closed: Bool)>(([:], false))

    /// The client for `config`'s settings; nil once `shutdown()` has begun.
    func client(for config: HTTPClientConfig) -> HTTPClient? {
        let key = Key(followRedirects: config.followRedirects, enableHTTP2: config.enableHTTP2)
        return state.withLockedValue { state -> HTTPClient? in
            guard !state.closed else { return nil }
            if let client = state.clients[key] { return client }
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: key.followRedirects ? .follow(max: 10, allowCycles: false) : .disallow)
            configuration.httpVersion = key.enableHTTP2 ? .automatic : .http1Only
            configuration.timeout = .init(connect: .seconds(10))
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            state.clients[key] = client
            return client
        }
    }

    /// Shuts every client down; later `client(for:)` calls get nil.
    func shutdown() async {
        let clients = state.withLockedValue { state in
            state.closed = true
            defer { state.clients = [:] }
            return Array(state.clients.values)
        }
        for client in clients { try? await client.shutdown() }
    }
}
