// Scanning node properties and directives (scannerc.go): anchors `&a`, aliases `*a`, tags
// (`!!str`, `!local`, `!<verbatim>`) and the `%YAML` and `%TAG` directives.

extension Scanner {
    // MARK: - Directives

    mutating func scanDirective() throws(YAMLError) -> Token {
        let start = mark
        skip()
        var name: [UInt8] = []
        while isAlpha() { read(into: &name) }
        if name.isEmpty { throw scannerError(start, "could not find expected directive name") }
        if !isBlankZ() { throw scannerError(start, "found unexpected non-alphabetical character") }

        var token: Token
        if name == Array("YAML".utf8) {
            while isBlank() { skip() }
            let major = try scanVersionNumber(start)
            guard at() == UInt8(ascii: ".") else {
                throw scannerError(start, "did not find expected digit or '.' character")
            }
            skip()
            let minor = try scanVersionNumber(start)
            token = Token(.versionDirective, start: start, end: mark)
            token.major = major
            token.minor = minor
        } else if name == Array("TAG".utf8) {
            while isBlank() { skip() }
            let handle = try scanTagHandle(directive: true, start)
            guard isBlank() else { throw scannerError(start, "did not find expected whitespace") }
            while isBlank() { skip() }
            let prefix = try scanTagURI(directive: true, head: [], start)
            guard isBlankZ() else { throw scannerError(start, "did not find expected whitespace or line break") }
            token = Token(.tagDirective, start: start, end: mark)
            token.value = handle
            token.suffix = prefix
        } else {
            throw scannerError(start, "found unknown directive name")
        }

        while isBlank() { skip() }
        if at() == UInt8(ascii: "#") {
            while !isBreakZ() { skip() }
        }
        guard isBreakZ() else { throw scannerError(start, "did not find expected comment or line break") }
        if isBreak() { skipLine() }
        return token
    }

    private mutating func scanVersionNumber(_ start: Position) throws(YAMLError) -> Int {
        var value = 0
        var length = 0
        while isDigit() {
            length += 1
            if length > 2 { throw scannerError(start, "found extremely long version number") }
            value = value * 10 + Int(at() - UInt8(ascii: "0"))
            skip()
        }
        if length == 0 { throw scannerError(start, "did not find expected version number") }
        return value
    }

    // MARK: - Anchors and aliases

    mutating func scanAnchor(_ kind: Token.Kind) throws(YAMLError) -> Token {
        let start = mark
        skip()
        var name: [UInt8] = []
        while isAlpha() { read(into: &name) }
        let end = mark
        if name.isEmpty || !(isBlankZ() || Self.anchorFollowers.contains(at())) {
            throw scannerError(start, "did not find expected alphabetic or numeric character")
        }
        var token = Token(kind, start: start, end: end)
        token.value = name
        return token
    }

    // MARK: - Tags

    mutating func scanTag() throws(YAMLError) -> Token {
        let start = mark
        var handle: [UInt8] = []
        var suffix: [UInt8] = []
        if at(1) == UInt8(ascii: "<") {
            skip()
            skip()
            suffix = try scanTagURI(directive: false, head: [], start)
            guard at() == UInt8(ascii: ">") else { throw scannerError(start, "did not find the expected '>'") }
            skip()
        } else {
            handle = try scanTagHandle(directive: false, start)
            if handle.count > 1 && handle.first == UInt8(ascii: "!") && handle.last == UInt8(ascii: "!") {
                suffix = try scanTagURI(directive: false, head: [], start)
            } else {
                // `!local`: the handle `!` and the rest as the suffix; a lone `!` is the
                // non-specific tag, kept as a suffix without a handle.
                suffix = try scanTagURI(directive: false, head: handle, start)
                handle = [UInt8(ascii: "!")]
                if suffix.isEmpty { swap(&handle, &suffix) }
            }
        }
        guard isBlankZ() else { throw scannerError(start, "did not find expected whitespace or line break") }
        var token = Token(.tag, start: start, end: mark)
        token.value = handle
        token.suffix = suffix
        return token
    }

    private mutating func scanTagHandle(directive: Bool, _ start: Position) throws(YAMLError) -> [UInt8] {
        guard at() == UInt8(ascii: "!") else { throw scannerError(start, "did not find expected '!'") }
        var handle: [UInt8] = []
        read(into: &handle)
        while isAlpha() { read(into: &handle) }
        if at() == UInt8(ascii: "!") {
            read(into: &handle)
        } else if directive && handle != [UInt8(ascii: "!")] {
            throw scannerError(start, "did not find expected '!'")
        }
        return handle
    }

    private mutating func scanTagURI(directive: Bool, head: [UInt8], _ start: Position) throws(YAMLError) -> [UInt8] {
        var uri: [UInt8] = head.count > 1 ? Array(head.dropFirst()) : []
        var hasTag = !head.isEmpty
        while isAlpha() || Self.uriCharacters.contains(at()) {
            if at() == UInt8(ascii: "%") {
                try scanURIEscapes(directive: directive, start, into: &uri)
            } else {
                read(into: &uri)
            }
            hasTag = true
        }
        guard hasTag else { throw scannerError(start, "did not find expected tag URI") }
        return uri
    }

    /// `%XX` escapes making one UTF-8 character.
    private mutating func scanURIEscapes(directive: Bool, _ start: Position, into uri: inout [UInt8]) throws(YAMLError) {
        var remaining = 1024
        while remaining > 0 {
            guard at() == UInt8(ascii: "%"), let high = hexValue(1), let low = hexValue(2) else {
                throw scannerError(start, "did not find URI escaped octet")
            }
            let octet = UInt8(high << 4 + low)
            if remaining == 1024 {
                remaining = Self.width(octet)
                if remaining == 0 { throw scannerError(start, "found an incorrect leading UTF-8 octet") }
            } else if octet & 0xC0 != 0x80 {
                throw scannerError(start, "found an incorrect trailing UTF-8 octet")
            }
            uri.append(octet)
            skip()
            skip()
            skip()
            remaining -= 1
        }
    }

    /// What may follow an anchor's or alias's name besides a blank.
    private static let anchorFollowers: [UInt8] = Array("?:,]}%@`".utf8)

    private static let uriCharacters: [UInt8] = Array(";/?:@&=+$,.!~*'()[]%".utf8)
}
