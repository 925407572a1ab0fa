// Go's text/template builtins (funcs.go): and, or, not, len, index, slice, call, print,
// printf, println, html, js, urlquery, and the comparisons with Go's kind rules.

import MetricModel
import Scrape

enum TemplateFunctions {
    /// Go's builtin functions by name.
    static let builtins: [String: TemplateFunction] = [
        "and": TemplateFunction([.reflectValue], variadic: .reflectValue) { $0.last ?? .invalid },
        "or": TemplateFunction([.reflectValue], variadic: .reflectValue) { $0.last ?? .invalid },
        "not": TemplateFunction([.reflectValue]) { .bool(!$0[0].truth) },
        "call": TemplateFunction([.reflectValue], variadic: .reflectValue) { (a) throws(FunctionFailure) in
            // No value here is a function.
            guard let type = a[1].type else { throw FunctionFailure("call of nil") }
            throw FunctionFailure("non-function \(a[0].stringValue) of type \(type.name)")
        },
        "len": TemplateFunction([.reflectValue]) { (a) throws(FunctionFailure) in
            let (item, isNil) = a[0].indirect
            if isNil { throw FunctionFailure("len of nil pointer") }
            guard let type = item.type else {
                throw FunctionFailure("reflect: call of reflect.Value.Type on zero Value")
            }
            guard let length = item.length else { throw FunctionFailure("len of type \(type.name)") }
            return .integer(length)
        },
        "index": TemplateFunction([.reflectValue], variadic: .reflectValue) { (a) throws(FunctionFailure) in
            try index(a[0], Array(a.dropFirst()))
        },
        "slice": TemplateFunction([.reflectValue], variadic: .reflectValue) { (a) throws(FunctionFailure) in
            try slice(a[0], Array(a.dropFirst()))
        },
        "print": TemplateFunction([], variadic: .interface) { .text(GoFormat.sprint($0)) },
        "println": TemplateFunction([], variadic: .interface) { .text(GoFormat.sprintln($0)) },
        "printf": TemplateFunction([.string], variadic: .interface) {
            .text(GoFormat.sprintf($0[0].stringValue, Array($0.dropFirst())))
        },
        "html": TemplateFunction([], variadic: .interface) { .text(htmlEscape(evalArgs($0))) },
        "js": TemplateFunction([], variadic: .interface) { .text(jsEscape(evalArgs($0))) },
        "urlquery": TemplateFunction([], variadic: .interface) { .text(queryEscape(evalArgs($0))) },
        "eq": TemplateFunction([.reflectValue], variadic: .reflectValue) { (a) throws(FunctionFailure) in
            .bool(try equal(a[0], Array(a.dropFirst())))
        },
        "ne": TemplateFunction([.reflectValue, .reflectValue]) { (a) throws(FunctionFailure) in
            .bool(!(try equal(a[0], [a[1]])))
        },
        "lt": TemplateFunction([.reflectValue, .reflectValue]) { (a) throws(FunctionFailure) in
            .bool(try less(a[0], a[1]))
        },
        "le": TemplateFunction([.reflectValue, .reflectValue]) { (a) throws(FunctionFailure) in
            if try less(a[0], a[1]) { return .bool(true) }
            return .bool(try equal(a[0], [a[1]]))
        },
        "gt": TemplateFunction([.reflectValue, .reflectValue]) { (a) throws(FunctionFailure) in
            if try less(a[0], a[1]) { return .bool(false) }
            return .bool(!(try equal(a[0], [a[1]])))
        },
        "ge": TemplateFunction([.reflectValue, .reflectValue]) { (a) throws(FunctionFailure) in
            .bool(!(try less(a[0], a[1])))
        },
    ]

    /// Go's `evalArgs`: the arguments as `fmt.Sprint` prints them, pointers followed and
    /// missing values shown as "<no value>".
    static func evalArgs(_ args: [TemplateValue]) -> String {
        if args.count == 1, case .string(let s, .string) = args[0] { return s }
        return GoFormat.sprint(args.map { arg in
            let (v, isNil) = arg.indirect
            if isNil { return arg }
            return v.isValid ? v : .text("<no value>")
        })
    }

    // MARK: Indexing

    /// Go's `indexArg`: an integer index at most `limit`.
    private static func indexArgument(_ index: TemplateValue, _ limit: Int) throws(FunctionFailure) -> Int {
        let x: Int64
        switch index {
        case .int(let i, _): x = i
        case .uint(let u, _): x = Int64(bitPattern: u)
        case .invalid: throw FunctionFailure("cannot index slice/array with nil")
        default: throw FunctionFailure("cannot index slice/array with type \(index.type!.name)")
        }
        if x < 0 || x > Int64(limit) { throw FunctionFailure("index out of range: \(x)") }
        return Int(x)
    }

    private static func index(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(FunctionFailure) -> TemplateValue {
        guard item.isValid else { throw FunctionFailure("index of untyped nil") }
        var item = item
        for index in indexes {
            let (value, isNil) = item.indirect
            if isNil { throw FunctionFailure("index of nil pointer") }
            switch value {
            case .slice(let elements, _):
                let i = try indexArgument(index, elements.count)
                guard i < elements.count else { throw FunctionFailure("reflect: slice index out of range") }
                item = elements[i]
            case .string(let s, _):
                let bytes = Array(s.utf8)
                let i = try indexArgument(index, bytes.count)
                guard i < bytes.count else { throw FunctionFailure("reflect: string index out of range") }
                item = .uint(UInt64(bytes[i]), .uint8)
            case .map(let entries, let element):
                guard let keyType = index.type else { throw FunctionFailure("value is nil; should be of type string") }
                guard keyType == .string else { throw FunctionFailure("value has type \(keyType.name); should be string") }
                item = entries[index.stringValue] ?? .zero(element)
            default:
                throw FunctionFailure("can't index item of type \(value.type!.name)")
            }
        }
        return item
    }

    private static func slice(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(FunctionFailure) -> TemplateValue {
        guard let type = item.type else { throw FunctionFailure("slice of untyped nil") }
        if indexes.count > 3 { throw FunctionFailure("too many slice indexes: \(indexes.count)") }
        let length: Int
        switch item {
        case .string(let s, _):
            if indexes.count == 3 { throw FunctionFailure("cannot 3-index slice a string") }
            length = s.utf8.count
        case .slice(let elements, _):
            length = elements.count
        default:
            throw FunctionFailure("can't slice item of type \(type.name)")
        }
        var bounds = [0, length, length]
        for (i, index) in indexes.enumerated() { bounds[i] = try indexArgument(index, length) }
        if bounds[0] > bounds[1] { throw FunctionFailure("invalid slice index: \(bounds[0]) > \(bounds[1])") }
        if indexes.count == 3 && bounds[1] > bounds[2] {
            throw FunctionFailure("invalid slice index: \(bounds[1]) > \(bounds[2])")
        }
        switch item {
        case .string(let s, let t):
            return .string(String(decoding: Array(s.utf8)[bounds[0]..<bounds[1]], as: UTF8.self), t)
        case .slice(let elements, let t):
            return .slice(Array(elements[bounds[0]..<bounds[1]]), t)
        default:
            return item
        }
    }

    // MARK: Escaping

    /// Go's `HTMLEscapeString`.
    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\0": out += "\u{FFFD}"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Go's `JSEscapeString`.
    static func jsEscape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\"": out += "\\\""
            case "<": out += "\\u003C"
            case ">": out += "\\u003E"
            case "&": out += "\\u0026"
            case "=": out += "\\u003D"
            case _ where c.value < 0x20: out += "\\u00" + hexDigits(c.value, width: 2).uppercased()
            case _ where c.value >= 0x80 && !goIsPrint(c): out += "\\u" + hexDigits(c.value, width: 4).uppercased()
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Go's `url.QueryEscape`: unreserved bytes kept, space as `+`, the rest as %XX.
    static func queryEscape(_ s: String) -> String {
        URLEscaping.query(s)
    }
}
