// Shared test helpers: hex, a seeded generator, fixture files, and encode/decode shortcuts.

import ChunkEncoding
import Foundation
import MetricModel

extension [UInt8] {
    /// Bytes from a hex string; spaces are ignored. Traps on bad input (test data only).
    init(hex: String) {
        let digits = Array(hex.filter { !$0.isWhitespace }.utf8)
        precondition(digits.count % 2 == 0, "odd hex length")
        func nibble(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: preconditionFailure("bad hex digit")
            }
        }
        self = stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
    }

    /// Lower-case hex, for failure messages.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The golden files written by real Prometheus 2.42 (`Tests/Fixtures/prometheus-2.42`).
enum Fixtures {
    /// `Tests/Fixtures`, found by walking up from this source file (symlinks resolved).
    static let root: URL? = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            let candidate = url.appendingPathComponent("Tests/Fixtures")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            url = url.deletingLastPathComponent()
        }
        return nil
    }()

    static let prometheus242 = "prometheus-2.42"

    /// Reads a file under `Tests/Fixtures/prometheus-2.42/`.
    static func bytes(_ relativePath: String) throws -> [UInt8] {
        guard let root else { throw FixtureError("Tests/Fixtures not found above \(#filePath)") }
        let url = root.appendingPathComponent(prometheus242).appendingPathComponent(relativePath)
        return [UInt8](try Data(contentsOf: url))
    }

    static func text(_ relativePath: String) throws -> String {
        String(decoding: try bytes(relativePath), as: UTF8.self)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Encodes samples into a fresh chunk.
func encode(_ samples: [Sample]) -> XORChunk {
    var chunk = XORChunk()
    for s in samples { chunk.append(s.timestamp, s.value) }
    return chunk
}

/// Decodes every sample of a chunk; the error, if any, is returned alongside.
func decode(_ bytes: [UInt8]) -> (samples: [Sample], error: DecodeError?) {
    var it = XORIterator(bytes)
    var samples: [Sample] = []
    while it.next() { samples.append(Sample(it.timestamp, it.value)) }
    return (samples, it.error)
}

/// Samples at `t0 + step * i` with the given values.
func samples(t0: Timestamp, step: Int64, values: [Double]) -> [Sample] {
    values.enumerated().map { Sample(t0 + step * Int64($0.offset), $0.element) }
}

/// Compares sample lists by timestamp and value bits; returns a description of the first difference.
func firstDifference(_ a: [Sample], _ b: [Sample]) -> String? {
    if a.count != b.count { return "count \(a.count) != \(b.count)" }
    for i in a.indices where a[i] != b[i] {
        return "sample \(i): (\(a[i].timestamp), 0x\(String(a[i].value.bitPattern, radix: 16))) != "
            + "(\(b[i].timestamp), 0x\(String(b[i].value.bitPattern, radix: 16)))"
    }
    return nil
}
