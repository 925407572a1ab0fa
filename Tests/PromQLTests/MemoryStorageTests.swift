// MemoryStorage: chunks of at most 120 samples, select by matchers and time, label queries,
// and what `load` / `load_with_nhcb` put into it.

import MetricModel
import PromQL
import Testing

@Suite("MemoryStorage")
struct MemoryStorageTests {
    @Test func cutsChunksAt120Samples() throws {
        var storage = MemoryStorage()
        let labels = Labels(["__name__": "m"])
        try storage.append(labels, (0..<250).map { Sample(Int64($0) * 1000, Double($0)) })
        let series = try storage.select(matchers: [], minTime: .min, maxTime: .max, sorted: true)
        #expect(series.count == 1)
        let chunks = series[0].chunks
        #expect(chunks.map(\.minTime) == [0, 120_000, 240_000])
        #expect(chunks.map(\.maxTime) == [119_000, 239_000, 249_000])
        #expect(chunks.allSatisfy { $0.encoding == 1 })
        // The head's count in the chunk header: BE16 number of samples.
        #expect(chunks.map { Int($0.bytes[0]) << 8 | Int($0.bytes[1]) } == [120, 120, 10])

        // Appending later fills the open chunk and cuts new ones, and reads back every sample.
        try storage.append(labels, (250..<300).map { Sample(Int64($0) * 1000, Double($0)) })
        let more = try storage.select(matchers: [], minTime: .min, maxTime: .max, sorted: true)[0].chunks
        #expect(more.map { Int($0.bytes[0]) << 8 | Int($0.bytes[1]) } == [120, 120, 60])
        #expect(throws: AppendError.outOfOrder) { try storage.append(labels, [Sample(299_000, 1)]) }
    }

    @Test func selectHonoursMatchersAndTime() throws {
        let storage = try MemoryStorage(loading: """
            load 1m
              up{job="api", instance="1"} 1 1 1
              up{job="db"} _ _ _ 0 0
              other{job="api"} 5
            """)
        func names(_ matchers: [LabelMatcher], _ minTime: Timestamp = .min, _ maxTime: Timestamp = .max) throws -> [String] {
            try storage.select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: true).map { "\($0.labels)" }
        }
        let up = try LabelMatcher(.equal, "__name__", "up")
        #expect(try names([up]) == [#"{__name__="up", instance="1", job="api"}"#, #"{__name__="up", job="db"}"#])
        #expect(try names([up, try LabelMatcher(.regexMatch, "job", "d.")]) == [#"{__name__="up", job="db"}"#])
        // A matcher on a missing label matches "".
        #expect(try names([up, try LabelMatcher(.equal, "instance", "")]) == [#"{__name__="up", job="db"}"#])
        // Time bounds are inclusive; series without samples in range are left out.
        #expect(try names([up], 0, 120_000) == [#"{__name__="up", instance="1", job="api"}"#])
        #expect(try names([up], 180_000, 180_000) == [#"{__name__="up", job="db"}"#])
        #expect(try names([up], 300_000, 400_000).isEmpty)

        #expect(try storage.labelNames(matchers: [], minTime: .min, maxTime: .max) == ["__name__", "instance", "job"])
        #expect(try storage.labelValues(name: "job", matchers: [up], minTime: .min, maxTime: .max) == ["api", "db"])
        #expect(try storage.labelValues(name: "__name__", matchers: [], minTime: 60_000, maxTime: .max) == ["up"])
    }

    @Test func loadsAppendAcrossBlocksAndKeepStaleMarkers() throws {
        let storage = try MemoryStorage(loading: """
            load 10s
              m 0 1 stale

            load 10s
              m _ _ _ 3
            """)
        let chunks = try storage.select(matchers: [], minTime: .min, maxTime: .max, sorted: true)[0].chunks
        #expect(chunks.count == 1)
        #expect(chunks[0].maxTime == 30_000)
        #expect(throws: PromQLTestError.self) {
            try MemoryStorage(loading: "load 10s\n  m 0 1\n\nload 10s\n  m 5\n")
        }
    }

    @Test func nativeHistogramSeriesAreFlagged() throws {
        let storage = try MemoryStorage(loading: """
            load 1m
              mixed 0 1 {{schema:0 sum:1 count:2}}
              plain 1 2

            load_with_nhcb 1m
              h_bucket{le="0.1", job="a"} 1 2
              h_bucket{le="+Inf", job="a"} 3 4
              h_count{job="a"} 3 4
              h_sum{job="a"} 1 2
              notahistogram_total 1
            """)
        #expect(storage.nativeHistogramSeries.map { "\($0)" } == [#"{__name__="h", job="a"}"#, #"{__name__="mixed"}"#])
        #expect(storage.readsNativeHistograms([try LabelMatcher(.equal, "__name__", "h")]))
        #expect(!storage.readsNativeHistograms([try LabelMatcher(.equal, "__name__", "h_bucket")]))
        // The floats of a mixed series stay queryable.
        #expect(try storage.select(matchers: [try LabelMatcher(.equal, "__name__", "mixed")], minTime: .min, maxTime: .max, sorted: true).count == 1)
    }
}
