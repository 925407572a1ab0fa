// libFuzzer target: the YAML composer (prometheus.yml, file_sd, the tenants file) on arbitrary
// bytes throws or succeeds, never traps, and every node it composes starts inside the text
// (YAML also breaks lines at \r and a few Unicode breaks, so the bound is one line per byte).

import YAML

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let root = try? Composer.compose(bytes: bytes) else { return 0 }
    // At most one line per byte: a bound that holds whichever breaks the text uses.
    let lines = size + 1
    var pending = [root]
    var visited = 0
    while let node = pending.popLast() {
        visited += 1
        // Aliases compose to copies: the composer's aliasing limit keeps this bounded.
        precondition(visited <= 10_000_000, "composed tree too large for \(size) bytes")
        precondition(node.mark.line >= 1 && node.mark.line <= lines, "node at line \(node.mark.line) of \(lines)")
        switch node {
        case .scalar: break
        case .sequence(let sequence): pending.append(contentsOf: sequence.items)
        case .mapping(let mapping): for entry in mapping.entries { pending.append(entry.key); pending.append(entry.value) }
        }
    }
    return 0
}
