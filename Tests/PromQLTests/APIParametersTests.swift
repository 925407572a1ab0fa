// HTTP API parameter parsing: `parseTime` and `parseDurationParam` against the results of
// Prometheus's `parseTime`/`parseDuration` (web/api/v1/api.go) run with Go and recorded here.

import PromQL
import Testing

@Suite("API parameters")
struct APIParametersTests {
    /// Go results: input, milliseconds (`timestamp.FromTime(parseTime(s))`).
    static let times: [(String, Int64)] = [
        ("0", 0), ("1", 1000), ("-1.5", -1500), ("1.0005", 1000), ("0.009", 9), ("1435781451.781", 1_435_781_451_781),
        ("1435781451.7815", 1_435_781_451_782), ("0.0015", 2), ("-0.0015", -2), ("1e3", 1_000_000), ("1_000", 1_000_000),
        ("0x1p3", 8000), ("+1", 1000), (".5", 500), ("5.", 5000), ("1e-400", 0), ("0.1e-1", 10),
        ("123.456789", 123_457), ("-123.456789", -123_457), ("1.9999", 2000), ("9.2e15", 9_200_000_000_000_000_000),
        // Go's overflow behaviour (int64 conversion and time.Unix), reproduced.
        ("Inf", -9_223_372_036_855), ("-Inf", -9_223_372_036_855), ("NaN", -9_223_372_036_855),
        ("nan", -9_223_372_036_855), ("infinity", -9_223_372_036_855), ("9223372036854775807", 0), ("1e19", 0),
        ("-1e19", 0),
        // RFC 3339.
        ("2015-07-01T20:10:51.781Z", 1_435_781_451_781), ("2015-07-01T20:10:51Z", 1_435_781_451_000),
        ("2015-07-01T20:10:51.7819999Z", 1_435_781_451_781), ("2015-07-01T20:10:51,5Z", 1_435_781_451_500),
        ("2015-07-01T2:10:51Z", 1_435_716_651_000), ("2015-07-01T20:10:51+02:00", 1_435_774_251_000),
        ("2015-07-01T20:10:51-00:30", 1_435_783_251_000), ("2016-02-29T00:00:00Z", 1_456_704_000_000),
        ("2015-07-01T20:10:51+24:00", 1_435_695_051_000), ("2015-07-01T20:10:51+23:60", 1_435_695_051_000),
        ("0000-01-01T00:00:00Z", -62_167_219_200_000), ("1969-12-31T23:59:59.9999Z", -1),
        // Go ≥ 1.20 (Prometheus 3.x) takes any number of fraction digits; Go 1.19 did not.
        ("2015-07-01T20:10:51.1234567891234Z", 1_435_781_451_123),
        // Prometheus's MinTime and MaxTime.
        ("-292273086-05-16T16:47:06Z", -9_223_309_901_257_974_000),
        ("292277025-08-18T07:12:54.999999999Z", 9_223_309_901_257_974_999),
    ]

    @Test("timestamps", arguments: times)
    func time(input: String, milliseconds: Int64) throws {
        #expect(try parseTime(input) == milliseconds)
    }

    /// Inputs Go rejects.
    static let badTimes = [
        "0x10", "+nan", "1e400", "2015-02-29T00:00:00Z", "2015-07-01 20:10:51Z", "2015-07-01t20:10:51z",
        "2015-07-01T24:00:00Z", "2015-07-01T23:59:60Z", "2015-07-01T20:10:51.Z", "2015-07-01T20:10:51+2:00",
        "abc", "", " 1", "1 ", "2015-07-01T20:10:51", "2015-07-01", "15-07-01T20:10:51Z",
    ]

    @Test("invalid timestamps", arguments: badTimes)
    func badTime(input: String) {
        let message = #"cannot parse "\#(input)" to a valid timestamp"#
        #expect(throws: ParseError(.badParameter, message)) { try parseTime(input) }
    }

    /// Go results: input, milliseconds (`parseDuration(s) / time.Millisecond`).
    static let durations: [(String, Int64)] = [
        ("15", 15_000), ("0.5", 500), ("60.000", 60_000), ("1e3", 1_000_000), ("0.0005", 0), ("0.0015", 1),
        ("-1", -1000), ("5m", 300_000), ("1h30m", 5_400_000), ("1.5", 1500), ("9223372036", 9_223_372_036_000),
        ("0x1p4", 16_000), ("1_0", 10_000), ("NaN", -9_223_372_036_854), ("9.2233720368547758e9", -9_223_372_036_854),
    ]

    @Test("durations", arguments: durations)
    func duration(input: String, milliseconds: Int64) throws {
        #expect(try parseDurationParam(input) == milliseconds)
    }

    /// Go error messages.
    static let badDurations: [(String, String)] = [
        ("abc", #"cannot parse "abc" to a valid duration"#),
        ("", #"cannot parse "" to a valid duration"#),
        ("0x10", #"cannot parse "0x10" to a valid duration"#),
        ("5m ", #"cannot parse "5m " to a valid duration"#),
        ("1.5m", #"cannot parse "1.5m" to a valid duration"#),
        ("9.3e9", #"cannot parse "9.3e9" to a valid duration. It overflows int64"#),
        ("-9.3e9", #"cannot parse "-9.3e9" to a valid duration. It overflows int64"#),
        ("Inf", #"cannot parse "Inf" to a valid duration. It overflows int64"#),
        ("-Inf", #"cannot parse "-Inf" to a valid duration. It overflows int64"#),
    ]

    @Test("invalid durations", arguments: badDurations)
    func badDuration(input: String, message: String) {
        #expect(throws: ParseError(.badParameter, message)) { try parseDurationParam(input) }
    }
}
