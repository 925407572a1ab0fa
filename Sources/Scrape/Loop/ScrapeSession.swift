// Writing one scrape into storage (Prometheus's `scrapeLoopAppender.append`, `report`,
// `reportStale`, `updateStaleMarkers`): parse the body in the negotiated format, attach the
// target's labels, apply metric relabeling and the limits, append, and mark as stale the
// series that disappeared.

package import MetricModel
internal import Exposition
package import Relabel

/// A target's scrape state between scrapes (its series cache) and the rules its samples are
/// written by. One per scrape loop; not thread-safe.
package final class ScrapeSession {
    package struct Options: Sendable {
        package var honorLabels = false
        package var honorTimestamps = true
        package var trackTimestampsStaleness = false
        package var metricRelabelConfigs: [RelabelConfig] = []
        package var limits = ScrapeLimits()
        package var fallbackProtocol: ScrapeProtocol?
        /// Also write `scrape_timeout_seconds`, `scrape_sample_limit`, `scrape_body_size_bytes`.
        package var extraMetrics = false
        package var validation: NameValidationScheme = .utf8
        package var timeoutMs: Int64 = 10_000
        /// `scrape_native_histograms`: store the native part of protobuf histograms.
        package var nativeHistograms = false
        /// `always_scrape_classic_histograms`: also the classic series of histograms with a native part.
        package var alwaysScrapeClassicHistograms = false
        /// `convert_classic_histograms_to_nhcb`.
        package var convertClassicHistogramsToNHCB = false
        /// `native_histogram_min_bucket_factor` (0: none).
        package var nativeHistogramMinBucketFactor = 0.0

        package init() {}
    }

    /// What an append wrote.
    package struct Outcome: Equatable {
        /// Samples exposed (before relabeling).
        package var total = 0
        /// Samples left after metric relabeling.
        package var added = 0
        /// Series new to this target's cache.
        package var seriesAdded = 0
        /// Samples the storage refused as out of order, out of bounds or a duplicate timestamp
        /// (skipped; the scrape goes on).
        package var outOfOrder = 0
        package var outOfBounds = 0
        package var duplicateTimestamps = 0
        /// The scrape failed for `sample_limit` or a label limit.
        package var sampleLimitExceeded = false
        package var labelLimitExceeded = false
    }

    package let options: Options
    /// The labels every sample carries (`job`, `instance`, target labels).
    package let targetLabels: Labels
    var cache = ScrapeCache()
    /// `# TYPE`, `# HELP` and `# UNIT` of the families of the last successful scrape.
    package private(set) var metadata: [String: MetricMetadata] = [:]
    var scrapeMetadata: [String: MetricMetadata] = [:]

    package init(targetLabels: Labels, options: Options) {
        self.targetLabels = targetLabels
        self.options = options
    }

    /// Appends the samples of a scrape body with `contentType`, stamped `time` unless they carry
    /// their own timestamp, then stale markers for the series that disappeared.
    ///
    /// On error nothing of the body must be committed: roll back, then call
    /// ``appendEmpty(time:to:)`` (a failed scrape writes stale markers like an empty one).
    package func append(
        body: [UInt8], contentType: String, time: Timestamp, now: Timestamp, to app: any Appender
    ) -> (Outcome, ScrapeError?) {
        if body.isEmpty { return (Outcome(), appendEmpty(time: time, to: app)) }
        let format: ExpositionFormat
        switch ExpositionFormat.negotiated(contentType: contentType, fallback: options.fallbackProtocol) {
        case .success(let f): format = f
        case .failure(let error): return (Outcome(), error)
        }
        var outcome = Outcome()
        var error: ScrapeError?
        // The cache's lookup keys borrow the body's bytes while it is parsed.
        body.withUnsafeBytes { raw in
            switch format {
            case .prometheusText:
                var parser = PromTextParser(body)
                error = appendSamples(&parser, raw, time: time, now: now, to: app, &outcome)
            case .openMetrics:
                var parser = OpenMetricsParser(body)
                error = appendSamples(&parser, raw, time: time, now: now, to: app, &outcome)
            case .protobuf:
                error = appendProtobuf(body, time: time, now: now, to: app, &outcome)
            }
        }
        if error == nil { error = updateStaleMarkers(time: time, to: app) }
        if error == nil {
            cache.iterationDone(flush: true)
            metadata = scrapeMetadata
        }
        scrapeMetadata = [:]
        return (outcome, error)
    }

    /// An empty or failed scrape: stale markers for every series of the previous scrape.
    package func appendEmpty(time: Timestamp, to app: any Appender) -> ScrapeError? {
        let error = updateStaleMarkers(time: time, to: app)
        cache.iterationDone(flush: false)
        return error
    }

    private func appendSamples(
        _ parser: inout some ExpositionParser, _ raw: UnsafeRawBufferPointer, time: Timestamp, now: Timestamp,
        to app: any Appender, _ outcome: inout Outcome
    ) -> ScrapeError? {
        // The cache is worked on as a local value (no exclusivity check per sample on the class's
        // property), and put back at the end.
        var cache = ScrapeCache()
        swap(&cache, &self.cache)
        defer { swap(&cache, &self.cache) }
        var sampleLimitExceeded = false
        var attempts = 0
        // Prometheus's timeLimitAppender: nothing more than 10 minutes ahead of now.
        let maxTime = now &+ 10 * 60 * 1000
        do {
            while let entry = try parser.next() {
                switch entry {
                case .series: break
                case .type(let name, let type):
                    scrapeMetadata[name, default: MetricMetadata()].type = type.rawValue
                    continue
                case .help(let name, let text):
                    scrapeMetadata[name, default: MetricMetadata()].help = text
                    continue
                case .unit(let name, let unit):
                    scrapeMetadata[name, default: MetricMetadata()].unit = unit
                    continue
                case .comment: continue
                }
                outcome.total += 1
                var t = time
                let ownTimestamp = options.honorTimestamps ? parser.timestamp : nil
                if let ownTimestamp { t = ownTimestamp }
                let text = UnsafeRawBufferPointer(rebasing: raw[parser.seriesRange])
                if cache.isDropped(text) { continue }

                var ref: SeriesRef?
                var labels = Labels.empty
                let cached = cache.get(text)
                if let cached {
                    ref = cached.ref
                } else {
                    switch admitNewSeries(try parser.labels(), &outcome) {
                    case .success(let admitted?): labels = admitted
                    case .success(nil):
                        cache.addDropped(SeriesKey(borrowing: text))
                        continue
                    case .failure(let failure): return failure
                    }
                }

                var result: Result<SeriesRef, AppendError>
                let value = parser.value
                if cached?.seenThisScrape == true && ownTimestamp == nil {
                    result = .failure(.duplicateSampleForTimestamp)
                } else if options.limits.sampleLimit > 0 && (ref == nil || !StaleNaN.isStale(value))
                    && { attempts += 1; return attempts > options.limits.sampleLimit }()
                {
                    // `limitAppender`: every append attempt counts. Parsing goes on so that the
                    // scraped count stays right; the scrape fails at the end.
                    sampleLimitExceeded = true
                    outcome.added += 1
                    continue
                } else if t > maxTime {
                    result = .failure(.outOfBounds)
                } else {
                    do {
                        // A cached series goes by its ref alone (no labels handed over) unless the
                        // storage no longer knows the ref.
                        if let cached, let appended = try app.append(existing: cached.ref, t, value) {
                            result = .success(appended)
                        } else {
                            if cached != nil { labels = cache.labels(of: cached!.slot) }
                            result = .success(try app.append(ref, labels, t, value))
                        }
                    } catch {
                        result = .failure(error)
                    }
                }
                let newRef: SeriesRef
                switch result {
                case .success(let appended): newRef = appended
                case .failure(let refusal):
                    // Out of order, duplicate, out of bounds: the sample is skipped, the scrape goes on.
                    if let failure = countRefused(refusal, &outcome) { return failure }
                    outcome.added += 1
                    continue
                }
                let slot: Int
                if let cached {
                    slot = cached.slot
                    if newRef != ref { cache.updateRef(slot, newRef) }
                } else {
                    slot = cache.add(SeriesKey(borrowing: text), ref: newRef, labels: labels)
                    if !sampleLimitExceeded { outcome.seriesAdded += 1 }
                }
                if ownTimestamp == nil || options.trackTimestampsStaleness { cache.trackStaleness(slot) }
                outcome.added += 1
            }
        } catch {
            // With the position (line:column) of the bad line, unlike Prometheus's lastError.
            return ScrapeError(error.description)
        }
        if sampleLimitExceeded {
            outcome.sampleLimitExceeded = true
            return ScrapeError("sample limit exceeded")
        }
        return nil
    }

    /// A series the cache does not know yet: its labels once the target's are attached and metric
    /// relabeling ran (nil: dropped), or what fails the whole scrape — no metric name, names
    /// invalid under legacy validation, a label limit exceeded.
    func admitNewSeries(_ scraped: Labels, _ outcome: inout Outcome) -> Result<Labels?, ScrapeError> {
        guard let labels = mutate(scraped) else { return .success(nil) }
        if labels.metricName == nil { return .failure(ScrapeError("missing metric name (__name__ label)")) }
        if options.validation == .legacy, let invalid = Self.legacyInvalid(labels) {
            return .failure(ScrapeError("invalid metric name or label names: \(invalid)"))
        }
        if let limit = labelLimitError(labels) {
            outcome.labelLimitExceeded = true
            return .failure(limit)
        }
        return .success(labels)
    }

    /// Counts a sample the storage refused (out of order, out of bounds, duplicate); returns the
    /// error when the refusal fails the whole scrape (invalid labels, a histogram over its limits).
    func countRefused(_ error: AppendError, _ outcome: inout Outcome) -> ScrapeError? {
        switch error {
        case .invalidLabels(let why): return ScrapeError(why)
        case .invalidHistogram(let why): return ScrapeError(why)
        case .outOfOrder: outcome.outOfOrder += 1
        case .outOfBounds: outcome.outOfBounds += 1
        case .duplicateSampleForTimestamp: outcome.duplicateTimestamps += 1
        default: break
        }
        return nil
    }

    /// The target's labels attached (`mutateSampleLabels`), then metric relabeling; nil: dropped.
    func mutate(_ scraped: Labels) -> Labels? {
        var builder = LabelsBuilder(scraped)
        if options.honorLabels {
            targetLabels.forEach { name, value in
                if scraped[name] == nil { builder.set(name, value) }
            }
        } else {
            var conflicts: [(name: String, value: String)] = []
            targetLabels.forEach { name, value in
                if let existing = scraped[name], !existing.isEmpty { conflicts.append((name, existing)) }
                builder.set(name, value)
            }
            if !conflicts.isEmpty {
                // `resolveConflictingExposedLabels`: shortest names first, `exported_` prefixed
                // until the name is free.
                var current = builder.labels()
                for conflict in conflicts.enumerated().sorted(by: {
                    ($0.element.name.utf8.count, $0.offset) < ($1.element.name.utf8.count, $1.offset)
                }).map(\.element) {
                    var name = conflict.name
                    repeat { name = "exported_" + name } while current[name] != nil
                    builder.set(name, conflict.value)
                    current = builder.labels()
                }
            }
        }
        let labels = builder.labels()
        if options.metricRelabelConfigs.isEmpty { return labels.isEmpty ? nil : labels }
        guard let relabeled = labels.relabeled(options.metricRelabelConfigs), !relabeled.isEmpty else { return nil }
        return relabeled
    }

    /// `verifyLabelLimits`, with Prometheus's messages.
    func labelLimitError(_ labels: Labels) -> ScrapeError? {
        let limits = options.limits
        let metric = String((labels.metricName ?? "").prefix(50))
        if limits.labelLimit > 0 && labels.count > limits.labelLimit {
            return ScrapeError(
                "label_limit exceeded (metric: \(metric), number of labels: \(labels.count), limit: \(limits.labelLimit))")
        }
        if limits.labelNameLengthLimit == 0 && limits.labelValueLengthLimit == 0 { return nil }
        for (name, value) in labels.pairs {
            let nameLength = name.utf8.count
            if limits.labelNameLengthLimit > 0 && nameLength > limits.labelNameLengthLimit {
                return ScrapeError(
                    "label_name_length_limit exceeded (metric: \(metric), label name: \(name.prefix(50)), length: \(nameLength), limit: \(limits.labelNameLengthLimit))"
                )
            }
            let valueLength = value.utf8.count
            if limits.labelValueLengthLimit > 0 && valueLength > limits.labelValueLengthLimit {
                return ScrapeError(
                    "label_value_length_limit exceeded (metric: \(metric), label name: \(name.prefix(50)), value: \(goQuote(value, maxScalars: 50)), length: \(valueLength), limit: \(limits.labelValueLengthLimit))"
                )
            }
        }
        return nil
    }

    /// The label set as Prometheus prints it when a name breaks the legacy character set.
    static func legacyInvalid(_ labels: Labels) -> String? {
        func isLegacy(_ name: String, metric: Bool) -> Bool {
            guard let first = name.utf8.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
                return false
            }
            return name.utf8.allSatisfy { b in
                (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                    || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
                    || (metric && b == UInt8(ascii: ":"))
            }
        }
        var valid = isLegacy(labels.metricName ?? "", metric: true)
        labels.forEach { name, _ in
            if name != Labels.metricNameLabel && !isLegacy(name, metric: false) { valid = false }
        }
        return valid ? nil : labels.description
    }

    /// Stale markers for series of the previous scrape not in this one (`updateStaleMarkers`).
    private func updateStaleMarkers(time: Timestamp, to app: any Appender) -> ScrapeError? {
        var failure: ScrapeError?
        cache.forEachStale { ref, labels in
            do throws(AppendError) {
                _ = try app.append(ref, labels, time, StaleNaN.value)
            } catch .outOfOrder, .duplicateSampleForTimestamp {
                // Expected when a target goes away and comes back with a new scrape loop.
            } catch {
                failure = ScrapeError(error.message)
                return false
            }
            return true
        }
        return failure
    }

    // MARK: Report series

    /// `up`, `scrape_duration_seconds`, `scrape_samples_scraped`,
    /// `scrape_samples_post_metric_relabeling`, `scrape_series_added` (and with extra metrics
    /// `scrape_timeout_seconds`, `scrape_sample_limit`, `scrape_body_size_bytes`) at `start`.
    package func report(
        start: Timestamp, durationSeconds: Double, outcome: Outcome, bodyBytes: Int, error: ScrapeError?,
        to app: any Appender
    ) throws(AppendError) {
        var values: [(String, Double)] = [
            ("up", error == nil ? 1 : 0),
            ("scrape_duration_seconds", durationSeconds),
            ("scrape_samples_scraped", Double(outcome.total)),
            ("scrape_samples_post_metric_relabeling", Double(outcome.added)),
            ("scrape_series_added", Double(outcome.seriesAdded)),
        ]
        if options.extraMetrics {
            values += [
                ("scrape_timeout_seconds", Double(options.timeoutMs) / 1000),
                ("scrape_sample_limit", Double(options.limits.sampleLimit)),
                ("scrape_body_size_bytes", Double(bodyBytes)),
            ]
        }
        try appendReport(values, at: start, to: app)
    }

    /// Stale markers for the report series (the target went away).
    package func reportStale(time: Timestamp, to app: any Appender) throws(AppendError) {
        var names = [
            "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
            "scrape_series_added",
        ]
        if options.extraMetrics { names += ["scrape_timeout_seconds", "scrape_sample_limit", "scrape_body_size_bytes"] }
        try appendReport(names.map { ($0, StaleNaN.value) }, at: time, to: app)
    }

    /// Report series keep their labels in a cache of their own (names cannot collide with
    /// scraped series there).
    private var reportRefs: [String: (ref: SeriesRef, labels: Labels)] = [:]

    private func appendReport(_ values: [(String, Double)], at time: Timestamp, to app: any Appender) throws(AppendError) {
        for (name, value) in values {
            let known = reportRefs[name]
            let labels = known?.labels ?? reportLabels(name)
            do throws(AppendError) {
                let ref = try app.append(known?.ref, labels, time, value)
                if known == nil { reportRefs[name] = (ref, labels) }
            } catch .outOfOrder, .duplicateSampleForTimestamp {
                // A target that went away and came back with a new loop.
            }
        }
    }

    /// `mutateReportSampleLabels`: the target's labels win; a clash keeps the metric's value as
    /// `exported_<name>` (only `__name__` exists here, so never in practice).
    private func reportLabels(_ name: String) -> Labels {
        var builder = LabelsBuilder(targetLabels)
        builder.set(Labels.metricNameLabel, name)
        return builder.labels()
    }

    /// Stale markers for every series of the last scrape and the report series, when the target
    /// goes away (`endOfRunStaleness`).
    package func markAllStale(time: Timestamp, to app: any Appender) -> ScrapeError? {
        let error = appendEmpty(time: time, to: app)
        do { try reportStale(time: time, to: app) } catch let reportError { return error ?? ScrapeError(reportError.message) }
        return error
    }
}

/// A metric family's metadata as the metadata APIs show it.
package struct MetricMetadata: Sendable, Hashable {
    /// `counter`, `gauge`, `histogram`, `summary`, `unknown`, and OpenMetrics's
    /// `gaugehistogram`, `info`, `stateset`.
    package var type = "unknown"
    package var help = ""
    package var unit = ""

    package init(type: String = "unknown", help: String = "", unit: String = "") {
        self.type = type
        self.help = help
        self.unit = unit
    }
}

/// Why a scrape failed, as `lastError` shows it.
package struct ScrapeError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// The formats we parse, chosen by the response's Content-Type (`textparse.New`).
enum ExpositionFormat {
    case prometheusText
    case openMetrics
    /// `application/vnd.google.protobuf` with `proto=io.prometheus.client.MetricFamily`, delimited.
    case protobuf

    /// The format for `contentType`, or the fallback protocol's, or Prometheus's error.
    static func negotiated(contentType: String, fallback: ScrapeProtocol?) -> Result<ExpositionFormat, ScrapeError> {
        let fallbackFormat = fallback.map(format(of:))
        let trimmed = contentType.trimmingSpaces
        if trimmed.isEmpty {
            if let fallbackFormat { return .success(fallbackFormat) }
            return .failure(ScrapeError(
                "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target"))
        }
        let mediaType = trimmed.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces.lowercased() } ?? ""
        switch mediaType {
        case "application/openmetrics-text": return .success(.openMetrics)
        case "text/plain": return .success(.prometheusText)
        case "application/vnd.google.protobuf": return .success(.protobuf)
        default:
            if let fallbackFormat { return .success(fallbackFormat) }
            return .failure(ScrapeError(
                "received unsupported Content-Type \(goQuote(contentType)) and no fallback_scrape_protocol specified for target"))
        }
    }

    static func format(of scrapeProtocol: ScrapeProtocol) -> ExpositionFormat {
        switch scrapeProtocol {
        case .openMetricsText0_0_1, .openMetricsText1_0_0: return .openMetrics
        case .prometheusText0_0_4, .prometheusText1_0_0: return .prometheusText
        case .prometheusProto: return .protobuf
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
