// POST /api/v1/read: remote read (Prometheus's storage/remote/read_handler.go), samples or
// streamed XOR chunks, with the configuration's external labels.

internal import ChunkEncoding
internal import Hummingbird
internal import HTTPTypes
package import MetricModel
internal import NIOCore
internal import Snappy
internal import SwiftProtobuf
internal import WireFormat
internal import PromQL
internal import Remote
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

extension PrometheusAPI {
    /// Largest remote-read request, compressed or not (Prometheus's `decodeReadLimit`).
    static let maxReadRequestBytes = 32 << 20

    func registerRemoteRead<Context: RequestContext>(on router: Router<Context>) {
        route(router, "/api/v1/read", [.post]) { request, _ in await remoteRead(request) }
    }

    /// Answers a `ReadRequest` with the first response type the client accepts that we serve:
    /// `SAMPLES` (a snappy `ReadResponse`) or `STREAMED_XOR_CHUNKS` (frames of
    /// `ChunkedReadResponse`, one series or part of one per frame). A body that does not decode, an
    /// invalid matcher or too many samples is a 400 in plain text, as Prometheus answers.
    func remoteRead(_ request: Request) async -> Response {
        var req = request
        let body: ByteBuffer
        do { body = try await req.collectBody(upTo: Self.maxReadRequestBytes) } catch {
            return Self.text("request body too large: limit is \(Self.maxReadRequestBytes) bytes\n", status: .contentTooLarge)
        }
        let read: Prometheus_ReadRequest
        do {
            let compressed = Array(body.readableBytesView)
            let length = try Snappy.decompressedLength(compressed)
            if length > Self.maxReadRequestBytes {
                return Self.text(
                    "snappy: decoded length \(length) exceeds limit \(Self.maxReadRequestBytes)\n", status: .badRequest)
            }
            read = try Prometheus_ReadRequest(serializedBytes: try Snappy.decompress(compressed, maxLength: length))
        } catch {
            return Self.text("\(error)\n", status: .badRequest)
        }
        let accepted = read.acceptedResponseTypes.isEmpty ? [.samples] : read.acceptedResponseTypes
        guard let type = accepted.first(where: { $0 == .samples || $0 == .streamedXorChunks }) else {
            return Self.text(
                "server does not support any of the requested response types: \(accepted); supported: [SAMPLES STREAMED_XOR_CHUNKS]\n",
                status: .badRequest)
        }
        let external = externalLabels?() ?? .empty
        var queries: [(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp)] = []
        for query in read.queries {
            do {
                queries.append(
                    (try Self.matchers(query.matchers, external: external), query.startTimestampMs, query.endTimestampMs))
            } catch {
                return Self.text("\(error)\n", status: .badRequest)
            }
        }
        // Prometheus's `--storage.remote.read-concurrent-limit`: the others wait (here for at most
        // the query timeout, and at most --query.max-queue-length of them: then 503).
        if let remoteReadGate {
            switch await remoteReadGate.enter(waitingAtMost: engineOptions.timeout) {
            case .admitted: break
            case .timedOut:
                return Self.text("remote read timed out waiting for a slot (--storage.remote.read-concurrent-limit)\n", status: .serviceUnavailable)
            case .queueFull:
                return Self.text(
                    "too many remote reads (--storage.remote.read-concurrent-limit, --query.max-queue-length); retry later\n",
                    status: .serviceUnavailable)
            }
        }
        defer { remoteReadGate?.leave() }
        return await Self.offLoop {
            type == .samples ? readSamples(queries, external) : readChunks(queries, external)
        }
    }

    /// Prometheus's `filterExtLabelsFromMatchers`: `name="v"` on an external label with that value
    /// selects series without the label (the external label is added to them on the way out).
    static func matchers(_ matchers: [Prometheus_LabelMatcher], external: Labels) throws -> [LabelMatcher] {
        try matchers.map { m in
            let type: MatchType =
                switch m.type {
                case .eq: .equal
                case .neq: .notEqual
                case .re: .regexMatch
                case .nre: .regexNoMatch
                case .UNRECOGNIZED(let n): throw RemoteReadError(message: "invalid matcher type \(n)")
                }
            if type == .equal, let value = external[m.name], value == m.value { return try LabelMatcher(.equal, m.name, "") }
            return try LabelMatcher(type, m.name, m.value)
        }
    }

    /// The series' labels with the external ones it lacks (Prometheus's `MergeLabels`).
    static func readLabels(_ labels: Labels, _ external: Labels) -> [Prometheus_Label] {
        var builder = LabelsBuilder(labels)
        for (name, value) in external.pairs where labels[name] == nil { builder.set(name, value) }
        return builder.labels().pairs.map { pair in
            var label = Prometheus_Label()
            label.name = pair.name
            label.value = pair.value
            return label
        }
    }

    /// `SAMPLES`: every sample in each query's range, stale markers included, floats and native
    /// histograms in their own lists of each series.
    private func readSamples(
        _ queries: [(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp)], _ external: Labels
    ) -> Response {
        var response = Prometheus_ReadResponse()
        var total = 0
        do {
            for query in queries {
                var result = Prometheus_QueryResult()
                for series in try storage.select(matchers: query.matchers, minTime: query.minTime, maxTime: query.maxTime, sorted: true) {
                    var ts = Prometheus_TimeSeries()
                    ts.labels = Self.readLabels(series.labels, external)
                    for chunk in series.chunks where chunk.maxTime >= query.minTime {
                        if chunk.minTime > query.maxTime { break }
                        let within = try Self.appendSamples(
                            of: chunk, minTime: query.minTime, maxTime: query.maxTime, to: &ts, total: &total,
                            limit: remoteReadSampleLimit)
                        if !within { return Self.text("exceeded sample limit (\(remoteReadSampleLimit))\n", status: .badRequest) }
                    }
                    result.timeseries.append(ts)
                }
                response.results.append(result)
            }
            let bytes: [UInt8] = try response.serializedBytes()
            return Response(
                status: .ok,
                headers: [.contentType: "application/x-protobuf", .contentEncoding: "snappy"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: Snappy.compress(bytes))))
        } catch {
            return Self.text("\(error)\n", status: .internalServerError)
        }
    }

    /// Appends the samples of `chunk` in `[minTime, maxTime]` to `ts`, as Prometheus's
    /// `ToQueryResult` does: floats to `samples`, native histograms to `histograms` (integer ones
    /// with integer fields, float ones with float fields). Every sample counts towards `limit`
    /// (none when 0); false as soon as `total` passes it.
    /// - Throws: `DecodeError` for a corrupt chunk or an unknown encoding.
    private static func appendSamples(
        of chunk: ChunkData, minTime: Timestamp, maxTime: Timestamp, to ts: inout Prometheus_TimeSeries,
        total: inout Int, limit: Int
    ) throws(DecodeError) -> Bool {
        switch chunk.encoding {
        case HistogramChunk.encoding, FloatHistogramChunk.encoding:
            for sample in try ChunkSamples.decode(chunk) where sample.timestamp >= minTime {
                if sample.timestamp > maxTime { break }
                total += 1
                if limit > 0 && total > limit { return false }
                switch sample.value {
                case .histogram(let h): ts.histograms.append(Prometheus_Histogram(timestamp: sample.timestamp, h))
                case .floatHistogram(let h): ts.histograms.append(Prometheus_Histogram(timestamp: sample.timestamp, h))
                case .float(let v):
                    var float = Prometheus_Sample()
                    float.timestamp = sample.timestamp
                    float.value = v
                    ts.samples.append(float)
                }
            }
        default:
            // XOR, or an encoding the iterator reports as invalid.
            var iterator = SeriesSampleIterator([chunk], minTime: minTime, maxTime: maxTime)
            while iterator.next() {
                total += 1
                if limit > 0 && total > limit { return false }
                var sample = Prometheus_Sample()
                sample.timestamp = iterator.timestamp
                sample.value = iterator.value
                ts.samples.append(sample)
            }
            if let error = iterator.error { throw error }
        }
        return true
    }

    /// `STREAMED_XOR_CHUNKS`: per series, its chunks in frames of at most about
    /// ``remoteReadMaxBytesInFrame``: `uvarint(length) · CRC32C (big-endian) · ChunkedReadResponse`.
    /// Chunks go out as stored, whatever their encoding: native histograms as HISTOGRAM (2) or
    /// FLOAT_HISTOGRAM (3) chunks, as Prometheus's `StreamChunkedReadResponses` sends them.
    private func readChunks(
        _ queries: [(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp)], _ external: Labels
    ) -> Response {
        var out = ByteBuffer()
        do {
            for (index, query) in queries.enumerated() {
                for series in try storage.select(matchers: query.matchers, minTime: query.minTime, maxTime: query.maxTime, sorted: true) {
                    let labels = Self.readLabels(series.labels, external)
                    let labelBytes = labels.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
                    var chunks: [Prometheus_Chunk] = []
                    var left = remoteReadMaxBytesInFrame - labelBytes
                    for (i, data) in series.chunks.enumerated() {
                        var chunk = Prometheus_Chunk()
                        chunk.minTimeMs = data.minTime
                        chunk.maxTimeMs = data.maxTime
                        chunk.type = Prometheus_Chunk.Encoding(rawValue: Int(data.encoding)) ?? .unknown
                        chunk.data = Data(data.bytes)
                        chunks.append(chunk)
                        left -= data.bytes.count + 24
                        if left > 0 && i < series.chunks.count - 1 { continue }
                        var frame = Prometheus_ChunkedReadResponse()
                        var chunked = Prometheus_ChunkedSeries()
                        chunked.labels = labels
                        chunked.chunks = chunks
                        frame.chunkedSeries = [chunked]
                        frame.queryIndex = Int64(index)
                        Self.appendFrame(try frame.serializedBytes(), to: &out)
                        chunks.removeAll(keepingCapacity: true)
                        left = remoteReadMaxBytesInFrame - labelBytes
                    }
                }
            }
        } catch {
            return Self.text("\(error)\n", status: .internalServerError)
        }
        return Response(
            status: .ok, headers: [.contentType: "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse"],
            body: ResponseBody(byteBuffer: out))
    }

    /// One frame of a streamed response (Prometheus's `ChunkedWriter`).
    static func appendFrame(_ message: [UInt8], to out: inout ByteBuffer) {
        var length = UInt64(message.count)
        while length >= 0x80 {
            out.writeInteger(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        out.writeInteger(UInt8(length))
        out.writeInteger(CRC32C.checksum(message), endianness: .big)
        out.writeBytes(message)
    }
}

/// A remote-read request we cannot answer.
struct RemoteReadError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
