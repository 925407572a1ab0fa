// The promqltest DSL parser: value expansion, series labels, eval headers and expect lines.

import MetricModel
import PromQL
import Testing

@Suite("promqltest DSL")
struct PromQLTestDSLTests {
    /// The values of `metric <sequence>` as text, `_` for omitted.
    func expand(_ sequence: String) throws -> [String] {
        let file = try PromQLTestFile(parsing: "load 1m\n  m \(sequence)\n", name: "t")
        guard case .load(let load) = try #require(file.commands.first) else { throw DSLTestError.notLoad }
        return load.series[0].values.map(\.description)
    }

    @Test(arguments: [
        ("1+2x3", "1 3 5 7"),
        ("1-2x4", "1 -1 -3 -5 -7"),
        ("-2+4x3", "-2 2 6 10"),
        ("1x4", "1 1 1 1 1"),
        ("1 _x3 stale", "1 _ _ _ stale"),
        ("_ _ 0+60x2", "_ _ 0 60 120"),
        ("Inf -Inf NaN +Inf inf", "+Inf -Inf NaN +Inf +Inf"),
        ("1e3 .5 2. 12.34e-6 1_000 -0", "1000 0.5 2 0.00001234 1000 -0"),
        ("1e21 -12e-7 1e-7", "1e+21 -0.0000012 1e-07"),
        ("0x2", "0 0 0"),  // no hex in series values: `0`, then `x2`
        ("0+10x1 100+30x1", "0 10 100 130"),
        ("_x0 1", "1"),
    ])
    func expandsValueSequences(_ sequence: String, _ expected: String) throws {
        #expect(try expand(sequence).joined(separator: " ") == expected)
    }

    @Test func stepsByRepeatedAddition() throws {
        let file = try PromQLTestFile(parsing: "load 1m\n  m 0.1+0.1x20\n", name: "t")
        guard case .load(let load) = file.commands[0], case .float(let last) = load.series[0].values[20] else {
            Issue.record("no float at index 20")
            return
        }
        var v = 0.1
        for _ in 0..<20 { v += 0.1 }
        #expect(last.bitPattern == v.bitPattern)
        #expect(last != 2.1)  // repeated addition drifts; a multiplication would not
    }

    @Test func staleIsTheStaleMarkerAndNaNIsNot() throws {
        let file = try PromQLTestFile(parsing: "load 1m\n  m stale NaN\n", name: "t")
        guard case .load(let load) = file.commands[0],
            case .float(let stale) = load.series[0].values[0], case .float(let nan) = load.series[0].values[1]
        else { throw DSLTestError.notLoad }
        #expect(StaleNaN.isStale(stale))
        #expect(nan.isNaN && !StaleNaN.isStale(nan))
    }

    @Test func histogramValuesAreRecognised() throws {
        let values = try expand("{{schema:0 sum:5 count:4 buckets:[1 2 1]}} {{count:0}}+{{count:1}}x2 {{}}x1 1")
        #expect(values.count == 1 + 3 + 2 + 1)
        #expect(values[0] == "{{schema:0 sum:5 count:4 buckets:[1 2 1]}}")
        #expect(values.last == "1")
    }

    /// The histograms a sequence describes.
    func histograms(_ sequence: String) throws -> [HistogramDescription] {
        let file = try PromQLTestFile(parsing: "load 1m\n  m \(sequence)\n", name: "t")
        guard case .load(let load) = try #require(file.commands.first) else { throw DSLTestError.notLoad }
        return load.series[0].values.compactMap { if case .histogram(let h) = $0 { h } else { nil } }
    }

    @Test func histogramDescriptionsBuildFloatHistograms() throws {
        let h = try #require(try histograms(
            "{{schema:1 sum:-10 count:20 z_bucket_w:0.001 z_bucket:2 buckets:[1 2] offset:-3 n_buckets:[3 NaN] n_offset:4 custom_values:[1 2] counter_reset_hint:gauge}}"
        ).first)
        #expect(h.histogram.schema == 1 && h.histogram.sum == -10 && h.histogram.count == 20)
        #expect(h.histogram.zeroThreshold == 0.001 && h.histogram.zeroCount == 2)
        #expect(h.histogram.positiveSpans == [BucketSpan(offset: -3, length: 2)])
        #expect(h.histogram.positiveBuckets == [1, 2])
        #expect(h.histogram.negativeSpans == [BucketSpan(offset: 4, length: 2)])
        #expect(h.histogram.negativeBuckets[0] == 3 && h.histogram.negativeBuckets[1].isNaN)
        #expect(h.histogram.customValues == [1, 2])
        #expect(h.histogram.counterResetHint == .gauge && h.counterResetHintSet)
        let empty = try #require(try histograms("{{}}").first)
        #expect(empty.histogram == FloatHistogram() && !empty.counterResetHintSet)
        #expect(empty.histogram.positiveSpans.isEmpty)
    }

    @Test func histogramIncrementsAddRepeatedly() throws {
        let values = try histograms("{{schema:0 count:1 sum:2 buckets:[1]}}+{{schema:0 count:2 sum:1 buckets:[1 1]}}x2")
        #expect(values.map(\.histogram.count) == [1, 3, 5])
        #expect(values.map(\.histogram.sum) == [2, 3, 4])
        #expect(values[2].histogram.positiveBuckets == [3, 2])
        let down = try histograms("{{count:5}}-{{count:1}}x2")
        #expect(down.map(\.histogram.count) == [5, 4, 3])
        // Only the increment's hint flag counts, for every point.
        let flagged = try histograms("{{count:1 counter_reset_hint:gauge}}+{{count:1}}x1")
        #expect(flagged.map(\.counterResetHintSet) == [false, false])
        #expect(throws: PromQLTestError.self) { try histograms("{{schema:1 count:1}}+{{schema:0 count:1}}x1") == [] }
    }

    @Test(arguments: ["1 2 foo", "{{sum:1 sum:2}}", "{{schema:0 bogus:1}}", "1+2", "1x", "1+Infx1", "-stale", "{{buckets:[1 2}}"])
    func rejectsBadValues(_ sequence: String) {
        #expect(throws: PromQLTestError.self) { try expand(sequence) }
    }

    @Test func parsesLabels() throws {
        let script = """
            load 5m
              http_requests{job="api server", group='canary', path=`/a\\b`} 1
              {__name__="x", a="1",} 2
              {"quoted.name", le="+Inf"} 3
            """
        guard case .load(let load) = try PromQLTestFile(parsing: script, name: "t").commands[0] else {
            throw DSLTestError.notLoad
        }
        #expect(load.stepMilliseconds == 300_000)
        #expect(load.series.map(\.labels) == [
            Labels(["__name__": "http_requests", "job": "api server", "group": "canary", "path": "/a\\b"]),
            Labels(["__name__": "x", "a": "1"]),
            Labels(["__name__": "quoted.name", "le": "+Inf"]),
        ])
    }

    @Test func laterDuplicateLineWinsInOneLoad() throws {
        let script = "load 1m\n  m{a=\"1\"} 1\n  m{a=\"2\"} 5\n  m{a=\"1\"} 2 3\n"
        guard case .load(let load) = try PromQLTestFile(parsing: script, name: "t").commands[0] else {
            throw DSLTestError.notLoad
        }
        #expect(load.series.count == 2)
        #expect(load.series[0].values.map(\.description) == ["2", "3"])
    }

    @Test func commentLineEndsABlock() throws {
        let script = """
            load 1m
              m 1
            # a comment ends the load block

            eval instant at 1m m
              expect no_warn
              # empty result expected
            """
        let file = try PromQLTestFile(parsing: script, name: "t")
        #expect(file.commands.count == 2)
        let eval = try #require(file.evals.first)
        #expect(eval.noWarn)
        #expect(eval.expectedSeries.isEmpty && eval.expectedScalar == nil)
    }

    @Test func parsesEvalHeaders() throws {
        let script = """
            eval instant at 1m30s sum(m) by (a)
              {a="x"} 1

            eval range from 0 to 10m step 5m\tm + step()
              m 1 _ 3

            eval_fail instant at 0 foo
            """
        let evals = try PromQLTestFile(parsing: script, name: "t").evals
        #expect(evals.count == 3)
        #expect(evals[0].kind == .instant(at: 90_000))
        #expect(evals[0].expression == "sum(m) by (a)")
        #expect(evals[0].line == 1)
        #expect(evals[1].kind == .range(StepRange(start: 0, end: 600_000, step: 300_000)))
        #expect(evals[1].expression == "m + step()")
        #expect(evals[1].expectedSeries[0].values.map(\.description) == ["1", "_", "3"])
        #expect(evals[2].fail == .any)
        #expect(evals[2].line == 7)
    }

    @Test func parsesExpectLines() throws {
        let script = """
            eval instant at 1m foo
              expect fail msg:  vector cannot contain metrics with the same labelset
              expect warn regex: bucket label "le" .*
              expect warn
              expect info msg: PromQL info: x (1:1)
              expect ordered
              {a="1"} 1
              {a="2"} 2
            """
        let eval = try #require(try PromQLTestFile(parsing: script, name: "t").evals.first)
        #expect(eval.fail == .exact("vector cannot contain metrics with the same labelset"))
        #expect(eval.warnings == [.regex(#"bucket label "le" .*"#), .any])
        #expect(eval.infos == [.exact("PromQL info: x (1:1)")])
        #expect(eval.ordered)
        #expect(eval.expectedSeries.map(\.position) == [1, 2])
    }

    @Test func scalarLineEndsTheBlock() throws {
        let script = "eval instant at 0 1 + 1\n  2\n"
        let eval = try #require(try PromQLTestFile(parsing: script, name: "t").evals.first)
        #expect(eval.expectedScalar == 2)
        // Anything after the scalar line is read as a new command.
        #expect(throws: PromQLTestError.self) { try PromQLTestFile(parsing: script + "  3\n", name: "t") }
    }

    @Test func rangeVectorAndStringExpectations() throws {
        let script = """
            eval instant at 1m some_metric[1m]
              expect range vector from 10s to 1m step 10s
              some_metric{env="a"} 2 3 4 5 6

            eval instant at 50m ("Foo")
              expect string ` Foo `
            """
        let evals = try PromQLTestFile(parsing: script, name: "t").evals
        #expect(evals[0].rangeVector == StepRange(start: 10_000, end: 60_000, step: 10_000))
        #expect(evals[0].evalTime == 60_000)
        #expect(evals[0].excludeFromRangeQuery)
        #expect(evals[1].expectedString == " Foo ")
    }

    @Test func startTimestampLines() throws {
        let script = """
            load 1m
              c{type="st"}@st _ -30s-1mx1 -1ms
              c{type="st"}    _ 0+60x2
            """
        guard case .load(let load) = try PromQLTestFile(parsing: script, name: "t").commands[0] else {
            throw DSLTestError.notLoad
        }
        #expect(load.series.count == 1)
        #expect(load.series[0].startTimestampOffsets == [nil, -30_000, -90_000, -1])
    }

    @Test(arguments: [
        ("lode 5m", 1, "invalid command"),
        ("load", 1, "invalid load command"),
        ("load 5x", 1, "invalid step"),
        ("load 1m\n  m{a=\"b\" 1", 2, "expected ',' or '}'"),
        ("load 1m\n  m{a=\"b\"", 2, "unclosed"),
        ("eval instant at 1m foo\n  {a=\"1\"} 1 2", 2, "expecting multiple values"),
        ("eval instant at 1m foo\n  expect warn\n  expect no_warn", 3, "warn and no_warn"),
        ("eval instant at 1m foo\n  expect fail\n  expect fail", 3, "multiple expect fail"),
        ("eval instant at 1m foo\n  expect sometimes", 2, "invalid expect statement"),
        ("eval range from 5m to 1m step 1m foo", 1, "before start"),
        ("eval instant foo", 1, "invalid evaluation command"),
        ("load 1m\n  c@st 1s\n\n", 2, "no following sample line"),
    ])
    func reportsErrorsWithLine(_ script: String, _ line: Int, _ fragment: String) {
        do {
            _ = try PromQLTestFile(parsing: script, name: "bad.test")
            Issue.record("expected an error for \(script)")
        } catch {
            #expect(error.line == line)
            #expect(error.description.hasPrefix("bad.test:\(line): "))
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }
}

enum DSLTestError: Error { case notLoad }
