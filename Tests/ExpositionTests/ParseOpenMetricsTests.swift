// ParseOpenMetricsTests: the backfill helper — grouping by series in input order, promtool 2.42's
// requirements (timestamps on every sample) and the grammar differences between the 2.42 and
// Prometheus 3 dialects (promtool's backfill_test.go cases).

import Exposition
import MetricModel
import Testing

@Suite("parseOpenMetrics (create-blocks-from openmetrics)")
struct ParseOpenMetricsTests {
    static func parse(_ text: String, _ dialect: OpenMetricsParser.Dialect = .prometheus2_42) throws(ExpositionError)
        -> [(labels: Labels, samples: [Sample])]
    {
        try parseOpenMetrics(Array(text.utf8), dialect: dialect)
    }

    @Test func groupsByFirstAppearanceKeepingInputOrder() throws {
        let got = try Self.parse("b 1 1\na{x=\"1\"} 1 2\nb 2 0.5\nb 3 0.5\n# EOF\n")
        #expect(got.map(\.labels) == [Labels(["__name__": "b"]), Labels(["__name__": "a", "x": "1"])])
        // Unsorted and not deduplicated: the TSDB appender decides about order and repeats.
        #expect(got[0].samples == [Sample(1000, 1), Sample(500, 2), Sample(500, 3)])
        #expect(got[1].samples == [Sample(2000, 1)])
    }

    /// promtool's backfill_test.go inputs that must be accepted.
    @Test(arguments: [
        "# EOF",
        "# HELP http_requests_total The total number of HTTP requests.\n# TYPE http_requests_total counter\nhttp_requests_total{code=\"200\"} 1021 1565133713.989\nhttp_requests_total{code=\"400\"} 1 1565133713.990\n# EOF\n",
        "# TYPE go info\ngo_info{version=\"go1.15.3\"} 1 1565133713.989\n# TYPE up gauge\nup 1 1565133713.989\nup 1 1565392913.989\n# EOF\n",
        "no_help_no_type{foo=\"bar\"} 42 6900\n# EOF\n",
        "no_newline_after_eof 42 6900\n# EOF",
        "bare_metric 42.24 1001\n# EOF\n",
        "foo_total 1 1 # {trace_id=\"abc\"} 1 1\nfoo_created 1 1\n# EOF\n",
    ])
    func promtoolAccepts(_ text: String) throws {
        _ = try Self.parse(text)
    }

    /// promtool's backfill_test.go inputs that must be rejected, and why.
    @Test(arguments: [
        ("# HELP rpc_duration_seconds A summary of the RPC duration in seconds.\n# TYPE rpc_duration_seconds summary\nrpc_duration_seconds{quantile=\"0.01\"} 3102\n# EOF\n",
         ExpositionError.Code.missingTimestamp, "expected timestamp for series got none"),
        ("# HELP bad_metric This a bad metric\n# TYPE bad_metric bad_type\nbad_metric{type=\"has a bad type information\"} 0.0 111\n# EOF\n",
         .invalidMetricType, "invalid metric type \"bad_type\""),
        ("# HELP no_nl This test has no newline so will fail\n# TYPE no_nl gauge\nno_nl{type=\"no newline\"}\n# EOF\n",
         .syntax, "expected value after metric, got \"INVALID\""),
        ("# HELP no_eof This test has no EOF so will fail\n# TYPE no_eof gauge\nno_eof 1 1\n",
         .missingEOF, "data does not end with # EOF"),
        ("# HELP after_eof There is data after EOF.\n# TYPE after_eof gauge\nafter_eof 1 1\n# EOF\nafter_eof 1 2\n",
         .dataAfterEOF, "unexpected data after # EOF"),
    ])
    func promtoolRejects(_ text: String, _ code: ExpositionError.Code, _ message: String) {
        #expect {
            _ = try Self.parse(text)
        } throws: { error in
            (error as? ExpositionError)?.code == code && (error as? ExpositionError)?.message == message
        }
    }

    /// What 2.42 rejects and Prometheus 3 accepts.
    @Test(arguments: [
        ("{\"a.b\"} 1 1\n# EOF\n", #""INVALID" "{" is not a valid start token"#),
        ("a{b=\"c\",} 1 1\n# EOF\n", #"expected label name, got "BCLOSE""#),
        ("a 1 1 # {x=\"y\"} 1\n# EOF\n", "metric name a does not support exemplars"),
        ("a{\"b\"=\"c\"} 1 1\n# EOF\n", #"expected label name or left brace, got "INVALID""#),
    ])
    func dialects(_ text: String, _ legacyMessage: String) throws {
        #expect {
            _ = try Self.parse(text, .prometheus2_42)
        } throws: { error in
            (error as? ExpositionError)?.message == legacyMessage
        }
        #expect(try Self.parse(text, .prometheus3).count == 1)
    }

    @Test func emptyLabelSetRejected() {
        #expect {
            _ = try Self.parse("{\"\"} 1 1\n# EOF\n", .prometheus3)
        } throws: { error in
            (error as? ExpositionError)?.message == "empty labelset: invalid sample"
        }
    }
}

extension ParseOpenMetricsTests {
    /// promtool checks syntax and timestamps over the whole file before it appends anything.
    @Test func syntaxErrorsWinOverLabelErrors() {
        #expect {
            _ = try Self.parse("a{b=\"1\",b=\"2\"} 1 1\nc 1\n# EOF\n")
        } throws: { error in
            (error as? ExpositionError)?.code == .missingTimestamp
        }
        #expect {
            _ = try Self.parse("a{b=\"1\",b=\"2\"} 1 1\nc 1 1\n# EOF\n")
        } throws: { error in
            (error as? ExpositionError)?.message == "label name \"b\" is not unique: invalid sample"
        }
    }
}
