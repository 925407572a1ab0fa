// Injected network faults on the sending side (issue #10): a remote-write queue whose sends are
// reset, time out or lose their connection retries each batch until it lands — every sample
// arrives, none is dropped. (A send that really timed out may have been stored and is sent again:
// remote write is at-least-once, so the receiver may see a batch twice.)

import Foundation
import MetricModel
import NIOConcurrencyHelpers
import RemoteStorage
import Scrape
import Testing
import TSDB

@Suite(.serialized) struct NetworkFaultTests {
    @Test(arguments: NetworkFaults.Effect.allCases)
    func remoteWriteRetriesThroughInjectedFaults(_ effect: NetworkFaults.Effect) async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quiet)
            defer { try? db.close() }
            let receiver = Receiver()
            try await withReceiver(receiver) { port in
                let config = QueueManagerTests.config(port) {
                    $0.name = "faulty-\(effect)"
                    $0.queue.maxSamplesPerSend = 10
                    $0.queue.maxShards = 1
                    // An injected timeout waits this long; real sends get the default.
                    if effect == .timeout { $0.remoteTimeoutMs = 200 }
                }
                try QueueManagerTests.append(db, 0..<5)
                try QueueManagerTests.fromTheStart(config, dir)
                // The first three sends fail, whatever they carry.
                NetworkFaults.inject(effect, on: .remoteWrite(name: "faulty-\(effect)"), times: 3)
                defer { NetworkFaults.clear(.remoteWrite(name: "faulty-\(effect)")) }
                let queue = try await QueueManagerTests.run(config, dir) {
                    receiver.stored.withLockedValue { $0.values.reduce(0) { $0 + Set($1.map(\.timestamp)).count } } >= 50
                }
                #expect(receiver.sampleCount >= 50)
                #expect(queue.metrics.samplesFailed.current == 0)
                #expect(queue.metrics.samplesRetried.current >= 30)
                let stored = receiver.stored.withLockedValue { $0 }
                #expect(stored.count == 10)
                #expect(stored.values.allSatisfy { Set($0.map(\.timestamp)) == [0, 1000, 2000, 3000, 4000] }, "none missing")
            }
        }
    }
}
