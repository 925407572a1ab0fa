// ChunkDiskMapper: round trips across files, restart, the Prometheus 2.42 `chunks_head` fixture (read and
// rewritten byte for byte), torn and corrupt files, truncation, and bad references (spec/tsdb-format.md §7).

import ChunkEncoding
import Foundation
import MetricModel
import Synchronization
import Testing
import TSDB

@Suite struct ChunkDiskMapperTests {
    // MARK: Round trips

    @Test(arguments: [UInt64(1), 42, 0xDEAD_BEEF])
    func writesAcrossFilesAndReadsBackByRef(seed: UInt64) throws {
        try withTempChunksHead { dir in
            var rng = SeededGenerator(seed: seed)
            let mapper = try ChunkDiskMapper(directory: dir, maxFileBytes: 4096, writeBufferBytes: 1024)
            var written: [WrittenChunk] = []
            for _ in 0..<600 {
                written.append(try WrittenChunk.random(&rng, into: mapper))
                // Reads from the buffer, the flushed part of the current file and closed files alike.
                let probe = written[Int.random(in: 0..<written.count, using: &rng)]
                #expect(try mapper.chunk(probe.ref) == probe.data, "seed \(seed)")
            }
            #expect(mapper.fileCount > 5, "seed \(seed)")
            #expect(written.first?.ref == HeadChunkRef(fileNumber: 1, offset: 8))
            #expect(written.map(\.ref.rawValue) == written.map(\.ref.rawValue).sorted(), "refs grow in write order")
            for chunk in written { #expect(try mapper.chunk(chunk.ref) == chunk.data, "seed \(seed)") }
            try mapper.close()
            #expect(throws: TSDBError.self) { try mapper.chunk(written[0].ref) }
            // Every file obeys the size limit and reads with the independent HeadChunkFileReader.
            let fromReader = try chunkFiles(dir).flatMap { number, bytes in
                #expect(bytes.count <= 4096)
                return try HeadChunkFileReader.records(in: bytes).map { r in
                    WrittenChunk(
                        seriesRef: r.seriesRef.rawValue, minTime: r.minTime, maxTime: r.maxTime,
                        encoding: r.encoding | (r.isOutOfOrder ? 0x80 : 0), data: r.data,
                        ref: HeadChunkRef(fileNumber: number, offset: r.offset))
                }
            }
            #expect(fromReader == written, "seed \(seed)")
            // Restart: every chunk comes back in order with its metadata and a resolvable ref.
            let reopened = try ChunkDiskMapper(directory: dir, maxFileBytes: 4096)
            var seen: [WrittenChunk] = []
            try reopened.iterateChunks { seriesRef, ref, minTime, maxTime, encoding, numSamples in
                let data = try reopened.chunk(ref)
                #expect(numSamples == (data.count >= 2 ? UInt16(data[0]) << 8 | UInt16(data[1]) : 0))
                seen.append(WrittenChunk(
                    seriesRef: seriesRef, minTime: minTime, maxTime: maxTime, encoding: encoding, data: data, ref: ref))
            }
            #expect(seen == written && reopened.repairs.isEmpty, "seed \(seed)")
            // The next write starts a new file numbered one past the last.
            let next = try reopened.write(seriesRef: 7, minTime: 1, maxTime: 2, encoding: 1, data: [0, 1, 2])
            #expect(next == HeadChunkRef(fileNumber: written.last!.ref.fileNumber + 1, offset: 8))
            #expect(reopened.fileCount == next.fileNumber, "files 1...\(next.fileNumber)")
            #expect(try reopened.chunk(next) == [0, 1, 2])
            try reopened.close()
        }
    }

    @Test func bufferFlushAndSizeAccounting() throws {
        try withTempChunksHead { dir in
            let mapper = try ChunkDiskMapper(directory: dir)
            #expect(mapper.fileCount == 0 && mapper.bytesOnDisk == 0)
            let ref = try mapper.write(seriesRef: 1, minTime: -5, maxTime: 10, encoding: 1, data: [0, 3, 9, 9])
            #expect(ref.rawValue == 0x0000_0001_0000_0008)
            #expect(mapper.fileCount == 1 && mapper.bytesOnDisk == 8, "entry still buffered")
            #expect(try mapper.chunk(ref) == [0, 3, 9, 9])
            try mapper.flush()
            #expect(mapper.bytesOnDisk == 8 + 24 + 1 + 1 + 4 + 4)
            #expect(try mapper.chunk(ref) == [0, 3, 9, 9], "read back through the file's mapping")
            #expect(throws: TSDBError.self) {
                try mapper.write(seriesRef: 0, minTime: 0, maxTime: 0, encoding: 1, data: [1])
            }
            try mapper.close()
            try mapper.close()  // idempotent
        }
    }

    // MARK: Prometheus 2.42 fixture

    @Test func readsPrometheusFixtureStartingAtFileTwo() throws {
        let fixture = try Data(contentsOf: fixtureURL())
        let records = try HeadChunkFileReader.records(in: [UInt8](fixture))
        try withTempChunksHead { dir in
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try fixture.write(to: dir.appendingPathComponent("000002"))
            let mapper = try ChunkDiskMapper(directory: dir)
            var count = 0
            try mapper.iterateChunks { seriesRef, ref, minTime, maxTime, encoding, numSamples in
                let record = records[count]
                #expect(ref == HeadChunkRef(fileNumber: 2, offset: record.offset))
                #expect(seriesRef == record.seriesRef.rawValue && encoding == 1 && numSamples == 120)
                #expect(minTime == record.minTime && maxTime == record.maxTime)
                let data = try mapper.chunk(ref)
                #expect(data == record.data)
                count += 1
            }
            #expect(count == 1344 && records.count == 1344)
            #expect(mapper.repairs.isEmpty && mapper.bytesOnDisk == fixture.count)
            let next = try mapper.write(seriesRef: 1, minTime: 1, maxTime: 2, encoding: 1, data: [0, 1, 0])
            #expect(next.fileNumber == 3 && mapper.fileCount == 2)
            try mapper.close()
        }
    }

    @Test func rewritingFixtureChunksGivesTheSameBytes() throws {
        let fixture = [UInt8](try Data(contentsOf: fixtureURL()))
        let records = try HeadChunkFileReader.records(in: fixture)
        try withTempChunksHead { dir in
            let mapper = try ChunkDiskMapper(directory: dir)
            for record in records {
                let ref = try mapper.write(
                    seriesRef: record.seriesRef.rawValue, minTime: record.minTime, maxTime: record.maxTime,
                    encoding: record.encoding, data: record.data)
                #expect(ref == HeadChunkRef(fileNumber: 1, offset: record.offset))
            }
            try mapper.close()
            let files = try chunkFiles(dir)
            #expect(files.map(\.number) == [1] && files.first?.bytes == fixture, "byte-identical to Prometheus 2.42's")
        }
    }

    // MARK: Torn and corrupt files

    @Test(arguments: [UInt64(7), 99, 2024])
    func tornLastFileKeepsTheIntactPrefix(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for round in 0..<6 {
            try withTempChunksHead { dir in
                let written = try writeChunks(dir, count: 120, maxFileBytes: 8192, rng: &rng)
                let lastNumber = written.last!.ref.fileNumber
                let lastURL = dir.appendingPathComponent(String(format: "%06d", lastNumber))
                var bytes = [UInt8](try Data(contentsOf: lastURL))
                let inLast = written.filter { $0.ref.fileNumber == lastNumber }
                let expectedKept: Int
                switch round % 3 {
                case 0:  // cut mid-entry, past its (non-zero) seriesRef
                    let victim = Int.random(in: 0..<inLast.count, using: &rng)
                    let cut = inLast[victim].ref.offset + Int.random(in: 8..<inLast[victim].entrySize, using: &rng)
                    bytes.removeLast(bytes.count - cut)
                    expectedKept = victim
                case 1:  // garbage after the last entry (short or long)
                    let garbage = Int.random(in: 1...(round < 3 ? 20 : 300), using: &rng)
                    bytes += (0..<garbage).map { _ in UInt8.random(in: 1...255, using: &rng) }
                    expectedKept = inLast.count
                default:  // a flipped bit in some entry
                    let victim = inLast[Int.random(in: 0..<inLast.count, using: &rng)]
                    bytes[victim.ref.offset + Int.random(in: 0..<victim.entrySize, using: &rng)] ^= 0x10
                    expectedKept = inLast.firstIndex(of: victim)!
                }
                try Data(bytes).write(to: lastURL)
                let expected = written.filter { $0.ref.fileNumber < lastNumber } + inLast.prefix(expectedKept)
                let mapper = try ChunkDiskMapper(directory: dir, maxFileBytes: 8192)
                #expect(try iteratedRefs(mapper) == expected.map(\.ref), "seed \(seed) round \(round)")
                let repair = try #require(mapper.repairs.first, "seed \(seed) round \(round)")
                #expect(repair.action == .truncatedFile && repair.fileNumber == lastNumber)
                #expect(repair.originalSize == bytes.count)
                let lastKept = expectedKept == 0 ? nil : inLast[expectedKept - 1]
                let keptEnd = lastKept.map { $0.ref.offset + $0.entrySize } ?? 8
                #expect(repair.offset == keptEnd, "seed \(seed) round \(round)")
                for chunk in expected { #expect(try mapper.chunk(chunk.ref) == chunk.data) }
                try mapper.close()
                // A short last entry gets zeros after it so that Prometheus's reader accepts it.
                let keptSize = lastKept.map { max(keptEnd, $0.ref.offset + 34) } ?? 8
                #expect(try Data(contentsOf: lastURL).count == keptSize)
                #expect(try HeadChunkFileReader.records(in: [UInt8](Data(contentsOf: lastURL))).count == expectedKept)
                let again = try ChunkDiskMapper(directory: dir, maxFileBytes: 8192)
                #expect(try iteratedRefs(again) == expected.map(\.ref) && again.repairs.isEmpty)
                try again.close()
            }
        }
    }

    @Test func corruptionBeforeTheLastFileThrows() throws {
        var rng = SeededGenerator(seed: 11)
        try withTempChunksHead { dir in
            let written = try writeChunks(dir, count: 200, maxFileBytes: 4096, rng: &rng)
            let victim = written.first { $0.ref.fileNumber == 2 }!
            let url = dir.appendingPathComponent("000002")
            var bytes = [UInt8](try Data(contentsOf: url))
            bytes[victim.ref.offset + victim.entrySize - 1] ^= 0xFF  // its CRC
            try Data(bytes).write(to: url)
            let mapper = try ChunkDiskMapper(directory: dir, maxFileBytes: 4096)
            let error = try #require(throws: TSDBError.self) { try iteratedRefs(mapper) }
            #expect(error.code == .corruption && mapper.repairs.isEmpty)
            #expect(throws: TSDBError.self) { try mapper.chunk(victim.ref) }
            try mapper.close()
        }
    }

    @Test func startupDeletesEmptyLastFileAcceptsZeroTailsRefusesGaps() throws {
        var rng = SeededGenerator(seed: 3)
        try withTempChunksHead { dir in
            let written = try writeChunks(dir, count: 100, maxFileBytes: 4096, rng: &rng)
            let last = written.last!.ref.fileNumber
            try Data([0x01, 0x30, 0xBC]).write(to: dir.appendingPathComponent(String(format: "%06d", last + 1)))
            var mapper = try ChunkDiskMapper(directory: dir, maxFileBytes: 4096)
            #expect(mapper.repairs.map(\.action) == [.deletedFile] && mapper.fileCount == last)
            try mapper.close()
            try Data(count: 4096).write(to: dir.appendingPathComponent(String(format: "%06d", last + 1)))
            mapper = try ChunkDiskMapper(directory: dir, maxFileBytes: 4096)
            #expect(mapper.repairs.first?.reason == "magic number is zero")
            #expect(try iteratedRefs(mapper) == written.map(\.ref))
            try mapper.close()
            // A zero-filled (preallocated) tail is the end of the entries, not corruption.
            let url = dir.appendingPathComponent(String(format: "%06d", last))
            for padding in [7, 33, 34, 128 << 10] {
                try (try Data(contentsOf: url) + Data(count: padding)).write(to: url)
                mapper = try ChunkDiskMapper(directory: dir)
                #expect(try iteratedRefs(mapper) == written.map(\.ref) && mapper.repairs.isEmpty)
                try mapper.close()
            }
            try FileManager.default.removeItem(at: dir.appendingPathComponent("000002"))
            let error = try #require(throws: TSDBError.self) {
                try ChunkDiskMapper(directory: dir, maxFileBytes: 4096)
            }
            #expect(error.code == .corruption && error.message.contains("unsequential"))
        }
    }

    // MARK: Truncation and references

    @Test(arguments: [false, true])
    func truncateDeletesOnlyOldWholeFiles(afterRestart: Bool) throws {
        try withTempChunksHead { dir in
            var mapper = try ChunkDiskMapper(directory: dir, maxFileBytes: 1024)
            var refs: [HeadChunkRef] = []
            for i in 0..<100 {  // 100-byte chunks, times rising by 10 per chunk
                let data = [UInt8](repeating: UInt8(i), count: 100)
                let start = Int64(i * 10)
                refs.append(try mapper.write(seriesRef: 1, minTime: start, maxTime: start + 9, encoding: 1, data: data))
            }
            if afterRestart {
                try mapper.close()
                mapper = try ChunkDiskMapper(directory: dir, maxFileBytes: 1024)
            }
            let files = mapper.fileCount
            let cutoff: Int64 = 405  // chunks 0...39 end before it; chunk 40 spans it
            try mapper.truncate(before: cutoff)
            let firstKeptFile = refs[40].fileNumber
            #expect(try chunkFiles(dir).map(\.number) == Array(firstKeptFile...refs.last!.fileNumber))
            #expect(mapper.fileCount == files - (firstKeptFile - 1))
            for (i, ref) in refs.enumerated() {
                if ref.fileNumber < firstKeptFile {
                    let error = try #require(throws: TSDBError.self) { try mapper.chunk(ref) }
                    #expect(error.code == .invalidReference)
                } else {
                    #expect(try mapper.chunk(ref) == [UInt8](repeating: UInt8(i), count: 100))
                }
            }
            // Truncation closed the file being written; the next chunk starts a new one, which the next
            // truncation keeps (and closes) while deleting everything older.
            let newest = try mapper.write(seriesRef: 1, minTime: 2000, maxTime: 2001, encoding: 1, data: [0, 1, 5])
            #expect(newest.fileNumber == refs.last!.fileNumber + 1)
            try mapper.truncate(before: .max)
            #expect(try chunkFiles(dir).map(\.number) == [newest.fileNumber])
            #expect(try mapper.chunk(newest) == [0, 1, 5])
            try mapper.truncate(before: .max)
            #expect(try chunkFiles(dir).isEmpty && mapper.fileCount == 0)
            let next = try mapper.write(seriesRef: 1, minTime: 0, maxTime: 1, encoding: 1, data: [0, 1, 5])
            #expect(next.fileNumber == newest.fileNumber + 1, "numbers are not reused")
            try mapper.close()
        }
    }

    @Test func badReferencesThrowAndNeverTrap() throws {
        var rng = SeededGenerator(seed: 17)
        try withTempChunksHead { dir in
            let mapper = try ChunkDiskMapper(directory: dir, maxFileBytes: 2048)
            let written = try (0..<50).map { _ in try WrittenChunk.random(&rng, into: mapper) }
            // The current file's entries are then read through its mapping, which reaches past the
            // file's end: reads must stop at the flushed bytes.
            try mapper.flush()
            for chunk in written { #expect(try mapper.chunk(chunk.ref) == chunk.data) }
            let valid = Set(written.map(\.ref))
            let lastFile = written.last!.ref.fileNumber
            for _ in 0..<3000 {
                let file = Int.random(in: 0...(lastFile + 1), using: &rng)
                let ref = HeadChunkRef(fileNumber: file, offset: Int.random(in: 0...2100, using: &rng))
                // Anything but a trap is fine; a stray CRC match is astronomically unlikely.
                if !valid.contains(ref) { _ = try? mapper.chunk(ref) }
            }
            for (file, offset, code) in [
                (1, 3, TSDBError.Code.invalidReference), (1, 1 << 30, .invalidReference),
                (77, 8, .invalidReference), (1, written[0].ref.offset + 1, .corruption),
            ] {
                let error = try #require(throws: TSDBError.self) {
                    try mapper.chunk(HeadChunkRef(fileNumber: file, offset: offset))
                }
                #expect(error.code == code)
            }
            try mapper.close()
        }
    }

    @Test func concurrentWritersAndReaders() throws {
        try withTempChunksHead { dir in
            let mapper = try ChunkDiskMapper(directory: dir, maxFileBytes: 8192, writeBufferBytes: 2048)
            let failures = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: 4) { worker in
                var rng = SeededGenerator(seed: UInt64(worker))
                var mine: [WrittenChunk] = []
                for i in 0..<300 {
                    do {
                        mine.append(try WrittenChunk.random(&rng, into: mapper))
                        let probe = mine[Int.random(in: 0..<mine.count, using: &rng)]
                        if try mapper.chunk(probe.ref) != probe.data { failures.add(1, ordering: .relaxed) }
                        if i % 50 == 0 { try mapper.flush() }
                    } catch { failures.add(1, ordering: .relaxed) }
                }
            }
            #expect(failures.load(ordering: .relaxed) == 0)
            #expect(try iteratedRefs(mapper).count == 1200)
            try mapper.close()
        }
    }
}

// MARK: - Helpers

/// A chunk as written, to compare with what comes back.
private struct WrittenChunk: Equatable {
    var seriesRef: UInt64
    var minTime: Int64, maxTime: Int64
    var encoding: UInt8
    var data: [UInt8]
    var ref: HeadChunkRef

    /// Bytes the entry takes in its file.
    var entrySize: Int { 24 + 1 + (data.count < 128 ? 1 : 2) + data.count + 4 }

    /// Writes a random chunk: mostly 4...700 bytes, sometimes 0...3 (shorter than Prometheus's entry header).
    static func random(_ rng: inout SeededGenerator, into mapper: ChunkDiskMapper) throws -> WrittenChunk {
        let minTime = Int64.random(in: -1_000_000...1_000_000_000, using: &rng)
        let count = Int.random(in: 0...4, using: &rng) == 0 ? Int.random(in: 0...3, using: &rng)
            : Int.random(in: 4...700, using: &rng)
        var chunk = WrittenChunk(
            seriesRef: UInt64.random(in: 1...UInt64.max, using: &rng), minTime: minTime,
            maxTime: minTime + Int64.random(in: 0...7_200_000, using: &rng),
            encoding: [1, 1, 1, 0x81, 2][Int.random(in: 0..<5, using: &rng)],
            data: (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }, ref: HeadChunkRef(rawValue: 0))
        chunk.ref = try mapper.write(
            seriesRef: chunk.seriesRef, minTime: chunk.minTime, maxTime: chunk.maxTime, encoding: chunk.encoding,
            data: chunk.data)
        return chunk
    }
}

/// Runs `body` with a fresh `chunks_head` directory inside a temporary folder, removed afterwards.
private func withTempChunksHead(_ body: (URL) throws -> Void) throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("cdm-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    try body(root.appendingPathComponent("chunks_head"))
}

/// Writes `count` random chunks with a fresh mapper and closes it.
private func writeChunks(_ dir: URL, count: Int, maxFileBytes: Int, rng: inout SeededGenerator) throws
    -> [WrittenChunk]
{
    let mapper = try ChunkDiskMapper(directory: dir, maxFileBytes: maxFileBytes)
    let chunks = try (0..<count).map { _ in try WrittenChunk.random(&rng, into: mapper) }
    try mapper.close()
    return chunks
}

/// The refs `iterateChunks` reports, in order.
@discardableResult private func iteratedRefs(_ mapper: ChunkDiskMapper) throws -> [HeadChunkRef] {
    var refs: [HeadChunkRef] = []
    try mapper.iterateChunks { _, ref, _, _, _, _ in refs.append(ref) }
    return refs
}

/// The numbered files in `dir` with their bytes, ascending.
private func chunkFiles(_ dir: URL) throws -> [(number: Int, bytes: [UInt8])] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).compactMap { name in
        guard let number = Int(name) else { return nil }
        return (number, [UInt8](try Data(contentsOf: dir.appendingPathComponent(name))))
    }.sorted { $0.number < $1.number }
}

/// `Tests/Fixtures/prometheus-2.42/server-2.42/chunks_head/000002` (symlinks to this file resolved).
private func fixtureURL(filePath: String = #filePath) -> URL {
    URL(fileURLWithPath: filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/prometheus-2.42/server-2.42/chunks_head/000002")
}
