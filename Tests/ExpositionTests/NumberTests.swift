// NumberTests: Go ParseFloat/ParseInt semantics of sample values and timestamps, exact bits of
// NaN/±Inf/-0, OpenMetrics seconds → milliseconds, and Prometheus 3's `le`/`quantile`
// normalisation (FormatOpenMetricsFloat).

import Exposition
import MetricModel
import Testing

@Suite("Numbers")
struct NumberTests {
    /// The value of `m <text>` in Prometheus text format, or the error message.
    static func promValue(_ text: String) -> Result<UInt64, ExpositionError> {
        var parser = PromTextParser(Array("m \(text)\n".utf8))
        do {
            _ = try parser.next()
            return .success(parser.value.bitPattern)
        } catch {
            return .failure(error)
        }
    }

    @Test(arguments: [
        ("NaN", StaleNaN.normalNaNBits), ("nan", StaleNaN.normalNaNBits), ("nAN", StaleNaN.normalNaNBits),
        ("+Inf", Double.infinity.bitPattern), ("inf", Double.infinity.bitPattern),
        ("Infinity", Double.infinity.bitPattern), ("+INFINITY", Double.infinity.bitPattern),
        ("-Inf", (-Double.infinity).bitPattern), ("-infinity", (-Double.infinity).bitPattern),
        ("-0", (-0.0).bitPattern), ("0", 0.0.bitPattern), ("-0.0e10", (-0.0).bitPattern),
        (".5", 0.5.bitPattern), ("5.", 5.0.bitPattern), ("+1.5", 1.5.bitPattern), ("1E+05", 1e5.bitPattern),
        ("0.1", 0.1.bitPattern), ("0.30000000000000004", 0.30000000000000004.bitPattern),
        ("1e-400", 0.0.bitPattern), ("4.9406564584124654e-324", Double.leastNonzeroMagnitude.bitPattern),
        ("2.2250738585072011e-308", 0x000F_FFFF_FFFF_FFFF),
        ("1.7976931348623157e308", Double.greatestFiniteMagnitude.bitPattern),
        ("9007199254740993", 9007199254740992.0.bitPattern), ("1e23", 1e23.bitPattern), ("1e22", 1e22.bitPattern),
        ("123456789012345678901234567890", 1.2345678901234568e29.bitPattern),
        ("1.00000000000000000000000000000000000000001", 1.0.bitPattern), ("000000000000000000000001", 1.0.bitPattern),
        ("-123.456e-7", (-123.456e-7).bitPattern), ("1e-5", 1e-5.bitPattern),
        // Plain digits (the integer shortcut up to 15 digits, the general path above).
        ("7", 7.0.bitPattern), ("0042", 42.0.bitPattern), ("999999999999999", 999999999999999.0.bitPattern),
        ("1234567890123456", 1234567890123456.0.bitPattern), ("18446744073709551616", 18446744073709551616.0.bitPattern),
    ])
    func validValues(_ text: String, _ bits: UInt64) throws {
        #expect(try Self.promValue(text).get() == bits, "\(text)")
    }

    @Test(arguments: [
        ("1e400", #"strconv.ParseFloat: parsing "1e400": value out of range while parsing: "m 1e400""#),
        ("-1e400", #"strconv.ParseFloat: parsing "-1e400": value out of range while parsing: "m -1e400""#),
        ("1.7976931348623159e308", #"strconv.ParseFloat: parsing "1.7976931348623159e308": value out of range while parsing: "m 1.7976931348623159e308""#),
        ("0x1A", #"strconv.ParseFloat: parsing "0x1A": invalid syntax while parsing: "m 0x1A""#),
        ("0x1p3", #"unsupported character in float while parsing: "m 0x1p3""#),
        ("1_000", #"unsupported character in float while parsing: "m 1_000""#),
        ("+nan", #"strconv.ParseFloat: parsing "+nan": invalid syntax while parsing: "m +nan""#),
        ("infinit", #"strconv.ParseFloat: parsing "infinit": invalid syntax while parsing: "m infinit""#),
        ("1e", #"strconv.ParseFloat: parsing "1e": invalid syntax while parsing: "m 1e""#),
        ("1e+", #"strconv.ParseFloat: parsing "1e+": invalid syntax while parsing: "m 1e+""#),
        (".", #"strconv.ParseFloat: parsing ".": invalid syntax while parsing: "m .""#),
        ("1.2.3", #"strconv.ParseFloat: parsing "1.2.3": invalid syntax while parsing: "m 1.2.3""#),
        ("١", #"strconv.ParseFloat: parsing "١": invalid syntax while parsing: "m ١""#),
    ])
    func invalidValues(_ text: String, _ message: String) {
        guard case let .failure(error) = Self.promValue(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(error.message == message)
        #expect(error.code == .invalidNumber)
    }

    @Test func promTimestamps() throws {
        var parser = PromTextParser(Array("a 1 9223372036854775807\nb 1 0\n".utf8))
        _ = try parser.next()
        #expect(parser.timestamp == Int64.max)
        _ = try parser.next()
        #expect(parser.timestamp == 0)

        var overflow = PromTextParser(Array("a 1 9223372036854775808\n".utf8))
        #expect(
            firstError(&overflow)?.message
                == #"strconv.ParseInt: parsing "9223372036854775808": value out of range while parsing: "a 1 9223372036854775808""#)
        // Prometheus's 0.0.4 lexer takes digits only: a negative timestamp is a syntax error.
        var negative = PromTextParser(Array("a 1 -5\n".utf8))
        #expect(
            firstError(&negative)?.message
                == #"expected timestamp or new record, got "-" ("INVALID") while parsing: "a 1 -""#)
    }

    /// OpenMetrics seconds → milliseconds with Go's `int64(ts * 1000)` (truncation; amd64's
    /// MinInt64 when out of range).
    @Test(arguments: [
        ("1520879607.789", Int64(1_520_879_607_789)), ("-7200", -7_200_000), ("1e3", 1_000_000),
        ("0.0015", 1), ("-0.0015", -1), ("1700001008.192", 1_700_001_008_192), ("1e20", Int64.min),
        ("-1e20", Int64.min), ("0x", nil), ("inf", nil), ("-Inf", nil), ("nan", nil),
    ] as [(String, Int64?)])
    func openMetricsTimestamps(_ text: String, _ ms: Int64?) {
        var parser = OpenMetricsParser(Array("m_total 1 \(text) # {a=\"b\"} 2 \(text)\n# EOF\n".utf8))
        do {
            _ = try parser.next()
            #expect(parser.timestamp == ms)
            #expect(try parser.exemplar()?.timestamp == ms)
        } catch {
            #expect(ms == nil, "\(error)")
        }
    }

    @Test func nonFiniteTimestampMessages() {
        var a = OpenMetricsParser(Array("a 1 inf\n# EOF\n".utf8))
        #expect(firstError(&a)?.message == "invalid timestamp +Inf")
        var b = OpenMetricsParser(Array("a 1 nan\n# EOF\n".utf8), dialect: .prometheus2_42)
        #expect(firstError(&b)?.message == "invalid timestamp")
    }

    /// `le` of histograms and `quantile` of summaries, as Prometheus 3 rewrites them.
    @Test(arguments: [
        ("1", "1.0"), ("0.25", "0.25"), ("1e-5", "1e-05"), ("1000000", "1e+06"), ("100000", "100000.0"),
        ("123456", "123456.0"), ("1234567", "1.234567e+06"), ("0.0001", "0.0001"), ("0.00001", "1e-05"),
        ("+Inf", "+Inf"), ("inf", "+Inf"), ("-1", "-1.0"), ("0", "0.0"), ("-0", "0.0"), ("foo", "foo"),
        ("0x1p-3", "0.125"), ("1_0", "10.0"), ("NaN", "NaN"), ("2.5e-7", "2.5e-07"), ("1e21", "1e+21"),
        ("12345678901234567890", "1.2345678901234567e+19"), ("0.1", "0.1"), ("-2.5", "-2.5"), ("", ""),
    ])
    func normalizedLe(_ written: String, _ stored: String) throws {
        let input = "# TYPE h histogram\nh_bucket{le=\"\(written)\"} 1\n# TYPE s summary\ns{quantile=\"\(written)\"} 1\n# EOF\n"
        var parser = OpenMetricsParser(Array(input.utf8))
        var seen: [String?] = []
        while let entry = try parser.next() {
            guard case .series = entry else { continue }
            let labels = try parser.labels()
            seen.append(labels["le"] ?? labels["quantile"])
        }
        #expect(seen == [stored.isEmpty ? nil : stored, stored.isEmpty ? nil : stored])
        // Prometheus 2.42 (promtool) keeps the value as written.
        var legacy = OpenMetricsParser(Array(input.utf8), dialect: .prometheus2_42)
        _ = try legacy.next()
        _ = try legacy.next()
        #expect(try legacy.labels()["le"] == (written.isEmpty ? nil : written))
    }
}
