// RefTable: series ref → series, the owning map of one ref stripe.

internal import MetricModel

/// An open-addressing table of series keyed by their ref, with linear probing and backward-shift
/// deletion. It owns the series (strong references).
///
/// Refs of one stripe differ in their high bits only (`ref & stripeMask` picks the stripe) and are
/// handed out in sequence, so `ref >> stripeBits` spreads them over consecutive slots with almost no
/// collisions. A slot is one pointer (the key is read from the series), and the table fills to 7/8
/// before it doubles: about 9–18 bytes per series, where a `[UInt64: MemSeries]` took ~42 at
/// 100k series (heaptrack).
/// Not thread-safe: guarded by its stripe's lock.
struct RefTable: Sequence {
    private var slots: [MemSeries?] = Array(repeating: nil, count: 8)
    private(set) var count = 0
    private let shift: UInt64

    /// - Parameter stripeBits: the low bits of a ref that select the stripe (ignored for placement).
    init(stripeBits: Int) {
        shift = UInt64(stripeBits)
    }

    @inline(__always)
    private func home(_ ref: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: ref >> shift) & mask
    }

    /// The series with this ref, if present.
    subscript(ref: UInt64) -> MemSeries? {
        slots.withUnsafeBufferPointer { table in
            let mask = table.count - 1
            var i = home(ref, mask: mask)
            while let candidate = table[i] {
                if candidate.ref.rawValue == ref { return candidate }
                i = (i + 1) & mask
            }
            return nil
        }
    }

    /// Adds a series whose ref is not in the table.
    mutating func insert(_ series: MemSeries) {
        if (count + 1) * 8 > slots.count * 7 { grow() }
        place(series)
        count += 1
    }

    /// Removes the series with this ref, if present.
    mutating func remove(ref: UInt64) {
        let mask = slots.count - 1
        var i = home(ref, mask: mask)
        while let candidate = slots[i] {
            if candidate.ref.rawValue == ref { break }
            i = (i + 1) & mask
        }
        guard slots[i] != nil else { return }
        slots[i] = nil
        count -= 1
        // Backward shift: move later members of the probe run into the hole when their home allows.
        var hole = i
        var j = (i + 1) & mask
        while let candidate = slots[j] {
            let h = home(candidate.ref.rawValue, mask: mask)
            // `candidate` may fill the hole unless its home lies cyclically in (hole, j].
            let homeAfterHole = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j)
            if !homeAfterHole {
                slots[hole] = candidate
                slots[j] = nil
                hole = j
            }
            j = (j + 1) & mask
        }
    }

    private mutating func place(_ series: MemSeries) {
        let mask = slots.count - 1
        var i = home(series.ref.rawValue, mask: mask)
        while slots[i] != nil { i = (i + 1) & mask }
        slots[i] = series
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: nil, count: old.count * 2)
        for case let series? in old { place(series) }
    }

    /// The series, in slot order.
    func makeIterator() -> some IteratorProtocol<MemSeries> {
        slots.lazy.compactMap { $0 }.makeIterator()
    }
}
