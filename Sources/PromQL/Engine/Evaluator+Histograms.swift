// Native histograms in selectors: decoding series whose chunks hold histograms (chunk encodings
// 2 and 3) next to floats, and the instant lookup over a series that mixes the two.

internal import ChunkEncoding
import MetricModel

extension Evaluator {
    /// Decodes a series chunk by chunk: float chunks into `samples`, histogram chunks into
    /// `histograms`, both restricted to `[minTime, maxTime]`; stale markers kept when asked.
    func decodeMixed(
        _ s: SeriesData, minTime: Timestamp, maxTime: Timestamp, keepStale: Bool
    ) throws(QueryError) -> DecodedSeries {
        var floats: [Sample] = []
        var histograms: [HistogramSample] = []
        let staleBits = StaleNaN.bits
        /// The histograms of one chunk within the range.
        func collect<I: NativeHistogramIterator>(
            _ iterator: inout I, _ histogram: KeyPath<I, FloatHistogram>, _ isStale: KeyPath<I, Bool>
        ) throws(QueryError) {
            while iterator.next() {
                let t = iterator.timestamp
                if t < minTime || (!keepStale && iterator[keyPath: isStale]) { continue }
                if t > maxTime { break }
                histograms.append(HistogramSample(t, iterator[keyPath: histogram]))
            }
            if let error = iterator.error { throw QueryError(.internal, error.description) }
        }
        for chunk in s.chunks where chunk.maxTime >= minTime && chunk.minTime <= maxTime {
            if chunk.encoding == XORChunk.encoding {
                var iterator = SeriesSampleIterator([chunk], minTime: minTime, maxTime: maxTime)
                while iterator.next() {
                    let v = iterator.value
                    if keepStale || v.bitPattern != staleBits { floats.append(Sample(iterator.timestamp, v)) }
                }
                if let error = iterator.error { throw QueryError(.internal, error.description) }
            } else if chunk.encoding == HistogramChunk.encoding {
                var iterator = HistogramIterator(chunk.bytes)
                try collect(&iterator, \.floatHistogram, \.isStale)
            } else if chunk.encoding == FloatHistogramChunk.encoding {
                var iterator = FloatHistogramIterator(chunk.bytes)
                try collect(&iterator, \.floatHistogram, \.isStale)
            } else {
                throw QueryError(.internal, "invalid chunk encoding \(chunk.encoding)")
            }
        }
        return DecodedSeries(labels: s.labels, samples: floats, histograms: histograms)
    }

    /// An instant selector over a series with histograms: at each step the newest sample, float
    /// or histogram, in `(ref - lookback, ref]`, unless it is a stale marker.
    func mixedVectorSelection(
        _ s: DecodedSeries, at: Timestamp?, offset: Int64, yielding selected: SelectedValue
    ) throws(QueryError) -> EvalSeries? {
        var points: [Sample] = []
        var histograms: [HistogramSample] = []
        var f = -1
        var h = -1
        let floats = s.samples
        let hs = s.histograms
        for i in 0..<numSteps {
            let t = stepTime(i)
            let ref = (at ?? t) &- offset
            while f + 1 < floats.count && floats[f + 1].timestamp <= ref { f += 1 }
            while h + 1 < hs.count && hs[h + 1].timestamp <= ref { h += 1 }
            let floatTime = f >= 0 ? floats[f].timestamp : .min
            let histogramTime = h >= 0 ? hs[h].timestamp : .min
            if floatTime == .min && histogramTime == .min { continue }
            let isHistogram = histogramTime > floatTime
            let sampleTime = isHistogram ? histogramTime : floatTime
            if sampleTime <= ref &- lookbackDelta { continue }
            if isHistogram ? hs[h].isStale : StaleNaN.isStale(floats[f].value) { continue }
            switch selected {
            case .value:
                if isHistogram {
                    histograms.append(HistogramSample(t, hs[h].histogram))
                } else {
                    points.append(Sample(t, floats[f].value))
                }
            case .sampleTime:
                points.append(Sample(t, Double(sampleTime) / 1000))
            case .startTime:
                let start = isHistogram ? s.histogramStartTimes?[h] : s.startTimes?[f]
                points.append(Sample(t, Double(start ?? 0) / 1000))
            }
        }
        if points.isEmpty && histograms.isEmpty { return nil }
        try context.addSamples(points.count + histograms.count)
        context.queryableSamples += points.count + histograms.count
        return EvalSeries(labels: s.labels, points: points, histograms: histograms)
    }
}
