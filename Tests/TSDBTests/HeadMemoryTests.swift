// Memory per head series: the sizes the peak-RSS target (issue #3: at most half of
// VictoriaMetrics's per series) depends on. A new stored property that pushes a series into the
// next malloc size class costs 16 bytes per active series; these tests make that a decision.
// `@testable` (against STYLE's rule) because the measured object is internal to the head and no
// package API should expose its allocation size.

import ChunkEncoding
import MetricModel
import Testing
@testable import TSDB

/// glibc's `malloc_usable_size(3)` (not exported by the Glibc module).
@_silgen_name("malloc_usable_size")
private func mallocUsableSize(_ pointer: UnsafeMutableRawPointer?) -> Int

@Suite struct HeadMemoryTests {
    @Test func memSeriesFitsA144ByteMallocChunk() {
        let series = MemSeries(ref: SeriesRef(1), labels: Labels(["__name__": "up"]))
        series.headChunk = XORChunk()
        let usable = mallocUsableSize(Unmanaged.passUnretained(series).toOpaque())
        // glibc: a 144-byte chunk has 136 usable bytes; the object is 136 bytes today.
        #expect(usable <= 136, "MemSeries grew into a larger malloc size class: \(usable) usable bytes")
        withExtendedLifetime(series) {}
    }
}
