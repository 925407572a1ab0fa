// POST /api/v1/write: remote write 1.0 receiver (compat-apis.md §4.3).

internal import Hummingbird
internal import Logging
package import MetricModel
internal import Remote
internal import NIOCore
internal import HTTPTypes
internal import Snappy

/// A tenant's ingestion limits, applied by the remote-write receiver (multi-tenant mode).
package protocol IngestionLimiter: Sendable {
    /// nil when `samples` may be taken now; else why not (answered 429: the sender retries).
    func admit(samples: Int) -> String?
    /// nil when a series' labels (flat `Labels.bytes` encoding) are within the limits; else why
    /// not (answered 400).
    func check(encodedLabels: UnsafeRawBufferPointer) -> String?
}

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
    /// requests refused, by reason (`decode_error`, `invalid_labels`, `too_large`, …)
    package let rejectedRequests = ReasonCounters()
    /// samples refused, by reason (`out_of_order`, `out_of_bounds`, `duplicate`, `invalid_labels`, …)
    package let rejectedSamples = ReasonCounters()
    /// exemplars not stored (out of order, labels too long)
    package let exemplarsRejected = Counter()
    /// bodies that failed to decode (snappy or protobuf)
    package let decodeErrors = Counter()
    /// the OTLP receiver's counters (PrometheusAPI+OTLP.swift)
    package let otlp = OTLPMetrics()

    package init() {}
}

extension PrometheusAPI {
    /// The `reason` label of a sample the storage refused.
    static func reason(_ error: any Error) -> String {
        switch error as? AppendError {
        case .outOfOrder: "out_of_order"
        case .outOfBounds: "out_of_bounds"
        case .duplicateSampleForTimestamp: "duplicate_sample_for_timestamp"
        case .invalidLabels: "invalid_labels"
        case .invalidHistogram: "invalid_histogram"
        case .seriesLimit(perMetric: false, _): "per_user_series_limit"
        case .seriesLimit(perMetric: true, _): "per_metric_series_limit"
        case nil: "other"
        }
    }

    static let samplesWrittenHeader = HTTPField.Name("X-Prometheus-Remote-Write-Samples-Written")!
    static let histogramsWrittenHeader = HTTPField.Name("X-Prometheus-Remote-Write-Histograms-Written")!
    static let exemplarsWrittenHeader = HTTPField.Name("X-Prometheus-Remote-Write-Exemplars-Written")!

    /// Stores a remote-write 1.0 or 2.0 request, the message chosen by Content-Type.
    ///
    /// - 204: everything stored.
    /// - 400: malformed body or invalid labels (nothing stored), or some samples or native
    ///   histograms rejected (out of order, out of bounds, duplicate, invalid histogram: the others
    ///   are stored), as Prometheus does.
    /// - 413: body larger than the limit. 415: a Content-Type or Content-Encoding we do not take.
    /// - 500: the WAL could not be written (the sender retries; nothing was acknowledged).
    /// - 503: a full disk (``commitFailureResponse(_:)``), or no room under
    ///   `--web.ingest.max-inflight-bytes` (``IngestGate``): the sender retries.
    ///
    /// 2.0 replies carry `X-Prometheus-Remote-Write-{Samples,Histograms,Exemplars}-Written`.
    func remoteWrite(_ request: Request) async -> Response {
        let m = remoteWriteMetrics
        guard let message = RemoteWriteMessage(contentType: request.headers[.contentType]) else {
            m.requestsRejected.add(1)
            m.rejectedRequests.add("unsupported_content_type")
            return Self.text(
                "unsupported Content-Type \(request.headers[.contentType] ?? ""): accepted are application/x-protobuf with proto=prometheus.WriteRequest or proto=io.prometheus.write.v2.Request\n",
                status: .unsupportedMediaType)
        }
        if let encoding = request.headers[.contentEncoding], !encoding.isEmpty, encoding.lowercased() != "snappy" {
            m.requestsRejected.add(1)
            m.rejectedRequests.add("unsupported_content_encoding")
            return Self.text(
                "unsupported Content-Encoding \(encoding): only snappy is accepted\n", status: .unsupportedMediaType)
        }
        var reservation = IngestReservation(ingestGate)
        let buffer: ByteBuffer
        do {
            buffer = try await Self.collectIngestBody(request, upTo: maxRemoteWriteBodyBytes, &reservation)
        } catch .overloaded {
            m.requestsFailed.add()
            m.rejectedRequests.add("overloaded")
            return ingestOverloaded()
        } catch {
            m.requestsRejected.add()
            m.rejectedRequests.add("too_large")
            return Self.text("request body too large: limit is \(maxRemoteWriteBodyBytes) bytes\n", status: .contentTooLarge)
        }
        let response = await fairly { store(buffer, as: message, &reservation) }
        reservation.end()
        return response
    }

    /// Decodes and stores one remote-write body (the CPU-bound part of ``remoteWrite(_:)``); the
    /// decompressed bytes are reserved in the ``IngestGate`` first.
    private func store(_ buffer: ByteBuffer, as message: RemoteWriteMessage, _ reservation: inout IngestReservation) -> Response {
        let m = remoteWriteMetrics
        if ingestGate != nil {
            // The declared length (a broken header fails in the decoder below, with its message).
            let declared = buffer.withUnsafeReadableBytes { try? Snappy.decompressedLength($0) } ?? 0
            if !reservation.reserve(min(declared, maxRemoteWriteDecompressedBytes)) {
                m.requestsFailed.add()
                m.rejectedRequests.add("overloaded")
                return ingestOverloaded()
            }
        }
        var buffers = decodePool.take()
        defer { decodePool.give(buffers) }
        var decodeError: RemoteWriteError?
        buffer.withUnsafeReadableBytes { raw in
            do throws(RemoteWriteError) {
                switch message {
                case .v1:
                    try buffers.request.decode(
                        snappyBody: raw, scratch: &buffers.scratch, maxDecompressedBytes: maxRemoteWriteDecompressedBytes)
                case .v2:
                    try buffers.request.decodeV2(
                        snappyBody: raw, scratch: &buffers.scratch, maxDecompressedBytes: maxRemoteWriteDecompressedBytes)
                }
            } catch {
                decodeError = error
            }
        }
        var exemplarsWritten = 0
        var histogramsWritten = 0
        /// A reply; for 2.0 with the counts of what was written.
        func reply(_ response: Response, written: Int = 0) -> Response {
            guard message == .v2 else { return response }
            var response = response
            response.headers[Self.samplesWrittenHeader] = String(written)
            response.headers[Self.histogramsWrittenHeader] = String(histogramsWritten)
            response.headers[Self.exemplarsWrittenHeader] = String(exemplarsWritten)
            return response
        }
        if let error = decodeError {
            m.decodeErrors.add()
            m.requestsRejected.add()
            m.rejectedRequests.add(error.tooLarge ? "too_large" : "decode_error")
            if error.tooLarge {
                return reply(Self.text("\(error.message)\n", status: .contentTooLarge))
            }
            return reply(Self.text("\(error.message)\n", status: .badRequest))
        }
        let decoded = buffers.request
        if !decoded.invalidSeries.isEmpty {
            m.requestsRejected.add(1)
            m.rejectedRequests.add("invalid_labels")
            let refused = decoded.sampleCount + decoded.histograms.count + decoded.invalidSampleCount
            m.samplesRejected.add(refused)
            m.rejectedSamples.add("invalid_labels", refused)
            let more = decoded.invalidSeries.count > 1 ? " (and \(decoded.invalidSeries.count - 1) more invalid series)" : ""
            return reply(Self.text("\(decoded.invalidSeries[0])\(more)\n", status: .badRequest))
        }
        var limitProblem: String?
        var limitedSeries = Set<Int>()
        if let limiter = ingestionLimiter {
            if let reason = limiter.admit(samples: decoded.sampleCount + decoded.histograms.count) {
                m.requestsRejected.add(1)
                m.rejectedRequests.add("rate_limited")
                m.rejectedSamples.add("rate_limited", decoded.sampleCount + decoded.histograms.count)
                return reply(Self.text("\(reason)\n", status: .tooManyRequests))
            }
            for i in decoded.series.indices {
                if let problem = decoded.withEncodedLabels(of: i, { limiter.check(encodedLabels: $0) }) {
                    limitedSeries.insert(i)
                    if limitProblem == nil { limitProblem = problem }
                    m.rejectedSamples.add("per_series_limit", decoded.series[i].samples.count)
                }
            }
        }
        for m in decoded.metadata {
            remoteMetadata.record(m.metricName, APIMetadata(type: m.type, help: m.help, unit: m.unit))
        }
        let appender = storage.appender()
        var firstRejection: String?
        var rejected = 0
        // Counted here and added once: a request over a series limit refuses every series.
        var rejectedByReason: [String: Int] = [:]
        defer { for (reason, count) in rejectedByReason { m.rejectedSamples.add(reason, count) } }
        for i in 0..<decoded.series.count where !limitedSeries.contains(i) {
            let hash = decoded.series[i].hash
            decoded.withEncodedLabels(of: i) { encoded in
                var ref: SeriesRef?
                let samples = decoded.series[i].samples
                for (n, k) in samples.enumerated() {
                    let sample = decoded.samples[k]
                    do throws(AppendError) {
                        ref = try appender.append(ref, encodedLabels: encoded, hash: hash, sample.timestamp, sample.value)
                    } catch {
                        // A series over a series limit stays refused for the rest of the request.
                        let count = error.isSeriesLimit ? samples.count - n : 1
                        rejected += count
                        rejectedByReason[Self.reason(error), default: 0] += count
                        if firstRejection == nil {
                            firstRejection = "\(error.message); series \(decoded.labels(of: i)), timestamp \(sample.timestamp)"
                        }
                        if error.isSeriesLimit { break }
                    }
                }
            }
        }
        // Native histograms after the float samples (Prometheus appends a series' samples, then its histograms).
        var histogramSeriesRefs: [Int: SeriesRef] = [:]
        var limitedHistograms = 0
        var histogramsRejected = 0
        for histogram in decoded.histograms {
            if limitedSeries.contains(histogram.series) {
                limitedHistograms += 1
                continue
            }
            let ref = histogramSeriesRefs[histogram.series]
            let hash = decoded.series[histogram.series].hash
            let result = decoded.withEncodedLabels(of: histogram.series) { encoded -> Result<SeriesRef, AppendError> in
                do throws(AppendError) {
                    let t = histogram.timestamp
                    switch histogram.value {
                    case .integer(let h): return .success(try appender.append(ref, encodedLabels: encoded, hash: hash, t, h))
                    case .float(let h): return .success(try appender.append(ref, encodedLabels: encoded, hash: hash, t, h))
                    }
                } catch {
                    return .failure(error)
                }
            }
            switch result {
            case .success(let appended):
                histogramSeriesRefs[histogram.series] = appended
                histogramsWritten += 1
            case .failure(let error):
                rejected += 1
                histogramsRejected += 1
                rejectedByReason[Self.reason(error), default: 0] += 1
                if firstRejection == nil {
                    firstRejection = "\(error.message); series \(decoded.labels(of: histogram.series)), timestamp \(histogram.timestamp)"
                }
            }
        }
        do {
            try appender.commit()
        } catch {
            histogramsWritten = 0
            m.requestsFailed.add(1)
            if Self.isStorageUnavailable(error) { m.rejectedRequests.add("storage_unavailable") }
            logger.error("remote write commit failed", metadata: ["error": "\(error)"])
            return reply(Self.commitFailureResponse(error))
        }
        let limitedFloats = limitedSeries.reduce(0) { $0 + decoded.series[$1].samples.count }
        let limited = limitedFloats + limitedHistograms
        let written = decoded.sampleCount - (rejected - histogramsRejected) - limitedFloats
        m.samplesIngested.add(written + histogramsWritten)
        // Exemplars after their series' samples are stored; one that is refused (out of order, too
        // long) is logged and counted, never the request's failure, as in Prometheus.
        for exemplar in decoded.exemplars {
            do {
                try exemplars.append(
                    StoredExemplar(labels: exemplar.labels, value: exemplar.value, timestamp: exemplar.timestamp),
                    for: decoded.labels(of: exemplar.series))
                exemplarsWritten += 1
            } catch {
                m.exemplarsRejected.add()
            }
        }
        if let limitProblem {
            // Mimir stores the valid series of the request and answers 400 for the others.
            m.samplesRejected.add(limited + rejected)
            m.requestsRejected.add(1)
            m.rejectedRequests.add("per_series_limit")
            return reply(Self.text("\(limitProblem)\n", status: .badRequest), written: written)
        }
        if let firstRejection {
            m.samplesRejected.add(rejected)
            m.requestsRejected.add(1)
            m.rejectedRequests.add("sample_errors")
            let more = rejected > 1 ? " (\(rejected) samples rejected in total)" : ""
            return reply(Self.text("\(firstRejection)\(more)\n", status: .badRequest), written: written)
        }
        m.requestsOK.add(1)
        return reply(Response(status: .noContent), written: written)
    }
}
