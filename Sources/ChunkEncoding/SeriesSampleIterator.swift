// Iterates the samples of one series across its time-ordered chunks, optionally within a time range.

package import MetricModel

/// Iterates the samples of a series' chunks (`[ChunkData]`, time-ordered), restricted to
/// `[minTime, maxTime]` (inclusive).
///
/// ```swift
/// var it = SeriesSampleIterator(series.chunks, minTime: start, maxTime: end)
/// while it.next() { use(it.timestamp, it.value) }
/// if let error = it.error { throw error }
/// ```
///
/// * Only encoding 1 (XOR) is decoded; a chunk with another encoding sets ``error``
///   ("invalid chunk encoding", as Prometheus reports it) when iteration reaches it.
/// * Chunks whose `[minTime, maxTime]` lies entirely before the range are skipped without decoding;
///   iteration ends at the first chunk that starts after the range; `seek(to:)` past the current
///   chunk's end leaves it without decoding the rest. The chunk metadata is trusted.
/// * Overlapping chunks are not merged: samples come out in chunk order.
///
/// Complexity: O(1) per sample, no allocation (the chunk bytes are retained, not copied).
///
/// Access: `public` type with `package` members so the per-sample fast path of `next()` inlines
/// into other modules (see ``XORChunk``); chunk switching stays out of line.
public struct SeriesSampleIterator: ChunkSampleIterator, Sendable {
    /// Not `@usableFromInline`: `ChunkData` is a `package` type; only the slow path touches it.
    var _chunks: [ChunkData]
    /// Index of the next chunk to open.
    var _nextChunk: Int
    @usableFromInline
    var _chunk: XORIterator
    /// True while `_chunk` may still yield samples inside the range.
    @usableFromInline
    var _active: Bool
    /// True when `_chunk`'s current sample is the current sample of this iterator.
    @usableFromInline
    var _positioned: Bool
    @usableFromInline
    var _done: Bool
    @usableFromInline
    var _minTime: Int64
    @usableFromInline
    var _maxTime: Int64
    /// The open chunk's last timestamp (from its metadata): a seek past it skips the rest of the
    /// chunk without decoding it.
    var _chunkMaxTime: Int64
    var _error: DecodeError?

    /// An iterator over `chunks`, restricted to `[minTime, maxTime]` (inclusive).
    package init(_ chunks: [ChunkData], minTime: Timestamp = .min, maxTime: Timestamp = .max) {
        _chunks = chunks
        _nextChunk = 0
        _chunk = XORIterator()
        _active = false
        _positioned = false
        _done = false
        _minTime = minTime
        _maxTime = maxTime
        _chunkMaxTime = .min
        _error = nil
    }

    /// Restarts on other chunks, reusing this value.
    package mutating func reset(_ chunks: [ChunkData], minTime: Timestamp = .min, maxTime: Timestamp = .max) {
        _chunks = chunks
        _nextChunk = 0
        _active = false
        _positioned = false
        _done = false
        _minTime = minTime
        _maxTime = maxTime
        _error = nil
    }

    /// Timestamp of the current sample.
    @inlinable
    package var timestamp: Int64 { _chunk.timestamp }

    /// Value of the current sample.
    @inlinable
    package var value: Double { _chunk.value }

    /// The current sample as `(timestamp, value)`.
    @inlinable
    package func at() -> (Int64, Double) { (timestamp, value) }

    /// Why iteration stopped early: a corrupt chunk or an unsupported encoding.
    package var error: DecodeError? { _error }

    /// Advances to the next sample inside the range. False at the end or on error.
    @inlinable
    package mutating func next() -> Bool {
        // Fast path: the current chunk's next sample, inside the range.
        if _active && _chunk.next() {
            let t = _chunk.timestamp
            if t >= _minTime && t <= _maxTime {
                _positioned = true
                return true
            }
            if t > _maxTime { _active = false }
        }
        return _nextSlow()
    }

    /// Slow path of `next()`: skips samples before the range, switches chunks, reports errors.
    @usableFromInline
    mutating func _nextSlow() -> Bool {
        if _done { return false }
        while true {
            if _active {
                if _chunk.next() {
                    let t = _chunk.timestamp
                    if t < _minTime { continue }
                    if t > _maxTime {
                        _active = false
                        continue
                    }
                    _positioned = true
                    return true
                }
                if let error = _chunk.error { return _fail(error) }
                _active = false
            }
            _positioned = false
            guard _openChunk(endingNotBefore: _minTime) else { return _finish() }
        }
    }

    /// Advances to the first sample `>= t` (and inside the range), never moving backwards.
    package mutating func seek(to t: Timestamp) -> Bool {
        if _done { return false }
        if _positioned && _chunk.timestamp >= t { return true }
        let target = Swift.max(t, _minTime)
        while true {
            if _active && _chunkMaxTime < target { _active = false }
            if _active {
                if _chunk.seek(to: target) {
                    if _chunk.timestamp > _maxTime {
                        _active = false
                        continue
                    }
                    _positioned = true
                    return true
                }
                if let error = _chunk.error { return _fail(error) }
                _active = false
            }
            _positioned = false
            guard _openChunk(endingNotBefore: target) else { return _finish() }
        }
    }

    /// Opens the next chunk that can hold samples `>= from` and `<= _maxTime`.
    mutating func _openChunk(endingNotBefore from: Timestamp) -> Bool {
        while _nextChunk < _chunks.count {
            let index = _nextChunk
            _nextChunk &+= 1
            let meta = _chunks[index]
            if meta.maxTime < from { continue }
            if meta.minTime > _maxTime {
                _nextChunk = _chunks.count
                return false
            }
            guard meta.encoding == XORChunk.encoding else {
                _error = DecodeError("invalid chunk encoding \(meta.encoding) (chunk \(index) of the series)")
                return false
            }
            _chunk.reset(meta.bytes)
            _chunkMaxTime = meta.maxTime
            _active = true
            return true
        }
        return false
    }

    mutating func _fail(_ error: DecodeError) -> Bool {
        _error = error
        return _finish()
    }

    mutating func _finish() -> Bool {
        _done = true
        _active = false
        _positioned = false
        return false
    }
}
