// Patterns that make backtracking engines take exponential time, on 50,000-character inputs:
// the Pike VM must finish, and its step counter must stay within O(input × program).

import MetricModel
import Testing

@Suite("RE2Regex: linear time")
struct RE2RegexLinearityTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let pattern: String
        let input: String
        let matches: Bool
        var testDescription: String { "/\(pattern)/ on \(input.utf8.count) bytes" }
    }

    static let n = 50_000

    static let cases: [Case] = [
        Case(pattern: "(a*)*b", input: String(repeating: "a", count: n), matches: false),
        Case(pattern: "(a|a)*c", input: String(repeating: "a", count: n), matches: false),
        Case(pattern: "(x+x+)+y", input: String(repeating: "x", count: n), matches: false),
        Case(pattern: "(a|aa)+$", input: String(repeating: "a", count: n) + "!", matches: false),
        Case(pattern: "(.*a){20}", input: String(repeating: "a", count: n), matches: true),
        Case(pattern: "(a*)*b", input: String(repeating: "a", count: n) + "b", matches: true),
        Case(pattern: "(\\w+\\s?)+$", input: String(repeating: "word ", count: n / 5) + "!", matches: false),
        Case(pattern: "^(([a-z])+.)+[A-Z]([a-z])+$", input: String(repeating: "a", count: n), matches: false),
    ]

    @Test(arguments: cases)
    func boundedWork(_ c: Case) throws {
        let re = try RE2Regex(c.pattern)
        let bound = 2 * re.programSize * (c.input.utf8.count + 1)
        let plain = re.stepsToMatch(c.input)
        #expect(plain.matched == c.matches)
        #expect(plain.steps <= bound, "\(plain.steps) steps for a bound of \(bound)")
        let withCaptures = re.stepsToMatch(c.input, captures: true)
        #expect(withCaptures.matched == c.matches)
        #expect(withCaptures.steps <= bound, "\(withCaptures.steps) steps for a bound of \(bound)")
    }

    /// As Prometheus runs them: fully anchored, `.` matching newlines.
    @Test(arguments: cases)
    func boundedWorkAnchored(_ c: Case) throws {
        let re = try RE2Regex(prometheusAnchored: c.pattern)
        let bound = 2 * re.programSize * (c.input.utf8.count + 1)
        let run = re.stepsToMatch(c.input, captures: true)
        #expect(run.steps <= bound, "\(run.steps) steps for a bound of \(bound)")
    }

    /// Work grows linearly: ten times the input costs about ten times the steps.
    @Test func stepsGrowLinearly() throws {
        let re = try RE2Regex("(x+x+)+y")
        let small = re.stepsToMatch(String(repeating: "x", count: 5_000)).steps
        let large = re.stepsToMatch(String(repeating: "x", count: 50_000)).steps
        #expect(large <= 11 * small)
        #expect(large >= 9 * small)
    }
}
