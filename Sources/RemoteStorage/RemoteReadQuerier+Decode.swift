// Reading a remote-read answer into chunks: a snappy `ReadResponse` (SAMPLES) or frames of
// `ChunkedReadResponse` (STREAMED_XOR_CHUNKS), floats and native histograms alike (Prometheus's
// FromQueryResult / concreteSeriesIterator and ChunkedReader / chunkedSeriesIterator).

internal import ChunkEncoding
internal import MetricModel
internal import Remote
internal import Snappy
internal import SwiftProtobuf
internal import WireFormat

/// One series of an answer: its labels as sent (external labels not yet removed) and its
/// samples as chunks.
struct ReadSeries {
    var labels: [Prometheus_Label]
    var chunks: [ChunkData]
}

/// An answer that does not decode; the querier wraps it with the endpoint's URL.
struct ReadDecodeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension RemoteReadQuerier {
    /// The content type of a STREAMED_XOR_CHUNKS answer (Prometheus matches its prefix too).
    static let chunkedContentType = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse"

    /// Largest frame of a streamed answer (Prometheus's default `chunked_read_limit`, 50 MB): a
    /// corrupt length must not make us wait for, or allocate, gigabytes.
    static let maxFrameBytes = 50_000_000

    /// A SAMPLES answer: each series' floats and native histograms merged in time order (a
    /// float wins over a histogram at the same timestamp, as in Prometheus), as chunks.
    /// - Throws: a snappy or protobuf error, or `ReadDecodeError` naming the series whose
    ///   histogram is not valid.
    static func decodeSamples(_ body: [UInt8]) throws -> [ReadSeries] {
        let response = try Prometheus_ReadResponse(serializedBytes: try Snappy.decompress(body, maxLength: 1 << 30))
        var result: [ReadSeries] = []
        for series in response.results.first?.timeseries ?? [] {
            result.append(ReadSeries(labels: series.labels, chunks: try chunks(series)))
        }
        return result
    }

    /// The samples of `series` as chunks. Fast path: floats only, encoded as before, in the
    /// order sent.
    static func chunks(_ series: Prometheus_TimeSeries) throws -> [ChunkData] {
        if series.histograms.isEmpty { return XORChunk.chunks(series.samples.lazy.map { Sample($0.timestamp, $0.value) }) }
        var samples: [StoredSample] = []
        samples.reserveCapacity(series.samples.count + series.histograms.count)
        for s in series.samples { samples.append(StoredSample(s.timestamp, .float(s.value))) }
        for h in series.histograms {
            let value: DecodedHistogram.Value
            do { value = try h.decoded() } catch {
                throw ReadDecodeError("series \(describe(series.labels)): histogram at \(h.timestamp): \(error)")
            }
            switch value {
            case .integer(let h2): samples.append(StoredSample(h.timestamp, .histogram(h2)))
            case .float(let h2): samples.append(StoredSample(h.timestamp, .floatHistogram(h2)))
            }
        }
        return ChunkSamples.encode(inTimeOrder(samples))
    }

    /// A STREAMED_XOR_CHUNKS answer: frames of `uvarint(length) · CRC32C (big-endian) ·
    /// ChunkedReadResponse`, a series split over consecutive frames joined again. Chunks are
    /// decoded, their samples outside `[minTime, maxTime]` dropped (chunks are whole on the wire)
    /// and their histograms checked as in a SAMPLES answer, then encoded again.
    /// - Throws: `ReadDecodeError` for a truncated or corrupt frame, an unknown chunk encoding, a
    ///   chunk that does not decode or a histogram that is not valid.
    static func decodeChunked(_ body: [UInt8], minTime: Timestamp, maxTime: Timestamp) throws -> [ReadSeries] {
        var result: [ReadSeries] = []
        var pending: (labels: [Prometheus_Label], samples: [StoredSample])? = nil
        var offset = 0
        while offset < body.count {
            let frame = try nextFrame(body, &offset)
            for series in try Prometheus_ChunkedReadResponse(serializedBytes: frame).chunkedSeries {
                var samples: [StoredSample] = []
                for chunk in series.chunks {
                    try appendSamples(of: chunk, in: series.labels, minTime: minTime, maxTime: maxTime, to: &samples)
                }
                if pending?.labels == series.labels {
                    pending?.samples += samples
                    continue
                }
                if let done = pending { result.append(ReadSeries(labels: done.labels, chunks: ChunkSamples.encode(inTimeOrder(done.samples)))) }
                pending = (series.labels, samples)
            }
        }
        if let done = pending { result.append(ReadSeries(labels: done.labels, chunks: ChunkSamples.encode(inTimeOrder(done.samples)))) }
        return result
    }

    /// The message of the frame at `offset`, which moves past it.
    private static func nextFrame(_ body: [UInt8], _ offset: inout Int) throws -> ArraySlice<UInt8> {
        var length = 0
        var shift = 0
        while true {
            guard offset < body.count else { throw ReadDecodeError("chunked response: truncated frame length") }
            let byte = body[offset]
            offset += 1
            guard shift < 63 else { throw ReadDecodeError("chunked response: frame length overflows") }
            length |= Int(byte & 0x7f) << shift
            shift += 7
            if byte < 0x80 { break }
        }
        guard length <= maxFrameBytes else {
            throw ReadDecodeError("chunked response: frame of \(length) bytes exceeds the limit of \(maxFrameBytes)")
        }
        guard body.count - offset >= 4 + length else { throw ReadDecodeError("chunked response: truncated frame") }
        let expected = body[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let message = body[offset + 4..<offset + 4 + length]
        offset += 4 + length
        guard CRC32C.checksum(message) == expected else { throw ReadDecodeError("chunked response: frame checksum mismatch") }
        return message
    }

    /// The samples of one received chunk within `[minTime, maxTime]`.
    private static func appendSamples(
        of chunk: Prometheus_Chunk, in labels: [Prometheus_Label], minTime: Timestamp, maxTime: Timestamp,
        to samples: inout [StoredSample]
    ) throws {
        let encoding: UInt8
        switch chunk.type {
        case .xor: encoding = XORChunk.encoding
        case .histogram: encoding = HistogramChunk.encoding
        case .floatHistogram: encoding = FloatHistogramChunk.encoding
        default: throw ReadDecodeError("series \(describe(labels)): unsupported chunk encoding \(chunk.type.rawValue)")
        }
        let data = ChunkData(minTime: chunk.minTimeMs, maxTime: chunk.maxTimeMs, encoding: encoding, bytes: Array(chunk.data))
        let decoded: [StoredSample]
        do { decoded = try ChunkSamples.decode(data) } catch {
            throw ReadDecodeError("series \(describe(labels)): chunk \(chunk.minTimeMs)…\(chunk.maxTimeMs): \(error)")
        }
        for sample in decoded where sample.timestamp >= minTime && sample.timestamp <= maxTime {
            do {
                switch sample.value {
                case .float: samples.append(sample)
                case .histogram(let h):
                    if case .integer(let checked) = try DecodedHistogram.Value.integer(h).checked() {
                        samples.append(StoredSample(sample.timestamp, .histogram(checked)))
                    }
                case .floatHistogram(let h):
                    if case .float(let checked) = try DecodedHistogram.Value.float(h).checked() {
                        samples.append(StoredSample(sample.timestamp, .floatHistogram(checked)))
                    }
                }
            } catch {
                throw ReadDecodeError("series \(describe(labels)): histogram at \(sample.timestamp): \(error)")
            }
        }
    }

    /// `samples` sorted by timestamp, the first of equal timestamps kept (so floats, added
    /// first, win over histograms; the first of overlapping chunks over later ones).
    private static func inTimeOrder(_ samples: [StoredSample]) -> [StoredSample] {
        let sorted = samples.indices.sorted { a, b in
            samples[a].timestamp != samples[b].timestamp ? samples[a].timestamp < samples[b].timestamp : a < b
        }
        var result: [StoredSample] = []
        result.reserveCapacity(samples.count)
        for i in sorted where result.last?.timestamp != samples[i].timestamp { result.append(samples[i]) }
        return result
    }

    /// Labels for an error message: `{a="b", c="d"}`.
    private static func describe(_ labels: [Prometheus_Label]) -> String {
        "{" + labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
    }
}
