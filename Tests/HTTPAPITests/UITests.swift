// The web UI: served from the binary (the embedded copy is UI/ as it is in git), its routes, and
// — with headless Chromium (Debian's `chromium`) — every page of a running server rendered with
// real data: targets up and down, rules and alerts from a rule file, TSDB status, a graph.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Logging
import MetricModel
import SugarmillServer
import Synchronization
import Testing

/// Debian's Chromium, or nil.
let chromiumPath: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// `UI/`, found by walking up from this source file.
let uiDirectory: String? = {
    var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    while url.path != "/" && !url.path.isEmpty {
        let candidate = url.appendingPathComponent("UI/app.js")
        if FileManager.default.fileExists(atPath: candidate.path) { return url.appendingPathComponent("UI").path }
        url = url.deletingLastPathComponent()
    }
    return nil
}()

@Suite struct UIRoutesTests {
    @Test("the embedded UI is UI/ as committed (run scripts/embed-ui.py after editing UI/)")
    func embeddedCopyIsCurrent() throws {
        let directory = try #require(uiDirectory)
        for (file, embedded) in [("index.html", UIAssets.indexHTML), ("app.js", UIAssets.appJS), ("app.css", UIAssets.appCSS)] {
            var text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            while text.hasSuffix("\n") { text.removeLast() }
            #expect(String(decoding: embedded, as: UTF8.self) == text, "\(file) differs from its embedded copy")
        }
    }

    @Test("/ sends the browser to /query; every page answers the app; assets have their types")
    func routes() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                try await client.execute(uri: "/", method: .get) { response in
                    #expect(response.status == .found)
                    #expect(response.headers[.location] == "/query")
                }
                for page in ["/query", "/graph", "/targets", "/rules", "/alerts", "/tsdb-status", "/tenant"] {
                    try await client.execute(uri: page, method: .get) { response in
                        #expect(response.status == .ok, "\(page)")
                        #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                        #expect(String(buffer: response.body).contains(#"<script src="/assets/app.js"></script>"#))
                    }
                }
                try await client.execute(uri: "/assets/app.js", method: .get) { response in
                    #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                    #expect(String(buffer: response.body).contains("function queryPage"))
                }
                try await client.execute(uri: "/assets/app.css", method: .get) { response in
                    #expect(response.headers[.contentType] == "text/css; charset=utf-8")
                }
                try await client.execute(uri: "/assets/missing.js", method: .get) { #expect($0.status == .notFound) }
            }
        }
    }
}

@Suite(
    "Web UI in headless Chromium",
    .serialized,
    .enabled(if: chromiumPath != nil, "chromium is not installed (apt-get install -y chromium); skipping the browser tests")
)
struct UIBrowserTests {
    /// Runs Chromium headless on `url`: the DOM after the page's scripts ran, and a screenshot.
    static func render(_ url: String, screenshot: String) async throws -> String {
        let chromium = try #require(chromiumPath)
        let common = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--virtual-time-budget=10000",
            "--window-size=1280,900",
        ]
        _ = try await runProcess(chromium, common + ["--screenshot=\(screenshot)", url])
        return try await runProcess(chromium, common + ["--dump-dom", url])
    }

    /// The body at `url` (curl: Foundation on Linux does not fetch http URLs by itself).
    static func get(_ url: String) async throws -> String {
        try await runProcess("/usr/bin/curl", ["-s", "--max-time", "5", url])
    }

    /// A screenshot that is a real PNG of the window with more than a blank page in it.
    static func checkScreenshot(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(path) is not a PNG")
        // IHDR: width and height as asked.
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1280 && height == 900)
        #expect(data.count > 15_000, "\(path): \(data.count) bytes is too little to hold a rendered page")
    }

    @Test("every page of a running server shows its real data")
    func pagesShowRealData() async throws {
        let exposition = ScrapeEndToEndTests.Exposition()
        exposition.state.withLock { $0.body = "probe_success 0\nrequests_total{code=\"200\"} 10\nrequests_total{code=\"500\"} 3\n" }
        try await withTemporaryDirectory { dir in
            try await ScrapeEndToEndTests.exporter(exposition).test(.live) { exporterClient in
                let exporterPort = try #require(exporterClient.port)
                try """
                    groups:
                      - name: ui-probes
                        interval: 1s
                        rules:
                          - record: job:requests:sum
                            expr: sum by (job) (requests_total)
                          - alert: ProbeFailing
                            expr: probe_success == 0
                            labels: {severity: page}
                            annotations: {summary: "{{ $labels.instance }} is failing"}
                    """.write(toFile: dir.appendingPathComponent("rules.yml").path, atomically: true, encoding: .utf8)
                let config = dir.appendingPathComponent("prometheus.yml").path
                try """
                    global: {scrape_interval: 1s, evaluation_interval: 1s}
                    rule_files: [rules.yml]
                    scrape_configs:
                      - job_name: exporter
                        static_configs: [{targets: ["127.0.0.1:\(exporterPort)"]}]
                      - job_name: broken
                        static_configs: [{targets: ["127.0.0.1:1"]}]
                    """.write(toFile: config, atomically: true, encoding: .utf8)
                var options = ServerOptions()
                options.configFile = config
                try await withRunningServer(options, directory: dir) { port in
                    // Wait until scrapes and rules have produced data.
                    let base = "http://127.0.0.1:\(port)"
                    #expect(try await eventuallyAsync(60) { try await Self.get(base + "/api/v1/alerts").contains("firing") })
                    let shots = dir.appendingPathComponent("shots").path
                    try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
                    let pages: [(path: String, expected: [String])] = [
                        ("/targets", ["exporter (1/1 up)", "broken (0/1 up)", "connection refused", "127.0.0.1:\(exporterPort)/metrics"]),
                        ("/rules", ["ui-probes", "record: job:requests:sum", "alert: ProbeFailing", "sum by (job) (requests_total)"]),
                        ("/alerts", ["ProbeFailing", "127.0.0.1:\(exporterPort) is failing", "severity=\"page\""]),
                        ("/tsdb-status", ["Head series", "requests_total", "probe_success"]),
                        ("/query?g0.expr=requests_total&g0.tab=1", ["2 results", "requests_total{code=\"500\""]),
                        ("/query?g0.expr=requests_total&g0.tab=0&g0.range_input=5m", ["2 series", "data-series=\"requests_total{code=&quot;200&quot;"]),
                        ("/tenant", ["Single-tenant mode"]),
                        // No expression: the metrics there are, each linked to its graph.
                        ("/query", ["metrics to graph it", "href=\"/query?g0.expr=requests_total&amp;g0.tab=0"]),
                    ]
                    for (index, page) in pages.enumerated() {
                        let shot = "\(shots)/page-\(index).png"
                        let dom = try await Self.render(base + page.path, screenshot: shot)
                        for text in page.expected {
                            #expect(dom.contains(text), "\(page.path) does not show \(text)")
                        }
                        #expect(!dom.contains("class=\"error\""), "\(page.path) shows an error")
                        try Self.checkScreenshot(shot)
                    }
                }
            }
        }
    }

    @Test("multi-tenant mode: a basic-auth tenant's browser sees its usage against its limits")
    func tenantUsage() async throws {
        try await withTemporaryDirectory { dir in
            let hash = SHA256.hex(Array("secret".utf8))
            let tenants = dir.appendingPathComponent("tenants.yml").path
            try """
                tenants:
                  - id: team-a
                    basic_auth: [{username: alice, password_sha256: "\(hash)"}]
                    limits: {max_global_series_per_user: 1234}
                """.write(toFile: tenants, atomically: true, encoding: .utf8)
            var options = ServerOptions()
            options.tenancyConfigFile = tenants
            try await withRunningServer(options, directory: dir) { port in
                #expect(try await eventuallyAsync(60) { try await Self.get("http://127.0.0.1:\(port)/-/ready").contains("Ready") })
                let shot = dir.appendingPathComponent("tenant.png").path
                let dom = try await Self.render("http://alice:secret@127.0.0.1:\(port)/tenant", screenshot: shot)
                for text in ["Tenant <b>team-a</b>", "active_series", "max_global_series_per_user", "1234"] {
                    #expect(dom.contains(text), "the tenant page does not show \(text)")
                }
                #expect(!dom.contains("class=\"error\""))
                try Self.checkScreenshot(shot)
            }
        }
    }
}
