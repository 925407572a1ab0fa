// IngestGate: `--web.ingest.max-inflight-bytes`. Remote-write and OTLP requests hold their body
// (and, for remote write, its decompressed form) in memory while they are decoded and stored;
// the gate bounds the sum over all requests in flight, so that many large requests at once
// cannot run the process out of memory. A request that does not fit is shed with
// 503 Service Unavailable, which every remote-write sender and OTLP exporter retries.

internal import NIOConcurrencyHelpers
package import MetricModel
internal import Hummingbird
internal import HTTPTypes
internal import NIOCore

/// Bytes of ingest requests in memory, against a limit shared by every tenant's API of a server.
///
/// A request reserves bytes as it reads them (``IngestReservation``) and gives them all back
/// when it is answered. A request that holds every byte in flight is always let through, so one
/// request of the largest size the receivers take (`maxRemoteWriteBodyBytes` plus
/// `maxRemoteWriteDecompressedBytes`) still gets in when the limit is below that.
///
/// Thread-safety: all methods may be called concurrently.
package final class IngestGate: Sendable {
    /// The limit, bytes.
    package let maxInflightBytes: Int
    /// Requests refused for want of room.
    package let shedRequests = Counter()
    private let inflight = NIOLockedValueBox(0)

    package init(maxInflightBytes: Int) {
        self.maxInflightBytes = max(1, maxInflightBytes)
    }

    /// Bytes held by requests in flight now.
    package var inflightBytes: Int { inflight.withLockedValue { $0 } }

    /// Takes `n` more bytes for a request that holds `held` already: true when they fit (or the
    /// request holds everything in flight), false when it must be shed.
    package func reserve(_ n: Int, held: Int) -> Bool {
        inflight.withLockedValue { total in
            guard total + n <= maxInflightBytes || total == held else { return false }
            total += n
            return true
        }
    }

    package func release(_ n: Int) {
        guard n > 0 else { return }
        inflight.withLockedValue { $0 -= n }
    }
}

/// One request's bytes in an ``IngestGate`` (none when the API has no gate), given back by
/// ``end()`` once the request is answered (or when the reservation goes away on an early return).
struct IngestReservation: ~Copyable {
    let gate: IngestGate?
    private(set) var bytes = 0

    init(_ gate: IngestGate?) { self.gate = gate }

    /// Takes `n` more bytes; false when the request must be shed.
    mutating func reserve(_ n: Int) -> Bool {
        guard let gate else { return true }
        guard gate.reserve(n, held: bytes) else { return false }
        bytes += n
        return true
    }

    /// Gives the bytes back.
    consuming func end() {}

    deinit { gate?.release(bytes) }
}

extension PrometheusAPI {
    /// Why an ingest body was not read in full.
    enum IngestBodyError: Error {
        /// Over `limit` bytes: 413.
        case tooLarge
        /// No room in the ``IngestGate``: 503.
        case overloaded
    }

    /// Reads `request`'s body, at most `limit` bytes, reserving each chunk in `reservation` as it
    /// arrives, so that a request is shed before it holds memory the gate has no room for.
    static func collectIngestBody(
        _ request: Request, upTo limit: Int, _ reservation: inout IngestReservation
    ) async throws(IngestBodyError) -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit { throw .tooLarge }
        var buffer = ByteBuffer()
        do {
            for try await chunk in request.body {
                if buffer.readableBytes + chunk.readableBytes > limit { throw IngestBodyError.tooLarge }
                if !reservation.reserve(chunk.readableBytes) { throw IngestBodyError.overloaded }
                buffer.writeImmutableBuffer(chunk)
            }
        } catch let error as IngestBodyError {
            throw error
        } catch {
            // As Hummingbird's `collectBody`: a body that cannot be read is refused as too large.
            throw .tooLarge
        }
        return buffer
    }

    /// The answer to a request shed by the ``IngestGate``: 503 with `Retry-After`, which remote-write
    /// senders (Prometheus retries every 5xx; it drops a batch answered 429 unless
    /// `retry_on_http_429` is set) and OTLP exporters retry after a pause.
    func ingestOverloaded() -> Response {
        ingestGate?.shedRequests.add()
        var response = Self.text(
            "too many bytes of remote-write and OTLP requests in flight (limit \(ingestGate?.maxInflightBytes ?? 0) bytes, "
                + "--web.ingest.max-inflight-bytes); retry later\n",
            status: .serviceUnavailable)
        response.headers[.retryAfter] = "1"
        return response
    }
}
