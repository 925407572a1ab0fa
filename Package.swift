// swift-tools-version:6.1
// Sugarmill: a Prometheus-compatible metrics backend. Module map: DESIGN.md.
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

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
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        // Labels, samples, matchers and the storage protocols. No I/O.
        .target(name: "MetricModel", swiftSettings: upcoming),
        // Bit streams, varints, CRC32C and the XOR (Gorilla) chunk codec.
        .target(name: "ChunkEncoding", dependencies: ["MetricModel"], swiftSettings: upcoming),
        // Snappy block format, our own (no Swift package exists here).
        .target(name: "Snappy", swiftSettings: upcoming),
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
            swiftSettings: upcoming
        ),
        // relabel_config semantics, shared by scrape, metric relabeling and remote write.
        .target(name: "Relabel", dependencies: ["MetricModel"], swiftSettings: upcoming),
        // prometheus.yml (config model and loading), service discovery, scrape pools and loops.
        .target(
            name: "Scrape",
            dependencies: [
                "MetricModel", "Exposition", "Relabel",
                .product(name: "Yams", package: "Yams"),
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
        // Remote-write wire format: snappy protobuf WriteRequest.
        .target(name: "Remote", dependencies: ["MetricModel", "Snappy"], swiftSettings: upcoming),
        // Hummingbird routes: /api/v1/*, /-/healthy, /-/ready, /metrics.
        .target(
            name: "HTTPAPI",
            dependencies: [
                "MetricModel", "PromQL", "Remote", "ChunkEncoding",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: upcoming
        ),
        // Wiring: flags, storage, HTTP, lifecycle.
        .target(
            name: "SugarmillServer",
            dependencies: [
                "MetricModel", "TSDB", "HTTPAPI", "PromQL", "Exposition", "Scrape",
                .product(name: "Hummingbird", package: "hummingbird"),
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
                "SugarmillServer", "TSDB", "MetricModel", "ChunkEncoding", "PromQL", "Exposition", "Scrape",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming
        ),

        .testTarget(name: "MetricModelTests", dependencies: ["MetricModel"], swiftSettings: upcoming),
        .testTarget(
            name: "ChunkEncodingTests", dependencies: ["ChunkEncoding", "MetricModel"], swiftSettings: upcoming
        ),
        .testTarget(name: "SnappyTests", dependencies: ["Snappy"], exclude: ["Fixtures"], swiftSettings: upcoming),
        .testTarget(
            name: "TSDBTests", dependencies: ["TSDB", "MetricModel", "ChunkEncoding", "Snappy"], swiftSettings: upcoming
        ),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition", "MetricModel"], swiftSettings: upcoming),
        .testTarget(name: "PromQLTests", dependencies: ["PromQL", "MetricModel"], swiftSettings: upcoming),
        .testTarget(name: "RelabelTests", dependencies: ["Relabel", "MetricModel"], swiftSettings: upcoming),
        .testTarget(
            name: "ScrapeTests",
            dependencies: [
                "Scrape", "Relabel", "Exposition", "MetricModel", .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(name: "RemoteTests", dependencies: ["Remote", "MetricModel", "Snappy"], swiftSettings: upcoming),
        .testTarget(
            name: "ToolsTests", dependencies: ["SugarmillServer", "ChunkEncoding", "MetricModel", "PromQL"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "HTTPAPITests",
            dependencies: [
                "HTTPAPI", "SugarmillServer", "TSDB", "MetricModel", "Remote", "Snappy", "ChunkEncoding", "Scrape",
                "PromQL",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: upcoming
        ),
    ]
)
