// Shared test helpers: a seeded generator, sample data of several kinds, snappy element
// builders, and a deliberately simple byte-at-a-time decoder to check the fast one against.
import Foundation
import Testing

/// The seed of every randomized test: `SNAPPY_TEST_SEED` if set, else a fixed default.
/// Failures print it; rerun with `SNAPPY_TEST_SEED=<seed> swift test` to reproduce.
let testSeed: UInt64 = ProcessInfo.processInfo.environment["SNAPPY_TEST_SEED"].flatMap { UInt64($0) } ?? 0x5EED_5A99

/// SplitMix64: small, fast and seedable; plenty for test data.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &self) }
    }
}

/// Kinds of input with very different match structure.
enum DataKind: String, CaseIterable, Sendable {
    case zeros, random, repetitive, text, protobufLike, mixed
}

/// `count` bytes of `kind`, drawn from `rng`.
func sampleData(_ kind: DataKind, count: Int, using rng: inout SeededGenerator) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(count + 64)
    switch kind {
    case .zeros:
        out = [UInt8](repeating: 0, count: count)
    case .random:
        out = rng.bytes(count)
    case .repetitive:
        // A short random pattern (period 1...13) repeated, so copies overlap themselves.
        let pattern = rng.bytes(Int.random(in: 1...13, using: &rng))
        while out.count < count { out += pattern }
    case .text:
        let words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "scrape", "series"]
        while out.count < count {
            out += Array(words.randomElement(using: &rng)!.utf8)
            out.append(UInt8(ascii: " "))
        }
    case .protobufLike:
        while out.count < count { out += protobufLikeSeries(using: &rng) }
    case .mixed:
        // Runs of random bytes alternating with repeats of earlier data at random distances.
        while out.count < count {
            out += rng.bytes(Int.random(in: 1...40, using: &rng))
            let length = Int.random(in: 4...300, using: &rng)
            let from = Int.random(in: 0..<out.count, using: &rng)
            for index in 0..<length { out.append(out[from + index]) }
        }
    }
    return Array(out.prefix(count))
}

/// One remote-write TimeSeries look-alike: label pairs and (double, varint) samples.
private func protobufLikeSeries(using rng: inout SeededGenerator) -> [UInt8] {
    func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        return out + [UInt8(value)]
    }
    func field(_ number: UInt8, _ payload: [UInt8]) -> [UInt8] { [number << 3 | 2] + varint(UInt64(payload.count)) + payload }
    let labels = [
        ("__name__", ["http_requests_total", "up", "node_cpu_seconds_total"].randomElement(using: &rng)!),
        ("instance", "10.0.\(Int.random(in: 0..<16, using: &rng)).\(Int.random(in: 0..<256, using: &rng)):9100"),
        ("job", ["api", "node"].randomElement(using: &rng)!),
    ]
    var series: [UInt8] = []
    for (name, value) in labels { series += field(1, field(1, Array(name.utf8)) + field(2, Array(value.utf8))) }
    let value = Double(Int.random(in: 0..<100_000, using: &rng)) / 10
    let sample = [0x09] + withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
        + [0x10] + varint(1_700_000_000_000 + UInt64.random(in: 0..<1_000_000, using: &rng))
    series += field(2, sample)
    return field(1, series)
}

// MARK: - Element builders (format_description.txt, section 2)

/// A varint, as in a block header.
func snappyVarint(_ value: UInt64) -> [UInt8] {
    var value = value
    var out: [UInt8] = []
    while value >= 0x80 {
        out.append(UInt8(truncatingIfNeeded: value) | 0x80)
        value >>= 7
    }
    return out + [UInt8(value)]
}

/// A literal element; `extraBytes` 0 means the length sits in the tag (needs <= 60 bytes).
func literalElement(_ data: [UInt8], extraBytes: Int = 0) -> [UInt8] {
    let n = data.count - 1
    if extraBytes == 0 { return [UInt8(n << 2)] + data }
    return [UInt8((59 + extraBytes) << 2)] + (0..<extraBytes).map { UInt8(truncatingIfNeeded: n >> (8 * $0)) } + data
}

/// A copy with a 1-byte offset (length 4...11, offset < 2048).
func copy1Element(offset: Int, length: Int) -> [UInt8] {
    [UInt8((offset >> 8) << 5 | (length - 4) << 2 | 1), UInt8(truncatingIfNeeded: offset)]
}

/// A copy with a 2-byte offset (length 1...64).
func copy2Element(offset: Int, length: Int) -> [UInt8] {
    [UInt8((length - 1) << 2 | 2), UInt8(truncatingIfNeeded: offset), UInt8(truncatingIfNeeded: offset >> 8)]
}

/// A copy with a 4-byte offset (length 1...64).
func copy4Element(offset: Int, length: Int) -> [UInt8] {
    [UInt8((length - 1) << 2 | 3)] + (0..<4).map { UInt8(truncatingIfNeeded: offset >> (8 * $0)) }
}

// MARK: - A byte-at-a-time decoder

/// Decodes a block one byte at a time, straight from the format description; nil when the
/// block is malformed. Slow and obviously right: the fast decoder must agree with it exactly.
func naiveDecode(_ input: [UInt8], maxLength: Int = Int.max) -> [UInt8]? {
    var s = 0
    var declared: UInt64 = 0
    while true {
        guard s < input.count, s < 5 else { return nil }
        declared |= UInt64(input[s] & 0x7F) << (7 * UInt64(s))
        s += 1
        if input[s - 1] < 0x80 { break }
    }
    guard declared <= UInt64(UInt32.max), Int(declared) <= maxLength else { return nil }
    var out: [UInt8] = []
    while s < input.count {
        let tag = input[s]
        s += 1
        var length: Int
        var offset = 0
        switch tag & 3 {
        case 0:
            length = Int(tag >> 2)
            if length >= 60 {
                let extra = length - 59
                guard s + extra <= input.count else { return nil }
                length = 0
                for index in 0..<extra { length |= Int(input[s + index]) << (8 * index) }
                s += extra
            }
            length += 1
            guard length <= input.count - s, out.count + length <= declared else { return nil }
            out += input[s..<(s + length)]
            s += length
            continue
        case 1:
            guard s < input.count else { return nil }
            length = 4 + Int(tag >> 2 & 7)
            offset = Int(tag >> 5) << 8 | Int(input[s])
            s += 1
        case 2:
            guard s + 2 <= input.count else { return nil }
            length = 1 + Int(tag >> 2)
            offset = Int(input[s]) | Int(input[s + 1]) << 8
            s += 2
        default:
            guard s + 4 <= input.count else { return nil }
            length = 1 + Int(tag >> 2)
            for index in 0..<4 { offset |= Int(input[s + index]) << (8 * index) }
            s += 4
        }
        guard offset > 0, offset <= out.count, out.count + length <= declared else { return nil }
        for _ in 0..<length { out.append(out[out.count - offset]) }
    }
    return out.count == declared ? out : nil
}

/// The folder holding the golden vectors written by `Fixtures/make_vectors.py`.
let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// The bytes of fixture file `name`.
func fixture(_ name: String) throws -> [UInt8] {
    try [UInt8](Data(contentsOf: fixturesDirectory.appendingPathComponent(name)))
}

/// Base names (without `.snappy`) of the fixture blocks that `include` accepts, sorted.
func fixtureNames(where include: (String) -> Bool) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: fixturesDirectory.path)) ?? []
    return names.filter { $0.hasSuffix(".snappy") }.map { String($0.dropLast(".snappy".count)) }.filter(include).sorted()
}

/// Expects `actual == expected`, reporting lengths and the first differing index rather than
/// printing whole (possibly megabyte) arrays.
func expectSameBytes(
    _ actual: [UInt8]?, _ expected: [UInt8]?, _ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual != expected else { return }
    let summary: String
    if let actual, let expected {
        let index = zip(actual.indices, zip(actual, expected)).first { $0.1.0 != $0.1.1 }?.0 ?? min(actual.count, expected.count)
        summary = "\(actual.count) bytes, expected \(expected.count); first difference at \(index)"
    } else {
        summary = actual == nil ? "failed, expected \(expected!.count) bytes" : "gave \(actual!.count) bytes, expected failure"
    }
    Issue.record("\(comment): \(summary)", sourceLocation: sourceLocation)
}
