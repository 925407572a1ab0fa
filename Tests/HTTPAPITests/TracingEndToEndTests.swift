// `tracing:` end to end: the whole server exports its spans by OTLP/HTTP to a collector stand-in
// that also receives its remote writes. A query sent with a W3C `traceparent` shows up as a
// server span of the caller's trace; every remote-write send carries the `traceparent` of its
// exported "Remote Send Batch" span; unsampled callers' traces are not exported (parent-based
// sampling, as Prometheus); rule groups are traces with a span per rule; a reload without
// `tracing:` uninstalls the tracer.

import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import MetricModel
import SugarmillServer
import Synchronization
import Testing

@Suite struct TracingEndToEndTests {
    /// What the collector stand-in was sent.
    final class Collector: Sendable {
        let traceBodies = Mutex<[[UInt8]]>([])
        /// Each remote-write request's `traceparent`, nil for none.
        let writes = Mutex<[String?]>([])
        var writeTraceparents: [String] { writes.withLock { $0 }.compactMap { $0 } }

        var spans: [ExportedSpan] { traceBodies.withLock { $0 }.flatMap { ExportedSpan.decode(request: $0) } }

        func router() -> Router<BasicRequestContext> {
            let router = Router()
            router.post("/v1/traces") { request, _ in
                let body = try await request.body.collect(upTo: 16 << 20)
                self.traceBodies.withLock { $0.append(Array(body.readableBytesView)) }
                // An empty ExportTraceServiceResponse, as a collector answers.
                return Response(status: .ok, headers: [.contentType: "application/x-protobuf"], body: .init(byteBuffer: ByteBuffer()))
            }
            router.post("/api/v1/write") { request, _ in
                _ = try await request.body.collect(upTo: 16 << 20)
                self.writes.withLock { $0.append(request.headers[HTTPField.Name("traceparent")!]) }
                return HTTPResponse.Status.noContent
            }
            return router
        }
    }

    @Test("a query's server span joins the caller's trace; remote-write sends carry their exported span's context")
    func spansReachTheCollector() async throws {
        let collector = Collector()
        let app = Application(router: collector.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let collectorPort = try #require(client.port)
            try await withTemporaryDirectory { dir in
                let port = try freeTCPPort()
                let config = dir.appendingPathComponent("prometheus.yml").path
                let tracing = """
                    tracing:
                      client_type: http
                      endpoint: 127.0.0.1:\(collectorPort)
                      insecure: true
                      sampling_fraction: 1
                    """
                try """
                    groups:
                      - name: ups
                        interval: 1s
                        rules: [{record: "up:sum", expr: sum(up)}]
                    """.write(toFile: dir.appendingPathComponent("rules.yml").path, atomically: true, encoding: .utf8)
                let withoutTracing = """
                    global: {scrape_interval: 1s}
                    rule_files: [rules.yml]
                    scrape_configs:
                      - job_name: self
                        static_configs: [{targets: ["127.0.0.1:\(port)"]}]
                    remote_write:
                      - url: http://127.0.0.1:\(collectorPort)/api/v1/write
                        name: collector
                        queue_config: {batch_send_deadline: 1s}

                    """
                try (withoutTracing + tracing).write(toFile: config, atomically: true, encoding: .utf8)
                var options = ServerOptions()
                options.configFile = config
                options.enableLifecycle = true
                let sampled = TraceContext(traceID: "0af7651916cd43dd8448eb211c80319c", spanID: "b7ad6b7169203331", flags: "01")
                let unsampled = TraceContext(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7", flags: "00")
                try await withRunningServer(options, directory: dir, port: port) { port in
                    let base = "http://127.0.0.1:\(port)"
                    // `tracing:` is applied once the server listens: wait for its first span (a self-scrape).
                    #expect(try await eventuallyAsync(60) { collector.spans.contains { $0.name == "/metrics" } })
                    _ = try await Self.get(base + "/api/v1/query?query=up", traceparent: sampled.traceparent)
                    _ = try await Self.get(base + "/api/v1/labels", traceparent: unsampled.traceparent)

                    // The query: a server span of the caller's trace, child of the caller's span.
                    #expect(try await eventuallyAsync(60) { collector.spans.contains { $0.traceID == sampled.traceID && $0.kind == 2 } })
                    let query = try #require(collector.spans.first { $0.traceID == sampled.traceID && $0.kind == 2 })
                    #expect(query.name == "/api/v1/query" && query.kind == 2 && query.parentSpanID == sampled.spanID)
                    #expect(query.attributes["http.response.status_code"] == "200")
                    // …and its evaluation a span inside it.
                    let evaluation = collector.spans.first { $0.traceID == sampled.traceID && $0.name == "promqlEval" }
                    #expect(evaluation?.parentSpanID == query.spanID && evaluation?.attributes["query"] == "up")

                    // Rule groups: a trace each (sampling_fraction 1), a span per rule inside.
                    let group = try #require(collector.spans.first { $0.name == "rule group" })
                    #expect(group.attributes["name"] == "ups" && group.parentSpanID.isEmpty)
                    let rule = collector.spans.first { $0.name == "rule" && $0.parentSpanID == group.spanID }
                    #expect(rule?.attributes["name"] == "up:sum" && rule?.traceID == group.traceID)

                    // Remote writes: each send's traceparent names an exported "Remote Send Batch" span.
                    #expect(try await eventuallyAsync(60) {
                        let exported = Set(collector.spans.filter { $0.name == "Remote Send Batch" }.map { "\($0.traceID)-\($0.spanID)" })
                        return collector.writeTraceparents.contains { header in
                            TraceContext(traceparent: header).map { exported.contains("\($0.traceID)-\($0.spanID)") } ?? false
                        }
                    })
                    let send = try #require(collector.spans.first { $0.name == "Remote Send Batch" })
                    #expect(send.attributes["remote_name"] == "collector" && send.parentSpanID.isEmpty)
                    #expect(Int(send.attributes["samples"] ?? "") ?? 0 > 0)

                    // Reloaded without `tracing:`: sends after it carry no traceparent.
                    try withoutTracing.write(toFile: config, atomically: true, encoding: .utf8)
                    _ = try await runProcess("/usr/bin/curl", ["-s", "--max-time", "10", "-X", "POST", base + "/-/reload"])
                    let reloadedAt = collector.writes.withLock { $0.count }
                    #expect(try await eventuallyAsync(60) { collector.writes.withLock { $0.count } >= reloadedAt + 3 })
                    #expect(collector.writes.withLock { $0.dropFirst(reloadedAt + 1) }.allSatisfy { $0 == nil })
                }
                // Flushed at shutdown: the caller's unsampled trace was never exported.
                #expect(!collector.spans.contains { $0.traceID == unsampled.traceID })
            }
        }
    }

    /// Whether the `python3` on PATH has grpcio and opentelemetry-proto (`.ci/run` installs them).
    static let grpcReceiverAvailable: Bool = {
        (try? runTool("/usr/bin/env", ["python3", "-c", "import grpc, opentelemetry.proto.collector.trace.v1.trace_service_pb2_grpc"]))?
            .status == 0
    }()

    @Test(
        "OTLP over gRPC (Prometheus's default client_type) reaches grpcio's TraceService",
        .enabled(if: grpcReceiverAvailable, "python3 lacks grpcio / opentelemetry-proto (pip install grpcio opentelemetry-proto)"))
    func grpcExport() async throws {
        try await withTemporaryDirectory { dir in
            let receiverPort = try freeTCPPort()
            let output = dir.appendingPathComponent("spans.jsonl").path
            let ready = dir.appendingPathComponent("ready").path
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/tracing/otlp-grpc-receiver.py").path
            let receiver = Process()
            receiver.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            receiver.arguments = ["python3", script, String(receiverPort), output]
            _ = FileManager.default.createFile(atPath: ready, contents: nil)
            receiver.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: ready))
            try receiver.run()
            defer {
                // SIGKILL: the server under test ignores SIGTERM, and children inherit that.
                kill(receiver.processIdentifier, SIGKILL)
                receiver.waitUntilExit()
            }
            #expect(try await eventuallyAsync(60) { (try? String(contentsOfFile: ready, encoding: .utf8))?.contains("ready") == true })
            let config = dir.appendingPathComponent("prometheus.yml").path
            try """
                tracing:
                  endpoint: 127.0.0.1:\(receiverPort)
                  insecure: true
                """.write(toFile: config, atomically: true, encoding: .utf8)
            var options = ServerOptions()
            options.configFile = config
            let caller = TraceContext(traceID: "5b8efff798038103d269b633813fc60c", spanID: "eee19b7ec3c1b174", flags: "01")
            struct Exported: Decodable {
                var traceID, spanID, parentSpanID, name: String
                var kind: Int
                var attributes, resource: [String: String]
            }
            func spans() -> [Exported] {
                ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n")
                    .compactMap { try? JSONDecoder().decode(Exported.self, from: Data($0.utf8)) }
            }
            try await withRunningServer(options, directory: dir) { port in
                // Until the exporter is installed (the config is applied once the server listens),
                // queries may go untraced: ask again until one shows up.
                let found = try await eventuallyAsync(60) {
                    _ = try await Self.get("http://127.0.0.1:\(port)/api/v1/query?query=1", traceparent: caller.traceparent)
                    try await Task.sleep(for: .seconds(1))
                    return spans().contains { $0.traceID == caller.traceID && $0.name == "/api/v1/query" }
                }
                #expect(found)
            }
            let query = try #require(spans().first { $0.traceID == caller.traceID && $0.name == "/api/v1/query" })
            #expect(query.parentSpanID == caller.spanID && query.kind == 2 && query.attributes["http.response.status_code"] == "200")
            #expect(query.resource["service.name"] == "sugarmill")
            #expect(spans().contains { $0.name == "promqlEval" && $0.parentSpanID == query.spanID && $0.attributes["query"] == "1" })
        }
    }

    /// curl, as the other end-to-end suites use (Foundation on Linux does not fetch http URLs).
    static func get(_ url: String, traceparent: String) async throws -> String {
        try await runProcess("/usr/bin/curl", ["-s", "--max-time", "5", "-H", "traceparent: \(traceparent)", url])
    }
}

/// One span of an OTLP `ExportTraceServiceRequest`, read with a minimal protobuf walker (the
/// fields of opentelemetry-proto's trace.proto that the test looks at).
struct ExportedSpan {
    var traceID = ""
    var spanID = ""
    var parentSpanID = ""
    var name = ""
    var kind = 0
    /// Attribute values as text (strings as they are, integers in decimal).
    var attributes: [String: String] = [:]

    /// request{1: resource_spans{2: scope_spans{2: span}}}.
    static func decode(request: [UInt8]) -> [ExportedSpan] {
        var spans: [ExportedSpan] = []
        for resourceSpans in Protobuf.fields(request) where resourceSpans.number == 1 {
            for scopeSpans in Protobuf.fields(resourceSpans.bytes) where scopeSpans.number == 2 {
                for span in Protobuf.fields(scopeSpans.bytes) where span.number == 2 { spans.append(ExportedSpan(span.bytes)) }
            }
        }
        return spans
    }

    init(_ bytes: [UInt8]) {
        for field in Protobuf.fields(bytes) {
            switch field.number {
            case 1: traceID = Protobuf.hex(field.bytes)
            case 2: spanID = Protobuf.hex(field.bytes)
            case 4: parentSpanID = Protobuf.hex(field.bytes)
            case 5: name = String(decoding: field.bytes, as: UTF8.self)
            case 6: kind = Int(field.varint)
            case 9:
                // KeyValue{1: key, 2: AnyValue{1: string_value, 3: int_value}}
                var key = ""
                var value = ""
                for part in Protobuf.fields(field.bytes) {
                    if part.number == 1 { key = String(decoding: part.bytes, as: UTF8.self) }
                    if part.number == 2 {
                        for any in Protobuf.fields(part.bytes) {
                            if any.number == 1 { value = String(decoding: any.bytes, as: UTF8.self) }
                            if any.number == 3 { value = String(Int64(bitPattern: any.varint)) }
                        }
                    }
                }
                attributes[key] = value
            default: break
            }
        }
    }
}

/// Protobuf's wire format, just enough to walk messages.
enum Protobuf {
    struct Field {
        var number: Int
        var varint: UInt64 = 0
        var bytes: [UInt8] = []
    }

    /// The fields of a message in order; stops at the first malformed one.
    static func fields(_ bytes: [UInt8]) -> [Field] {
        var fields: [Field] = []
        var index = 0
        func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count && shift < 64 {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }
        while index < bytes.count, let key = varint() {
            var field = Field(number: Int(key >> 3))
            switch key & 7 {
            case 0:
                guard let value = varint() else { return fields }
                field.varint = value
            case 1, 5:
                let width = key & 7 == 1 ? 8 : 4
                guard index + width <= bytes.count else { return fields }
                index += width
            case 2:
                guard let length = varint(), index + Int(length) <= bytes.count else { return fields }
                field.bytes = Array(bytes[index..<index + Int(length)])
                index += Int(length)
            default: return fields
            }
            fields.append(field)
        }
        return fields
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
