// QueryGate: `--query.max-concurrency`. At most that many queries evaluate at once (Prometheus's
// ActiveQueryTracker); the others wait, first come first served, for at most their timeout, and
// at most `--query.max-queue-length` of them: past that a query is shed at once, so waiting
// cannot grow without bound (Prometheus lets any number of goroutines wait).

internal import NIOConcurrencyHelpers
package import MetricModel

/// Admission of queries to evaluation, shared by every tenant's API of one server.
///
/// ```swift
/// let gate = QueryGate(maxConcurrency: 20, maxQueueLength: 200)
/// switch await gate.enter(waitingAtMost: .seconds(120)) {
/// case .admitted(let waited): defer { gate.leave() }; evaluate(…)
/// case .queueFull, .timedOut: answer 503
/// }
/// ```
/// Thread-safety: all methods may be called concurrently.
package final class QueryGate: Sendable {
    /// What ``enter(waitingAtMost:)`` decided.
    package enum Admission: Sendable, Equatable {
        /// The query holds a slot now (call ``leave()`` when it is done), after waiting this long.
        case admitted(waited: Duration)
        /// Every slot was busy and the queue was full: the query was refused at once.
        case queueFull
        /// The query waited its whole timeout without getting a slot.
        case timedOut
    }

    /// `--query.max-concurrency`: queries evaluating at once.
    package let maxConcurrency: Int
    /// `--query.max-queue-length`: queries waiting for a slot at once; 0: none wait.
    package let maxQueueLength: Int
    /// Queries refused because the queue was full.
    package let shedQueueFull = Counter()
    /// Queries that waited their whole timeout.
    package let shedTimedOut = Counter()

    private enum Waiter {
        /// In the queue; its continuation once the waiting task has registered it.
        case waiting(CheckedContinuation<Bool, Never>?)
        /// Given a slot before its task registered a continuation.
        case granted
        /// Its wait ended before its task registered a continuation.
        case expired
    }

    private struct State {
        var running = 0
        /// Waiting ids, oldest first (at most `maxQueueLength`: linear removal is cheap).
        var queue: [UInt64] = []
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
    }

    private let state = NIOLockedValueBox(State())

    package init(maxConcurrency: Int, maxQueueLength: Int) {
        self.maxConcurrency = max(1, maxConcurrency)
        self.maxQueueLength = max(0, maxQueueLength)
    }

    /// Queries evaluating or waiting (`prometheus_engine_queries`).
    package var current: Int { state.withLockedValue { $0.running + $0.queue.count } }
    /// Queries waiting for a slot.
    package var waiting: Int { state.withLockedValue { $0.queue.count } }

    /// Takes a slot if one is free now, without waiting.
    package func tryEnter() -> Bool {
        state.withLockedValue { state in
            guard state.running < maxConcurrency && state.queue.isEmpty else { return false }
            state.running += 1
            return true
        }
    }

    /// Takes a slot, waiting in line for at most `timeout` (nil: as long as it takes).
    /// A cancelled task stops waiting as if its time were up.
    package func enter(waitingAtMost timeout: Duration?) async -> Admission {
        let started = ContinuousClock.now
        enum Fast { case admitted, full, queued(UInt64) }
        let fast = state.withLockedValue { state -> Fast in
            if state.running < maxConcurrency && state.queue.isEmpty {
                state.running += 1
                return .admitted
            }
            guard state.queue.count < maxQueueLength else { return .full }
            let id = state.nextID
            state.nextID += 1
            state.queue.append(id)
            state.waiters[id] = .waiting(nil)
            return .queued(id)
        }
        let id: UInt64
        switch fast {
        case .admitted: return .admitted(waited: .zero)
        case .full:
            shedQueueFull.add()
            return .queueFull
        case .queued(let queued): id = queued
        }
        let granted = await withTaskGroup(of: Bool?.self) { group -> Bool in
            group.addTask { await self.wait(id) }
            group.addTask {
                if let timeout { try? await Task.sleep(for: timeout) } else {
                    // No deadline: only cancellation ends the wait.
                    while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                }
                return nil
            }
            var granted = false
            while let result = await group.next() {
                if let result {
                    granted = result
                    break
                }
                // Time is up (or the task was cancelled): leave the queue unless the slot came first.
                expire(id)
            }
            group.cancelAll()
            return granted
        }
        if granted { return .admitted(waited: ContinuousClock.now - started) }
        shedTimedOut.add()
        return .timedOut
    }

    /// Gives the slot to the oldest waiter, or frees it.
    package func leave() {
        let next = state.withLockedValue { state -> CheckedContinuation<Bool, Never>? in
            while !state.queue.isEmpty {
                let id = state.queue.removeFirst()
                switch state.waiters[id] {
                case .waiting(let continuation?):
                    state.waiters[id] = nil
                    return continuation
                case .waiting(nil):
                    state.waiters[id] = .granted
                    return nil
                default:
                    state.waiters[id] = nil
                }
            }
            state.running -= 1
            return nil
        }
        next?.resume(returning: true)
    }

    /// Suspends until waiter `id` gets a slot (true) or its wait expires (false).
    private func wait(_ id: UInt64) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let decided = state.withLockedValue { state -> Bool? in
                switch state.waiters[id] {
                case .waiting:
                    state.waiters[id] = .waiting(continuation)
                    return nil
                case .granted:
                    state.waiters[id] = nil
                    return true
                case .expired, nil:
                    state.waiters[id] = nil
                    return false
                }
            }
            if let decided { continuation.resume(returning: decided) }
        }
    }

    /// Ends waiter `id`'s wait unless it was granted a slot already.
    private func expire(_ id: UInt64) {
        let continuation = state.withLockedValue { state -> CheckedContinuation<Bool, Never>? in
            guard case .waiting(let continuation) = state.waiters[id] else { return nil }
            state.queue.removeAll { $0 == id }
            if let continuation {
                state.waiters[id] = nil
                return continuation
            }
            state.waiters[id] = .expired
            return nil
        }
        continuation?.resume(returning: false)
    }
}
