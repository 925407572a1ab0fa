// POST /api/v1/otlp/v1/metrics: the OTLP/HTTP metrics receiver, after Prometheus 3's
// (storage/remote/write_otlp_handler.go), with its default translation (Remote/OTLP).

internal import Hummingbird
internal import Logging
package import MetricModel
internal import NIOCore
internal import Remote

/// Counters of the OTLP receiver.
package final class OTLPMetrics: Sendable {
    /// requests answered 2xx
    package let requestsOK = Counter()
    /// requests answered 4xx
    package let requestsRejected = Counter()
    /// requests answered 5xx
    package let requestsFailed = Counter()
    /// samples stored
    package let samplesIngested = Counter()
    /// bodies that failed to decode
    package let decodeErrors = Counter()
    /// samples refused, by reason (`rate_limited`, `per_series_limit`, `out_of_order`, …)
    package let rejectedSamples = ReasonCounters()

    package init() {}
}

extension PrometheusAPI {
    /// Adds `POST /api/v1/otlp/v1/metrics` (the receiver is always on, as remote write is).
    func registerOTLP<Context: RequestContext>(on router: Router<Context>) {
        route(router, "/api/v1/otlp/v1/metrics", [.post]) { request, _ in await Self.offLoop { await otlpWrite(request) } }
    }

    /// Stores an OTLP metrics export (protobuf or JSON, by Content-Type).
    ///
    /// - 200: stored (exponential histograms as native histograms), with an empty
    ///   `ExportMetricsServiceResponse` in the request's encoding.
    /// - 400: a body that does not decode, metrics Prometheus cannot translate (delta
    ///   temporality, names or labels that normalise to nothing) or samples the head refuses
    ///   (out of order, duplicate): nothing of the request is stored, as Prometheus 3 rolls back.
    ///   A refused `target_info` sample is skipped instead (Prometheus fails the body for it).
    /// - 413: body over `maxRemoteWriteBodyBytes`. 415: another Content-Type or Content-Encoding.
    /// - 500: the WAL could not be written.
    /// - 503: no room under `--web.ingest.max-inflight-bytes` (``IngestGate``); retry later.
    func otlpWrite(_ request: Request) async -> Response {
        let m = remoteWriteMetrics.otlp
        let contentType = request.headers[.contentType]
        guard let encoding = OTLPEncoding(contentType: contentType) else {
            m.requestsRejected.add()
            return Self.text(OTLPEncoding.unsupportedMessage(contentType: contentType ?? "") + "\n", status: .unsupportedMediaType)
        }
        // gzip is undone by the server's pipeline before the handler sees the body.
        if let contentEncoding = request.headers[.contentEncoding], !["", "identity", "gzip"].contains(contentEncoding.lowercased()) {
            m.requestsRejected.add()
            return Self.text(
                "unsupported compression: \(contentEncoding). Only \"gzip\" or no compression supported\n",
                status: .unsupportedMediaType)
        }
        var reservation = IngestReservation(ingestGate)
        let body: [UInt8]
        do {
            body = Array(try await Self.collectIngestBody(request, upTo: maxRemoteWriteBodyBytes, &reservation).readableBytesView)
        } catch .overloaded {
            m.requestsFailed.add()
            return ingestOverloaded()
        } catch {
            m.requestsRejected.add()
            return Self.text("request body too large: limit is \(maxRemoteWriteBodyBytes) bytes\n", status: .contentTooLarge)
        }
        let response = await fairly { store(body, encoding: encoding) }
        reservation.end()
        return response
    }

    /// Decodes, translates and stores one OTLP body (the CPU-bound part of ``otlpWrite(_:)``).
    private func store(_ body: [UInt8], encoding: OTLPEncoding) -> Response {
        let m = remoteWriteMetrics.otlp
        let export: OTLPExportRequest
        do throws(RemoteWriteError) {
            export = try encoding.decodeRequest(body)
        } catch {
            m.decodeErrors.add()
            m.requestsRejected.add()
            return Self.text("\(error.message)\n", status: .badRequest)
        }
        var settings = OTLPTranslationSettings()
        settings.lookbackDeltaMs = lookbackDeltaMs
        var translator = OTLPTranslator(settings: settings)
        let translation = translator.translate(export)
        if !translation.warnings.isEmpty {
            logger.warning(
                "OTLP translation warnings",
                metadata: ["otlp.warnings": "\(translation.warnings.prefix(10))", "otlp.warnings.count": "\(translation.warnings.count)"])
        }
        if !translation.errors.isEmpty {
            m.requestsRejected.add()
            return Self.text(Self.joined(translation.errors) + "\n", status: .badRequest)
        }
        if let limiter = ingestionLimiter {
            // A tenant's limits, as for remote write; a series over a label limit fails the whole
            // body, as every other refusal of this receiver does.
            if let reason = limiter.admit(samples: translation.samples.count + translation.histograms.count) {
                m.requestsRejected.add()
                m.rejectedSamples.add("rate_limited", translation.samples.count + translation.histograms.count)
                return Self.text("\(reason)\n", status: .tooManyRequests)
            }
            for labels in translation.samples.map(\.labels) + translation.histograms.map(\.labels) {
                if let problem = labels.bytes.withUnsafeBytes({ limiter.check(encodedLabels: $0) }) {
                    m.requestsRejected.add()
                    m.rejectedSamples.add("per_series_limit", translation.samples.count)
                    return Self.text("\(problem)\n", status: .badRequest)
                }
            }
        }
        let appender = storage.appender()
        var stored = 0
        for sample in translation.samples {
            do throws(AppendError) {
                _ = try appender.append(nil, sample.labels, sample.timestamp, sample.value)
                stored += 1
            } catch {
                // Prometheus fails the body here too; but target_info is ours, not the sender's data.
                if sample.isTargetInfo { continue }
                appender.rollback()
                m.requestsRejected.add()
                m.rejectedSamples.add(Self.reason(error), translation.samples.count)
                return Self.text("\(error.message); series \(sample.labels), timestamp \(sample.timestamp)\n", status: .badRequest)
            }
        }
        for sample in translation.histograms {
            do throws(AppendError) {
                _ = try appender.append(nil, sample.labels, sample.timestamp, sample.histogram)
                stored += 1
            } catch {
                appender.rollback()
                m.requestsRejected.add()
                m.rejectedSamples.add(Self.reason(error), translation.samples.count + translation.histograms.count)
                return Self.text("\(error.message); series \(sample.labels), timestamp \(sample.timestamp)\n", status: .badRequest)
            }
        }
        do {
            try appender.commit()
        } catch {
            m.requestsFailed.add()
            logger.error("OTLP commit failed", metadata: ["error": "\(error)"])
            return Self.commitFailureResponse(error)
        }
        m.samplesIngested.add(stored)
        m.requestsOK.add()
        let bytes = encoding.encodeResponse(rejectedDataPoints: 0, errorMessage: "")
        return Response(
            status: .ok, headers: [.contentType: encoding.contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The first few of `items` joined, with a count of the rest: answers stay small whatever a
    /// body holds.
    static func joined(_ items: [String], separator: String = "\n", limit: Int = 10) -> String {
        var text = items.prefix(limit).joined(separator: separator)
        if items.count > limit { text += "\(separator)(and \(items.count - limit) more)" }
        return text
    }
}
