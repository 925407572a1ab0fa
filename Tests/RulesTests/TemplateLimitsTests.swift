// Templates that would exhaust the stack, memory or time must fail with an error instead:
// deep nesting, runaway recursion, huge repetition. The deepest cases run on a thread with a
// 512 KiB stack, the smallest a Swift task may get. Random templates from a seeded generator
// must never crash and must parse the same way in `parseTest` and `expand`.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import MetricModel
import Rules
import Testing

/// Runs `body` on a new thread with a stack of `stackBytes` and waits for it.
private func onSmallStack(_ stackBytes: Int = 512 << 10, _ body: @escaping @Sendable () -> Void) {
    final class Work: @unchecked Sendable {
        // Safety: written before the thread starts, read only by it.
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    pthread_attr_setstacksize(&attributes, stackBytes)
    let context = Unmanaged.passRetained(Work(body)).toOpaque()
    #if canImport(Glibc)
        var thread = pthread_t()
    #else
        var thread: pthread_t? = nil
    #endif
    let started = pthread_create(&thread, &attributes, { raw in
        let work = Unmanaged<Work>.fromOpaque(raw!).takeRetainedValue()
        work.body()
        return nil
    }, context)
    precondition(started == 0, "pthread_create failed")
    #if canImport(Glibc)
        pthread_join(thread, nil)
    #else
        pthread_join(thread!, nil)
    #endif
    pthread_attr_destroy(&attributes)
}

private func expand(_ text: String, name: String = "t") -> Expansion {
    let expander = TemplateExpander(
        text: text, name: name, value: .invalid, timestamp: 0, query: { _, _ in [] }, externalURL: "")
    do {
        return .output(try expander.expand())
    } catch {
        return .failure(error.message)
    }
}

@Suite struct TemplateLimitsTests {
    static func ifs(_ n: Int) -> String {
        String(repeating: "{{if 1}}", count: n) + "x" + String(repeating: "{{end}}", count: n)
    }

    static func parens(_ n: Int) -> String {
        "{{" + String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n) + "}}"
    }

    static let recursion = "{{define \"r\"}}{{if .}}{{template \"r\" (slice . 1)}}{{else}}end{{end}}{{end}}{{template \"r\" .}}"

    @Test func nestingUpToTheLimitWorksOnASmallStack() {
        onSmallStack {
            #expect(expand(Self.ifs(50)) == .output("x"))
            #expect(expand(Self.parens(49)) == .output("1"))
            let deep = TemplateExpander(
                text: Self.recursion, name: "t", value: .text(String(repeating: "a", count: 24)), timestamp: 0,
                query: nil, externalURL: "")
            #expect((try? deep.expand()) == "end")
        }
    }

    @Test func nestingPastTheLimitIsAParseError() {
        onSmallStack {
            #expect(expand(Self.ifs(51)) == .failure("error parsing template t: template: t:1: max nesting depth exceeded"))
            #expect(
                expand(Self.parens(51)) == .failure("error parsing template t: template: t:1: max expression depth exceeded"))
            #expect(
                expand(Self.parens(100_000))
                    == .failure("error parsing template t: template: t:1: max expression depth exceeded"))
            #expect(
                expand(String(repeating: "{{range .}}", count: 10_000))
                    == .failure("error parsing template t: template: t:1: max nesting depth exceeded"))
        }
    }

    @Test func runawayRecursionIsAnExecutionError() {
        onSmallStack {
            let text = "{{define \"loop\"}}{{template \"loop\" .}}{{end}}{{template \"loop\" .}}"
            #expect(
                expand(text)
                    == .failure(
                        "error executing template t: template: t:1:28: executing \"loop\" at <{{template \"loop\" .}}>: exceeded maximum template depth (50)"
                    ))
        }
    }

    @Test func hugeOutputIsCut() {
        let result = expand("{{ range 100000000 }}0123456789abcdef{{ end }}")
        #expect(result == .failure("error executing template t: template: t:1:21: executing \"t\" at <0123456789abcdef>: template output exceeds 16777216 bytes"))
    }

    @Test func endlessLoopsRunOutOfSteps() {
        let result = expand("{{ range 1000000000 }}{{ end }}")
        guard case .failure(let message) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(message.hasSuffix("template execution exceeds 10000000 steps"))
    }

    @Test func valuesThatDoubleEveryIterationStopAtTheOutputLimit() {
        let strings = expand("{{ $s := \"ab\" }}{{ range 40 }}{{ $s = print $s $s }}{{ end }}{{ len $s }}")
        #expect(
            strings
                == .failure(
                    "error executing template t: template: t:1:38: executing \"t\" at <print $s $s>: error calling print: result exceeds 16777216 bytes"
                ))
        let maps = expand("{{ $m := args 1 }}{{ range 30 }}{{ $m = args $m $m }}{{ end }}{{ $m }}")
        #expect(
            maps
                == .failure(
                    "error executing template t: template: t:1:40: executing \"t\" at <args $m $m>: error calling args: arguments nest deeper than 20 levels or hold more than 10000 values"
                ))
        let widths = expand("{{ printf \"" + String(repeating: "%1000000d", count: 40) + "\" " + String(repeating: "1 ", count: 40) + "}}")
        guard case .failure(let message) = widths else {
            Issue.record("expected a failure")
            return
        }
        #expect(message.hasSuffix("error calling printf: result exceeds 16777216 bytes"))
    }

    @Test func hugePrintfWidthIsRefusedAsGoDoes() {
        #expect(expand("{{ printf \"%99999999d\" 1 }}") == .output("%!(NOVERB)%!(EXTRA int=1)"))
        #expect(expand("{{ printf \"%.99999999f\" 1.0 }}") == .output("%!(NOVERB)%!(EXTRA float64=1)"))
    }

    /// Templates built from the pieces of the template language, valid or not.
    static func randomTemplate(_ rng: inout SeededGenerator) -> String {
        let pieces = [
            "{{", "}}", "{{-", "-}}", " ", "\n", "if", "else", "end", "range", "with", "define", "template", "block",
            "break", "continue", "$x", ":=", "=", "$", ".", ".Labels", ".a.b", "(", ")", "|", "\"s\"", "`r`", "'c'",
            "1", "-2.5e3", "0x1F", "1+2i", "nil", "true", "printf", "\"%d %s %v %5.2f\"", "len", "index", "slice",
            "eq", "lt", "and", "or", "not", "humanize", "query", "first", "value", "args", "reReplaceAll", "\"a*\"",
            "/*", "*/", "text", "\u{A0}", "é", "{{/* c */}}", ",", "$i", "$e",
        ]
        var out = ""
        for _ in 0..<Int.random(in: 1...40, using: &rng) { out += pieces.randomElement(using: &rng)! }
        return out
    }

    @Test func randomTemplatesNeverCrashAndParseConsistently() {
        let seed: UInt64 = 20_261_127
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<3000 {
            let text = Self.randomTemplate(&rng)
            let expander = TemplateExpander(
                text: text, name: "t", value: .stringMap(["a": "b"]), timestamp: 0,
                query: { _, _ in [TemplateQuerySample(labels: ["x": "y"], value: 1)] }, externalURL: "")
            var parseError: String? = nil
            do { try expander.parseTest() } catch { parseError = error.message }
            let first: Expansion
            do {
                first = .output(try expander.expand())
            } catch {
                first = .failure(error.message)
            }
            if let parseError {
                #expect(first == .failure("error parsing template t: " + parseError), "seed \(seed): \(text)")
            } else if case .failure(let message) = first {
                #expect(message.hasPrefix("error executing template t: template: t"), "seed \(seed): \(text)")
            }
        }
    }
}
