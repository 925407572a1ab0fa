// LabelsSortKeys orders label sets exactly as Labels.compare does.

import MetricModel
import Testing

@Suite struct LabelsSortTests {
    @Test func sameOrderAsCompare() {
        var rng = SeededGenerator(seed: 5)
        let names = ["__name__", "a", "aa", "b", "instance", "job", "le"]
        let values = ["", "0", "1", "10", "9", "x", "xy", String(repeating: "v", count: 200), "é"]
        var sets: [Labels] = []
        for _ in 0..<300 {
            var pairs: [(String, String)] = []
            for name in names where rng.next() % 2 == 0 {
                pairs.append((name, values[Int(rng.next() % UInt64(values.count))]))
            }
            sets.append(Labels(pairs))
        }
        let keys = LabelsSortKeys(sets)
        for i in sets.indices {
            for j in sets.indices where (i * 7 + j) % 5 == 0 {
                #expect(keys.compare(i, j).signum() == Labels.compare(sets[i], sets[j]).signum())
            }
        }
        var sorted = sets.map { SeriesData(labels: $0, chunks: []) }
        sorted.sortByLabels()
        #expect(sorted.map(\.labels) == sets.sorted { Labels.compare($0, $1) < 0 })
        #expect(LabelsSortKeys(sorted.map(\.labels)).sortedOrder() == nil)
        // Stable: equal sets keep their order (told apart by their chunk counts).
        var tagged = sets.enumerated().map { i, labels in
            SeriesData(
                labels: i % 3 == 0 ? Labels.empty : labels,
                chunks: Array(repeating: ChunkData(minTime: 0, maxTime: 0, encoding: 1, bytes: []), count: i))
        }
        tagged.sortByLabels()
        let empties = tagged.prefix { $0.labels == .empty }.map(\.chunks.count)
        #expect(empties.count == 100 && empties == empties.sorted())
    }
}
