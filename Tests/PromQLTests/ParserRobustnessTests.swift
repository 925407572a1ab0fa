// Robustness: seeded random queries built from PromQL fragments never trap, and every result
// is consistent — a parse prints to text that parses to the same text, an error has a
// position inside the query.

import PromQL
import Testing

@Suite("Parser robustness (seeded random input)")
struct ParserRobustnessTests {
    /// SplitMix64, so failures reproduce from the printed seed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fragments = [
        "foo", "bar:baz", "{", "}", "[", "]", "(", ")", "=", "!=", "=~", "!~", ",", "\"a\"", "'b'", "`c`",
        "\"\\x41\"", "\"\\q\"", "5m", "1h30m", "0", "1.5", "-", "+", "offset", "@", "start()", "end()", "1e3",
        "0x1F", " ", "\n", "# c\n", "job", "sum", "by", "é", "\"", ":", "5m1h", "Inf", "NaN", "__name__", "\"x.y\"",
        "step()", "*", "anchored", ".", "_",
    ]

    @Test("random fragment soup", arguments: [UInt64(1), 2, 3, 42, 2026])
    func soup(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        for _ in 0..<2000 {
            let count = Int.random(in: 1...8, using: &rng)
            let query = (0..<count).map { _ in Self.fragments.randomElement(using: &rng)! }.joined()
            do {
                let printed = try parseExpr(query).description
                #expect(try parseExpr(printed).description == printed, "seed \(seed), query \(query)")
            } catch {
                let start = error.positionRange?.start ?? -1
                #expect(start >= 0 && start <= query.utf8.count, "seed \(seed), query \(query): \(error)")
                #expect(error.description.contains("parse error: "), "seed \(seed), query \(query)")
            }
        }
    }
}

@Suite("Parser nesting limits")
struct ParserNestingTests {
    @Test("10,000 nested parentheses are an error, not a stack overflow")
    func deepParentheses() throws {
        let query = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        let error = try #require(parseError(query))
        #expect(error.description == "1:501: parse error: expression nesting too deep: more than 500 levels")
    }

    @Test(
        "nesting up to the limit parses, prints and compares",
        arguments: [
            String(repeating: "(", count: 498) + "x" + String(repeating: ")", count: 498),
            String(repeating: "-", count: 499) + "x",
            (0..<499).map { "x\($0)" }.joined(separator: " or "),
            (0..<499).map { "x\($0)" }.joined(separator: " ^ "),
            "sum(" + String(repeating: "abs(", count: 497) + "x" + String(repeating: ")", count: 498),
            "x[" + String(repeating: "(", count: 498) + "1" + String(repeating: ")", count: 498) + "]",
            "x[" + (0..<499).map { _ in "1s" }.joined(separator: "+") + "]",
        ])
    func atTheLimit(query: String) throws {
        let expr = try parseExpr(query)
        let printed = expr.description
        #expect(try parseExpr(printed).description == printed)
        #expect(expr == expr)
    }

    @Test(
        "one level more is an error",
        arguments: [
            String(repeating: "(", count: 500) + "x" + String(repeating: ")", count: 500),
            (0..<502).map { "x\($0)" }.joined(separator: " or "),
            (0..<502).map { "x\($0)" }.joined(separator: " ^ "),
            "x[" + (0..<502).map { _ in "1s" }.joined(separator: "+") + "]",
        ])
    func overTheLimit(query: String) throws {
        let error = try #require(parseError(query))
        #expect(error.message == "expression nesting too deep: more than 500 levels")
    }
}

/// Inputs the fuzzer (`Fuzz/run.sh FuzzPromQL`) found; each must parse, print, parse again and evaluate.
@Suite struct FuzzRegressionTests {
    @Test(arguments: [
        #"count_values("a\xc5z", version)"#,  // invalid byte → U+FFFD, printed raw, rejected on reparse
        #"{a="\xff"}"#,
        "info(ttric ,{})",  // an empty selector printed as nothing: `info(ttric, )`
    ])
    func printedFormParsesAgain(_ text: String) throws {
        let expr = try parseExpr(text)
        let again = try parseExpr(expr.description)
        #expect(again.description == expr.description)
    }
}
