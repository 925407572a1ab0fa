// libFuzzer target: the PromQL parser on arbitrary text throws or succeeds, never traps, and
// what parses prints to text that parses again.

import PromQL

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let expr = try? parseExpr(text) {
        precondition((try? parseExpr(expr.description)) != nil, "printed form does not parse: \(expr.description)")
    }
    _ = try? parseMetricSelector(text)
    _ = try? parseDuration(text)
    _ = try? parseTime(text)
    return 0
}
