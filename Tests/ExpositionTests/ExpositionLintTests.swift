// ExpositionLintTests: each promlint rule with promtool 2.42's exact output for the same input
// (captured with `promtool check metrics`), a clean exposition and parse errors.

import Exposition
import Testing

@Suite("ExpositionLint")
struct ExpositionLintTests {
    /// The lines `promtool check metrics` prints for `text`.
    func lint(_ text: String) throws -> [String] {
        try lintExposition(Array(text.utf8)).map { "\($0.metric) \($0.text)" }
    }

    /// One family per rule; expected lines are promtool 2.42's output for the same input.
    static let rules: [(input: String, expected: [String])] = [
        ("# TYPE a_total counter\na_total 1\n", ["a_total no help text"]),
        ("# HELP hits x\n# TYPE hits counter\nhits 1\n", [#"hits counter metrics should have "_total" suffix"#]),
        ("# HELP up_total x\n# TYPE up_total gauge\nup_total 1\n", [#"up_total non-counter metrics should not have "_total" suffix"#]),
        ("# HELP lat_milliseconds x\n# TYPE lat_milliseconds gauge\nlat_milliseconds 1\n",
         [#"lat_milliseconds use base unit "seconds" instead of "milliseconds""#]),
        // Two units: current promlint takes the first word; 2.42 picks by Go map order (either).
        ("# HELP d_kilometers_hours x\n# TYPE d_kilometers_hours gauge\nd_kilometers_hours 1\n",
         [#"d_kilometers_hours use base unit "meters" instead of "kilometers""#]),
        ("# HELP t_kelvins x\nt_kelvins 1\n", [#"t_kelvins use base unit "kelvin" instead of "kelvins""#]),
        ("# HELP v_kilovolts x\nv_kilovolts 1\n", [#"v_kilovolts use base unit "volts" instead of "kilovolts""#]),
        ("# HELP x_bucket x\n# TYPE x_bucket summary\nx_bucket{quantile=\"0.5\"} 1\nx_bucket_sum 1\nx_bucket_count 1\n",
         [#"x_bucket non-histogram metrics should not have "_bucket" suffix"#]),
        ("# HELP g_count x\n# TYPE g_count gauge\ng_count 1\n",
         [#"g_count non-histogram and non-summary metrics should not have "_count" suffix"#]),
        ("# HELP g_sum x\n# TYPE g_sum gauge\ng_sum 1\n",
         [#"g_sum non-histogram and non-summary metrics should not have "_sum" suffix"#]),
        ("# HELP g x\n# TYPE g gauge\ng{le=\"1\",quantile=\"0.5\"} 1\n",
         [#"g non-histogram metrics should not have "le" label"#, #"g non-summary metrics should not have "quantile" label"#]),
        ("# HELP h x\n# TYPE h histogram\nh_bucket{le=\"+Inf\",quantile=\"1\"} 1\nh_sum{quantile=\"1\"} 1\nh_count{quantile=\"1\"} 1\n",
         [#"h non-summary metrics should not have "quantile" label"#]),
        ("# HELP v_counter_gauge_histogram_summary x\n# TYPE v_counter_gauge_histogram_summary untyped\nv_counter_gauge_histogram_summary 1\n",
         ["v_counter_gauge_histogram_summary metric name should not include type 'counter'",
          "v_counter_gauge_histogram_summary metric name should not include type 'gauge'",
          "v_counter_gauge_histogram_summary metric name should not include type 'gauge_histogram'",
          "v_counter_gauge_histogram_summary metric name should not include type 'histogram'",
          "v_counter_gauge_histogram_summary metric name should not include type 'summary'"]),
        ("# HELP a:b x\na:b 1\n", ["a:b metric names should not contain ':'"]),
        ("# HELP fooBar x\nfooBar{aB=\"1\"} 1\nfooBar{aB=\"2\"} 1\n",
         ["fooBar label names should be written in 'snake_case' not 'camelCase'",
          "fooBar label names should be written in 'snake_case' not 'camelCase'",
          "fooBar metric names should be written in 'snake_case' not 'camelCase'"]),
        ("# HELP size_kb_mb x\nsize_kb_mb 1\n",
         ["size_kb_mb metric names should not contain abbreviated units",
          "size_kb_mb metric names should not contain abbreviated units"]),
        // Untyped families skip the counter and reserved-name rules; a summary's quantile and a
        // histogram's le are not labels; a family without samples is not linted.
        ("# HELP u_sum x\nu_sum{le=\"1\"} 1\n# HELP u_total x\nu_total 1\n# HELP only_help x\n# TYPE only_type counter\n", []),
    ]

    @Test(arguments: 0..<rules.count)
    func rule(_ index: Int) throws {
        #expect(try lint(Self.rules[index].input) == Self.rules[index].expected)
    }

    @Test func summaryMetricsAreMergedByLabelSet() throws {
        let text = """
            # HELP s_seconds x
            # TYPE s_seconds summary
            s_seconds{quantile="0.5",fooBar="a"} 1
            s_seconds{quantile="0.9",fooBar="a"} 1
            s_seconds_sum{fooBar="a"} 1
            s_seconds_count{fooBar="a"} 1
            s_seconds{quantile="0.5",fooBar="b",le="1"} 1

            """
        #expect(try lint(text) == [
            "s_seconds label names should be written in 'snake_case' not 'camelCase'",
            "s_seconds label names should be written in 'snake_case' not 'camelCase'",
            #"s_seconds non-histogram metrics should not have "le" label"#,
        ])
    }

    @Test func cleanExpositionHasNoProblems() throws {
        let text = """
            # HELP http_requests_total Requests.
            # TYPE http_requests_total counter
            http_requests_total{method="get",code="200"} 1027 1395066363000
            # HELP rpc_duration_seconds RPC latency.
            # TYPE rpc_duration_seconds summary
            rpc_duration_seconds{quantile="0.5"} 4773
            rpc_duration_seconds_sum 1.7560473e+07
            rpc_duration_seconds_count 2693
            # HELP req_seconds Latency.
            # TYPE req_seconds histogram
            req_seconds_bucket{le="0.1"} 1
            req_seconds_bucket{le="+Inf"} 2
            req_seconds_sum 0.3
            req_seconds_count 2
            # a comment

            """
        #expect(try lint(text) == [])
        #expect(try lint("") == [])
    }

    /// promtool's parse errors; the message after the line number is our parser's where the
    /// grammar itself fails (`a{ 1`), promtool's where expfmt adds a check.
    @Test(arguments: [
        ("a 1\nb{x=\"1\",x=\"2\"} 1\n", 2, #"duplicate label names for metric "b""#),
        ("# HELP a x\n# HELP a y\na 1\n", 2, #"second HELP line for metric name "a""#),
        ("# TYPE a gauge\na 1\n# TYPE a gauge\n", 3, #"second TYPE line for metric name "a", or TYPE reported after samples"#),
        ("# HELP s x\n# TYPE s summary\n# HELP s_sum y\ns_sum 1\n", 3, #"second HELP line for metric name "s""#),
        ("a{ 1\n", 1, #"expected label name, got "1" ("INVALID") while parsing: "a{ 1""#),
    ])
    func parseError(_ input: String, _ line: Int, _ message: String) throws {
        let error = #expect(throws: ExpositionError.self) { try lintExposition(Array(input.utf8)) }
        #expect(error?.line == line)
        #expect(error?.message == message)
    }
}
