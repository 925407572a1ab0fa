// CRC-32C (Castagnoli), the checksum of every Prometheus on-disk structure (spec/tsdb-format.md §0).

internal import CRC32CHardware

/// CRC-32C with the reflected polynomial 0x82F63B78: the processor's CRC-32C instruction where it
/// has one (SSE 4.2, arm64 CRC), else slicing-by-8 tables.
///
/// ```swift
/// CRC32C.checksum(Array("123456789".utf8))  // 0xE3069283
/// ```
package enum CRC32C {
    static let tables: [[UInt32]] = {
        var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for i in 0..<256 {
            var crc = UInt32(i)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            tables[0][i] = crc
        }
        for i in 0..<256 {
            for t in 1..<8 {
                let prev = tables[t - 1][i]
                tables[t][i] = (prev >> 8) ^ tables[0][Int(prev & 0xFF)]
            }
        }
        return tables
    }()

    static let flat: [UInt32] = tables.flatMap { $0 }

    /// The checksum of `bytes`.
    package static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        if let r = bytes.withContiguousStorageIfAvailable({ update(0, UnsafeRawBufferPointer($0)) }) { return r }
        return update(0, Array(bytes))
    }

    /// Continues a checksum over `bytes` (start from 0).
    package static func update(_ crc: UInt32, _ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { update(crc, $0) }
    }

    /// Whether the processor's instruction is used.
    package static let hardware = sm_crc32c_hardware_available() != 0

    /// Continues a checksum over raw bytes (start from 0).
    package static func update(_ crc: UInt32, _ raw: UnsafeRawBufferPointer) -> UInt32 {
        guard hardware, let base = raw.baseAddress else { return tableUpdate(crc, raw) }
        return sm_crc32c_hardware_update(crc, base, raw.count)
    }

    /// ``update(_:_:)-(_,UnsafeRawBufferPointer)`` with the tables only (the reference for the
    /// instruction's results in tests).
    package static func tableUpdate(_ crc: UInt32, _ raw: UnsafeRawBufferPointer) -> UInt32 {
        flat.withUnsafeBufferPointer { t in
            var c = ~crc
            var i = 0
            let n = raw.count
            while i + 8 <= n {
                // Safety: i + 8 <= n; unaligned loads are allowed by loadUnaligned.
                let lo = raw.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian ^ c
                let hi = raw.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self).littleEndian
                c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                i += 8
            }
            while i < n {
                c = t[Int((c ^ UInt32(raw[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
            return ~c
        }
    }
}
