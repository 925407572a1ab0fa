// The scrape cache (Prometheus's `scrapeCache`): per target, the series seen in recent scrapes
// by their exposed text, so that an unchanged series skips label parsing, relabeling and the
// storage's lookup; and which of them the last two scrapes appended, to find those that
// disappeared.

import MetricModel

/// One target's memory of its series. Used by one scrape loop at a time.
///
/// Entries live in arrays indexed by a slot number; an open-addressing table maps exposed texts
/// to slots by the texts' own 64-bit hash (no second hashing, as `Dictionary` would do). Lookups
/// borrow the scrape body's bytes (no copy, no reference counting); only new series copy their
/// text.
struct ScrapeCache {
    /// Slot of each exposed text.
    private var slots = SlotTable()
    /// The exposed text of each slot (owned copies).
    private var keys: [SeriesKey] = []
    private var refs: [SeriesRef] = []
    private var labels: [Labels] = []
    /// The scrape (``iteration``) that last saw each slot.
    private var lastSeen: [UInt64] = []
    /// The scrape that last appended each slot's sample for staleness tracking (0: none).
    private var lastTracked: [UInt64] = []
    /// Exposed texts that metric relabeling dropped, with the scrape that last saw them.
    private var dropped: [SeriesKey: UInt64] = [:]
    /// Counts scrapes, from 2: `lastTracked` 0 means never, and must not look like the
    /// scrape before the first.
    private(set) var iteration: UInt64 = 2
    /// Entries after the last successful scrape (to flush a cache that only grows).
    private var successfulCount = 0
    /// The slot after the last one found: exporters list their series in the same order every
    /// time, so this is usually the next series' slot, and a byte comparison with it saves
    /// hashing the text and probing the table.
    private var nextGuess = 0

    /// A cached series.
    struct Entry {
        var slot: Int
        var ref: SeriesRef
        var seenThisScrape: Bool
    }

    /// The cached series for the exposed `text` (borrowed), marked as seen by this scrape.
    mutating func get(_ text: UnsafeRawBufferPointer) -> Entry? {
        let slot: Int
        if nextGuess < keys.count && keys[nextGuess].matches(text) {
            slot = nextGuess
        } else {
            guard let found = slots.find(SeriesKey(borrowing: text), keys) else { return nil }
            slot = found
        }
        nextGuess = slot + 1
        let seen = lastSeen[slot] == iteration
        lastSeen[slot] = iteration
        return Entry(slot: slot, ref: refs[slot], seenThisScrape: seen)
    }

    func labels(of slot: Int) -> Labels { labels[slot] }

    /// Adds a series; returns its slot.
    @discardableResult
    mutating func add(_ text: SeriesKey, ref: SeriesRef, labels newLabels: Labels) -> Int {
        let slot = refs.count
        keys.append(text.owned())
        slots.insert(text.hashValue64, slot: slot)
        refs.append(ref)
        labels.append(newLabels)
        lastSeen.append(iteration)
        lastTracked.append(0)
        return slot
    }

    mutating func updateRef(_ slot: Int, _ ref: SeriesRef) { refs[slot] = ref }

    mutating func addDropped(_ text: SeriesKey) {
        dropped[text.owned()] = iteration
    }

    mutating func isDropped(_ text: UnsafeRawBufferPointer) -> Bool {
        if dropped.isEmpty { return false }
        guard let index = dropped.index(forKey: SeriesKey(borrowing: text)) else { return false }
        dropped.values[index] = iteration
        return true
    }

    /// Marks the slot's series as appended in this scrape.
    mutating func trackStaleness(_ slot: Int) {
        lastTracked[slot] = iteration
    }

    /// Series appended in the previous scrape but not in this one.
    func forEachStale(_ body: (SeriesRef, Labels) throws -> Bool) rethrows {
        let previous = iteration - 1
        for slot in lastTracked.indices where lastTracked[slot] == previous {
            if try !body(refs[slot], labels[slot]) { return }
        }
    }

    /// Ends a scrape. With `flush` (a successful, non-empty scrape) entries not seen in it are
    /// dropped.
    mutating func iterationDone(flush: Bool) {
        var flush = flush
        let count = refs.count + dropped.count
        if flush {
            successfulCount = count
        } else if count > successfulCount * 2 + 1000 {
            // Failed scrapes with changing series would grow the cache without end.
            flush = true
        }
        if flush { compact() }
        iteration &+= 1
        nextGuess = 0
    }

    /// Drops the slots not seen in this scrape (a series is tracked for staleness only in a
    /// scrape that saw it, so none the next scrape needs is lost).
    private mutating func compact() {
        var keep = [Bool](repeating: false, count: refs.count)
        for slot in refs.indices where lastSeen[slot] == iteration { keep[slot] = true }
        if keep.allSatisfy({ $0 }) {
            dropped = dropped.filter { $0.value == iteration }
            return
        }
        var newKeys: [SeriesKey] = []
        var newRefs: [SeriesRef] = []
        var newLabels: [Labels] = []
        var newSeen: [UInt64] = []
        var newTracked: [UInt64] = []
        var table = SlotTable()
        for slot in refs.indices {
            guard keep[slot] else { continue }
            table.insert(keys[slot].hashValue64, slot: newRefs.count)
            newKeys.append(keys[slot])
            newRefs.append(refs[slot])
            newLabels.append(labels[slot])
            newSeen.append(lastSeen[slot])
            newTracked.append(lastTracked[slot])
        }
        slots = table
        keys = newKeys
        refs = newRefs
        labels = newLabels
        lastSeen = newSeen
        lastTracked = newTracked
        dropped = dropped.filter { $0.value == iteration }
    }
}

/// A series as exposed (`name{labels}` bytes) as a dictionary key: hashed with a fast word-wise
/// hash, compared by bytes. Lookup keys borrow the scrape body (valid only during the scrape);
/// stored keys own a copy.
struct SeriesKey: Hashable {
    private let base: UnsafeRawPointer?
    private let count: Int
    private let hash: UInt64
    /// Keeps an owned key's bytes alive.
    private let owner: OwnedBytes?

    /// A key borrowing `bytes`, which must outlive its use.
    init(borrowing bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress
        count = bytes.count
        hash = LabelHash.hash(bytes)
        owner = nil
    }

    private init(owner: OwnedBytes, count: Int, hash: UInt64) {
        self.owner = owner
        base = UnsafeRawPointer(owner.bytes.baseAddress)
        self.count = count
        self.hash = hash
    }

    /// A key with its own copy of the bytes.
    func owned() -> SeriesKey {
        SeriesKey(owner: OwnedBytes(copying: UnsafeRawBufferPointer(start: base, count: count)), count: count, hash: hash)
    }

    static func == (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        guard lhs.hash == rhs.hash && lhs.count == rhs.count else { return false }
        if lhs.count == 0 { return true }
        return memcmp(lhs.base!, rhs.base!, lhs.count) == 0
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    /// Whether the key's bytes are `bytes` (no hash needed).
    @inline(__always)
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard count == bytes.count else { return false }
        if count == 0 { return true }
        return memcmp(base!, bytes.baseAddress!, count) == 0
    }

    /// The word-wise hash of the bytes.
    var hashValue64: UInt64 { hash }
}

/// Open addressing with linear probing from exposed-text hashes to cache slots; at most half
/// full. Slots' keys are compared to confirm a hash match.
struct SlotTable {
    /// The hash of each occupied position's key.
    private var hashes: [UInt64] = []
    /// Slot + 1 at each position, 0 when empty.
    private var entries: [Int32] = []
    private var count = 0

    func find(_ key: SeriesKey, _ keys: [SeriesKey]) -> Int? {
        guard !entries.isEmpty else { return nil }
        let mask = entries.count - 1
        let hash = key.hashValue64
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = entries[i]
            if entry == 0 { return nil }
            if hashes[i] == hash {
                let slot = Int(entry) - 1
                if keys[slot] == key { return slot }
            }
            i = (i + 1) & mask
        }
    }

    mutating func insert(_ hash: UInt64, slot: Int) {
        if (count + 1) * 2 > entries.count { grow() }
        let mask = entries.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while entries[i] != 0 { i = (i + 1) & mask }
        entries[i] = Int32(slot + 1)
        hashes[i] = hash
        count += 1
    }

    private mutating func grow() {
        let old = (hashes, entries)
        let capacity = max(64, entries.count * 2)
        hashes = [UInt64](repeating: 0, count: capacity)
        entries = [Int32](repeating: 0, count: capacity)
        count = 0
        for i in old.1.indices where old.1[i] != 0 {
            insert(old.0[i], slot: Int(old.1[i]) - 1)
        }
    }
}

/// Bytes copied into memory of their own, freed with the object.
final class OwnedBytes {
    let bytes: UnsafeMutableRawBufferPointer

    init(copying source: UnsafeRawBufferPointer) {
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(source.count, 1), alignment: 1)
        if source.count > 0 { bytes.copyMemory(from: source) }
    }

    deinit { bytes.deallocate() }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
