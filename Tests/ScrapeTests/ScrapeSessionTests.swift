// Writing scrapes into storage as Prometheus's scrape loop does: target labels, report series,
// staleness, limits, honor_labels, timestamps, formats.

import MetricModel
import Relabel
@testable import Scrape
import Testing

@Suite struct ScrapeSessionTests {
    static let target = Labels(["instance": "host:9100", "job": "node"])
    static let text = "text/plain; version=0.0.4; charset=utf-8"
    static let openMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8"

    /// Appends one scrape and its report, committed, as the loop does.
    @discardableResult
    func scrape(
        _ session: ScrapeSession, _ storage: TestStorage, _ body: String, at time: Timestamp,
        contentType: String = ScrapeSessionTests.text
    ) throws -> (ScrapeSession.Outcome, ScrapeError?) {
        var app = storage.appender()
        var (outcome, error) = session.append(
            body: Array(body.utf8), contentType: contentType, time: time, now: time, to: app)
        if error != nil {
            app.rollback()
            app = storage.appender()
            _ = session.appendEmpty(time: time, to: app)
            outcome = ScrapeSession.Outcome(total: outcome.total, added: outcome.added, seriesAdded: outcome.seriesAdded)
        }
        try session.report(start: time, durationSeconds: 0.01, outcome: outcome, bodyBytes: body.utf8.count, error: error, to: app)
        try app.commit()
        return (outcome, error)
    }

    func labels(_ pairs: [String: String]) -> Labels { Labels(pairs) }

    @Test func samplesCarryTargetLabelsAndReportSeriesAreWritten() throws {
        let storage = TestStorage()
        let session = ScrapeSession(targetLabels: Self.target, options: .init())
        let (outcome, error) = try scrape(session, storage, "# TYPE a counter\na_total 1\nb{x=\"y\"} 2.5\n", at: 1000)
        #expect(error == nil)
        #expect(outcome == ScrapeSession.Outcome(total: 2, added: 2, seriesAdded: 2))
        #expect(storage.samples(labels(["__name__": "a_total", "instance": "host:9100", "job": "node"])) == [Sample(1000, 1)])
        #expect(storage.samples(labels(["__name__": "b", "x": "y", "instance": "host:9100", "job": "node"])) == [Sample(1000, 2.5)])
        #expect(storage.last("up")?.value == 1)
        #expect(storage.last("scrape_samples_scraped")?.value == 2)
        #expect(storage.last("scrape_samples_post_metric_relabeling")?.value == 2)
        #expect(storage.last("scrape_series_added")?.value == 2)
        #expect(storage.last("scrape_duration_seconds")?.value == 0.01)
        #expect(storage.last("up", ["job": "node", "instance": "host:9100"]) != nil)
        // Series added counts only new series.
        let (second, _) = try scrape(session, storage, "a_total 2\nb{x=\"y\"} 3\n", at: 2000)
        #expect(second.seriesAdded == 0)
    }

    @Test func vanishedSeriesGetStaleMarkers() throws {
        let storage = TestStorage()
        let session = ScrapeSession(targetLabels: Self.target, options: .init())
        try scrape(session, storage, "a 1\nb 1\n", at: 1000)
        try scrape(session, storage, "a 2\n", at: 2000)
        let b = storage.samples(labels(["__name__": "b", "instance": "host:9100", "job": "node"]))
        #expect(b.count == 2)
        #expect(b.last.map { StaleNaN.isStale($0.value) } == true)
        #expect(b.last?.timestamp == 2000)
        // A marker once, not at every later scrape.
        try scrape(session, storage, "a 3\n", at: 3000)
        #expect(storage.samples(labels(["__name__": "b", "instance": "host:9100", "job": "node"])).count == 2)
        // b comes back: a new series for the cache, tracked again, stale again when it goes.
        let (back, _) = try scrape(session, storage, "a 4\nb 5\n", at: 4000)
        #expect(back.seriesAdded == 1)
        try scrape(session, storage, "a 5\n", at: 5000)
        let again = storage.samples(labels(["__name__": "b", "instance": "host:9100", "job": "node"]))
        #expect(again.map(\.timestamp) == [1000, 2000, 4000, 5000])
        #expect(StaleNaN.isStale(again[3].value))
        // Many series in and out: the cache's table grows and is rebuilt without losing any.
        var body = ""
        for i in 0..<500 { body += "m{i=\"\(i)\"} \(i)\n" }
        let (many, _) = try scrape(session, storage, body, at: 6000)
        #expect(many.seriesAdded == 500)
        let (same, _) = try scrape(session, storage, body, at: 7000)
        #expect(same.seriesAdded == 0 && same.added == 500)
    }

    @Test func aFailedScrapeStoresNothingAndMarksEverythingStale() throws {
        let storage = TestStorage()
        let session = ScrapeSession(targetLabels: Self.target, options: .init())
        try scrape(session, storage, "a 1\nb 1\n", at: 1000)
        let (_, error) = try scrape(session, storage, "a 2\nb{ 1\n", at: 2000)
        #expect(error != nil)
        // The line before the error is not stored. As in Prometheus, a series appended before the
        // error counts as seen for staleness (no marker for `a`); the others are marked stale.
        let a = storage.samples(labels(["__name__": "a", "instance": "host:9100", "job": "node"]))
        #expect(a == [Sample(1000, 1)])
        let b = storage.samples(labels(["__name__": "b", "instance": "host:9100", "job": "node"]))
        #expect(b.count == 2 && b.last.map { StaleNaN.isStale($0.value) } == true)
        #expect(storage.last("up")?.value == 0)
        // A failure before any line marks every series stale.
        try scrape(session, storage, "a 2\n", at: 2500)
        try scrape(session, storage, "{{\n", at: 3000)
        #expect(storage.last("a").map { StaleNaN.isStale($0.value) && $0.timestamp == 3000 } == true)
        // The target recovers on the next scrape.
        try scrape(session, storage, "a 3\n", at: 4000)
        #expect(storage.last("a")?.value == 3)
        #expect(storage.last("up")?.value == 1)
    }

    @Test func conflictingLabelsAreExportedUnlessHonored() throws {
        let body = "m{job=\"app\",instance=\"x\",exported_job=\"e\"} 1\n"
        let storage = TestStorage()
        try scrape(ScrapeSession(targetLabels: Self.target, options: .init()), storage, body, at: 1000)
        #expect(storage.series.contains(labels([
            "__name__": "m", "job": "node", "instance": "host:9100", "exported_exported_job": "app",
            "exported_instance": "x", "exported_job": "e",
        ])))
        var honor = ScrapeSession.Options()
        honor.honorLabels = true
        let honored = TestStorage()
        try scrape(ScrapeSession(targetLabels: Self.target, options: honor), honored, body, at: 1000)
        #expect(honored.series.contains(labels(["__name__": "m", "job": "app", "instance": "x", "exported_job": "e"])))
    }

    @Test func ownTimestampsAreKeptAndNotMarkedStale() throws {
        let storage = TestStorage()
        let session = ScrapeSession(targetLabels: Self.target, options: .init())
        try scrape(session, storage, "a 1 500\nb 1\n", at: 1000)
        try scrape(session, storage, "b 2\n", at: 2000)
        #expect(storage.samples(labels(["__name__": "a", "instance": "host:9100", "job": "node"])) == [Sample(500, 1)])
        var track = ScrapeSession.Options()
        track.trackTimestampsStaleness = true
        let tracked = TestStorage()
        let trackedSession = ScrapeSession(targetLabels: Self.target, options: track)
        try scrape(trackedSession, tracked, "a 1 500\nb 1\n", at: 1000)
        try scrape(trackedSession, tracked, "b 2\n", at: 2000)
        let a = tracked.samples(labels(["__name__": "a", "instance": "host:9100", "job": "node"]))
        #expect(a.count == 2 && StaleNaN.isStale(a[1].value))
        var ignore = ScrapeSession.Options()
        ignore.honorTimestamps = false
        let ignored = TestStorage()
        try scrape(ScrapeSession(targetLabels: Self.target, options: ignore), ignored, "a 1 500\n", at: 1000)
        #expect(ignored.samples(labels(["__name__": "a", "instance": "host:9100", "job": "node"])) == [Sample(1000, 1)])
    }

    @Test func sampleLimitFailsTheWholeScrape() throws {
        var options = ScrapeSession.Options()
        options.limits.sampleLimit = 2
        let storage = TestStorage()
        let session = ScrapeSession(targetLabels: Self.target, options: options)
        try scrape(session, storage, "a 1\nb 1\n", at: 1000)
        let (outcome, error) = try scrape(session, storage, "a 2\nb 2\nc 2\n", at: 2000)
        #expect(error?.message == "sample limit exceeded")
        #expect(outcome.total == 3, "parsing goes on so the scraped count is right")
        // Nothing of the scrape is stored (Prometheus writes no stale marker for a and b here:
        // they were appended before the limit was hit, so they count as seen).
        #expect(storage.last("a") == Sample(1000, 1))
        #expect(storage.samples(labels(["__name__": "c", "instance": "host:9100", "job": "node"])).isEmpty)
        #expect(storage.last("up")?.value == 0)
        #expect(storage.last("scrape_samples_scraped")?.value == 3)
    }

    @Test func labelLimitsFailTheScrapeWithPrometheusMessages() throws {
        func error(_ configure: (inout ScrapeLimits) -> Void, _ body: String) throws -> String? {
            var options = ScrapeSession.Options()
            configure(&options.limits)
            return try scrape(ScrapeSession(targetLabels: Self.target, options: options), TestStorage(), body, at: 1)
                .1?.message
        }
        #expect(try error({ $0.labelLimit = 3 }, "m{a=\"1\",b=\"2\"} 1\n")
            == "label_limit exceeded (metric: m, number of labels: 5, limit: 3)")
        #expect(try error({ $0.labelNameLengthLimit = 8 }, "m{abcdefghij=\"1\"} 1\n")
            == "label_name_length_limit exceeded (metric: m, label name: abcdefghij, length: 10, limit: 8)")
        // Labels are checked in order: `__name__` (8 bytes) first.
        #expect(try error({ $0.labelNameLengthLimit = 5 }, "m 1\n")
            == "label_name_length_limit exceeded (metric: m, label name: __name__, length: 8, limit: 5)")
        #expect(try error({ $0.labelValueLengthLimit = 3 }, "m{a=\"long\"} 1\n")
            == #"label_value_length_limit exceeded (metric: m, label name: a, value: "long", length: 4, limit: 3)"#)
        #expect(try error({ $0.labelLimit = 5 }, "m{a=\"1\",b=\"2\"} 1\n") == nil)
    }

    @Test func contentTypeDecidesTheFormat() throws {
        let storage = TestStorage()
        let session = ScrapeSession(targetLabels: Self.target, options: .init())
        // OpenMetrics timestamps are seconds.
        try scrape(session, storage, "a 1 1.5\n# EOF\n", at: 2000, contentType: Self.openMetrics)
        #expect(storage.samples(labels(["__name__": "a", "instance": "host:9100", "job": "node"])) == [Sample(1500, 1)])
        let (_, missingEOF) = try scrape(
            ScrapeSession(targetLabels: Self.target, options: .init()), TestStorage(), "a 1\n", at: 1, contentType: Self.openMetrics)
        #expect(missingEOF?.message == "2:1: data does not end with # EOF")
        let (_, unknown) = try scrape(
            ScrapeSession(targetLabels: Self.target, options: .init()), TestStorage(), "a 1\n", at: 1, contentType: "application/json")
        #expect(unknown?.message == #"received unsupported Content-Type "application/json" and no fallback_scrape_protocol specified for target"#)
        let (_, blank) = try scrape(
            ScrapeSession(targetLabels: Self.target, options: .init()), TestStorage(), "a 1\n", at: 1, contentType: "")
        #expect(blank?.message == "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target")
        var fallback = ScrapeSession.Options()
        fallback.fallbackProtocol = .prometheusText0_0_4
        let (_, none) = try scrape(ScrapeSession(targetLabels: Self.target, options: fallback), TestStorage(), "a 1\n", at: 1, contentType: "")
        #expect(none == nil)
    }

    @Test func duplicatesAndFutureSamplesAreSkippedNotFatal() throws {
        let storage = TestStorage()
        let session = ScrapeSession(targetLabels: Self.target, options: .init())
        let future = Int64(11 * 60 * 1000)
        let (outcome, error) = try scrape(session, storage, "a 1\na 2\nb 1 \(future + 1000)\nc 1\n", at: 1000)
        #expect(error == nil)
        #expect(outcome.total == 4 && outcome.added == 4)
        #expect(storage.samples(labels(["__name__": "a", "instance": "host:9100", "job": "node"])) == [Sample(1000, 1)])
        #expect(storage.samples(labels(["__name__": "b", "instance": "host:9100", "job": "node"])).isEmpty)
        #expect(storage.last("c")?.value == 1)
    }

    @Test func histogramBucketsAreNormalised() throws {
        let storage = TestStorage()
        try scrape(
            ScrapeSession(targetLabels: Self.target, options: .init()), storage,
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 2\nh_sum 3\n", at: 1000)
        #expect(storage.last("h_bucket", ["le": "1.0"])?.value == 1)
        #expect(storage.last("h_bucket", ["le": "+Inf"])?.value == 2)
    }

    @Test func endOfRunMarksEverySeriesAndTheReportStale() throws {
        let storage = TestStorage()
        let session = ScrapeSession(targetLabels: Self.target, options: .init())
        try scrape(session, storage, "a 1\n", at: 1000)
        let app = storage.appender()
        #expect(session.markAllStale(time: 16_000, to: app) == nil)
        try app.commit()
        for name in ["a", "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_series_added"] {
            #expect(storage.last(name).map { StaleNaN.isStale($0.value) && $0.timestamp == 16_000 } == true, "\(name)")
        }
    }

    @Test func firstScrapeOffsetSpreadsTargetsOverTheInterval() {
        // Scrapes fall where the wall clock is at hash % interval.
        for (now, hash) in [(Int64(0), UInt64(0)), (1_234, 5_000), (59_999, 123_456_789)] {
            let delay = ScrapeLoop.firstDelayMs(now: now, intervalMs: 15_000, hash: hash)
            #expect(delay > 0 && delay <= 15_000)
            #expect((now + delay) % 15_000 == Int64(hash % 15_000))
        }
    }
}

@Suite struct ScrapeRelabelingTests {
    @Test func metricRelabelingDropsAndRewritesSamplesNotReportSeries() throws {
        var options = ScrapeSession.Options()
        options.metricRelabelConfigs = [
            try RelabelConfig(sourceLabels: ["__name__"], regex: "go_.*", action: .drop),
            try RelabelConfig(regex: "secret", action: .labeldrop),
            try RelabelConfig(sourceLabels: ["job"], regex: "(.*)", targetLabel: "team", replacement: "t-$1"),
            // A rule that would drop the report series if it applied to them.
            try RelabelConfig(sourceLabels: ["__name__"], regex: "up|scrape_.*", action: .drop),
        ]
        let storage = TestStorage()
        let session = ScrapeSession(targetLabels: ScrapeSessionTests.target, options: options)
        let body = "go_goroutines 5\nhttp_requests{secret=\"x\",code=\"200\"} 7\n"
        let (outcome, error) = try ScrapeSessionTests().scrape(session, storage, body, at: 1000)
        #expect(error == nil)
        #expect(outcome == ScrapeSession.Outcome(total: 2, added: 1, seriesAdded: 1))
        #expect(storage.series.contains(Labels([
            "__name__": "http_requests", "code": "200", "instance": "host:9100", "job": "node", "team": "t-node",
        ])))
        #expect(storage.last("go_goroutines") == nil)
        #expect(storage.last("up")?.value == 1, "report series skip metric relabeling")
        #expect(storage.last("scrape_samples_post_metric_relabeling")?.value == 1)
        // The dropped series is remembered: the next scrape skips it without relabeling.
        let (again, _) = try ScrapeSessionTests().scrape(session, storage, body, at: 2000)
        #expect(again.added == 1)
    }
}

@Suite struct TargetRelabelingTests {
    @Test func relabelingRewritesAndDropsTargets() throws {
        var config = ScrapeConfig(jobName: "blackbox", scrapeIntervalMs: 15_000, scrapeTimeoutMs: 10_000)
        config.metricsPath = "/probe"
        // The blackbox exporter pattern: the discovered address becomes a parameter and a label.
        config.relabelConfigs = [
            try RelabelConfig(sourceLabels: ["__address__"], targetLabel: "__param_target"),
            try RelabelConfig(sourceLabels: ["__param_target"], targetLabel: "instance"),
            try RelabelConfig(targetLabel: "__address__", replacement: "exporter:9115"),
            try RelabelConfig(sourceLabels: ["__meta_skip"], regex: "true", action: .drop),
        ]
        let group = TargetGroup(targets: ["https://example.com", "skip.me"], labels: .empty, source: "0")
        var built = config.targets(from: group)
        #expect(built.active.count == 2)
        let target = try #require(built.active.first)
        #expect(target.url == "http://exporter:9115/probe?target=https%3A%2F%2Fexample.com")
        #expect(target.sampleLabels == Labels(["instance": "https://example.com", "job": "blackbox"]))
        built = config.targets(from: TargetGroup(targets: ["a:1"], labels: Labels(["__meta_skip": "true"]), source: "0"))
        #expect(built.active.isEmpty && built.dropped.count == 1)
        #expect(built.dropped.first?.discoveredLabels["__meta_skip"] == "true")
    }
}

@Suite struct ScrapeMetadataTests {
    @Test func familiesOfTheLastSuccessfulScrape() throws {
        let storage = TestStorage()
        let session = ScrapeSession(targetLabels: ScrapeSessionTests.target, options: .init())
        try ScrapeSessionTests().scrape(
            session, storage, "# HELP a_total Things \\\\ counted.\n# TYPE a_total counter\na_total 1\n# TYPE b untyped\nb 1\n",
            at: 1000)
        #expect(session.metadata == [
            "a_total": MetricMetadata(type: "counter", help: "Things \\ counted.", unit: ""),
            "b": MetricMetadata(type: "unknown"),
        ])
        // A failed scrape keeps the last good metadata.
        try ScrapeSessionTests().scrape(session, storage, "# TYPE c gauge\nc{ 1\n", at: 2000)
        #expect(session.metadata.keys.sorted() == ["a_total", "b"])
        try ScrapeSessionTests().scrape(
            session, storage, "# TYPE t_celsius gauge\n# UNIT t_celsius celsius\nt_celsius 1\n# EOF\n", at: 3000,
            contentType: ScrapeSessionTests.openMetrics)
        #expect(session.metadata == ["t_celsius": MetricMetadata(type: "gauge", unit: "celsius")])
    }
}
