// Prettier tests: every case of Prometheus 3.14's `promql/parser/prettier_test.go` (run there
// with `maxCharactersPerLine = 10`), the 100-byte default limit, and that pretty text parses
// back to the same expression.

import PromQL
import Testing

@Suite("Prettier")
struct PrettierTests {
    /// `TestAggregateExprPretty`.
    static let aggregateExpr: [(String, String)] = [
        (
            "sum(foo)",
            "sum(foo)"
        ),
        (
            #"sum by() (task:errors:rate10s{job="s"})"#,
            #"""
            sum(
              task:errors:rate10s{job="s"}
            )
            """#
        ),
        (
            #"sum without(job,foo) (task:errors:rate10s{job="s"})"#,
            #"""
            sum without (job, foo) (
              task:errors:rate10s{job="s"}
            )
            """#
        ),
        (
            #"sum(task:errors:rate10s{job="s"}) without(job,foo)"#,
            #"""
            sum without (job, foo) (
              task:errors:rate10s{job="s"}
            )
            """#
        ),
        (
            #"sum by(job,foo) (task:errors:rate10s{job="s"})"#,
            #"""
            sum by (job, foo) (
              task:errors:rate10s{job="s"}
            )
            """#
        ),
        (
            #"sum (task:errors:rate10s{job="s"}) by(job,foo)"#,
            #"""
            sum by (job, foo) (
              task:errors:rate10s{job="s"}
            )
            """#
        ),
        (
            #"topk(10, ask:errors:rate10s{job="s"})"#,
            #"""
            topk(
              10,
              ask:errors:rate10s{job="s"}
            )
            """#
        ),
        (
            #"sum by(job,foo) (sum by(job,foo) (task:errors:rate10s{job="s"}))"#,
            #"""
            sum by (job, foo) (
              sum by (job, foo) (
                task:errors:rate10s{job="s"}
              )
            )
            """#
        ),
        (
            #"sum by(job,foo) (sum by(job,foo) (sum by(job,foo) (task:errors:rate10s{job="s"})))"#,
            #"""
            sum by (job, foo) (
              sum by (job, foo) (
                sum by (job, foo) (
                  task:errors:rate10s{job="s"}
                )
              )
            )
            """#
        ),
        (
            #"""
            sum by(job,foo)
            (sum by(job,foo) (task:errors:rate10s{job="s"}))
            """#,
            #"""
            sum by (job, foo) (
              sum by (job, foo) (
                task:errors:rate10s{job="s"}
              )
            )
            """#
        ),
        (
            #"""
            sum by(job,foo)
            (sum(task:errors:rate10s{job="s"}) without(job,foo))
            """#,
            #"""
            sum by (job, foo) (
              sum without (job, foo) (
                task:errors:rate10s{job="s"}
              )
            )
            """#
        ),
        (
            #"""
            sum by(job,foo) # Comment 1.
            (sum by(job,foo) ( # Comment 2.
            task:errors:rate10s{job="s"}))
            """#,
            #"""
            sum by (job, foo) (
              sum by (job, foo) (
                task:errors:rate10s{job="s"}
              )
            )
            """#
        ),
    ]

    /// `TestBinaryExprPretty`.
    static let binaryExpr: [(String, String)] = [
        (
            "a+b",
            "a + b"
        ),
        (
            "a == bool 1",
            #"""
              a
            == bool
              1
            """#
        ),
        (
            "a + ignoring(job) b",
            #"""
              a
            + ignoring (job)
              b
            """#
        ),
        (
            "foo_1 + foo_2",
            #"""
              foo_1
            +
              foo_2
            """#
        ),
        (
            "foo_1 + foo_2 + foo_3",
            #"""
                foo_1
              +
                foo_2
            +
              foo_3
            """#
        ),
        (
            "foo + baar + foo_3",
            #"""
              foo + baar
            +
              foo_3
            """#
        ),
        (
            "foo_1 + foo_2 + foo_3 + foo_4",
            #"""
                  foo_1
                +
                  foo_2
              +
                foo_3
            +
              foo_4
            """#
        ),
        (
            "foo_1 + ignoring(foo) foo_2 + ignoring(job) group_left foo_3 + on(instance) group_right foo_4",
            #"""
                  foo_1
                + ignoring (foo)
                  foo_2
              + ignoring (job) group_left ()
                foo_3
            + on (instance) group_right ()
              foo_4
            """#
        ),
    ]

    /// `TestCallExprPretty`.
    static let callExpr: [(String, String)] = [
        (
            "rate(foo[1m])",
            #"""
            rate(
              foo[1m]
            )
            """#
        ),
        (
            "sum_over_time(foo[1m])",
            #"""
            sum_over_time(
              foo[1m]
            )
            """#
        ),
        (
            "rate(long_vector_selector[10m:1m] @ start() offset 1m)",
            #"""
            rate(
              long_vector_selector[10m:1m] @ start() offset 1m
            )
            """#
        ),
        (
            "histogram_quantile(0.9, rate(foo[1m]))",
            #"""
            histogram_quantile(
              0.9,
              rate(
                foo[1m]
              )
            )
            """#
        ),
        (
            "max_over_time(rate(demo_api_request_duration_seconds_count[1m])[1m:] @ start() offset 1m)",
            #"""
            max_over_time(
              rate(
                demo_api_request_duration_seconds_count[1m]
              )[1m:] @ start() offset 1m
            )
            """#
        ),
        (
            #"label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*")"#,
            #"""
            label_replace(
              up{job="api-server",service="a:c"},
              "foo",
              "$1",
              "service",
              "(.*):.*"
            )
            """#
        ),
        (
            #"label_replace(label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*"), "foo", "$1", "service", "(.*):.*")"#,
            #"""
            label_replace(
              label_replace(
                up{job="api-server",service="a:c"},
                "foo",
                "$1",
                "service",
                "(.*):.*"
              ),
              "foo",
              "$1",
              "service",
              "(.*):.*"
            )
            """#
        ),
    ]

    /// `TestParenExprPretty`.
    static let parenExpr: [(String, String)] = [
        (
            "(foo)",
            "(foo)"
        ),
        (
            "(_foo_long_)",
            #"""
            (
              _foo_long_
            )
            """#
        ),
        (
            "((foo_long))",
            #"""
            (
              (foo_long)
            )
            """#
        ),
        (
            "((_foo_long_))",
            #"""
            (
              (
                _foo_long_
              )
            )
            """#
        ),
        (
            "(((foo_long)))",
            #"""
            (
              (
                (foo_long)
              )
            )
            """#
        ),
    ]

    /// `TestStepInvariantExpr`.
    static let stepInvariantExpr: [(String, String)] = [
        (
            "a @ 1",
            "a @ 1.000"
        ),
        (
            "a @ start()",
            "a @ start()"
        ),
        (
            "vector_selector @ start()",
            "vector_selector @ start()"
        ),
    ]

    /// `TestExprPretty`.
    static let expr: [(String, String)] = [
        (
            "(1 + 2)",
            "(1 + 2)"
        ),
        (
            "(foo + bar)",
            #"""
            (
              foo + bar
            )
            """#
        ),
        (
            "(foo_long + bar_long)",
            #"""
            (
                foo_long
              +
                bar_long
            )
            """#
        ),
        (
            "(foo_long + bar_long + bar_2_long)",
            #"""
            (
                  foo_long
                +
                  bar_long
              +
                bar_2_long
            )
            """#
        ),
        (
            "((foo_long + bar_long) + bar_2_long)",
            #"""
            (
                (
                    foo_long
                  +
                    bar_long
                )
              +
                bar_2_long
            )
            """#
        ),
        (
            "(1111 + 2222)",
            #"""
            (
                1111
              +
                2222
            )
            """#
        ),
        (
            "(sum_over_time(foo[1m]))",
            #"""
            (
              sum_over_time(
                foo[1m]
              )
            )
            """#
        ),
        (
            "histogram_quantile(0.9, rate(foo[1m] @ start()))",
            #"""
            histogram_quantile(
              0.9,
              rate(
                foo[1m] @ start()
              )
            )
            """#
        ),
        (
            #"(label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*"))"#,
            #"""
            (
              label_replace(
                up{job="api-server",service="a:c"},
                "foo",
                "$1",
                "service",
                "(.*):.*"
              )
            )
            """#
        ),
        (
            #"(label_replace(label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*"), "foo", "$1", "service", "(.*):.*"))"#,
            #"""
            (
              label_replace(
                label_replace(
                  up{job="api-server",service="a:c"},
                  "foo",
                  "$1",
                  "service",
                  "(.*):.*"
                ),
                "foo",
                "$1",
                "service",
                "(.*):.*"
              )
            )
            """#
        ),
        (
            #"(label_replace(label_replace((up{job="api-server",service="a:c"}), "foo", "$1", "service", "(.*):.*"), "foo", "$1", "service", "(.*):.*"))"#,
            #"""
            (
              label_replace(
                label_replace(
                  (
                    up{job="api-server",service="a:c"}
                  ),
                  "foo",
                  "$1",
                  "service",
                  "(.*):.*"
                ),
                "foo",
                "$1",
                "service",
                "(.*):.*"
              )
            )
            """#
        ),
        (
            #"(node_filesystem_avail_bytes{job="node",fstype!=""} / node_filesystem_size_bytes{job="node",fstype!=""} * 100 < 40 and predict_linear(node_filesystem_avail_bytes{job="node",fstype!=""}[6h], 24*60*60) < 0 and node_filesystem_readonly{job="node",fstype!=""} == 0)"#,
            #"""
            (
                        node_filesystem_avail_bytes{fstype!="",job="node"}
                      /
                        node_filesystem_size_bytes{fstype!="",job="node"}
                    *
                      100
                  <
                    40
                and
                    predict_linear(
                      node_filesystem_avail_bytes{fstype!="",job="node"}[6h],
                        24 * 60
                      *
                        60
                    )
                  <
                    0
              and
                  node_filesystem_readonly{fstype!="",job="node"}
                ==
                  0
            )
            """#
        ),
        (
            #"(node_filesystem_avail_bytes{job="node",fstype!=""} / node_filesystem_size_bytes{job="node",fstype!=""} * 100 < 20 and predict_linear(node_filesystem_avail_bytes{job="node",fstype!=""}[6h], 4*60*60) < 0 and node_filesystem_readonly{job="node",fstype!=""} == 0)"#,
            #"""
            (
                        node_filesystem_avail_bytes{fstype!="",job="node"}
                      /
                        node_filesystem_size_bytes{fstype!="",job="node"}
                    *
                      100
                  <
                    20
                and
                    predict_linear(
                      node_filesystem_avail_bytes{fstype!="",job="node"}[6h],
                        4 * 60
                      *
                        60
                    )
                  <
                    0
              and
                  node_filesystem_readonly{fstype!="",job="node"}
                ==
                  0
            )
            """#
        ),
        (
            "(node_timex_offset_seconds > 0.05 and deriv(node_timex_offset_seconds[5m]) >= 0) or (node_timex_offset_seconds < -0.05 and deriv(node_timex_offset_seconds[5m]) <= 0)",
            #"""
              (
                    node_timex_offset_seconds
                  >
                    0.05
                and
                    deriv(
                      node_timex_offset_seconds[5m]
                    )
                  >=
                    0
              )
            or
              (
                    node_timex_offset_seconds
                  <
                    -0.05
                and
                    deriv(
                      node_timex_offset_seconds[5m]
                    )
                  <=
                    0
              )
            """#
        ),
        (
            #"1 - ((node_memory_MemAvailable_bytes{job="node"} or (node_memory_Buffers_bytes{job="node"} + node_memory_Cached_bytes{job="node"} + node_memory_MemFree_bytes{job="node"} + node_memory_Slab_bytes{job="node"}) ) / node_memory_MemTotal_bytes{job="node"})"#,
            #"""
              1
            -
              (
                  (
                      node_memory_MemAvailable_bytes{job="node"}
                    or
                      (
                              node_memory_Buffers_bytes{job="node"}
                            +
                              node_memory_Cached_bytes{job="node"}
                          +
                            node_memory_MemFree_bytes{job="node"}
                        +
                          node_memory_Slab_bytes{job="node"}
                      )
                  )
                /
                  node_memory_MemTotal_bytes{job="node"}
              )
            """#
        ),
        (
            #"min by (job, integration) (rate(alertmanager_notifications_failed_total{job="alertmanager", integration=~".*"}[5m]) / rate(alertmanager_notifications_total{job="alertmanager", integration="~.*"}[5m])) > 0.01"#,
            #"""
              min by (job, integration) (
                  rate(
                    alertmanager_notifications_failed_total{integration=~".*",job="alertmanager"}[5m]
                  )
                /
                  rate(
                    alertmanager_notifications_total{integration="~.*",job="alertmanager"}[5m]
                  )
              )
            >
              0.01
            """#
        ),
        (
            #"(count by (job) (changes(process_start_time_seconds{job="alertmanager"}[10m]) > 4) / count by (job) (up{job="alertmanager"})) >= 0.5"#,
            #"""
              (
                  count by (job) (
                      changes(
                        process_start_time_seconds{job="alertmanager"}[10m]
                      )
                    >
                      4
                  )
                /
                  count by (job) (
                    up{job="alertmanager"}
                  )
              )
            >=
              0.5
            """#
        ),
    ]

    /// `TestUnaryPretty`.
    static let unary: [(String, String)] = [
        (
            "-1",
            "-1"
        ),
        (
            "-vector_selector",
            "-vector_selector"
        ),
        (
            "(-vector_selector)",
            #"""
            (
              -vector_selector
            )
            """#
        ),
        (
            "-histogram_quantile(0.9,rate(foo[1m]))",
            #"""
            -histogram_quantile(
              0.9,
              rate(
                foo[1m]
              )
            )
            """#
        ),
        (
            "-histogram_quantile(0.99, sum by (le) (rate(foo[1m])))",
            #"""
            -histogram_quantile(
              0.99,
              sum by (le) (
                rate(
                  foo[1m]
                )
              )
            )
            """#
        ),
        (
            "-histogram_quantile(0.9, -rate(foo[1m] @ start()))",
            #"""
            -histogram_quantile(
              0.9,
              -rate(
                foo[1m] @ start()
              )
            )
            """#
        ),
        (
            "(-histogram_quantile(0.9, -rate(foo[1m] @ start())))",
            #"""
            (
              -histogram_quantile(
                0.9,
                -rate(
                  foo[1m] @ start()
                )
              )
            )
            """#
        ),
    ]

    /// `TestDurationExprPretty`.
    static let durationExpr: [(String, String)] = [
        (
            "rate(foo[2*1h])",
            #"""
            rate(
              foo[2 * 1h]
            )
            """#
        ),
        (
            "rate(foo[2*1h])",
            #"""
            rate(
              foo[2 * 1h]
            )
            """#
        ),
        (
            "rate(foo[-5m+35m])",
            #"""
            rate(
              foo[-5m + 35m]
            )
            """#
        ),
    ]

    /// Every case above, as one list.
    static let allPrometheusCases =
        aggregateExpr + binaryExpr + callExpr + parenExpr + stepInvariantExpr + expr + unary + durationExpr

    @Test("prettier_test.go cases, 10-byte lines", arguments: allPrometheusCases)
    func prometheusCase(input: String, expected: String) throws {
        let parsed = try parseExpr(input)
        #expect(parsed.pretty(maxLineWidth: 10) == expected)
    }

    @Test("pretty text parses back to the same expression", arguments: allPrometheusCases)
    func roundTrip(input: String, expected: String) throws {
        let parsed = try parseExpr(input)
        for width in [10, 40, prettyMaxLineWidth] {
            let again = try parseExpr(parsed.pretty(maxLineWidth: width))
            #expect(again.description == parsed.description, "width \(width)")
        }
    }

    @Test("printer_test.go expressions round-trip through the prettier", arguments: PrinterTests.prometheusCases)
    func printerCaseRoundTrip(input: String, printed: String?) throws {
        let parsed = try parseExpr(input)
        for width in [1, 10] {
            let again = try parseExpr(parsed.pretty(maxLineWidth: width))
            #expect(again.description == parsed.description, "width \(width)")
        }
    }

    @Test("promqltest queries round-trip through the prettier", arguments: PrinterEvalQueryTests.cases)
    func evalQueryRoundTrip(input: String, printed: String) throws {
        let parsed = try parseExpr(input)
        for width in [1, 10] {
            let again = try parseExpr(parsed.pretty(maxLineWidth: width))
            #expect(again.description == printed, "width \(width)")
        }
    }

    @Test("a node splits only when its one-line form is longer than 100 bytes")
    func defaultLimit() throws {
        // `(` + 98 bytes + `)` is 100 bytes: one line; one byte more splits.
        let fits = "(" + String(repeating: "a", count: 98) + ")"
        #expect(try parseExpr(fits).pretty() == fits)
        let name = String(repeating: "a", count: 99)
        #expect(try parseExpr("(" + name + ")").pretty() == "(\n  " + name + "\n)")
        let query = #"sum by (job) (rate(http_requests_total{job="api"}[5m]))"#
        #expect(try parseExpr(query).pretty() == query)
    }

    @Test("the limit counts UTF-8 bytes, not characters")
    func limitInBytes() throws {
        // 4 characters, 8 bytes in the string literal: `("ääää")` is 12 bytes.
        #expect(try parseExpr(#"("ääää")"#).pretty(maxLineWidth: 11) == "(\n  \"ääää\"\n)")
        #expect(try parseExpr(#"("ääää")"#).pretty(maxLineWidth: 12) == #"("ääää")"#)
    }

    @Test("Prometheus's quirks: a fitting subquery is not indented; unary trims its operand")
    func quirks() throws {
        #expect(
            try parseExpr("rate(foo[5m:])").pretty(maxLineWidth: 10) == """
                rate(
                foo[5m:]
                )
                """)
        #expect(
            try parseExpr("-foo_long ^ bar_long").pretty(maxLineWidth: 10) == """
                -foo_long
                ^
                  bar_long
                """)
    }

    @Test("a starting level indents the first line too")
    func startLevel() throws {
        #expect(try parseExpr("foo").pretty(level: 2) == "    foo")
        #expect(
            try parseExpr("a_long + b_long").pretty(level: 1, maxLineWidth: 10) == """
                    a_long
                  +
                    b_long
                """)
    }
}
