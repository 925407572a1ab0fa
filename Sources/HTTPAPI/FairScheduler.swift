// FairScheduler: shares a few slots of work among tenants, round robin, so that one tenant with
// many requests in flight cannot make another's wait behind all of them.

internal import Synchronization

/// Slots for CPU-bound work (decoding a write, evaluating a query), handed out in turn among the
/// tenants waiting for one: under contention each tenant with work waiting gets every n-th free
/// slot, however many requests it has queued. Uncontended, a slot is taken at once.
///
/// ```swift
/// let scheduler = FairScheduler(slots: 2)
/// let answer = await scheduler.run(tenant: "team-a") { evaluate(query) }
/// ```
/// Thread-safety: all methods may be called concurrently.
package final class FairScheduler: Sendable {
    private struct State {
        var free: Int
        /// Waiters per tenant, first come first served.
        var queues: [String: [CheckedContinuation<Void, Never>]] = [:]
        /// Tenants with waiters, in the order they get the next slots.
        var turn: [String] = []
    }

    private let state: Mutex<State>

    package init(slots: Int) {
        state = Mutex(State(free: max(1, slots)))
    }

    /// Runs `body` in a slot, waiting for one in this tenant's turn.
    package func run<T, Failure: Error>(tenant: String, _ body: () async throws(Failure) -> T) async throws(Failure) -> T {
        await acquire(tenant)
        defer { release() }
        return try await body()
    }

    private func acquire(_ tenant: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                if state.free > 0 && state.turn.isEmpty {
                    state.free -= 1
                    return true
                }
                if state.queues[tenant] == nil { state.turn.append(tenant) }
                state.queues[tenant, default: []].append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    /// Hands the slot to the first waiter of the tenant whose turn it is, or frees it.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.turn.isEmpty else {
                state.free += 1
                return nil
            }
            // Queues stay short (a tenant's requests in flight): removing from the front is cheap.
            let tenant = state.turn.removeFirst()
            let waiter = state.queues[tenant]!.removeFirst()
            if state.queues[tenant]!.isEmpty {
                state.queues[tenant] = nil
            } else {
                state.turn.append(tenant)
            }
            return waiter
        }
        next?.resume()
    }
}

/// A tenant's place in a shared ``FairScheduler`` (multi-tenant mode).
package struct FairShare: Sendable {
    package let scheduler: FairScheduler
    package let tenant: String

    package init(scheduler: FairScheduler, tenant: String) {
        self.scheduler = scheduler
        self.tenant = tenant
    }
}
