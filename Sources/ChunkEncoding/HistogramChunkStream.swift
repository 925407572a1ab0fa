// The parts of histogram (2) and float-histogram (3) chunks that do not depend on the kind of
// count: the byte stream with its 3-byte header, the sample count and time range, and the
// decoder's cursor over it; plus the per-sample state each kind keeps while writing and reading.

package import MetricModel

/// A histogram chunk's bytes while it is written: `BE16 num_samples`, the flag byte, the bit stream.
package struct HistogramChunkStream: Sendable {
    var writer: BitWriter
    var sampleCount = 0
    var firstTime: Int64 = 0
    var lastTime: Int64 = 0

    init() {
        writer = BitWriter(reservingCapacity: HistogramChunkLayout.initialCapacity)
        writer.writeBits(0, 24)
    }

    /// Records a sample just written at `t`: the count in the header, the time range.
    mutating func finishSample(at t: Int64) {
        precondition(sampleCount < Int(UInt16.max), "histogram chunk already holds 65535 samples")
        if sampleCount == 0 { firstTime = t }
        lastTime = t
        sampleCount += 1
        writer.setBigEndianUInt16(UInt16(sampleCount), at: 0)
    }
}

/// What histogram and float-histogram chunks share: their encoded bytes, header and time range.
package protocol NativeHistogramChunk: Sendable {
    /// The chunk encoding byte (2 or 3).
    static var encoding: UInt8 { get }
    /// The bytes and counters.
    var stream: HistogramChunkStream { get set }
}

extension NativeHistogramChunk {
    /// The encoded chunk: 3-byte header plus bit stream. A copy: O(n).
    package var bytes: [UInt8] { stream.writer.bytes }

    /// Size of ``bytes``, what the head compares with its target chunk size.
    package var byteCount: Int { stream.writer.byteCount }

    /// Number of samples.
    package var count: Int { stream.sampleCount }

    /// True when the chunk holds no samples.
    package var isEmpty: Bool { stream.sampleCount == 0 }

    /// Timestamp of the first sample; `Int64.max` when empty.
    package var minTime: Int64 { isEmpty ? .max : stream.firstTime }

    /// Timestamp of the last sample; `Int64.min` when empty.
    package var maxTime: Int64 { isEmpty ? .min : stream.lastTime }

    /// Why the chunk was started (the top two bits of byte 2).
    package var counterResetHeader: CounterResetHeader {
        get { CounterResetHeader(chunkByte: stream.writer.storage[HistogramChunkLayout.flagByte]) }
        set { stream.writer.setByte(newValue.rawValue, at: HistogramChunkLayout.flagByte) }
    }

    /// The chunk as a `ChunkData`.
    package var chunkData: ChunkData {
        ChunkData(minTime: minTime, maxTime: maxTime, encoding: Self.encoding, bytes: bytes)
    }
}

/// A decoder's position in a histogram chunk: header fields, bit reader, samples read, sticky error.
package struct HistogramChunkCursor: Sendable {
    var reader = BitReader([])
    var total = 0
    var read = 0
    var header = CounterResetHeader.unknown
    var errorMessage: String?

    /// Positions after the 3-byte header of `bytes`, or fails when there is none.
    init(_ bytes: [UInt8], kind: StaticString) {
        guard bytes.count >= HistogramChunkLayout.headerSize else {
            errorMessage = "\(kind) chunk is \(bytes.count) bytes, shorter than its 3-byte header"
            return
        }
        reader.reset(bytes, byteOffset: HistogramChunkLayout.headerSize)
        total = Int(bytes[0]) << 8 | Int(bytes[1])
        header = CounterResetHeader(chunkByte: bytes[HistogramChunkLayout.flagByte])
    }

    init() {}

    /// Whether another sample can be read.
    var canAdvance: Bool { errorMessage == nil && read < total }

    /// The hint of the sample last read.
    var hint: CounterResetHint { header.hint(forSampleAt: read - 1) }

    var error: DecodeError? { errorMessage.map(DecodeError.init) }

    /// Records why decoding stopped; returns false for `return fail(…)`.
    mutating func fail(_ kind: StaticString, _ what: String) -> Bool {
        errorMessage = "\(kind) chunk: \(what) at sample \(read) of \(total)"
        return false
    }

    /// Reads the layout of the first sample and checks it: the layout and the bucket counts it
    /// describes, or nil after recording the error. `bitsPerBucket`: the fewest bits a bucket takes
    /// in sample 0.
    mutating func readLayout(_ kind: StaticString, bitsPerBucket: Int) -> (HistogramChunkLayout.Fields, positive: Int, negative: Int)? {
        let layout: HistogramChunkLayout.Fields
        switch HistogramChunkLayout.read(from: &reader) {
        case .success(let decoded): layout = decoded
        case .failure(let error):
            _ = fail(kind, error.message)
            return nil
        }
        let positive = HistogramChunkLayout.bucketCount(layout.positiveSpans)
        let negative = HistogramChunkLayout.bucketCount(layout.negativeSpans)
        if !HistogramSchema.isValid(layout.schema) {
            // Prometheus reduces reserved schemas 9…52 to 8; we have no resolution reduction yet.
            _ = fail(kind, "unsupported schema \(layout.schema)")
        } else if positive &+ negative > reader.remainingBits / bitsPerBucket {
            // More buckets than the stream has bits for is corruption, not a reason to allocate.
            _ = fail(kind, "more buckets than the chunk has bits")
        }
        return errorMessage == nil ? (layout, positive, negative) : nil
    }
}

/// What the histogram and float-histogram iterators share: construction, header, error, seek.
package protocol NativeHistogramIterator: Sendable {
    /// "histogram" or "float histogram", for error messages.
    static var kind: StaticString { get }
    /// An iterator over no samples.
    init()
    var cursor: HistogramChunkCursor { get set }
    /// Timestamp of the current sample (valid after `next()` or `seek(to:)` returned true).
    var timestamp: Int64 { get }
    /// Advances to the next sample. False at the end of the chunk or on error (see ``error``).
    mutating func next() -> Bool
}

extension NativeHistogramIterator {
    /// An iterator over the chunk `bytes` (header included; trailing bytes are ignored).
    package init(_ bytes: [UInt8]) {
        self.init()
        reset(bytes)
    }

    /// Restarts on another chunk.
    package mutating func reset(_ bytes: [UInt8]) {
        self = Self()
        cursor = HistogramChunkCursor(bytes, kind: Self.kind)
    }

    /// Number of samples the chunk header announces.
    package var sampleCount: Int { cursor.total }

    /// The chunk's counter-reset header.
    package var counterResetHeader: CounterResetHeader { cursor.header }

    /// Why iteration stopped early, if it did.
    package var error: DecodeError? { cursor.error }

    /// Advances to the first sample with timestamp `>= target`; never moves backwards. False if none.
    package mutating func seek(to target: Int64) -> Bool {
        while cursor.read == 0 || timestamp < target {
            guard next() else { return false }
        }
        return cursor.errorMessage == nil
    }
}

/// One XOR-encoded float field: the last value's bits and its window (`leading == 0xFF`: none yet).
struct XORField: Sendable {
    var bits: UInt64
    var leading: UInt8 = 0xFF
    var trailing: UInt8 = 0

    /// A field holding `value`; writers start with no window (`0xFF`), readers with `0`, as in Prometheus.
    init(_ value: Double = 0, leading: UInt8 = 0xFF) {
        bits = value.bitPattern
        self.leading = leading
    }

    var value: Double { Double(bitPattern: bits) }

    var isStale: Bool { bits == StaleNaN.bits }

    /// Writes `value` XOR-encoded against this field and makes it the field's value.
    mutating func write(_ value: Double, to writer: inout BitWriter) {
        writer.writeXORValue(value, previous: bits, leading: &leading, trailing: &trailing)
        bits = value.bitPattern
    }

    /// Reads the next value of this field; false when truncated or corrupt.
    mutating func read(from reader: inout BitReader) -> Bool {
        reader.readXORValue(&bits, leading: &leading, trailing: &trailing)
    }
}

/// The last sample of an integer-histogram chunk and the deltas the next sample's dods are taken
/// against (signed, as gauge counts may fall), kept alike by the appender and the iterator.
struct IntegerHistogramState: Sendable {
    var t: Int64 = 0
    var count: UInt64 = 0
    var zeroCount: UInt64 = 0
    var tDelta: Int64 = 0
    var countDelta: Int64 = 0
    var zeroCountDelta: Int64 = 0
    /// The buckets as in `Histogram` (delta-encoded across buckets).
    var positiveBuckets: [Int64] = []
    var negativeBuckets: [Int64] = []
    /// Per bucket, its change at the last sample.
    var positiveDeltas: [Int64] = []
    var negativeDeltas: [Int64] = []
    var sum: XORField
}

/// The last sample of a float-histogram chunk: every field XOR-encoded with its own window.
struct FloatHistogramState: Sendable {
    var t: Int64 = 0
    var tDelta: Int64 = 0
    var count: XORField
    var zeroCount: XORField
    var sum: XORField
    var positiveBuckets: [XORField] = []
    var negativeBuckets: [XORField] = []

    /// Fields with no window (`leading` 0xFF) for writing, or a 0-bit window for reading.
    init(leading: UInt8) {
        count = XORField(leading: leading)
        zeroCount = XORField(leading: leading)
        sum = XORField(leading: leading)
    }
}
