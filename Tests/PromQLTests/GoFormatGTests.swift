// Go's %g formatting (promtool tsdb dump's value format).

import MetricModel
import PromQL
import Testing

@Suite struct GoFormatGTests {
    @Test(arguments: [
        (0.0, "0"), (1.0, "1"), (-1.5, "-1.5"), (100000, "100000"), (1_000_000, "1e+06"), (1_234_567, "1.234567e+06"),
        (0.0001, "0.0001"), (0.00001, "1e-05"), (1.0000000000000002, "1.0000000000000002"), (1e21, "1e+21"),
        (123456.75, "123456.75"), (1_699_999_200, "1.6999992e+09"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (-0.0, "-0"),
    ])
    func formats(value: Double, expected: String) {
        #expect(goFormatG(value) == expected)
    }

    @Test func nan() {
        #expect(goFormatG(.nan) == "NaN")
    }
}
