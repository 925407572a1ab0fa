// Command nhgold prints the bytes Prometheus's own chunk encoders (tsdb/chunkenc) write for fixed
// native-histogram sequences, as golden vectors for Sugarmill's Swift encoders.
// Output: one line per chunk, "<case> <chunk#> <hex>"; a case may yield several chunks.
package main

import (
	"encoding/hex"
	"fmt"
	"math"

	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/model/value"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

type intSample struct {
	t int64
	h *histogram.Histogram
}

type floatSample struct {
	t int64
	h *histogram.FloatHistogram
}

// collect appends n samples through appendOne, starting a new chunk whenever the appender returns
// one that is not a recode of the current chunk (the head's behaviour, without size-based cutting).
func collect(chk chunkenc.Chunk, n int, appendOne func(app chunkenc.Appender, i int) (chunkenc.Chunk, bool, chunkenc.Appender, error)) []chunkenc.Chunk {
	var chunks []chunkenc.Chunk
	app, err := chk.Appender()
	if err != nil {
		panic(err)
	}
	for i := 0; i < n; i++ {
		newChunk, recoded, newApp, err := appendOne(app, i)
		if err != nil {
			panic(err)
		}
		app = newApp
		if newChunk != nil {
			if !recoded {
				chunks = append(chunks, chk)
			}
			chk = newChunk
		}
	}
	return append(chunks, chk)
}

func printChunks(name string, chunks []chunkenc.Chunk) {
	for i, c := range chunks {
		fmt.Printf("%s %d %s\n", name, i, hex.EncodeToString(c.Bytes()))
	}
}

func appendInts(name string, samples []intSample) {
	printChunks(name, collect(chunkenc.NewHistogramChunk(), len(samples), func(app chunkenc.Appender, i int) (chunkenc.Chunk, bool, chunkenc.Appender, error) {
		return app.AppendHistogram(nil, 0, samples[i].t, samples[i].h.Copy(), false)
	}))
}

func appendFloats(name string, samples []floatSample) {
	printChunks(name, collect(chunkenc.NewFloatHistogramChunk(), len(samples), func(app chunkenc.Appender, i int) (chunkenc.Chunk, bool, chunkenc.Appender, error) {
		return app.AppendFloatHistogram(nil, 0, samples[i].t, samples[i].h.Copy(), false)
	}))
}

func spans(pairs ...int) []histogram.Span {
	var out []histogram.Span
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, histogram.Span{Offset: int32(pairs[i]), Length: uint32(pairs[i+1])})
	}
	return out
}

func main() {
	stale := math.Float64frombits(value.StaleNaN)
	defaultZT := math.Ldexp(1, -128)

	// basic: three counter samples, both sides, default zero threshold, a gap in the positive spans.
	appendInts("int-basic", []intSample{
		{1000, &histogram.Histogram{Schema: 0, ZeroThreshold: defaultZT, ZeroCount: 1, Count: 9, Sum: 18.4,
			PositiveSpans: spans(0, 2, 1, 1), PositiveBuckets: []int64{2, 1, -2},
			NegativeSpans: spans(-1, 1), NegativeBuckets: []int64{2}}},
		{2000, &histogram.Histogram{Schema: 0, ZeroThreshold: defaultZT, ZeroCount: 2, Count: 14, Sum: 25.5,
			PositiveSpans: spans(0, 2, 1, 1), PositiveBuckets: []int64{3, 1, -1},
			NegativeSpans: spans(-1, 1), NegativeBuckets: []int64{3}}},
		{3010, &histogram.Histogram{Schema: 0, ZeroThreshold: defaultZT, ZeroCount: 2, Count: 30, Sum: 1e6,
			PositiveSpans: spans(0, 2, 1, 1), PositiveBuckets: []int64{10, 5, -13},
			NegativeSpans: spans(-1, 1), NegativeBuckets: []int64{4}}},
	})
	// empty: no buckets at all, zero threshold 0, then large counts (56- and 64-bit varbits) and a negative timestamp.
	appendInts("int-empty", []intSample{
		{-5000, &histogram.Histogram{Schema: 3}},
		{-4000, &histogram.Histogram{Schema: 3, Count: 1 << 40, ZeroCount: 1 << 40, Sum: -3}},
		{0, &histogram.Histogram{Schema: 3, Count: 1<<62 + 7, ZeroCount: 1 << 40, Sum: -3}},
	})
	// recode: the third sample adds buckets before, between and after the chunk's (forward inserts),
	// the fourth lacks a bucket that is empty in the chunk (backward insert).
	recodeSamples := []intSample{
		{100, &histogram.Histogram{Schema: 1, ZeroThreshold: 0.001, Count: 5, Sum: 5,
			PositiveSpans: spans(1, 2, 2, 1), PositiveBuckets: []int64{1, 1, 0}}},
		{200, &histogram.Histogram{Schema: 1, ZeroThreshold: 0.001, Count: 6, Sum: 6,
			PositiveSpans: spans(1, 2, 2, 1), PositiveBuckets: []int64{1, 2, -1}}},
		{300, &histogram.Histogram{Schema: 1, ZeroThreshold: 0.001, Count: 12, Sum: 7,
			PositiveSpans: spans(0, 4, 1, 2), PositiveBuckets: []int64{1, 0, 2, -3, 2, 1}}},
		{400, &histogram.Histogram{Schema: 1, ZeroThreshold: 0.001, Count: 13, Sum: 8,
			PositiveSpans: spans(0, 3, 2, 2), PositiveBuckets: []int64{1, 0, 3, -2, 1}}},
	}
	appendInts("int-recode", recodeSamples)
	// reset: a counter reset, then a schema change, then a stale marker and a sample after it.
	resetSamples := []intSample{
		{1000, &histogram.Histogram{Count: 10, Sum: 10, PositiveSpans: spans(0, 1), PositiveBuckets: []int64{10}}},
		{2000, &histogram.Histogram{Count: 4, Sum: 3, PositiveSpans: spans(0, 1), PositiveBuckets: []int64{4}}},
		{3000, &histogram.Histogram{Schema: 2, Count: 5, Sum: 4, PositiveSpans: spans(0, 1), PositiveBuckets: []int64{5}}},
		{4000, &histogram.Histogram{Sum: stale}},
		{5000, &histogram.Histogram{Schema: 2, Count: 6, Sum: 5, PositiveSpans: spans(0, 1), PositiveBuckets: []int64{6}}},
		{6000, &histogram.Histogram{Schema: 2, Count: 7, Sum: 5, CounterResetHint: histogram.CounterReset,
			PositiveSpans: spans(0, 1), PositiveBuckets: []int64{7}}},
	}
	appendInts("int-reset", resetSamples)
	// custom: schema -53 with bounds in all encodings, then a bounds change (a reset).
	customSamples := []intSample{
		{10, &histogram.Histogram{Schema: -53, Count: 6, Sum: 2.5, PositiveSpans: spans(0, 2, 2, 1), PositiveBuckets: []int64{1, 2, -1},
			CustomValues: []float64{0, 0.5, 1.25, 33554.43, 33554.431, 0.1234, -1, 1e9}}},
		{20, &histogram.Histogram{Schema: -53, Count: 8, Sum: 3.5, PositiveSpans: spans(0, 2, 2, 1), PositiveBuckets: []int64{1, 3, -1},
			CustomValues: []float64{0, 0.5, 1.25, 33554.43, 33554.431, 0.1234, -1, 1e9}}},
		{30, &histogram.Histogram{Schema: -53, Count: 9, Sum: 4.5, PositiveSpans: spans(0, 1), PositiveBuckets: []int64{9},
			CustomValues: []float64{1, 2}}},
	}
	appendInts("int-custom", customSamples)
	// gauge: counts and buckets go down, buckets come and go (forward and backward inserts).
	gaugeSamples := []intSample{
		{1000, &histogram.Histogram{CounterResetHint: histogram.GaugeType, Count: 8, ZeroCount: 2, Sum: 1.5,
			PositiveSpans: spans(0, 2), PositiveBuckets: []int64{3, 0}, NegativeSpans: spans(2, 1), NegativeBuckets: []int64{0}}},
		{2000, &histogram.Histogram{CounterResetHint: histogram.GaugeType, Count: 3, ZeroCount: 1, Sum: -0.5,
			PositiveSpans: spans(1, 2), PositiveBuckets: []int64{1, 0}, NegativeSpans: spans(0, 1), NegativeBuckets: []int64{0}}},
		{3000, &histogram.Histogram{CounterResetHint: histogram.GaugeType, Count: 1, Sum: 0,
			PositiveSpans: spans(-2, 1), PositiveBuckets: []int64{1}}},
		{4000, &histogram.Histogram{Sum: stale, CounterResetHint: histogram.GaugeType}},
		{5000, &histogram.Histogram{Count: 1, Sum: 0, PositiveSpans: spans(-2, 1), PositiveBuckets: []int64{1}}},
	}
	appendInts("int-gauge", gaugeSamples)

	floatOf := func(s []intSample) []floatSample {
		out := make([]floatSample, len(s))
		for i, x := range s {
			out[i] = floatSample{x.t, toFloat(x.h)}
		}
		return out
	}
	appendFloats("float-basic", []floatSample{
		{1000, &histogram.FloatHistogram{ZeroThreshold: defaultZT, ZeroCount: 1, Count: 9.5, Sum: 18.4,
			PositiveSpans: spans(0, 2, 1, 1), PositiveBuckets: []float64{2, 3.5, 1},
			NegativeSpans: spans(-1, 1), NegativeBuckets: []float64{2}}},
		{2000, &histogram.FloatHistogram{ZeroThreshold: defaultZT, ZeroCount: 2, Count: 14.25, Sum: 25.5,
			PositiveSpans: spans(0, 2, 1, 1), PositiveBuckets: []float64{3, 4.25, 3},
			NegativeSpans: spans(-1, 1), NegativeBuckets: []float64{2}}},
		{3010, &histogram.FloatHistogram{ZeroThreshold: defaultZT, ZeroCount: 2, Count: 1e9, Sum: 1e6,
			PositiveSpans: spans(0, 2, 1, 1), PositiveBuckets: []float64{3, 1e9 - 10, 5},
			NegativeSpans: spans(-1, 1), NegativeBuckets: []float64{2}}},
	})
	appendFloats("float-recode", floatOf(recodeSamples))
	appendFloats("float-reset", floatOf(resetSamples[:5]))
	appendFloats("float-custom", floatOf(customSamples[:2]))
	appendFloats("float-gauge", floatOf(gaugeSamples))
}

// toFloat converts delta-encoded integer buckets to absolute float counts (all fields kept).
func toFloat(h *histogram.Histogram) *histogram.FloatHistogram {
	abs := func(deltas []int64) []float64 {
		var out []float64
		var cur int64
		for _, d := range deltas {
			cur += d
			out = append(out, float64(cur))
		}
		return out
	}
	return &histogram.FloatHistogram{
		CounterResetHint: h.CounterResetHint, Schema: h.Schema, ZeroThreshold: h.ZeroThreshold,
		ZeroCount: float64(h.ZeroCount), Count: float64(h.Count), Sum: h.Sum,
		PositiveSpans: h.PositiveSpans, NegativeSpans: h.NegativeSpans,
		PositiveBuckets: abs(h.PositiveBuckets), NegativeBuckets: abs(h.NegativeBuckets),
		CustomValues: h.CustomValues,
	}
}
