// swift-tools-version:6.1
// Sugarmill benchmarks (package-benchmark). Own package so users never build it.
// The engine's modules are compiled here from symlinks (Sources/*), so `package` API is visible.
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "SugarmillBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        .target(name: "MetricModel", swiftSettings: upcoming),
        .target(name: "CRC32CHardware"),
        .target(name: "ChunkEncoding", dependencies: ["MetricModel", "CRC32CHardware"], swiftSettings: upcoming),
        .target(name: "Snappy", swiftSettings: upcoming),
        .target(
            name: "TSDB",
            dependencies: [
                "MetricModel", "ChunkEncoding", "Snappy",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "WireFormat", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        .target(
            name: "Remote",
            dependencies: ["MetricModel", "Snappy", "WireFormat", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: upcoming
        ),
        .target(name: "PromQL", dependencies: ["MetricModel", "ChunkEncoding"], swiftSettings: upcoming),
        .executableTarget(
            name: "SugarmillBenchmarks",
            dependencies: [
                "MetricModel", "ChunkEncoding", "Snappy", "TSDB", "Remote", "PromQL",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/SugarmillBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
