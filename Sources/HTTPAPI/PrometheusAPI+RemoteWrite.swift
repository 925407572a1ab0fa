// POST /api/v1/write: remote write 1.0 receiver (compat-apis.md §4.3).

internal import Hummingbird
internal import Logging
package import MetricModel
internal import Remote
internal import NIOCore
internal import HTTPTypes

/// Counters of the remote-write receiver.
package final class RemoteWriteMetrics: Sendable {
    /// requests answered 2xx
    package let requestsOK = Counter()
    /// requests answered 4xx
    package let requestsRejected = Counter()
    /// requests answered 5xx
    package let requestsFailed = Counter()
    /// samples accepted
    package let samplesIngested = Counter()
    /// samples rejected (invalid labels, out of order, out of bounds, duplicate)
    package let samplesRejected = Counter()
    /// bodies that failed to decode (snappy or protobuf)
    package let decodeErrors = Counter()

    package init() {}
}

extension PrometheusAPI {
    /// Stores a remote-write 1.0 request.
    ///
    /// - 204: everything stored.
    /// - 400: malformed body or invalid labels (nothing stored), or some samples rejected
    ///   (out of order, out of bounds, duplicate: the others are stored), as Prometheus does.
    /// - 413: body larger than the limit. 415: remote write 2.0 (not yet supported).
    /// - 500: the WAL could not be written (the sender retries; nothing was acknowledged).
    func remoteWrite(_ request: Request) async -> Response {
        let m = remoteWriteMetrics
        if let type = request.headers[.contentType], type.contains("io.prometheus.write.v2") {
            m.requestsRejected.add(1)
            return Self.text(
                "unsupported Content-Type \(type): remote write 2.0 is not supported yet\n", status: .unsupportedMediaType)
        }
        var req = request
        let buffer: ByteBuffer
        do {
            buffer = try await req.collectBody(upTo: maxRemoteWriteBodyBytes)
        } catch {
            m.requestsRejected.add()
            return Self.text("request body too large: limit is \(maxRemoteWriteBodyBytes) bytes\n", status: .contentTooLarge)
        }
        var buffers = decodePool.take()
        defer { decodePool.give(buffers) }
        var decodeError: RemoteWriteError?
        buffer.withUnsafeReadableBytes { raw in
            do throws(RemoteWriteError) {
                try buffers.request.decode(
                    snappyBody: raw, scratch: &buffers.scratch, maxDecompressedBytes: maxRemoteWriteDecompressedBytes)
            } catch {
                decodeError = error
            }
        }
        if let error = decodeError {
            m.decodeErrors.add()
            m.requestsRejected.add()
            if error.tooLarge {
                return Self.text("\(error.message)\n", status: .contentTooLarge)
            }
            return Self.text("\(error.message)\n", status: .badRequest)
        }
        let decoded = buffers.request
        if !decoded.invalidSeries.isEmpty {
            m.requestsRejected.add(1)
            m.samplesRejected.add(decoded.sampleCount)
            let more = decoded.invalidSeries.count > 1 ? " (and \(decoded.invalidSeries.count - 1) more invalid series)" : ""
            return Self.text("\(decoded.invalidSeries[0])\(more)\n", status: .badRequest)
        }
        let appender = storage.appender()
        var firstRejection: String?
        var rejected = 0
        for i in 0..<decoded.series.count {
            let hash = decoded.series[i].hash
            decoded.withEncodedLabels(of: i) { encoded in
                var ref: SeriesRef?
                for k in decoded.series[i].samples {
                    let sample = decoded.samples[k]
                    do {
                        ref = try appender.append(ref, encodedLabels: encoded, hash: hash, sample.timestamp, sample.value)
                    } catch {
                        rejected += 1
                        if firstRejection == nil {
                            let message = (error as? AppendError)?.message ?? "\(error)"
                            firstRejection = "\(message); series \(decoded.labels(of: i)), timestamp \(sample.timestamp)"
                        }
                    }
                }
            }
        }
        do {
            try appender.commit()
        } catch {
            m.requestsFailed.add(1)
            logger.error("remote write commit failed", metadata: ["error": "\(error)"])
            return Self.text("storage error: \(error)\n", status: .internalServerError)
        }
        m.samplesIngested.add(decoded.sampleCount - rejected)
        if let firstRejection {
            m.samplesRejected.add(rejected)
            m.requestsRejected.add(1)
            let more = rejected > 1 ? " (\(rejected) samples rejected in total)" : ""
            return Self.text("\(firstRejection)\(more)\n", status: .badRequest)
        }
        m.requestsOK.add(1)
        return Response(status: .noContent)
    }
}
