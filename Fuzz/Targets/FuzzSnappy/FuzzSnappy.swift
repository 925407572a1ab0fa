// libFuzzer target: snappy decompression of arbitrary bytes must throw or succeed, never trap,
// and whatever decodes must survive a compress/decompress round trip.

import Snappy

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    if let plain = try? Snappy.decompress(input, maxLength: 1 << 20) {
        let again = try? Snappy.decompress(Snappy.compress(plain))
        precondition(again == plain, "round trip differs")
    }
    return 0
}
