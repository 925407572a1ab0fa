// Helpers shared by the WAL test suites: temporary directories, a seeded generator, fixtures and
// raw segment inspection. (Named *Tests.swift only to stay inside the WAL test-file pattern.)

import Foundation
import Testing
import ChunkEncoding
import MetricModel
import TSDB

/// A fresh directory under the system temporary folder, removed by `remove()`.
struct WALTestDirectory {
    let path: String

    init(_ name: String = #function) throws {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("sugarmill-wal-\(safe)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// `<path>/wal`.
    var wal: String { path + "/wal" }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

enum WALTestFixtures {
    /// `Tests/Fixtures/prometheus-2.42/server-2.42`, found by walking up from this file.
    static func serverDirectory(filePath: String = #filePath) throws -> String {
        var url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        for _ in 0..<8 {
            for candidate in ["Fixtures", "Tests/Fixtures"] {
                let dir = url.appendingPathComponent(candidate).appendingPathComponent("prometheus-2.42/server-2.42")
                if FileManager.default.fileExists(atPath: dir.path) { return dir.path }
            }
            url = url.deletingLastPathComponent()
        }
        throw WALTestFailure("fixtures not found above \(filePath)")
    }
}

struct WALTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The raw records of one folder of segments (or of a whole WAL directory), with locations.
struct WALRawRead {
    var records: [[UInt8]] = []
    var locations: [WALRecordLocation] = []
    var corruption: WALCorruption?

    init() {}

    init(walDirectory: String) throws {
        try self.init(reader: WALReader(directory: walDirectory))
    }

    init(segmentsIn directory: String) throws {
        try self.init(reader: WALReader(segmentsIn: directory))
    }

    init(reader: WALReader) throws {
        while try reader.next() {
            records.append(reader.record)
            locations.append(reader.location)
        }
        corruption = reader.corruption
    }
}

/// One fragment header found by walking a segment file's pages (test-side parser, for asserting layout).
struct WALTestFragment: Equatable {
    var offset: Int
    var typeByte: UInt8
    var length: Int
}

enum WALTestBytes {
    static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Walks fragments the simple way (assumes a well-formed file): skips padding to page ends.
    static func fragments(_ bytes: [UInt8]) -> [WALTestFragment] {
        var result: [WALTestFragment] = []
        var offset = 0
        let page = WALFormat.pageSize
        while offset < bytes.count {
            if bytes[offset] == 0 {
                offset = (offset / page + 1) * page
                continue
            }
            let length = Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2])
            result.append(WALTestFragment(offset: offset, typeByte: bytes[offset], length: length))
            offset += 7 + length
        }
        return result
    }

    /// A short description of records (count and CRC each), for comparisons whose failure output stays readable.
    static func digest(_ records: [[UInt8]]) -> [String] {
        records.map { "\($0.count):\(String(CRC32C.checksum($0), radix: 16))" }
    }

    static func copyFile(_ from: String, _ to: String) throws {
        try FileManager.default.createDirectory(
            atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: from, toPath: to)
    }

    static func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
    }

    static func truncate(_ path: String, to length: Int) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(length))
        try handle.close()
    }
}

extension SeededGenerator {
    /// `count` bytes; compressible (few distinct values) when `compressible` is true.
    mutating func bytes(_ count: Int, compressible: Bool = false) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        var word: UInt64 = 0
        for i in 0..<count {
            if i % 8 == 0 { word = next() }
            result[i] = UInt8(truncatingIfNeeded: word >> UInt64(i % 8 * 8)) & (compressible ? 3 : 0xFF)
        }
        return result
    }
}
