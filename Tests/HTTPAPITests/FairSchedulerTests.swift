// FairScheduler: slots handed out in turns among tenants, so a tenant with a long queue cannot
// keep another waiting behind all of it.

import HTTPAPI
import Synchronization
import Testing

@Suite struct FairSchedulerTests {
    /// Records the order jobs ran in.
    final class Log: Sendable {
        let entries = Mutex<[String]>([])
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    @Test func waitingTenantsTakeTurns() async throws {
        let scheduler = FairScheduler(slots: 1)
        let log = Log()
        let (gate, open) = AsyncStream<Void>.makeStream()
        // The slot is held until `open` yields, while both tenants queue behind it.
        let holder = Task {
            await scheduler.run(tenant: "noisy") {
                log.add("noisy-0")
                for await _ in gate { break }
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        var jobs: [Task<Void, Never>] = []
        for i in 1...4 {
            jobs.append(Task { await scheduler.run(tenant: "noisy") { log.add("noisy-\(i)") } })
            try await Task.sleep(for: .milliseconds(20))
        }
        jobs.append(Task { await scheduler.run(tenant: "quiet") { log.add("quiet-1") } })
        try await Task.sleep(for: .milliseconds(50))
        open.yield()
        await holder.value
        for job in jobs { await job.value }
        // quiet waited for one of noisy's queued jobs, not for all four.
        #expect(log.all == ["noisy-0", "noisy-1", "quiet-1", "noisy-2", "noisy-3", "noisy-4"])
    }

    /// How many jobs run at once, and the most seen.
    final class Concurrency: Sendable {
        let state = Mutex<(now: Int, most: Int)>((0, 0))
        func enter() { state.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func leave() { state.withLock { $0.now -= 1 } }
    }

    @Test func neverMoreJobsAtOnceThanSlots() async {
        let scheduler = FairScheduler(slots: 2)
        let concurrency = Concurrency()
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<20 {
                group.addTask {
                    await scheduler.run(tenant: "t\(i % 3)") {
                        concurrency.enter()
                        try? await Task.sleep(for: .milliseconds(5))
                        concurrency.leave()
                    }
                }
            }
        }
        #expect(concurrency.state.withLock { $0 } == (0, 2))
    }
}
