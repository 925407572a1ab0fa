// libFuzzer target: the WAL on arbitrary bytes. The input is decoded as one record (series,
// samples, tombstones, native histograms of records 7-10; other types are skipped as replay
// skips them), and every record that decodes encodes back to bytes that decode to the same
// record. Then the input is read as a whole segment file (pages, fragments, CRCs, snappy) as
// replay reads it, and each record found is decoded. Never traps; corruption is a result, not a
// crash.

import FuzzSupport
import MetricModel
import TSDB

private let scratch = ScratchDirectory(prefix: "FuzzWALRecord")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    checkRoundTrip(input)

    scratch.write(input, to: "00000000")
    guard let reader = try? WALReader(segmentsIn: scratch.path) else { return 0 }
    var records = 0
    var end = 0
    while (try? reader.next()) == true {
        records += 1
        precondition(records <= size, "\(records) records from \(size) bytes")
        precondition(reader.location.offset >= end && reader.location.endOffset <= size, "record at \(reader.location) of \(size) bytes")
        end = reader.location.endOffset
        checkRoundTrip(reader.record)
    }
    return 0
}

/// Decodes `record`; when it decodes, its encoding must decode to the same record.
private func checkRoundTrip(_ record: [UInt8]) {
    guard let decoded = try? WALRecord(decoding: record) else { return }
    var encoded: [UInt8] = []
    decoded.encode(into: &encoded)
    let again: WALRecord
    do {
        again = try WALRecord(decoding: encoded)
    } catch {
        preconditionFailure("re-encoded \(decoded) does not decode: \(error)")
    }
    precondition(again == decoded, "round trip changed \(decoded) into \(again)")
}
