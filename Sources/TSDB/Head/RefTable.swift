// RefTable: series ref → series, the owning map of one ref stripe.

internal import MetricModel

/// An open-addressing table of series keyed by their ref, with linear probing and backward-shift
/// deletion. It owns the series: a reference is retained when inserted and released when removed
/// (or by ``releaseAll()``), and held unmanaged in between, so that lookups on the append path
/// (``unmanaged(_:)``) cost no reference counting. A table value must not be copied and then
/// mutated on both sides: the copy does not own.
///
/// Refs of one stripe differ in their high bits only (`ref & stripeMask` picks the stripe) and are
/// handed out in sequence, so `ref >> stripeBits` spreads them over consecutive slots with almost no
/// collisions. A slot is one pointer (the key is read from the series), and the table fills to 7/8
/// before it doubles: about 9–18 bytes per series, where a `[UInt64: MemSeries]` took ~42 at
/// 100k series (heaptrack).
/// Not thread-safe: guarded by its stripe's lock.
struct RefTable: Sequence {
    private var slots: [Unmanaged<MemSeries>?] = Array(repeating: nil, count: 8)
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
        unmanaged(ref)?.takeUnretainedValue()
    }

    /// The series with this ref, unretained: valid while the stripe's lock is held (removal
    /// happens under it).
    @inline(__always)
    func unmanaged(_ ref: UInt64) -> Unmanaged<MemSeries>? {
        slots.withUnsafeBufferPointer { table in
            let mask = table.count - 1
            var i = home(ref, mask: mask)
            while let candidate = table[i] {
                if Self.ref(of: candidate) == ref { return candidate }
                i = (i + 1) & mask
            }
            return nil
        }
    }

    @inline(__always)
    private static func ref(of series: Unmanaged<MemSeries>) -> UInt64 {
        series._withUnsafeGuaranteedRef { $0.ref.rawValue }
    }

    /// Adds a series whose ref is not in the table.
    mutating func insert(_ series: MemSeries) {
        if (count + 1) * 8 > slots.count * 7 { grow() }
        place(Unmanaged.passRetained(series))
        count += 1
    }

    /// Drops every series (the owner is going away).
    mutating func releaseAll() {
        for case let series? in slots { series.release() }
        slots = Array(repeating: nil, count: 8)
        count = 0
    }

    /// Removes the series with this ref, if present.
    mutating func remove(ref: UInt64) {
        let mask = slots.count - 1
        var i = home(ref, mask: mask)
        while let candidate = slots[i] {
            if Self.ref(of: candidate) == ref { break }
            i = (i + 1) & mask
        }
        guard let found = slots[i] else { return }
        slots[i] = nil
        found.release()
        count -= 1
        // Backward shift: move later members of the probe run into the hole when their home allows.
        var hole = i
        var j = (i + 1) & mask
        while let candidate = slots[j] {
            let h = home(Self.ref(of: candidate), mask: mask)
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

    private mutating func place(_ series: Unmanaged<MemSeries>) {
        let mask = slots.count - 1
        var i = home(Self.ref(of: series), mask: mask)
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
        slots.lazy.compactMap { $0?.takeUnretainedValue() }.makeIterator()
    }
}
