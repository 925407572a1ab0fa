// The runner against the engine as it is on this branch: outcomes, native-histogram flags,
// and the rule that "not implemented" never passes an `expect fail` eval.

import MetricModel
import PromQL
import Testing

@Suite("promqltest runner")
struct PromQLTestRunnerTests {
    @Test func runsAndFlagsNativeHistogramEvals() throws {
        let report = PromQLTestRunner().run(source: """
            load 1m
              hist {{schema:0 sum:1 count:1}}
              floats 1 2

            eval instant at 1m histogram_count(hist)
              {} 1

            eval instant at 1m sum by (job) (rate({__name__=~"hi.*"}[5m]))

            eval instant at 1m floats
              floats 2

            eval instant at 1m floats
              {} {{count:1}}

            eval instant at 1m hist
              hist {{schema:0 sum:1 count:1}}
            """, name: "nh.test")
        #expect(report.errors.isEmpty)
        let outcomes = report.outcomes
        #expect(outcomes.count == 5)
        #expect(outcomes.map(\.readsNativeHistograms) == [true, true, false, true, true])
        #expect(outcomes[0].status == .passed, "\(outcomes[0].status)")
        #expect(outcomes[2].status == .passed, "\(outcomes[2].status)")
        // A float where a histogram is expected fails with the harness's words.
        guard case .failed(let why) = outcomes[3].status else {
            Issue.record("expected a failure, got \(outcomes[3].status)")
            return
        }
        #expect(why == #"unexpected metric {__name__="floats"} in result, has value 2"#)
        #expect(outcomes[4].status == .passed, "\(outcomes[4].status)")
        #expect(report.skipped == 0)
    }

    @Test func clearDropsHistogramSeries() {
        let report = PromQLTestRunner().run(source: """
            load 1m
              m {{}}

            clear

            load 1m
              m 1

            eval instant at 0 m
              m 1
            """, name: "clear.test")
        #expect(report.skipped == 0)
        #expect(report.outcomes.count == 1)
    }

    @Test func notImplementedNeverSatisfiesExpectFail() throws {
        // A stub engine throws "not implemented"; a bare `expect fail` (or `eval_fail`) must not
        // count that as the failure it asks for.
        let evals = try PromQLTestFile(parsing: """
            eval instant at 0m ceil({__name__=~'testmetric1|testmetric2'})
              expect fail

            eval_fail instant at 0m x

            eval instant at 0m x
              expect fail regex: same label.?set
            """, name: "collision.test").evals
        let stub = QueryError(.execution, "PromQL evaluation is not implemented yet")
        let real = QueryError(.execution, "vector cannot contain metrics with the same labelset")
        for eval in evals {
            #expect(PromQLTestRunner.errorMismatch(stub, eval)?.hasPrefix("not implemented") == true)
            #expect(PromQLTestRunner.errorMismatch(real, eval) == nil)
        }
        #expect(PromQLTestRunner.errorMismatch(QueryError(.execution, "other"), evals[2]) != nil)
        // Without `expect fail`, any error fails the eval.
        let plain = try #require(try PromQLTestFile(parsing: "eval instant at 0 x\n", name: "t").evals.first)
        #expect(PromQLTestRunner.errorMismatch(real, plain) != nil)
    }

    @Test func failureLinesNameFileLineAndExpression() throws {
        let report = PromQLTestRunner().run(source: "load 1m\n  m 1\n\neval instant at 0 m\n  m 2\n", name: "x.test")
        #expect(report.outcomes.count == 1)
        if case .passed = report.outcomes[0].status {
            // A working engine returns 1, not 2.
            Issue.record("m is 1, the eval expects 2")
        }
        let line = try #require(report.failureLines.first)
        #expect(line.hasPrefix("x.test:4: m: "))
        #expect(PromQLTestSummary(report).description == "0 passed, 1 failed, 0 skipped")
    }

    @Test func dslErrorsAreFailuresWithFileAndLine() {
        let report = PromQLTestRunner().run(source: "load 1m\n  m 1\n\nunload now\n", name: "bad.test")
        #expect(report.outcomes.isEmpty)
        #expect(report.failureLines == [#"bad.test:4: invalid command "unload now""#])
        #expect(report.failed == 1)
    }

    @Test func atModifierVariantsPinSelectorsOutsideSubqueries() throws {
        let expr = try parseExpr("m")
        let variants = try #require(PromQLTestRunner.atModifierVariants(of: expr, at: 60_000))
        #expect(variants.times == [-600_000, 0, 12_000, 60_000, 600_000])
        guard case .vectorSelector(let vs) = variants.expr else {
            Issue.record("not a selector")
            return
        }
        #expect(vs.atModifier == .timestamp(60_000))
        #expect(PromQLTestRunner.atModifierVariants(of: expr, at: 0)?.times == [-1000, 0, 1000])
        let fixed = try parseExpr("m @ 100")
        guard case .vectorSelector(let pinned) = PromQLTestRunner.atModifierVariants(of: fixed, at: 60_000)?.expr else {
            Issue.record("not a selector")
            return
        }
        #expect(pinned.atModifier == .timestamp(100_000))
    }
}
