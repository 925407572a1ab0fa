// SeriesTable: an open-addressing hash table from label hash to series, one per hash stripe.

internal import MetricModel
internal import Glibc

/// Label hash → series, with linear probing over one contiguous array of slots.
///
/// A lookup touches one slot (hash compared inline) and then the series and its label bytes
/// to confirm, instead of walking dictionary storage and a collision array.
/// The table holds series unretained: `Head.refStripes` own them, and the head never frees
/// a series while it lives (series garbage collection comes with head compaction, and must
/// remove a series here before releasing it there).
/// Not thread-safe: guarded by its stripe's lock.
struct SeriesTable {
    struct Slot {
        var hash: UInt64
        var series: Unmanaged<MemSeries>?
    }

    private var slots: [Slot]
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(hash: 0, series: nil), count: size)
    }

    /// The series whose labels are exactly `encoded` (hash `hash`), if present.
    @inline(__always)
    func find(hash: UInt64, encoded: UnsafeRawBufferPointer) -> MemSeries? {
        slots.withUnsafeBufferPointer { table in
            let mask = table.count - 1
            var i = Int(truncatingIfNeeded: hash) & mask
            while let candidate = table[i].series {
                if table[i].hash == hash {
                    let series = candidate.takeUnretainedValue()
                    if Self.sameBytes(series.labels.bytes, encoded) { return series }
                }
                i = (i + 1) & mask
            }
            return nil
        }
    }

    /// Adds a series known to be absent.
    mutating func insert(hash: UInt64, _ series: MemSeries) {
        if (count + 1) * 2 > slots.count { grow() }
        Self.place(Slot(hash: hash, series: Unmanaged.passUnretained(series)), in: &slots)
        count += 1
    }

    /// Removes `series` (found by identity) if present; keeps probe chains intact by
    /// shifting later entries back (backward-shift deletion).
    mutating func remove(hash: UInt64, _ series: MemSeries) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while let candidate = slots[i].series {
            if candidate.toOpaque() == Unmanaged.passUnretained(series).toOpaque() { break }
            i = (i + 1) & mask
        }
        guard slots[i].series != nil else { return }
        slots[i].series = nil
        count -= 1
        var hole = i
        var j = (i + 1) & mask
        while slots[j].series != nil {
            let home = Int(truncatingIfNeeded: slots[j].hash) & mask
            // Move j back into the hole when its home position is not in (hole, j] cyclically.
            let inRange = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j)
            if !inRange {
                slots[hole] = slots[j]
                slots[j].series = nil
                hole = j
            }
            j = (j + 1) & mask
        }
    }

    private mutating func grow() {
        var bigger = [Slot](repeating: Slot(hash: 0, series: nil), count: slots.count * 2)
        for slot in slots where slot.series != nil { Self.place(slot, in: &bigger) }
        slots = bigger
    }

    private static func place(_ slot: Slot, in table: inout [Slot]) {
        let mask = table.count - 1
        var i = Int(truncatingIfNeeded: slot.hash) & mask
        while table[i].series != nil { i = (i + 1) & mask }
        table[i] = slot
    }

    @inline(__always)
    static func sameBytes(_ bytes: [UInt8], _ other: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count == other.count else { return false }
        return bytes.withUnsafeBytes { mine in
            // Safety: both buffers have `other.count` bytes.
            memcmp(mine.baseAddress!, other.baseAddress!, other.count) == 0
        }
    }
}
