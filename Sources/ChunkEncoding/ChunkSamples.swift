// Samples of every chunk encoding decoded into one list and encoded back: what merging overlapping
// chunks, deleting samples and trimming a block need when a series holds native histograms.

package import MetricModel

/// One stored sample of any kind, with its timestamp.
package struct StoredSample: Sendable {
    /// What a sample holds: a float (XOR chunks), an integer or a float native histogram.
    package enum Value: Sendable {
        case float(Double)
        case histogram(Histogram)
        case floatHistogram(FloatHistogram)
    }

    package var timestamp: Int64
    package var value: Value

    package init(_ timestamp: Int64, _ value: Value) {
        self.timestamp = timestamp
        self.value = value
    }
}

/// Decoding chunks of any encoding (1 XOR, 2 histogram, 3 float histogram) and encoding samples
/// back into chunks.
///
/// ```swift
/// var samples = try ChunkSamples.decode(chunk)
/// samples.removeAll { deleted.contains($0.timestamp) }
/// let rewritten = ChunkSamples.encode(samples)   // same kinds of chunks, cut as the head cuts them
/// ```
package enum ChunkSamples {
    /// Every sample of `chunk`, in order.
    /// - Throws: `DecodeError` for an unknown encoding or a corrupt chunk.
    package static func decode(_ chunk: ChunkData) throws(DecodeError) -> [StoredSample] {
        var samples: [StoredSample] = []
        if let error = decode(chunk, into: &samples) { throw error }
        return samples
    }

    /// The samples of `chunk` before any damage (none for an unknown encoding).
    package static func decodePrefix(_ chunk: ChunkData) -> [StoredSample] {
        var samples: [StoredSample] = []
        _ = decode(chunk, into: &samples)
        return samples
    }

    /// Appends the samples of `chunk` up to the first error, which it returns.
    private static func decode(_ chunk: ChunkData, into samples: inout [StoredSample]) -> DecodeError? {
        switch chunk.encoding {
        case XORChunk.encoding:
            var iterator = XORIterator(chunk.bytes)
            while iterator.next() { samples.append(StoredSample(iterator.timestamp, .float(iterator.value))) }
            return iterator.error
        case HistogramChunk.encoding:
            var iterator = HistogramIterator(chunk.bytes)
            while iterator.next() { samples.append(StoredSample(iterator.timestamp, .histogram(iterator.histogram))) }
            return iterator.error
        case FloatHistogramChunk.encoding:
            var iterator = FloatHistogramIterator(chunk.bytes)
            while iterator.next() { samples.append(StoredSample(iterator.timestamp, .floatHistogram(iterator.floatHistogram))) }
            return iterator.error
        default:
            return DecodeError("invalid chunk encoding \(chunk.encoding)")
        }
    }

    /// `samples` (in time order) as chunks: runs of floats as XOR chunks of at most 120 samples,
    /// runs of histograms as histogram or float-histogram chunks cut as the head cuts them; a new
    /// chunk starts wherever the kind changes.
    package static func encode(_ samples: [StoredSample]) -> [ChunkData] {
        var chunks: [ChunkData] = []
        var start = samples.startIndex
        while start < samples.endIndex {
            var end = start + 1
            while end < samples.endIndex, samples[end].value.kind == samples[start].value.kind { end += 1 }
            let run = samples[start..<end]
            switch samples[start].value.kind {
            case .float:
                chunks += XORChunk.chunks(run.lazy.compactMap { s in s.value.float.map { Sample(s.timestamp, $0) } })
            case .histogram:
                chunks += HistogramChunk.chunks(run.lazy.compactMap { s in s.value.histogram.map { (s.timestamp, $0) } })
            case .floatHistogram:
                chunks += FloatHistogramChunk.chunks(run.lazy.compactMap { s in s.value.floatHistogram.map { (s.timestamp, $0) } })
            }
            start = end
        }
        return chunks
    }
}

extension StoredSample.Value {
    enum Kind { case float, histogram, floatHistogram }

    var kind: Kind {
        switch self {
        case .float: return .float
        case .histogram: return .histogram
        case .floatHistogram: return .floatHistogram
        }
    }

    var float: Double? {
        if case .float(let v) = self { return v }
        return nil
    }

    var histogram: Histogram? {
        if case .histogram(let h) = self { return h }
        return nil
    }

    var floatHistogram: FloatHistogram? {
        if case .floatHistogram(let h) = self { return h }
        return nil
    }
}
