// The common shape of sample iterators over chunks: `next`, `seek`, `at`, sticky error.

package import MetricModel

/// A forward iterator over float samples in time order, with a sticky decode error.
///
/// Use it as a generic constraint (`some ChunkSampleIterator`, `<I: ChunkSampleIterator>`), not as an
/// existential, so hot loops are specialized:
///
/// ```swift
/// func sum(_ it: inout some ChunkSampleIterator) throws(DecodeError) -> Double {
///     var total = 0.0
///     while it.next() { total += it.value }
///     if let error = it.error { throw error }
///     return total
/// }
/// ```
package protocol ChunkSampleIterator {
    /// Advances to the next sample. False at the end or on error.
    mutating func next() -> Bool
    /// Advances to the first sample with timestamp `>= t` at or after the current one. False if none.
    mutating func seek(to t: Timestamp) -> Bool
    /// Timestamp of the current sample.
    var timestamp: Timestamp { get }
    /// Value of the current sample (NaN payloads preserved).
    var value: Double { get }
    /// Set when the data is truncated or corrupt; iteration has stopped.
    var error: DecodeError? { get }
}

/// Conveniences for any conformer. Note: Swift 6.3 does not specialize or inline extension methods
/// of a `package` protocol in other modules (they run through the witness table), so hot loops
/// should read `timestamp` and `value` directly; the concrete iterators also have their own `at()`.
extension ChunkSampleIterator {
    /// The current sample as `(timestamp, value)`.
    @inlinable
    package func at() -> (Timestamp, Double) { (timestamp, value) }

    /// The current sample.
    @inlinable
    package var sample: Sample { Sample(timestamp, value) }

    /// Collects the remaining samples into `output` (appending), then reports any error.
    ///
    /// - Throws: the iterator's ``error`` if iteration stopped early.
    @inlinable
    package mutating func collect(into output: inout [Sample]) throws(DecodeError) {
        while next() { output.append(Sample(timestamp, value)) }
        if let error { throw error }
    }
}
