// FaultTable: the registry behind the fault injectors (issue #10) — storage I/O (`IOFaults`) and
// the network (`NetworkFaults`). Each fault applies to what its target matches, for a number of
// operations, or until a time, or until cleared; the paths that ask read one atomic while none is
// registered.

internal import Synchronization

/// Injected faults of one kind: `Target` says what a fault strikes, `Effect` what it does.
///
/// ```swift
/// let table = FaultTable<String, Int32>()
/// table.inject(EIO, on: "/data/", times: 1)
/// table.strike { path.hasPrefix($0) }   // ("/data/", EIO) once, then nil
/// ```
package final class FaultTable<Target: Sendable, Effect: Sendable>: Sendable {
    private struct Fault {
        var target: Target
        var effect: Effect
        /// Operations it still applies to; nil: until cleared or expired.
        var remaining: Int?
        /// When it stops applying; nil: until cleared.
        var expires: ContinuousClock.Instant?
    }

    private let faults = Mutex<[Fault]>([])
    /// How many faults are registered: ``strike(_:)`` reads only this (no lock) while none are.
    private let count = Atomic<Int>(0)

    package init() {}

    /// From now on, what `target` matches gets `effect` — for `times` operations, or until
    /// `duration` has passed, or until cleared.
    package func inject(_ effect: Effect, on target: Target, times: Int? = nil, for duration: Duration? = nil) {
        let fault = Fault(target: target, effect: effect, remaining: times, expires: duration.map { ContinuousClock.now + $0 })
        faults.withLock {
            $0.append(fault)
            count.store($0.count, ordering: .releasing)
        }
    }

    /// Removes the faults whose target `matches`.
    package func clear(where matches: (Target) -> Bool) {
        faults.withLock {
            $0.removeAll { matches($0.target) }
            count.store($0.count, ordering: .releasing)
        }
    }

    /// The first fault in force for which `applies` holds, its target and effect, using up one of
    /// its `times`; nil when there is none.
    package func strike(_ applies: (Target) -> Bool) -> (target: Target, effect: Effect)? {
        if count.load(ordering: .acquiring) == 0 { return nil }
        return faults.withLock { faults in
            let now = ContinuousClock.now
            faults.removeAll { ($0.expires.map { $0 <= now } ?? false) || ($0.remaining.map { $0 <= 0 } ?? false) }
            count.store(faults.count, ordering: .releasing)
            guard let index = faults.firstIndex(where: { applies($0.target) }) else { return nil }
            if let remaining = faults[index].remaining { faults[index].remaining = remaining - 1 }
            return (faults[index].target, faults[index].effect)
        }
    }
}
