// swift-tools-version:6.1
// Sugarmill: a Prometheus-compatible metrics backend. Module map: DESIGN.md.
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// The ingest hot path's modules are optimized in debug builds too, so that `swift test` checks
/// their allocation counts as they run in production (Tests/HotPathTests); `-enable-testing`
/// keeps `@testable import` working.
let hotPath: [SwiftSetting] = upcoming + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "sugarmill",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sugarmill", targets: ["sugarmill"]),
    ],
    dependencies: [
        // No default traits: "FullFoundation" and "ConfigurationSupport" would link libFoundation and ICU
        // (~7 MB of resident code pages per process) for features we do not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // Tests only (YAMLTests compares our composer with it); the server links no Yams.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // No default traits: "BinaryDelimitedStreams" imports Foundation (for InputStream/OutputStream,
        // which we do not use), and that alone links libFoundation and ICU.
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0", traits: []),
        // Spans: the tracing API in MetricModel; SpanExport sends them by OTLP. (swift-otel was
        // tried: it links libFoundation and ICU, +7 MB idle RSS and +95 MB of binary.)
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // HTTP/2 for OTLP over gRPC (already in the graph through async-http-client).
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
    ],
    targets: [
        // Labels, samples, matchers and the storage protocols. No I/O.
        .target(
            name: "MetricModel",
            dependencies: [.product(name: "Tracing", package: "swift-distributed-tracing")],
            swiftSettings: hotPath
        ),
        // CRC-32C with the processor's instruction (SSE 4.2, arm64 CRC), C: Swift has no intrinsic for it.
        .target(name: "CRC32CHardware"),
        // Bit streams, varints, CRC32C and the XOR (Gorilla) chunk codec.
        .target(name: "ChunkEncoding", dependencies: ["MetricModel", "CRC32CHardware"], swiftSettings: hotPath),
        // Snappy block format, our own (no Swift package exists here).
        .target(name: "Snappy", swiftSettings: hotPath),
        // Prometheus text 0.0.4 / OpenMetrics 1.0 parsers (scrape, create-blocks-from openmetrics).
        .target(name: "Exposition", dependencies: ["MetricModel"], swiftSettings: upcoming),
        // Head, WAL and the DB facade.
        .target(
            name: "TSDB",
            dependencies: [
                "MetricModel", "ChunkEncoding", "Snappy",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: hotPath
        ),
        // A YAML composer (first document to a node tree) that accepts and refuses what go-yaml v2
        // does, in its words. Standard library only: no Foundation.
        .target(name: "YAML", swiftSettings: upcoming),
        // relabel_config semantics, shared by scrape, metric relabeling and remote write.
        .target(name: "Relabel", dependencies: ["MetricModel"], swiftSettings: upcoming),
        // prometheus.yml (config model and loading), service discovery, scrape pools and loops.
        .target(
            name: "Scrape",
            dependencies: [
                "MetricModel", "Exposition", "Relabel", "YAML",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            ],
            swiftSettings: upcoming
        ),
        // PromQL: for now the selector grammar and raw range selection.
        .target(name: "PromQL", dependencies: ["MetricModel", "ChunkEncoding"], swiftSettings: upcoming),
        // Protobuf messages of remote read and OTLP, generated by protoc-gen-swift from Protos/
        // (scripts/generate-protos.sh) and committed, so builds do not run the plugin.
        .target(
            name: "WireFormat",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        // Remote-write wire format (snappy protobuf WriteRequest) and OTLP metrics translation.
        .target(
            name: "Remote",
            dependencies: [
                "MetricModel", "Snappy", "WireFormat", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: hotPath
        ),
        // Recording and alerting rules: rule files, group evaluation, alert state, Go templates
        // for labels and annotations, and the notifier that sends alerts to Alertmanager.
        .target(
            name: "Rules",
            dependencies: [
                "MetricModel", "PromQL", "YAML", "Scrape", "Relabel", "ChunkEncoding",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        // Hummingbird routes: /api/v1/*, /-/healthy, /-/ready, /metrics.
        .target(
            name: "HTTPAPI",
            dependencies: [
                "MetricModel", "PromQL", "Remote", "ChunkEncoding", "WireFormat", "Snappy", "Exposition",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: upcoming
        ),
        // Tenants, their credentials (hashed) and limits: multi-tenant mode.
        .target(
            name: "Tenancy",
            dependencies: ["MetricModel", "YAML"],
            swiftSettings: upcoming
        ),
        // remote_write: follows the WAL and forwards to remote-write receivers.
        .target(
            name: "RemoteStorage",
            dependencies: [
                "MetricModel", "TSDB", "Scrape", "Relabel", "Remote", "Snappy", "WireFormat", "ChunkEncoding",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        // Spans exported by OTLP (`tracing:`): the tracer, its batches, protobuf encoding, and the
        // gRPC (HTTP/2) and HTTP clients.
        .target(
            name: "SpanExport",
            dependencies: [
                "MetricModel", "Scrape",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: upcoming
        ),
        // Wiring: flags, storage, HTTP, lifecycle.
        .target(
            name: "SugarmillServer",
            dependencies: [
                "MetricModel", "TSDB", "HTTPAPI", "PromQL", "Exposition", "Scrape", "RemoteStorage", "Tenancy", "Rules",
                "SpanExport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "sugarmill",
            dependencies: [
                "SugarmillServer", "TSDB", "MetricModel", "ChunkEncoding", "PromQL", "Exposition", "Scrape", "Rules",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming,
            // lld (in every Swift toolchain for Linux) lays the code out tighter than gold, and nothing
            // needs the executable's symbols exported: the process starts with less of the binary
            // resident (BENCHMARKS.md, "idle footprint").
            linkerSettings: [.unsafeFlags(["-use-ld=lld", "-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))]
        ),

        // Counts the test thread's allocations (wraps malloc for the test process only).
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        .testTarget(
            name: "HotPathTests",
            dependencies: ["AllocationCounter", "ChunkEncoding", "TSDB", "Remote", "Snappy", "MetricModel"],
            swiftSettings: hotPath
        ),
        .testTarget(name: "MetricModelTests", dependencies: ["MetricModel"], swiftSettings: upcoming),
        .testTarget(
            name: "ChunkEncodingTests", dependencies: ["ChunkEncoding", "MetricModel"], swiftSettings: upcoming
        ),
        .testTarget(name: "SnappyTests", dependencies: ["Snappy"], exclude: ["Fixtures"], swiftSettings: upcoming),
        // Test support, linked by test targets only: a real Prometheus started for interop tests.
        .target(name: "PrometheusInterop", path: "Tests/Support/PrometheusInterop", swiftSettings: upcoming),
        .testTarget(
            name: "TSDBTests", dependencies: ["TSDB", "MetricModel", "ChunkEncoding", "Snappy", "PrometheusInterop"],
            swiftSettings: upcoming
        ),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition", "MetricModel"], swiftSettings: upcoming),
        .testTarget(name: "PromQLTests", dependencies: ["PromQL", "MetricModel"], swiftSettings: upcoming),
        // Yams only here: the composer is checked against it on every YAML file we have.
        .testTarget(
            name: "YAMLTests",
            dependencies: ["YAML", .product(name: "Yams", package: "Yams")],
            swiftSettings: upcoming
        ),
        .testTarget(name: "RelabelTests", dependencies: ["Relabel", "MetricModel"], swiftSettings: upcoming),
        .testTarget(
            name: "ScrapeTests",
            dependencies: [
                "Scrape", "Relabel", "Exposition", "MetricModel", .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "RemoteTests",
            dependencies: [
                "Remote", "MetricModel", "Snappy", "WireFormat", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "ToolsTests", dependencies: ["SugarmillServer", "ChunkEncoding", "MetricModel", "PromQL"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "RulesTests",
            dependencies: [
                "Rules", "PromQL", "MetricModel", "Scrape", "ChunkEncoding",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(name: "TenancyTests", dependencies: ["Tenancy", "MetricModel"], swiftSettings: upcoming),
        .testTarget(
            name: "RemoteStorageTests",
            dependencies: [
                "RemoteStorage", "TSDB", "Scrape", "Relabel", "Remote", "Snappy", "MetricModel", "WireFormat", "ChunkEncoding",
                "HTTPAPI",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "HTTPAPITests",
            dependencies: [
                "HTTPAPI", "SugarmillServer", "TSDB", "MetricModel", "Remote", "Snappy", "ChunkEncoding", "Scrape",
                "PromQL", "WireFormat", "Tenancy", "Rules", "YAML", "Exposition", "PrometheusInterop",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: upcoming
        ),
    ]
)
