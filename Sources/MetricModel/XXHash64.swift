// XXH64 with seed 0 — Go's github.com/cespare/xxhash Sum64, which Prometheus hashes label sets
// with (`labels.Labels.Hash`). We need Prometheus's exact hash where it shows in answers:
// `limit_ratio` keeps a series when its hash, as a fraction of 2^64 - 1, is under the ratio.

/// The XXH64 hash (seed 0) of `bytes`.
///
/// ```swift
/// XXHash64.hash(Array("abc".utf8))  // 0x44BC2CF5AD770999
/// ```
package enum XXHash64 {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    package static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }

    package static func hash(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        let n = raw.count
        var i = 0
        var h: UInt64
        if n >= 32 {
            var v1 = prime1 &+ prime2
            var v2 = prime2
            var v3: UInt64 = 0
            var v4 = 0 &- prime1
            while i + 32 <= n {
                v1 = round(v1, word(raw, i))
                v2 = round(v2, word(raw, i + 8))
                v3 = round(v3, word(raw, i + 16))
                v4 = round(v4, word(raw, i + 24))
                i += 32
            }
            h = v1.rotatedLeft(1) &+ v2.rotatedLeft(7) &+ v3.rotatedLeft(12) &+ v4.rotatedLeft(18)
            h = merge(h, v1)
            h = merge(h, v2)
            h = merge(h, v3)
            h = merge(h, v4)
        } else {
            h = prime5
        }
        h &+= UInt64(n)
        while i + 8 <= n {
            h ^= round(0, word(raw, i))
            h = h.rotatedLeft(27) &* prime1 &+ prime4
            i += 8
        }
        if i + 4 <= n {
            h ^= UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt32.self))) &* prime1
            h = h.rotatedLeft(23) &* prime2 &+ prime3
            i += 4
        }
        while i < n {
            h ^= UInt64(raw[i]) &* prime5
            h = h.rotatedLeft(11) &* prime1
            i += 1
        }
        h ^= h >> 33
        h &*= prime2
        h ^= h >> 29
        h &*= prime3
        h ^= h >> 32
        return h
    }

    @inline(__always)
    static func word(_ raw: UnsafeRawBufferPointer, _ i: Int) -> UInt64 {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    }

    @inline(__always)
    static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        (acc &+ input &* prime2).rotatedLeft(31) &* prime1
    }

    @inline(__always)
    static func merge(_ acc: UInt64, _ v: UInt64) -> UInt64 {
        (acc ^ round(0, v)) &* prime1 &+ prime4
    }
}

extension Labels {
    /// Prometheus's `labels.Labels.Hash()` (the default `stringlabels` build): XXH64 of each name
    /// and value in order, each preceded by its length as one byte (below 255) or 255 and three
    /// little-endian bytes.
    package var prometheusHash: UInt64 {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(bytes.count + 8)
        forEachRange { name, value in
            for range in [name, value] {
                let count = range.count
                if count < 255 {
                    encoded.append(UInt8(count))
                } else {
                    encoded.append(255)
                    encoded.append(UInt8(truncatingIfNeeded: count))
                    encoded.append(UInt8(truncatingIfNeeded: count >> 8))
                    encoded.append(UInt8(truncatingIfNeeded: count >> 16))
                }
                encoded.append(contentsOf: bytes[range])
            }
        }
        return XXHash64.hash(encoded)
    }
}
