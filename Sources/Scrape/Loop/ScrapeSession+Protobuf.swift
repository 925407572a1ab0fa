// Writing a protobuf scrape (`PrometheusProto`) into storage: floats and native histograms, with
// the scrape's native-histogram limits (Prometheus's `bucketLimitAppender`, `maxSchemaAppender`).

internal import MetricModel
internal import Exposition

extension ScrapeSession {
    /// Appends the entries of a protobuf body, as ``appendSamples`` does for text: same cache,
    /// relabeling, limits and outcome counts. Series are keyed in the cache by their scraped labels'
    /// encoding (a protobuf body has no text per series).
    func appendProtobuf(
        _ body: [UInt8], time: Timestamp, now: Timestamp, to app: any Appender, _ outcome: inout Outcome
    ) -> ScrapeError? {
        var parser = ProtobufParser(
            body,
            options: ProtobufParser.Options(
                ignoreNativeHistograms: !options.nativeHistograms,
                parseClassicHistograms: options.alwaysScrapeClassicHistograms,
                convertClassicHistogramsToNHCB: options.convertClassicHistogramsToNHCB,
                // Validated by the appender, after the limits lowered the resolution, as in Prometheus.
                validateHistograms: false))
        let limits = NativeHistogramLimits(
            bucketLimit: options.limits.nativeHistogramBucketLimit, minBucketFactor: options.nativeHistogramMinBucketFactor)
        var cache = ScrapeCache()
        swap(&cache, &self.cache)
        defer { swap(&cache, &self.cache) }
        var sampleLimitExceeded = false
        var attempts = 0
        let maxTime = now &+ 10 * 60 * 1000
        do {
            while let entry = try parser.next() {
                switch entry {
                case .series, .histogram: break
                case .type(let name, let type):
                    scrapeMetadata[name, default: MetricMetadata()].type = type.rawValue
                    continue
                case .help(let name, let text):
                    scrapeMetadata[name, default: MetricMetadata()].help = text
                    continue
                case .unit(let name, let unit):
                    scrapeMetadata[name, default: MetricMetadata()].unit = unit
                    continue
                }
                outcome.total += 1
                let ownTimestamp = options.honorTimestamps ? parser.timestamp : nil
                let t = ownTimestamp ?? time
                let scraped = parser.labels
                let failure: ScrapeError? = scraped.bytes.withUnsafeBytes { key -> ScrapeError? in
                    if cache.isDropped(key) { return nil }
                    var labels = Labels.empty
                    let cached = cache.get(key)
                    if cached == nil {
                        switch admitNewSeries(scraped, &outcome) {
                        case .success(let admitted?): labels = admitted
                        case .success(nil):
                            cache.addDropped(SeriesKey(borrowing: key))
                            return nil
                        case .failure(let failure): return failure
                        }
                    } else {
                        labels = cache.labels(of: cached!.slot)
                    }
                    outcome.added += 1
                    if cached?.seenThisScrape == true && ownTimestamp == nil {
                        outcome.duplicateTimestamps += 1
                        return nil
                    }
                    if options.limits.sampleLimit > 0 {
                        attempts += 1
                        if attempts > options.limits.sampleLimit {
                            sampleLimitExceeded = true
                            return nil
                        }
                    }
                    if t > maxTime {
                        outcome.outOfBounds += 1
                        return nil
                    }
                    let result: Result<SeriesRef, AppendError>
                    do throws(AppendError) {
                        result = .success(try append(parser, labels, cached?.ref, t, limits, to: app))
                    } catch {
                        result = .failure(error)
                    }
                    switch result {
                    case .success(let ref):
                        let slot: Int
                        if let cached {
                            slot = cached.slot
                            if ref != cached.ref { cache.updateRef(slot, ref) }
                        } else {
                            slot = cache.add(SeriesKey(borrowing: key), ref: ref, labels: labels)
                            outcome.seriesAdded += 1
                        }
                        if ownTimestamp == nil || options.trackTimestampsStaleness { cache.trackStaleness(slot) }
                    // A histogram over the bucket limit fails the scrape, as in Prometheus.
                    case .failure(let refusal): return countRefused(refusal, &outcome)
                    }
                    return nil
                }
                if let failure { return failure }
            }
        } catch {
            return ScrapeError(error.description)
        }
        if sampleLimitExceeded {
            outcome.sampleLimitExceeded = true
            return ScrapeError("sample limit exceeded")
        }
        return nil
    }

    /// Appends the parser's current entry: its float, or its native histogram brought under the
    /// scrape's limits (the appender validates it then, as Prometheus's does).
    private func append(
        _ parser: ProtobufParser, _ labels: Labels, _ ref: SeriesRef?, _ t: Timestamp, _ limits: NativeHistogramLimits,
        to app: any Appender
    ) throws(AppendError) -> SeriesRef {
        if parser.histogram == nil && parser.floatHistogram == nil { return try app.append(ref, labels, t, parser.value) }
        var integer = parser.histogram
        var float = parser.floatHistogram
        do throws(HistogramError) {
            if integer != nil {
                try limits.apply(to: &integer!)
            } else if float != nil {
                try limits.apply(to: &float!)
            }
        } catch {
            throw .invalidHistogram(error.description)
        }
        if let integer { return try app.append(ref, labels, t, integer) }
        return try app.append(ref, labels, t, float!)
    }
}
