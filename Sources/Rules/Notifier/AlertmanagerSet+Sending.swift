// Posting one batch to one Alertmanager of a set (Prometheus's `sendOne`): the set's auth and
// TLS, its timeout over the whole exchange, any 2xx answer a success.

import AsyncHTTPClient
import MetricModel
import NIOCore
import NIOHTTP1
import Scrape

extension AlertmanagerSet {
    /// POSTs `body` (a JSON array of alerts) to `url` with `client`.
    ///
    /// - Throws: `NotifierError` as Go's client words it: `Post "http://am:9093/api/v2/alerts":
    ///   context deadline exceeded` once the set's `timeout` has passed, `bad response status 500
    ///   Internal Server Error` for an answer other than 2xx, or the connection's error.
    func post(_ body: [UInt8], to url: String, using client: HTTPClient) async throws(NotifierError) {
        if let fault = NetworkFaults.alertmanagerFault(url: url) {
            // An injected network fault (`NetworkFaults`): the Alertmanager never answers.
            if fault == .timeout { try? await Task.sleep(for: .milliseconds(config.timeoutMs)) }
            let reason = switch fault {
            case .reset: "read: connection reset by peer"
            case .timeout: "context deadline exceeded"
            case .truncate: "unexpected EOF"
            }
            throw NotifierError("Post \(goQuote(url)): \(reason) (injected fault)")
        }
        var request = requestTemplate
        request.url = url
        do throws(ScrapeError) {
            // Secret files are read for every request, as Prometheus's round trippers do.
            if let authorization = try config.httpClient.authorizationHeader() {
                request.headers.add(name: "Authorization", value: authorization)
            }
        } catch {
            throw NotifierError(error.message)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: HTTPResponseStatus
        let (prepared, timeoutMs) = (request, config.timeoutMs)
        do {
            status = try await Self.withTimeout(milliseconds: timeoutMs) {
                let response = try await client.execute(prepared, timeout: .milliseconds(max(timeoutMs, 1)))
                // Read (and drop) the answer so the connection can be reused, as Prometheus does.
                _ = try? await response.body.collect(upTo: 1 << 20)
                return response.status
            }
        } catch let error as NotifierError {
            throw NotifierError("Post \(goQuote(url)): \(error.message)")
        } catch {
            throw NotifierError("Post \(goQuote(url)): \(error)")
        }
        guard (200..<300).contains(status.code) else {
            throw NotifierError("bad response status \(status.code) \(status.reasonPhrase)")
        }
    }

    /// `operation`'s result, or "context deadline exceeded" once `milliseconds` have passed
    /// (the operation is then cancelled): the timeout covers the answer's body too, as Go's
    /// request context does.
    static func withTimeout<T: Sendable>(
        milliseconds: Int64, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(milliseconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw NotifierError("context deadline exceeded")
            }
            return value
        }
    }
}
