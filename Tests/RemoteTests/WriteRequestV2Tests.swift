// Remote write 2.0 decoding: symbols, label references, metadata, counts, malformed input; and
// choosing the message from Content-Type.

import MetricModel
import Remote
import Snappy
import Testing

@Suite struct WriteRequestV2Tests {
    @Test func decodesSymbolsAndSortsLabels() throws {
        let body = WriteRequest.encodeV2([
            V2Series(
                labels: [("job", "api"), ("__name__", "http_requests_total"), ("code", "200")],
                samples: [Sample(1000, 1), Sample(2000, StaleNaN.value)],
                exemplars: [Sample(1500, 0.5)],
                metadata: (type: 1, help: "Requests.", unit: "requests")),
            V2Series(
                labels: [("__name__", "temp"), ("job", "api")], samples: [Sample(5, -2.5)],
                histograms: [(7, .integer(Self.histogram)), (8, .float(Self.histogram.toFloat()))]),
        ])
        var request = WriteRequest()
        try request.decodeV2(protobuf: body)
        #expect(request.invalidSeries.isEmpty)
        #expect(request.series.count == 2)
        #expect(request.labels(of: 0) == Labels(["__name__": "http_requests_total", "code": "200", "job": "api"]))
        let samples = request.series[0].samples.map { request.samples[$0] }
        #expect(samples[0] == Sample(1000, 1))
        #expect(samples[1].value.bitPattern == StaleNaN.bits)
        #expect(request.labels(of: 1) == Labels(["__name__": "temp", "job": "api"]))
        #expect(request.histogramCount == 2)
        #expect(request.histograms.map(\.series) == [1, 1])
        #expect(request.histograms.map(\.timestamp) == [7, 8])
        if case .integer(let h) = request.histograms.first?.value { #expect(h == Self.histogram) } else { Issue.record("not an integer histogram") }
        if case .float(let h) = request.histograms.last?.value { #expect(h == Self.histogram.toFloat()) } else { Issue.record("not a float histogram") }
        #expect(request.exemplarCount == 1)
        #expect(
            request.metadata == [
                SeriesMetadata(metricName: "http_requests_total", type: "counter", help: "Requests.", unit: "requests")
            ])
        // Reused: a second decode starts afresh.
        try request.decodeV2(protobuf: WriteRequest.encodeV2([V2Series(labels: [("__name__", "a")], samples: [Sample(1, 1)])]))
        #expect(request.series.count == 1 && request.histogramCount == 0 && request.exemplarCount == 0 && request.metadata.isEmpty)
    }

    /// 3 observations in (1, 2], 5 in (2, 4], 1 in [-1, -0.5).
    static let histogram = Histogram(
        counterResetHint: .notCounterReset, schema: 0, zeroThreshold: 0.001, zeroCount: 0, count: 9, sum: 12.5,
        positiveSpans: [BucketSpan(offset: 1, length: 2)], positiveBuckets: [3, 2],
        negativeSpans: [BucketSpan(offset: 0, length: 1)], negativeBuckets: [1])

    /// The `Histogram` message written field by field from types.proto (not by our encoder):
    /// packed and unpacked repeated fields, zig-zag schema and offsets, both count kinds.
    @Test func decodesTheHistogramMessageFieldByField() throws {
        func le(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
        var integer: [UInt8] = [0x08, 0x09] + [0x19] + le(12.5) + [0x20, 0x00] + [0x29] + le(0.001) + [0x30, 0x00]
        integer += [0x42, 0x04, 0x08, 0x00, 0x10, 0x01]  // negative span (0, 1)
        integer += [0x4a, 0x01, 0x02]  // packed negative deltas [1]
        integer += [0x5a, 0x04, 0x08, 0x02, 0x10, 0x02]  // positive span (1, 2)
        integer += [0x60, 0x06, 0x60, 0x04]  // unpacked positive deltas 3, 2
        integer += [0x70, 0x02, 0x78, 0xE8, 0x07]  // hint "no reset", timestamp 1000
        var float: [UInt8] = [0x11] + le(9) + [0x19] + le(12.5) + [0x20, 0x01] + [0x39] + le(0.5)  // schema -1, zero count 0.5
        float += [0x5a, 0x04, 0x08, 0x03, 0x10, 0x02]  // positive span (-2, 2)
        float += [0x69] + le(3) + [0x69] + le(5.5)  // unpacked positive counts
        float += [0x70, 0x03, 0x78, 0xD0, 0x0F]  // gauge, timestamp 2000
        var series: [UInt8] = [0x0a, 0x02, 0x01, 0x02]  // labels_refs 1, 2 (packed)
        series += [0x1a, UInt8(integer.count)] + integer + [0x1a, UInt8(float.count)] + float
        var body: [UInt8] = [0x2a, UInt8(series.count)] + series
        for symbol in ["", "__name__", "h"] { body += [0x22, UInt8(symbol.utf8.count)] + Array(symbol.utf8) }
        var request = WriteRequest()
        try request.decodeV2(protobuf: body)
        #expect(request.invalidSeries.isEmpty)
        #expect(request.histograms.map(\.timestamp) == [1000, 2000])
        guard case .integer(let h) = request.histograms.first?.value, case .float(let f) = request.histograms.last?.value else {
            Issue.record("wrong kinds: \(request.histograms)")
            return
        }
        #expect(h == Self.histogram)
        #expect(h.counterResetHint == .notCounterReset)
        #expect(
            f == FloatHistogram(
                schema: -1, zeroCount: 0.5, count: 9, sum: 12.5, positiveSpans: [BucketSpan(offset: -2, length: 2)],
                positiveBuckets: [3, 5.5]))
        #expect(f.counterResetHint == .gauge)
        // Cut anywhere inside a histogram: decoded up to a field boundary, else an error; never a trap.
        var failures = 0
        for cut in 1..<integer.count {
            var short: [UInt8] = [0x0a, 0x02, 0x01, 0x02, 0x1a, UInt8(cut)] + integer[..<cut]
            short = [0x2a, UInt8(short.count)] + short
            for symbol in ["", "__name__", "h"] { short += [0x22, UInt8(symbol.utf8.count)] + Array(symbol.utf8) }
            do { try request.decodeV2(protobuf: short) } catch { failures += 1 }
        }
        #expect(failures >= 10)
    }

    @Test func symbolsMayFollowTheSeriesAndRefsMayBeUnpacked() throws {
        // symbols: "", "__name__", "m"; one series with unpacked refs 1, 2 and a sample; the symbol
        // table written after it.
        var series: [UInt8] = [0x08, 0x01, 0x08, 0x02]  // labels_refs 1, 2 (varint, unpacked)
        series += [0x12, 0x0b, 0x09] + withUnsafeBytes(of: 3.0.bitPattern.littleEndian, Array.init) + [0x10, 0x07]
        var body: [UInt8] = [0x2a, UInt8(series.count)] + series
        for symbol in ["", "__name__", "m"] { body += [0x22, UInt8(symbol.utf8.count)] + Array(symbol.utf8) }
        var request = WriteRequest()
        try request.decodeV2(protobuf: body)
        #expect(request.labels(of: 0) == Labels(["__name__": "m"]))
        #expect(request.samples == [Sample(7, 3)])
    }

    @Test func malformedReferencesAndEmptySeries() throws {
        var request = WriteRequest()
        // A reference past the symbol table.
        var body = WriteRequest.encodeV2([V2Series(labels: [("__name__", "m")], samples: [Sample(1, 1)])])
        body += [0x2a, 0x06, 0x0a, 0x02, 0x01, 0x09, 0x12, 0x00]
        #expect(throws: RemoteWriteError.self) { try request.decodeV2(protobuf: body) }
        // An odd number of references.
        #expect(throws: RemoteWriteError.self) { try request.decodeV2(protobuf: [0x22, 0x00, 0x2a, 0x03, 0x0a, 0x01, 0x00]) }
        // No samples and no histograms: invalid, as in Prometheus.
        try request.decodeV2(protobuf: WriteRequest.encodeV2([V2Series(labels: [("__name__", "m")], samples: [])]))
        #expect(request.invalidSeries.first?.hasPrefix("TimeSeries must contain at least one sample or histogram") == true)
        // Labels checked as in 1.0: no metric name.
        try request.decodeV2(protobuf: WriteRequest.encodeV2([V2Series(labels: [("job", "x")], samples: [Sample(1, 1)])]))
        #expect(request.invalidSeries.first?.hasSuffix("missing metric name") == true)
        // Duplicate names after sorting.
        try request.decodeV2(
            protobuf: WriteRequest.encodeV2([V2Series(labels: [("__name__", "m"), ("a", "1"), ("a", "2")], samples: [Sample(1, 1)])]))
        #expect(request.invalidSeries.first?.contains("duplicate label name") == true)
        // Truncated bodies never trap.
        let good = WriteRequest.encodeV2([V2Series(labels: [("__name__", "m")], samples: [Sample(1, 1)], metadata: (2, "h", "u"))])
        for cut in 1..<good.count {
            do { try request.decodeV2(protobuf: Array(good.prefix(cut))) } catch {}
        }
    }

    @Test func messageFromContentType() {
        #expect(RemoteWriteMessage(contentType: nil) == .v1)
        #expect(RemoteWriteMessage(contentType: "application/x-protobuf") == .v1)
        #expect(RemoteWriteMessage(contentType: "application/x-protobuf;proto=prometheus.WriteRequest") == .v1)
        #expect(RemoteWriteMessage(contentType: "application/x-protobuf; proto=io.prometheus.write.v2.Request") == .v2)
        #expect(RemoteWriteMessage(contentType: "application/x-protobuf;proto=io.prometheus.write.v3.Request") == nil)
        #expect(RemoteWriteMessage(contentType: "application/json") == nil)
        #expect(RemoteWriteMessage(contentType: "text/plain") == nil)
    }
}

@Suite struct WriteRequestMetadataTests {
    @Test func version1MetadataIsRead() throws {
        // MetricMetadata{type: GAUGE, metric_family_name: "temp", help: "Temperature.", unit: "celsius"}
        var metadata: [UInt8] = [0x08, 0x02, 0x12, 0x04] + Array("temp".utf8)
        metadata += [0x22, 0x0c] + Array("Temperature.".utf8) + [0x2a, 0x07] + Array("celsius".utf8)
        let body = WriteRequest.encode([([("__name__", "temp")], [Sample(1, 20)])]) + [0x1a, UInt8(metadata.count)] + metadata
        var request = WriteRequest()
        try request.decode(protobuf: body)
        #expect(request.metadata == [SeriesMetadata(metricName: "temp", type: "gauge", help: "Temperature.", unit: "celsius")])
        #expect(request.sampleCount == 1)
        // Without a family name it says nothing.
        try request.decode(protobuf: body.dropLast(metadata.count + 2) + [0x1a, 0x02, 0x08, 0x01])
        #expect(request.metadata.isEmpty)
    }
}

@Suite struct WriteRequestExemplarTests {
    @Test func version1ExemplarsAreRead() throws {
        // TimeSeries{labels: {__name__="m"}, samples: [(1, 5)], exemplars: [{labels: {trace_id="abc"}, 0.5, 3}]}
        let label: [UInt8] = [0x0a, 0x08] + Array("trace_id".utf8) + [0x12, 0x03] + Array("abc".utf8)
        var exemplar: [UInt8] = [0x0a, UInt8(label.count)] + label + [0x11]
        exemplar += withUnsafeBytes(of: 0.5.bitPattern.littleEndian, Array.init) + [0x18, 0x03]
        var series = Array(WriteRequest.encode([([("__name__", "m")], [Sample(1, 5)])]).dropFirst(2))
        series += [0x1a, UInt8(exemplar.count)] + exemplar
        let body: [UInt8] = [0x0a, UInt8(series.count)] + series
        var request = WriteRequest()
        try request.decode(protobuf: body)
        #expect(request.exemplars == [DecodedExemplar(series: 0, labels: Labels(["trace_id": "abc"]), value: 0.5, timestamp: 3)])
        #expect(request.exemplarCount == 1)
    }

    @Test func version2ExemplarsResolveTheirSymbols() throws {
        var request = WriteRequest()
        try request.decodeV2(
            protobuf: WriteRequest.encodeV2([V2Series(labels: [("__name__", "m")], samples: [Sample(1, 1)], exemplars: [Sample(2, 7)])]))
        #expect(request.exemplars == [DecodedExemplar(series: 0, labels: .empty, value: 7, timestamp: 2)])
    }
}
