// Go compares strings byte by byte; Swift's `==` compares by canonical equivalence, under which
// the Greek question mark U+037E equals ";" and the Kelvin sign equals "K". Relabeling compares
// as Go does.

extension String {
    /// Whether both strings have the same UTF-8 bytes (Go's `==`).
    func hasSameBytes(as other: String) -> Bool {
        utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8)
    }
}
