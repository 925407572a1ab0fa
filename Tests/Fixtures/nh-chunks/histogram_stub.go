// Package histogram is a minimal stand-in for Prometheus's model/histogram:
// only the types and helpers tsdb/chunkenc needs to encode and decode chunks.
// Written for the Sugarmill golden-bytes generator (Go 1.19 compatible).
package histogram

import (
	"errors"
	"fmt"
)

type CounterResetHint byte

const (
	UnknownCounterReset CounterResetHint = iota
	CounterReset
	NotCounterReset
	GaugeType
)

const (
	ExponentialSchemaMax         int32 = 8
	ExponentialSchemaMaxReserved int32 = 52
	ExponentialSchemaMin         int32 = -4
	ExponentialSchemaMinReserved int32 = -9
	CustomBucketsSchema          int32 = -53
)

type Span struct {
	Offset int32
	Length uint32
}

type Histogram struct {
	CounterResetHint CounterResetHint
	Schema           int32
	ZeroThreshold    float64
	ZeroCount        uint64
	Count            uint64
	Sum              float64
	PositiveSpans    []Span
	NegativeSpans    []Span
	PositiveBuckets  []int64
	NegativeBuckets  []int64
	CustomValues     []float64
}

type FloatHistogram struct {
	CounterResetHint CounterResetHint
	Schema           int32
	ZeroThreshold    float64
	ZeroCount        float64
	Count            float64
	Sum              float64
	PositiveSpans    []Span
	NegativeSpans    []Span
	PositiveBuckets  []float64
	NegativeBuckets  []float64
	CustomValues     []float64
}

func IsCustomBucketsSchema(s int32) bool { return s == CustomBucketsSchema }

func IsKnownSchema(s int32) bool {
	return s == CustomBucketsSchema || (s >= ExponentialSchemaMinReserved && s <= ExponentialSchemaMaxReserved)
}

func UnknownSchemaError(s int32) error { return fmt.Errorf("unknown schema %d", s) }

func CustomBucketBoundsMatch(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The generator never writes reserved schemas, so these are not needed.
func (h *Histogram) Copy() *Histogram                  { c := *h; return &c }
func (h *FloatHistogram) Copy() *FloatHistogram        { c := *h; return &c }
func (h *Histogram) ReduceResolution(int32) error      { return errors.New("not supported") }
func (h *FloatHistogram) ReduceResolution(int32) error { return errors.New("not supported") }
