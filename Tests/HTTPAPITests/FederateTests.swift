// /federate: the newest sample per matched series in the text format, stale and old series left
// out, external labels added where missing, as Prometheus 2.42 answers.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import Testing

@Suite struct FederateTests {
    @Test func newestSamplesWithExternalLabels() async throws {
        try await withTemporaryDirectory { dir in
            let external = Labels(["region": "eu", "cluster": "c1"])
            try await withAPI(directory: dir, configure: { $0.externalLabels = { external } }) { client, _ in
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                let t1 = now - 20_000
                let t2 = now - 10_000
                let (code, _) = try await client.push([
                    ([("__name__", "a_metric"), ("code", "200"), ("path", "/x\"y\\z\nw")], [Sample(t1, 1), Sample(t2, 41_207_736)]),
                    ([("__name__", "a_metric"), ("code", "500"), ("region", "us")], [Sample(t2, 1e-7)]),
                    ([("__name__", "b_total"), ("instance", "h:1")], [Sample(t2, 1e21)]),
                    ([("__name__", "gone"), ("job", "j")], [Sample(t1, 1), Sample(t2, StaleNaN.value)]),
                    ([("__name__", "old"), ("job", "j")], [Sample(now - 400_000, 1)]),
                    ([("__name__", "z"), ("job", "j")], [Sample(t2, -.infinity)]),
                ])
                #expect(code == 204)
                let (status, body) = try await client.getText(
                    "/federate?match[]=%7B__name__%3D~%22a_metric%7Cgone%7Cold%7Cz%22%7D&match[]=b_total&match[]=a_metric")
                #expect(status == 200)
                let expected = """
                    # TYPE a_metric untyped
                    a_metric{code="200",path="/x\\"y\\\\z\\nw",cluster="c1",instance="",region="eu"} 4.1207736e+07 \(t2)
                    a_metric{code="500",region="us",cluster="c1",instance=""} 1e-07 \(t2)
                    # TYPE b_total untyped
                    b_total{instance="h:1",cluster="c1",region="eu"} 1e+21 \(t2)
                    # TYPE z untyped
                    z{job="j",cluster="c1",instance="",region="eu"} -Inf \(t2)

                    """
                #expect(body == expected)
            }
        }
    }

    @Test func contentTypeErrorsAndEmptySelections() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                _ = try await client.push([([("__name__", "up"), ("job", "j")], [Sample(now - 1000, 1)])])
                try await client.execute(uri: "/federate?match[]=up", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                    #expect(String(buffer: response.body) == "# TYPE up untyped\nup{job=\"j\",instance=\"\"} 1 \(now - 1000)\n")
                }
                // No match[], or a selector without matchers: nothing, as Prometheus answers.
                #expect(try await client.getText("/federate") == (200, ""))
                #expect(try await client.getText("/federate?match[]=%7B%7D") == (200, ""))
                let (code, text) = try await client.getText("/federate?match[]=up(")
                #expect(code == 400)
                #expect(text == "1:3: parse error: unexpected \"(\"\n")
                try await client.execute(uri: "/federate?match[]=up", method: .post) { #expect($0.status == .methodNotAllowed) }
            }
        }
    }
}
