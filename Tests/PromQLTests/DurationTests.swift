// Durations: `parseDuration` against prometheus/common `model.ParseDuration` (outputs of the
// Go function recorded here) and `formatDuration` against `model.Duration.String`.

import PromQL
import Testing

@Suite("Durations")
struct DurationTests {
    /// prometheus/common model/time_test.go TestParseDuration: input, milliseconds, printed.
    static let valid: [(String, Int64, String)] = [
        ("0", 0, "0s"), ("0w", 0, "0s"), ("0s", 0, "0s"), ("324ms", 324, "324ms"), ("3s", 3000, "3s"),
        ("5m", 300_000, "5m"), ("1h", 3_600_000, "1h"), ("4d", 345_600_000, "4d"), ("4d1h", 349_200_000, "4d1h"),
        ("14d", 1_209_600_000, "2w"), ("3w", 1_814_400_000, "3w"), ("3w2d1h", 1_990_800_000, "23d1h"),
        ("10y", 315_360_000_000, "10y"),
        // Recorded from Go.
        ("1h30m", 5_400_000, "1h30m"), ("1d1h1m1s1ms", 90_061_001, "1d1h1m1s1ms"),
        ("292y", 9_208_512_000_000, "292y"), ("106751d", 9_223_286_400_000, "106751d"),
        ("15250w", 9_223_200_000_000, "15250w"),
        ("2562047h47m16s854ms", 9_223_372_036_854, "106751d23h47m16s854ms"),
    ]

    @Test("valid durations", arguments: valid)
    func validDuration(input: String, milliseconds: Int64, printed: String) throws {
        #expect(try parseDuration(input) == milliseconds)
        #expect(formatDuration(milliseconds) == printed)
    }

    /// Error messages recorded from Go's `model.ParseDuration`.
    static let invalid: [(String, String)] = [
        ("", "empty duration string"),
        ("1", #"not a valid duration string: "1""#),
        ("1.5s", #"unknown unit "." in duration "1.5s""#),
        ("-1s", #"not a valid duration string: "-1s""#),
        ("5m1h", #"not a valid duration string: "5m1h""#),
        ("1m1m", #"not a valid duration string: "1m1m""#),
        ("5y1hs", #"unknown unit "hs" in duration "5y1hs""#),
        ("1x", #"unknown unit "x" in duration "1x""#),
        ("s", #"not a valid duration string: "s""#),
        ("293y", "duration out of range"),
        ("106752d", "duration out of range"),
        ("15251w", "duration out of range"),
        ("9223372036854775807ms", "duration out of range"),
        ("2562047h47m16s855ms", "duration out of range"),
        ("99999999999999999999s", #"not a valid duration string: "99999999999999999999s""#),
        ("1h ", #"unknown unit "h " in duration "1h ""#),
        (" 1h", #"not a valid duration string: " 1h""#),
        ("1H", #"unknown unit "H" in duration "1H""#),
        ("1µs", #"unknown unit "µs" in duration "1µs""#),
    ]

    @Test("invalid durations", arguments: invalid)
    func invalidDuration(input: String, message: String) {
        #expect(throws: ParseError(.badDuration, message)) { try parseDuration(input) }
    }

    @Test("printing: weeks and years only when exact, sign, zero")
    func printing() {
        #expect(formatDuration(0) == "0s")
        #expect(formatDuration(1) == "1ms")
        #expect(formatDuration(999) == "999ms")
        #expect(formatDuration(31_622_400_000) == "366d")
        #expect(formatDuration(7_776_000_000) == "90d")
        #expect(formatDuration(3_024_000_000) == "5w")
        #expect(formatDuration(-60_000) == "-1m")
        #expect(formatDuration(Int64.min) == "-106751991167d7h12m55s808ms")
    }
}
