// Writer tests: byte-level framing (spec/tsdb-format.md §6.2), page edge cases, segments,
// compression, syscall counts, reopening; every case replayed back exactly.

import Testing
import ChunkEncoding
import MetricModel
import TSDB

@Suite("WAL writer")
struct WALWriterTests {
    static let page = WALFormat.pageSize

    /// Writes `records` (one `log` call each) to a fresh WAL and returns the segment bytes and a raw re-read.
    static func writeAndRead(_ records: [[UInt8]], options: WAL.Options = .init(compress: false), close: Bool = false)
        throws -> (segment: [UInt8], read: WALRawRead, wal: WAL, dir: WALTestDirectory)
    {
        let dir = try WALTestDirectory()
        let wal = try WAL(directory: dir.wal, options: options)
        for record in records { try wal.log(record) }
        if close { try wal.close() }
        return (try WALTestBytes.read(dir.wal + "/00000000"), try WALRawRead(walDirectory: dir.wal), wal, dir)
    }

    @Test("golden: one 10-byte record is `01 000A <crc32c BE> data`; close pads the page")
    func golden() throws {
        let record: [UInt8] = Array(1...10)
        let (segment, read, wal, dir) = try Self.writeAndRead([record])
        defer { dir.remove() }
        #expect(segment == [0x01, 0x00, 0x0A, 0xB2, 0x19, 0xDB, 0x69] + record)
        #expect(WALTestBytes.digest(read.records) == WALTestBytes.digest([record]))
        #expect(wal.bytesWritten == 17)
        #expect(wal.recordsWritten == 1)
        #expect(wal.segmentsCreated == 1)
        #expect(wal.currentSegment == 0)
        #expect(wal.writeCalls == 1)
        try wal.close()
        let closed = try WALTestBytes.read(dir.wal + "/00000000")
        #expect(closed.count == Self.page)
        #expect(closed[17...].allSatisfy { $0 == 0 })
        #expect(wal.bytesWritten == Self.page)
        #expect(throws: TSDBError.self) { try wal.log(record) }
    }

    @Test("a record exactly filling a page leaves no padding")
    func exactPage() throws {
        let a = [UInt8](repeating: 0xA5, count: Self.page - 7), b: [UInt8] = [1, 2, 3, 4, 5]
        let (segment, read, _, dir) = try Self.writeAndRead([a, b])
        defer { dir.remove() }
        #expect(WALTestBytes.fragments(segment) == [
            WALTestFragment(offset: 0, typeByte: 1, length: Self.page - 7),
            WALTestFragment(offset: Self.page, typeByte: 1, length: 5),
        ])
        #expect(WALTestBytes.digest(read.records) == WALTestBytes.digest([a, b]))
        #expect(read.corruption == nil)
    }

    @Test("fewer than 7 bytes left in a page become zero padding")
    func shortTail() throws {
        let a = [UInt8](repeating: 0x11, count: Self.page - 10), b = [UInt8](repeating: 0x22, count: 40)
        let (segment, read, wal, dir) = try Self.writeAndRead([a, b])
        defer { dir.remove() }
        #expect(segment[(Self.page - 3)..<Self.page] == [0, 0, 0])
        #expect(WALTestBytes.fragments(segment).map(\.offset) == [0, Self.page])
        #expect(WALTestBytes.digest(read.records) == WALTestBytes.digest([a, b]))
        #expect(wal.pagesCompleted == 1)
    }

    @Test("exactly 7 bytes left: an empty first fragment, then the rest on the next page (as Prometheus)")
    func sevenLeft() throws {
        let a = [UInt8](repeating: 0x11, count: Self.page - 14), b = [UInt8](repeating: 0x22, count: 100)
        let (segment, read, _, dir) = try Self.writeAndRead([a, b])
        defer { dir.remove() }
        #expect(WALTestBytes.fragments(segment) == [
            WALTestFragment(offset: 0, typeByte: 1, length: Self.page - 14),
            WALTestFragment(offset: Self.page - 7, typeByte: 2, length: 0),
            WALTestFragment(offset: Self.page, typeByte: 4, length: 100),
        ])
        #expect(WALTestBytes.digest(read.records) == WALTestBytes.digest([a, b]))
        #expect(read.locations.map(\.offset) == [0, Self.page - 7])
    }

    @Test("a record spanning 4 pages: first, middle, middle, last")
    func multiPage() throws {
        var random = SeededGenerator(seed: 11)
        let big = random.bytes(3 * Self.page)
        let (segment, read, _, dir) = try Self.writeAndRead([big, [9]])
        defer { dir.remove() }
        let body = Self.page - 7
        #expect(WALTestBytes.fragments(segment) == [
            WALTestFragment(offset: 0, typeByte: 2, length: body),
            WALTestFragment(offset: Self.page, typeByte: 3, length: body),
            WALTestFragment(offset: 2 * Self.page, typeByte: 3, length: body),
            WALTestFragment(offset: 3 * Self.page, typeByte: 4, length: 21),
            WALTestFragment(offset: 3 * Self.page + 28, typeByte: 1, length: 1),
        ])
        #expect(WALTestBytes.digest(read.records) == WALTestBytes.digest([big, [9]]), "seed 11")
    }

    @Test("zero-length records are one full fragment of length 0")
    func zeroLength() throws {
        let (segment, read, _, dir) = try Self.writeAndRead([[], [7], []])
        defer { dir.remove() }
        #expect(segment.prefix(7) == [1, 0, 0, 0, 0, 0, 0])
        #expect(read.records == [[], [7], []])
    }

    @Test("many records in one log call are one pwrite; a segment change adds one")
    func writeCalls() throws {
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let wal = try WAL(directory: dir.wal, options: .init(segmentSizeBytes: 2 * Self.page, compress: false))
        let small = (0..<100).map { [UInt8](repeating: UInt8($0), count: 400) }  // ~40 KB, fits in 2 pages
        try wal.log(small)
        #expect(wal.writeCalls == 1)
        #expect(wal.recordsWritten == 100)
        try wal.log(small)  // crosses into segment 1: pad + write old segment, write new one
        #expect(wal.writeCalls == 3)
        #expect(wal.currentSegment == 1)
        #expect(WALTestBytes.digest(try WALRawRead(walDirectory: dir.wal).records) == WALTestBytes.digest(small + small))
    }

    @Test("tiny segments: records never cross segments, closed segments are whole pages",
          arguments: [false, true])
    func multiSegment(compress: Bool) throws {
        let seed: UInt64 = compress ? 21 : 20
        var random = SeededGenerator(seed: seed)
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let wal = try WAL(directory: dir.wal, options: .init(segmentSizeBytes: 2 * Self.page, compress: compress))
        var records: [[UInt8]] = []
        for i in 0..<120 {
            let size = i == 60 ? 150_000 : [0, 1, 6, 7, 8, 100, 5_000, 32_761, 32_762, 40_000].randomElement(using: &random)!
            records.append(random.bytes(size, compressible: Bool.random(using: &random)))
        }
        var i = 0
        while i < records.count {  // batches of 1...4 records per log call
            let n = min(Int.random(in: 1...4, using: &random), records.count - i)
            try wal.log(records[i..<(i + n)].map { $0 })
            i += n
        }
        let last = wal.currentSegment
        #expect(wal.segmentsCreated == last + 1, "seed \(seed)")
        let read = try WALRawRead(walDirectory: dir.wal)
        #expect(read.corruption == nil, "seed \(seed)")
        #expect(WALTestBytes.digest(read.records) == WALTestBytes.digest(records), "seed \(seed)")
        #expect(Set(read.locations.map(\.segment)) == Set(0...last), "seed \(seed)")
        for segment in 0..<last {
            let size = try WALTestBytes.fileSize(dir.wal + "/" + WALFormat.segmentName(segment))
            #expect(size % Self.page == 0, "segment \(segment), seed \(seed)")
            let holdsBig = read.locations.indices.contains { read.locations[$0].segment == segment && records[$0].count == 150_000 }
            if !holdsBig { #expect(size <= 2 * Self.page, "segment \(segment), seed \(seed)") }
        }
        // The oversized record (stored uncompressed: it is random bytes or compression is off) sits
        // alone in its segment.
        let bigSegment = read.locations[60].segment
        if !compress { #expect(read.locations.filter { $0.segment == bigSegment }.count == 1, "seed \(seed)") }
        try wal.close()
        #expect(WALTestBytes.digest(try WALRawRead(walDirectory: dir.wal).records) == WALTestBytes.digest(records), "seed \(seed)")
    }

    @Test("compression: used only when smaller, flag 0x08 on every fragment of the record")
    func compression() throws {
        var random = SeededGenerator(seed: 31)
        let compressible = [UInt8](repeating: 0x41, count: 100_000)
        let incompressible = random.bytes(1000)
        let (segment, read, wal, dir) = try Self.writeAndRead([compressible, incompressible], options: .init(compress: true))
        defer { dir.remove() }
        let fragments = WALTestBytes.fragments(segment)
        #expect(fragments.count == 2)
        #expect(fragments[0].typeByte == 0x09)
        #expect(fragments[0].length < 10_000)
        #expect(fragments[1].typeByte == 0x01)
        #expect(WALTestBytes.digest(read.records) == WALTestBytes.digest([compressible, incompressible]), "seed 31")
        // A compressed record that still spans pages carries the flag on every fragment.
        let spanning = random.bytes(120_000, compressible: true)
        try wal.log(spanning)
        let types = WALTestBytes.fragments(try WALTestBytes.read(dir.wal + "/00000000")).dropFirst(2).map(\.typeByte)
        #expect(types.count >= 2 && types.allSatisfy { $0 & 0x08 != 0 }, "seed 31")
        #expect(types.first == 0x0A && types.last == 0x0C, "seed 31")
        #expect(WALTestBytes.digest(try WALRawRead(walDirectory: dir.wal).records) == WALTestBytes.digest([compressible, incompressible, spanning]), "seed 31")
    }

    @Test("reopening starts a new segment; data is readable right after log, before close")
    func reopen() throws {
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let first = try WAL(directory: dir.wal, options: .init(compress: false))
        try first.log([[1], [2, 2]])
        // Survives the process dying now: it is in the file already (no close, no fsync).
        #expect(try WALRawRead(walDirectory: dir.wal).records == [[1], [2, 2]])
        try first.close()
        let second = try WAL(directory: dir.wal, options: .init(compress: false))
        #expect(second.currentSegment == 1)
        #expect(second.openWarnings.isEmpty)
        try second.log([3, 3, 3])
        try second.sync()
        let third = try WAL(directory: dir.wal)  // without closing the second, like after a crash
        #expect(third.currentSegment == 2)
        try third.log([4])
        try third.close()
        let records = try WALRawRead(walDirectory: dir.wal).records
        #expect(records == [[1], [2, 2], [3, 3, 3], [4]])
        try second.close()
    }

    @Test("nextSegment pads the current segment and returns the new number")
    func nextSegment() throws {
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let wal = try WAL(directory: dir.wal, options: .init(compress: false))
        try wal.log([1, 2, 3])
        #expect(try wal.nextSegment() == 1)
        #expect(try WALTestBytes.fileSize(dir.wal + "/00000000") == Self.page)
        try wal.log([4])
        try wal.close()
        #expect(try WALRawRead(walDirectory: dir.wal).records == [[1, 2, 3], [4]])
    }

    @Test("bad segment sizes are rejected")
    func badOptions() throws {
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        for size in [0, 1000, Self.page + 1, -Self.page] {
            #expect(throws: TSDBError.self) { try WAL(directory: dir.wal, options: .init(segmentSizeBytes: size)) }
        }
    }

    @Test("typed records round trip through the WAL, stale markers included", arguments: [false, true])
    func typedRoundTrip(compress: Bool) throws {
        let dir = try WALTestDirectory()
        defer { dir.remove() }
        let wal = try WAL(directory: dir.wal, options: .init(segmentSizeBytes: 4 * Self.page, compress: compress))
        var expected: [WALRecord] = []
        var buffer: [UInt8] = []
        for batch in 0..<40 {
            let series = (0..<10).map { i in
                WALSeries(ref: SeriesRef(UInt64(batch * 10 + i + 1)), labels: Labels(["__name__": "m\(i)", "batch": "\(batch)"]))
            }
            let samples = series.enumerated().map { i, s in
                WALSample(ref: s.ref, timestamp: 1_700_000_000_000 + Int64(batch * 15_000 - i),
                          value: i % 3 == 0 ? StaleNaN.value : Double(i) * 0.5)
            }
            for record in [WALRecord.series(series), .samples(samples)] {
                buffer.removeAll(keepingCapacity: true)
                record.encode(into: &buffer)
                try wal.log(buffer)
                expected.append(record)
            }
        }
        expected.append(.tombstones([WALTombstone(ref: SeriesRef(3), minTime: 0, maxTime: 100)]))
        buffer.removeAll(keepingCapacity: true)
        expected.last!.encode(into: &buffer)
        try wal.log(buffer)
        try wal.close()
        var replayed: [WALRecord] = []
        let result = try WAL.replay(directory: dir.wal) { replayed.append($0) }
        #expect(replayed == expected)
        #expect(result.corruption == nil)
        #expect(result.series == 400 && result.samples == 400 && result.tombstones == 1)
        #expect(result.segments.count == wal.currentSegment + 1)
    }
}
