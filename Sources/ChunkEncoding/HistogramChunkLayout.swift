// What histogram (encoding 2) and float-histogram (encoding 3) chunks share: the 3-byte header with
// its counter-reset bits, and the layout written before the first sample (Prometheus
// `tsdb/chunkenc/histogram_meta.go`; spec/tsdb-format.md §8 "Histogram chunks").

package import MetricModel

/// The top two bits of a histogram chunk's third byte: why the chunk was started.
///
/// ```swift
/// CounterResetHeader(chunkByte: 0b1100_0000)   // .gauge
/// ```
package enum CounterResetHeader: UInt8, Sendable, Hashable {
    /// Unknown whether a counter reset started this chunk; readers compare with the previous chunk.
    case unknown = 0b0000_0000
    /// A counter reset started this chunk.
    case counterReset = 0b1000_0000
    /// The chunk was cut for another reason; its first sample is no reset.
    case notCounterReset = 0b0100_0000
    /// A gauge histogram chunk: counter resets do not apply.
    case gauge = 0b1100_0000

    /// The header of a chunk whose third byte is `chunkByte` (the low 6 bits are ignored).
    package init(chunkByte: UInt8) {
        self = CounterResetHeader(rawValue: chunkByte & 0b1100_0000) ?? .unknown
    }

    /// The header a sample's hint asks for (Prometheus's `CounterResetHintToHeader`).
    package init(_ hint: CounterResetHint) {
        switch hint {
        case .unknown: self = .unknown
        case .counterReset: self = .counterReset
        case .notCounterReset: self = .notCounterReset
        case .gauge: self = .gauge
        }
    }

    /// The hint Prometheus 3.x's iterators give the sample at `position` (0-based) of a chunk with
    /// this header: `.gauge` in gauge chunks, `.notCounterReset` after the first sample, and
    /// `.unknown` for the first sample whatever the header says (the chunk before may be gone or
    /// have been added later; prometheus/prometheus#15346). 2.42 gave a first sample of a
    /// `.counterReset` chunk the hint `.counterReset`.
    package func hint(forSampleAt position: Int) -> CounterResetHint {
        if self == .gauge { return .gauge }
        return position > 0 ? .notCounterReset : .unknown
    }
}

/// Byte layout constants and the layout block of histogram chunks.
///
/// Chunk = `BE16 num_samples`, one flag byte (bits 7–6: ``CounterResetHeader``, the rest 0), then a
/// bit stream: the layout (zero threshold, varbit schema, positive spans, negative spans, custom
/// bounds for schema -53), then the samples.
enum HistogramChunkLayout {
    /// Bytes before the bit stream.
    static let headerSize = 3
    /// Position of the counter-reset flag byte.
    static let flagByte = 2
    /// Bytes Prometheus allocates for a new chunk.
    static let initialCapacity = 128

    /// What the first sample of a chunk fixes for all of them.
    struct Fields: Sendable {
        var schema: Int32 = 0
        var zeroThreshold: Double = 0
        var positiveSpans: [BucketSpan] = []
        var negativeSpans: [BucketSpan] = []
        /// Bounds of schema -53; empty otherwise.
        var customValues: [Double] = []

        init() {}

        init(schema: Int32, zeroThreshold: Double, positiveSpans: [BucketSpan], negativeSpans: [BucketSpan], customValues: [Double]) {
            self.schema = schema
            self.zeroThreshold = zeroThreshold
            self.positiveSpans = positiveSpans
            self.negativeSpans = negativeSpans
            self.customValues = customValues
        }

        init(of h: Histogram) {
            self.init(
                schema: h.schema, zeroThreshold: h.zeroThreshold, positiveSpans: h.positiveSpans,
                negativeSpans: h.negativeSpans, customValues: h.customValues)
        }

        init(of h: FloatHistogram) {
            self.init(
                schema: h.schema, zeroThreshold: h.zeroThreshold, positiveSpans: h.positiveSpans,
                negativeSpans: h.negativeSpans, customValues: h.customValues)
        }
    }

    /// Writes the layout of a chunk's first sample (`writeHistogramChunkLayout`).
    static func write(_ layout: Fields, to w: inout BitWriter) {
        writeZeroThreshold(layout.zeroThreshold, to: &w)
        w.writeVarbitInt(Int64(layout.schema))
        writeSpans(layout.positiveSpans, to: &w)
        writeSpans(layout.negativeSpans, to: &w)
        if HistogramSchema.isCustomBuckets(layout.schema) {
            w.writeVarbitUint(UInt64(layout.customValues.count))
            for bound in layout.customValues { writeCustomBound(bound, to: &w) }
        }
    }

    /// Reads the layout (`readHistogramChunkLayout`); the message says what was wrong.
    static func read(from r: inout BitReader) -> Result<Fields, DecodeError> {
        guard let zeroThreshold = readZeroThreshold(from: &r) else { return .failure(DecodeError("truncated zero threshold")) }
        guard let rawSchema = r.readVarbitInt() else { return .failure(DecodeError("truncated schema")) }
        let schema = Int32(truncatingIfNeeded: rawSchema)
        guard let positive = readSpans(from: &r), let negative = readSpans(from: &r) else {
            return .failure(DecodeError("truncated or oversized spans"))
        }
        var bounds: [Double] = []
        if HistogramSchema.isCustomBuckets(schema) {
            // Every bound takes at least 5 bits: a larger count is corrupt, not a reason to allocate.
            guard let count = r.readVarbitUint(), count <= UInt64(r.remainingBits / 5) else {
                return .failure(DecodeError("truncated or oversized custom bounds"))
            }
            bounds.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let bound = readCustomBound(from: &r) else { return .failure(DecodeError("truncated custom bound")) }
                bounds.append(bound)
            }
        }
        return .success(Fields(
            schema: schema, zeroThreshold: zeroThreshold, positiveSpans: positive, negativeSpans: negative,
            customValues: bounds))
    }

    /// `varbit_uint(count)`, then per span `varbit_uint(length) varbit_int(offset)`.
    static func writeSpans(_ spans: [BucketSpan], to w: inout BitWriter) {
        w.writeVarbitUint(UInt64(spans.count))
        for span in spans {
            w.writeVarbitUint(UInt64(span.length))
            w.writeVarbitInt(Int64(span.offset))
        }
    }

    static func readSpans(from r: inout BitReader) -> [BucketSpan]? {
        // A span takes at least 2 bits.
        guard let count = r.readVarbitUint(), count <= UInt64(r.remainingBits / 2) else { return nil }
        var spans: [BucketSpan] = []
        spans.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let length = r.readVarbitUint(), let offset = r.readVarbitInt() else { return nil }
            spans.append(BucketSpan(offset: Int32(truncatingIfNeeded: offset), length: UInt32(truncatingIfNeeded: length)))
        }
        return spans
    }

    /// One byte for 0 (`0`) and for 2^(e-1) with e in -242…11 (`e + 243`); otherwise `0xFF` and the
    /// 64 float bits (`putZeroThreshold`; Prometheus's default 2^-128 is the byte 116).
    static func writeZeroThreshold(_ threshold: Double, to w: inout BitWriter) {
        if threshold == 0 { return w.writeByte(0) }
        // Go's Frexp fraction is 0.5 exactly for positive finite powers of two; its exponent is ours + 1.
        if threshold > 0, threshold.isFinite, threshold.significand == 1,
            (-242...11).contains(Int(threshold.exponent) + 1)
        {
            return w.writeByte(UInt8(Int(threshold.exponent) + 1 + 243))
        }
        w.writeByte(0xFF)
        w.writeBits(threshold.bitPattern, 64)
    }

    static func readZeroThreshold(from r: inout BitReader) -> Double? {
        guard let byte = r.readByte() else { return nil }
        switch byte {
        case 0: return 0
        case 0xFF: return r.readBits(64).map(Double.init(bitPattern:))
        default: return Double(sign: .plus, exponent: Int(byte) - 244, significand: 1)
        }
    }

    /// A bound that is a whole number of thousandths in 0…33554.430 is `varbit_uint(bound * 1000 + 1)`;
    /// any other is a `0` bit and the 64 float bits (`putCustomBound`).
    static func writeCustomBound(_ bound: Double, to w: inout BitWriter) {
        let scaled = bound * 1000
        // NaN fails the range check, so the conversion below never sees it.
        guard scaled >= 0, scaled <= 33_554_430, Double(UInt64(scaled.rounded())) / 1000 == bound else {
            w.writeBit(false)
            return w.writeBits(bound.bitPattern, 64)
        }
        w.writeVarbitUint(UInt64(scaled.rounded()) + 1)
    }

    static func readCustomBound(from r: inout BitReader) -> Double? {
        guard let encoded = r.readVarbitUint() else { return nil }
        if encoded == 0 { return r.readBits(64).map(Double.init(bitPattern:)) }
        return Double(encoded - 1) / 1000
    }

    /// How many buckets `spans` describe (Prometheus's `countSpans`).
    static func bucketCount(_ spans: [BucketSpan]) -> Int {
        spans.reduce(0) { $0 &+ Int($1.length) }
    }
}
