// How an open chunk's buffer grows: a head holds one open chunk per active series, so the slack
// left by growth is paid once per series (issue #3's memory target).

import ChunkEncoding
import Testing

@Suite struct XORChunkGrowthTests {
    @Test func openChunkGrowsInSmallSteps() {
        var chunk = XORChunk()
        var value = 1.0
        var worstSlack = 0.0
        for i in 0..<120 {
            value += Double(i % 7) * 0.37 + 0.001 * Double(i)  // values that need many bits
            chunk.append(Int64(i) * 15_000 + Int64(i % 3), value)
            let used = chunk.bytes.count
            let capacity = chunk.storage.capacity
            if used > 256 { worstSlack = max(worstSlack, Double(capacity - used) / Double(used)) }
        }
        #expect(chunk.bytes.count > 256, "the test needs a chunk that outgrows two growth steps")
        // Growth by a quarter, plus the 16 zero bytes the writer keeps, the room for one more sample
        // (the writer grows ~19 bytes early) and malloc rounding: at most ~0.45 here. Doubling gives
        // more than 1.0 right after each step.
        #expect(worstSlack <= 0.5, "slack \(worstSlack) after growth")
    }
}
