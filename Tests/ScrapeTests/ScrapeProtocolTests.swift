// Scrape protocols by Prometheus's names, in Prometheus 3's default order.

import Scrape
import Testing

@Suite struct ScrapeProtocolTests {
    @Test func defaultsAreOpenMetricsFirst() {
        #expect(ScrapeProtocol.defaults.map(\.rawValue) == [
            "OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4",
        ])
        #expect(ScrapeProtocol(rawValue: "PrometheusProto") == .prometheusProto)
    }
}
