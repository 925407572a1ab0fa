// Go's template comparisons: `eq` compares basic values of the same kind (signed and
// unsigned integers with each other), anything else with nil; `lt` orders ints, uints,
// floats and strings. Other pairs fail with Go's "incompatible types for comparison" or
// "invalid type for comparison" (so `gt $value 80` is an error for a float $value).

extension TemplateFunctions {
    /// Go's `basicKind`.
    private enum BasicKind {
        case bool, complex, int, float, string, uint, invalid
    }

    private static func basicKind(_ v: TemplateValue) -> BasicKind {
        switch v.type?.kind {
        case .bool: .bool
        case .int: .int
        case .uint: .uint
        case .float: .float
        case .complex: .complex
        case .string: .string
        default: .invalid
        }
    }

    private static let incompatible = FunctionFailure("incompatible types for comparison")
    private static let invalidType = FunctionFailure("invalid type for comparison")

    private static func signed(_ v: TemplateValue) -> Int64 {
        if case .int(let i, _) = v { return i }
        return 0
    }

    private static func unsigned(_ v: TemplateValue) -> UInt64 {
        if case .uint(let u, _) = v { return u }
        return 0
    }

    /// Go's `eq`: whether `a` equals any of `others`.
    static func equal(_ a: TemplateValue, _ others: [TemplateValue]) throws(FunctionFailure) -> Bool {
        if others.isEmpty { throw FunctionFailure("missing argument for comparison") }
        let k1 = basicKind(a)
        for b in others {
            let k2 = basicKind(b)
            var truth = false
            if k1 != k2 {
                switch (k1, k2) {
                case (.int, .uint): truth = signed(a) >= 0 && UInt64(signed(a)) == unsigned(b)
                case (.uint, .int): truth = signed(b) >= 0 && unsigned(a) == UInt64(signed(b))
                default: if a.isValid && b.isValid { throw incompatible }
                }
            } else {
                switch (a, b) {
                case (.bool(let x), .bool(let y)): truth = x == y
                case (.complex(let r1, let i1), .complex(let r2, let i2)): truth = r1 == r2 && i1 == i2
                case (.float(let x), .float(let y)): truth = x == y
                case (.int(let x, _), .int(let y, _)): truth = x == y
                case (.uint(let x, _), .uint(let y, _)): truth = x == y
                case (.string(let x, _), .string(let y, _)): truth = x.utf8.elementsEqual(y.utf8)
                default: truth = try compareOther(a, b)
                }
            }
            if truth { return true }
        }
        return false
    }

    /// `eq` of values that are not basic: nil-ness, then Go's `==` where the type allows it.
    private static func compareOther(_ a: TemplateValue, _ b: TemplateValue) throws(FunctionFailure) -> Bool {
        let aIsNil = isNil(a)
        let bIsNil = isNil(b)
        if let t1 = a.type, let t2 = b.type, t1.kind != t2.kind {
            throw FunctionFailure(
                "non-comparable types \(GoFormat.sprintf("%s", [a])): \(t1.name), \(t2.name): \(GoFormat.sprint([b]))")
        }
        if aIsNil || bIsNil { return aIsNil == bIsNil }
        switch (a, b) {
        case (.time(let x), .time(let y)): return x == y
        case (.pointer, .pointer):
            // Distinct pointers: we cannot tell identity, and no template makes two equal ones.
            return false
        default:
            throw FunctionFailure("non-comparable type \(GoFormat.sprintf("%s", [b])): \(b.type!.name)")
        }
    }

    /// Go's `isNil`: no value, or a nil map, slice or pointer.
    private static func isNil(_ v: TemplateValue) -> Bool {
        switch v {
        case .invalid, .pointer(nil, _): true
        default: false
        }
    }

    /// Go's `lt`.
    static func less(_ a: TemplateValue, _ b: TemplateValue) throws(FunctionFailure) -> Bool {
        let k1 = basicKind(a)
        let k2 = basicKind(b)
        if k1 == .invalid || k2 == .invalid { throw invalidType }
        if k1 != k2 {
            switch (k1, k2) {
            case (.int, .uint): return signed(a) < 0 || UInt64(signed(a)) < unsigned(b)
            case (.uint, .int): return signed(b) >= 0 && unsigned(a) < UInt64(signed(b))
            default: throw incompatible
            }
        }
        switch (a, b) {
        case (.float(let x), .float(let y)): return x < y
        case (.int(let x, _), .int(let y, _)): return x < y
        case (.uint(let x, _), .uint(let y, _)): return x < y
        case (.string(let x, _), .string(let y, _)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        default: throw invalidType
        }
    }
}
